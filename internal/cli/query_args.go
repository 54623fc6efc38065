package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/query"
	"github.com/spf13/pflag"
)

// parseQueryArgs reads jq's command line as gojq does, with the flags declared on fs:
// long flags (--indent 3, --indent=3), clusters of short ones (-cr, -rL DIR, -Ldir,
// -L=dir), --arg and its kin with two values (the first of a name wins),
// --args/--jsonargs (later positionals, after the filter, go to $ARGS.positional), and
// "--" ending the flags. An argument starting with '-' but not with a flag letter
// (-1, -.a) is a positional. It returns the positionals: the filter (unless -f), then
// the paths.
func parseQueryArgs(fs *pflag.FlagSet, q *query.Options, args []string) (rest []string, err error) {
	var positional *bool // set by --args (false) or --jsonargs (true)
	names := map[string]bool{}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			for _, a := range args[i+1:] {
				rest = addPositional(q, rest, a, positional)
			}
			return rest, nil
		case strings.HasPrefix(arg, "--"):
			name, value, hasValue := strings.Cut(arg[2:], "=")
			f := fs.Lookup(name)
			if f == nil {
				return nil, fmt.Errorf("unknown flag `%s'", arg)
			}
			if hasValue && isBoolFlag(f) {
				return nil, fmt.Errorf("boolean flag `--%s' cannot have an argument", name)
			}
			if i, err = setFlag(q, f, "--"+name, value, hasValue, args, i, names, &positional); err != nil {
				return nil, err
			}
		case isShortCluster(fs, arg):
			if i, err = setShortFlags(q, fs, arg[1:], args, i, names, &positional); err != nil {
				return nil, err
			}
		default:
			rest = addPositional(q, rest, arg, positional)
		}
	}
	return rest, nil
}

// addPositional puts a positional after the filter into $ARGS.positional once --args
// or --jsonargs was given, and otherwise among the filter and paths.
func addPositional(q *query.Options, rest []string, arg string, positional *bool) []string {
	if positional != nil && len(rest) > 0 {
		q.Positional = append(q.Positional, query.Positional{Text: arg, JSON: *positional})
		return rest
	}
	return append(rest, arg)
}

// isShortCluster reports an argument like -r, -cr or -Ldir: a dash and flag letters
// (an unknown letter is reported as an unknown flag); -1 and -.a are no flags.
func isShortCluster(fs *pflag.FlagSet, arg string) bool {
	if len(arg) < 2 || arg[0] != '-' {
		return false
	}
	for j := 1; j < len(arg); j++ {
		c := arg[j]
		if f := fs.ShorthandLookup(arg[j : j+1]); f != nil {
			if !isBoolFlag(f) {
				return true // the rest is its value
			}
			continue
		}
		if !isLetter(c) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isBoolFlag(f *pflag.Flag) bool { return f.Value.Type() == "bool" }

// setShortFlags sets each flag of a cluster; a flag taking a value takes the rest of
// the cluster (after an optional '='), or the next argument.
func setShortFlags(q *query.Options, fs *pflag.FlagSet, cluster string, args []string, i int, names map[string]bool, positional **bool) (int, error) {
	for j := 0; j < len(cluster); j++ {
		f := fs.ShorthandLookup(cluster[j : j+1])
		if f == nil {
			return i, fmt.Errorf("unknown flag `%s'", cluster[j:j+1])
		}
		value, hasValue := "", false
		if !isBoolFlag(f) && j+1 < len(cluster) {
			value, hasValue = strings.TrimPrefix(cluster[j+1:], "="), true
			j = len(cluster)
		}
		var err error
		if i, err = setFlag(q, f, "-"+f.Shorthand, value, hasValue, args, i, names, positional); err != nil {
			return i, err
		}
	}
	return i, nil
}

// setFlag sets one flag, taking its value from the arguments after i when it was not
// attached; it returns the index of the last argument used.
func setFlag(q *query.Options, f *pflag.Flag, shown, value string, hasValue bool, args []string, i int, names map[string]bool, positional **bool) (int, error) {
	if _, ok := f.Value.(*twoValues); ok {
		if i+2 >= len(args) {
			return i, fmt.Errorf("expected 2 arguments for flag `%s'", shown)
		}
		if name := args[i+1]; !names[name] {
			names[name] = true
			q.Named = append(q.Named, query.NamedArg{Flag: f.Name, Name: name, Value: args[i+2]})
		}
		return i + 2, nil
	}
	switch f.Name {
	case "args", "jsonargs":
		json := f.Name == "jsonargs"
		*positional = &json
		return i, nil
	}
	if isBoolFlag(f) {
		return i, f.Value.Set("true")
	}
	if !hasValue {
		if i+1 >= len(args) {
			return i, fmt.Errorf("expected argument for flag `%s'", shown)
		}
		i++
		value = args[i]
	}
	if f.Value.Type() == "int" {
		if _, err := strconv.Atoi(value); err != nil {
			return i, fmt.Errorf("invalid argument for flag `%s': %w", shown, err)
		}
	}
	if f.Value.Type() == "stringSlice" {
		// One directory a flag, commas and all.
		sv := f.Value.(pflag.SliceValue)
		return i, sv.Replace(append(sv.GetSlice(), value))
	}
	return i, f.Value.Set(value)
}
