package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/query"
	"github.com/spf13/pflag"
)

// namedArg is one of --arg, --argjson, --slurpfile, --rawfile: a variable for the filter.
type namedArg struct {
	flag, name, value string
}

// positionalKind says how a positional argument is read, by the mode in force where
// it stands: paths before any --args/--jsonargs, strings or JSON texts after.
type positionalKind uint8

const (
	positionalPath positionalKind = iota
	positionalString
	positionalJSON
)

type positionalArg struct {
	text string
	kind positionalKind
}

// multiValueFlags take two values each, which pflag cannot express.
var multiValueFlags = map[string]bool{"--arg": true, "--argjson": true, "--slurpfile": true, "--rawfile": true}

// splitQueryArgs separates the command line the way jq reads it: --arg and its kin
// with their two values, --args/--jsonargs switching how later positionals are read,
// positionals in order, and the remaining flags for pflag. It must know which flags
// take a value so that a flag's value is not taken for a positional.
func splitQueryArgs(fs *pflag.FlagSet, args []string) (flags []string, named []namedArg, pos []positionalArg, err error) {
	kind := positionalPath
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			for _, rest := range args[i+1:] {
				pos = append(pos, positionalArg{rest, kind})
			}
			return flags, named, pos, nil
		case a == "--args":
			kind = positionalString
		case a == "--jsonargs":
			kind = positionalJSON
		case multiValueFlags[a]:
			if i+2 >= len(args) {
				return nil, nil, nil, fmt.Errorf("%s takes two values: a name and a value", a)
			}
			named = append(named, namedArg{a[2:], args[i+1], args[i+2]})
			i += 2
		case strings.HasPrefix(a, "--"):
			flags = append(flags, a)
			name, _, hasValue := strings.Cut(a[2:], "=")
			if f := fs.Lookup(name); f != nil && f.NoOptDefVal == "" && !hasValue && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		case len(a) > 1 && a[0] == '-' && (isLetter(a[1]) || fs.ShorthandLookup(a[1:2]) != nil):
			flags = append(flags, a)
			if shortTakesNext(fs, a) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			// Also "-" (stdin) and, as in gojq, "-.a" or "-1": a dash before something
			// that is no flag letter starts a filter or a value.
			pos = append(pos, positionalArg{a, kind})
		}
	}
	return flags, named, pos, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// shortTakesNext reports whether a cluster of short flags like -rf ends with a flag
// whose value is the next argument.
func shortTakesNext(fs *pflag.FlagSet, a string) bool {
	for j := 1; j < len(a); j++ {
		f := fs.ShorthandLookup(a[j : j+1])
		if f == nil {
			return false // pflag reports it
		}
		if f.NoOptDefVal == "" {
			return j == len(a)-1 // the rest of the cluster is the value otherwise
		}
	}
	return false
}

// variables builds the filter's variables: one per named argument (the first of a
// name wins, as in gojq) and $ARGS with "named" and "positional".
func variables(ctx context.Context, opts *QueryOptions) (names []string, values []any, err error) {
	named := map[string]any{}
	for _, a := range opts.Named {
		if _, dup := named[a.name]; dup {
			continue
		}
		v, err := argValue(ctx, a)
		if err != nil {
			return nil, nil, err
		}
		named[a.name] = v
		names = append(names, "$"+a.name)
		values = append(values, v)
	}
	positional := []any{}
	for _, p := range opts.Positional {
		if p.kind == positionalJSON {
			v, err := parseJSONArg(p.text)
			if err != nil {
				return nil, nil, usageErrorf("--jsonargs %q: %v", p.text, err)
			}
			positional = append(positional, v)
		} else {
			positional = append(positional, p.text)
		}
	}
	names = append(names, "$ARGS")
	values = append(values, map[string]any{"named": named, "positional": positional})
	return names, values, nil
}

func argValue(ctx context.Context, a namedArg) (any, error) {
	switch a.flag {
	case "arg":
		return a.value, nil
	case "argjson":
		v, err := parseJSONArg(a.value)
		if err != nil {
			return nil, usageErrorf("--argjson %s: %v", a.name, err)
		}
		return v, nil
	case "rawfile":
		b, err := os.ReadFile(a.value)
		if err != nil {
			return nil, usageErrorf("--rawfile %s: %v", a.name, err)
		}
		return string(b), nil
	default: // slurpfile
		v, err := slurpFile(ctx, a.value)
		if err != nil {
			return nil, usageErrorf("--slurpfile %s: %v", a.name, err)
		}
		return v, nil
	}
}

// parseJSONArg reads exactly one JSON value.
func parseJSONArg(text string) (any, error) {
	v, err := query.NewDecoder().Decode([]byte(text))
	if err != nil {
		if se, ok := err.(*jsontext.SyntaxError); ok {
			return nil, fmt.Errorf("not JSON: %s at character %d", se.Msg, se.Offset+1)
		}
		return nil, err
	}
	return v, nil
}

// slurpFile reads every document of a file (any form the core reads) into an array;
// any problem in it is an error.
func slurpFile(ctx context.Context, path string) ([]any, error) {
	type slurped struct {
		docs []any
		err  error
	}
	newWork := func() func(*input.Batch) slurped {
		dec := query.NewDecoder()
		return func(b *input.Batch) slurped {
			var s slurped
			for _, rec := range b.Records {
				if rec.Err != nil {
					return slurped{err: rec.Err}
				}
				v, err := dec.Decode(rec.Raw)
				if err != nil {
					f := payload.SyntaxFinding(rec.Raw, err)
					line, col := rec.Origin.Position(rec.Raw, f.Offset)
					return slurped{err: fmt.Errorf("%s:%d:%d: %s", rec.Origin.Name(), line, col, f.Message)}
				}
				s.docs = append(s.docs, v)
			}
			return s
		}
	}
	docs := []any{}
	emit := func(_ *input.Batch, s slurped) error {
		docs = append(docs, s.docs...)
		return s.err
	}
	err := input.Run(ctx, []string{path}, input.Options{}, newWork, emit)
	return docs, err
}
