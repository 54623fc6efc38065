package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/smarthook/smarthook/internal/query"
	"github.com/spf13/cobra"
)

// QueryOptions are the flags and streams of `smarthook query`; the run itself is
// query.Run's.
type QueryOptions struct {
	IO    IO
	Query query.Options

	FromFile          bool // -f: the first positional is the filter's file
	Color             string
	ColorOn, ColorOff bool // -C, -M
	SortKeys          bool // -S: keys are always sorted; accepted for jq users
	Help              bool
}

// NewCmdQuery builds `smarthook query`.
func NewCmdQuery(streams IO) *cobra.Command {
	return newCmdQuery(&QueryOptions{IO: streams})
}

// newCmdQuery builds the command around opts, which tests preset.
func newCmdQuery(opts *QueryOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "query [flags] [FILTER] [PATH|-]...",
		Short: "Run a jq filter over payloads, in parallel, with Smartsupp helpers",
		Long:  queryLong + query.FunctionHelp() + queryExit,
		Example: `  smarthook query -c '.channel.id' hooks/
  smarthook query -r '[.accountId, .visitor.email] | @tsv' chats.ndjson.gz
  smarthook query '.messages[] | select(.type=="visitor") | .content' archive.tar.gz
  smarthook query -r 'select(.channel.isMissed) | "\(chat_key) \(.beginAt | ms_to_iso)"' hooks/
  smarthook query -s 'group_by(.visitor.countryCode) | map({(.[0].visitor.countryCode // "?"): length}) | add' hooks/
  smarthook query -n '[inputs | duration_s] | add / length' chats.ndjson
  smarthook query --arg acc 20571 'select(.accountId == ($acc | tonumber))' chats.ndjson
  smarthook query -L lib 'import "chats" as c; c::missed' hooks/
  smarthook query -e '.channel.rating >= 4' chat.json && echo happy`,
		// jq's command line (--arg with two values, -L=DIR, -cfr, --args) is not
		// pflag's: parseQueryArgs reads it, with the flags declared below.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runQueryCommand(cmd, opts, args)
		},
		ValidArgsFunction: completeQueryArgs,
	}
	q := &opts.Query
	f := cmd.Flags()
	f.BoolVarP(&q.Raw, "raw-output", "r", false, "write strings without quotes")
	f.BoolVarP(&q.Join, "join-output", "j", false, "like -r, with no newline after each output")
	f.BoolVar(&q.Raw0, "raw-output0", false, "like -r, with a NUL after each output")
	f.BoolVarP(&q.Compact, "compact-output", "c", false, "one line per output")
	f.BoolVar(&q.Tab, "tab", false, "indent with tabs")
	f.IntVar(&q.Indent, "indent", 2, "indent by `N` spaces (0-7)")
	f.BoolVar(&q.Seq, "seq", false, "read and write RFC 7464 JSON text sequences (a record separator before each output)")
	f.BoolVarP(&q.RawInput, "raw-input", "R", false, "read each line of the input as a string (all the text as one string with -s)")
	f.BoolVar(&q.Stream, "stream", false, "read the input as [path, leaf] events")
	f.BoolVar(&q.StreamErrors, "stream-errors", false, "like --stream, and broken input yields [error, path] instead of stopping")
	f.BoolVarP(&q.Slurp, "slurp", "s", false, "run the filter once, on the array of all documents")
	f.BoolVarP(&q.NullInput, "null-input", "n", false, "run the filter once, on null (read documents with input/inputs)")
	f.BoolVarP(&q.ExitStatus, "exit-status", "e", false, "exit 1 when the last output is false or null, 4 when there is none")
	f.BoolVarP(&opts.FromFile, "from-file", "f", false, "read the filter from the file named by the first positional")
	f.StringSliceVarP(&q.ModulePaths, "library-path", "L", nil, "search `DIR` for modules (import, include); repeatable")
	f.BoolVarP(&opts.ColorOn, "color-output", "C", false, "colour the output even when it is not a terminal")
	f.BoolVarP(&opts.ColorOff, "monochrome-output", "M", false, "never colour the output")
	enumFlag(cmd, &opts.Color, "color", "", "auto", []string{"auto", "always", "never"}, "colour")
	_ = cmd.RegisterFlagCompletionFunc("library-path", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	f.BoolVarP(&opts.SortKeys, "sort-keys", "S", false, "sort object keys (always done; accepted for jq users)")
	f.BoolVarP(&q.ASCII, "ascii-output", "a", false, "escape every character beyond ASCII as \\uXXXX, as jq")
	f.BoolVar(&q.Unbuffered, "unbuffered", false, "write each output at once, as jq")
	f.BoolVarP(&opts.Help, "help", "h", false, "help for query")
	// Documented here; parseQueryArgs reads their values.
	f.Var(&twoValues{"arg", "name value"}, "arg", "set $name to the string value")
	f.Var(&twoValues{"argjson", "name json"}, "argjson", "set $name to the JSON value")
	f.Var(&twoValues{"slurpfile", "name file"}, "slurpfile", "set $name to the array of the documents in file")
	f.Var(&twoValues{"rawfile", "name file"}, "rawfile", "set $name to the text of file")
	f.Bool("args", false, "later positionals are strings in $ARGS.positional, not paths")
	f.Bool("jsonargs", false, "later positionals are JSON values in $ARGS.positional")
	addInputFlags(f, &q.Input, "query", offerSplitArrays|boundOutput)
	return cmd
}

const queryLong = `Run a jq filter over every document, with the gojq implementation of the jq language,
as a drop-in for jq and gojq: the same flags, output, error messages and exit codes.
Documents come from any input the core reads (files, folders, NDJSON, .gz, tar,
tar.gz and zip archives, stdin), read as jq reads them (several documents on a
line, pretty after compact, several in a .json file). Large inputs are decoded on
every core, and filtered there too (results in input order) unless the filter runs
once over them (-s, -n, input/inputs); -R, --stream and --seq read in order.
Output is formatted exactly as gojq does (keys sorted, 2-space indentation, numbers
as written in the input). With no filter, the filter is "." (pretty-print the input).

Flags as in jq: -r, -j, --raw-output0, -a, -c, --tab, --indent, -s, -n, -e, -R,
--stream, --stream-errors, --seq, --unbuffered, -C/-M (colour only on a terminal by
default; NO_COLOR and TERM=dumb honoured; colours from SMARTHOOK_COLORS or JQ_COLORS
in jq's format, or GOJQ_COLORS in gojq's), --arg, --argjson, --slurpfile, --rawfile,
--args, --jsonargs, -f (the first positional is the filter's file), -L DIR for
modules (import, include; ~/.jq, $ORIGIN/../lib/jq and $ORIGIN/../lib by default).
Short flags combine (-cfr FILE).

$ENV and env, $__loc__, input and inputs, debug, debug(msg), stderr, halt,
halt_error, and input_filename ("<stdin>" for stdin, the path[:member] of a file)
work as in gojq; have_literal_numbers (true) and have_decnum (false) as in jq.

Smartsupp helpers, added to the language:
`

const queryExit = `
Exit status, as jq's and gojq's: 0 on success; 5 when the filter failed on a document,
an input is not JSON or cannot be opened (the run goes on with the next document or
file, as in gojq: the rest of a broken input is not read); 3 when the filter does not
compile; 2 for a bad flag; halt_error exits with its own code (5 by default); with -e,
1 when the last output is false or null and 4 when there was none. A broken gzip
stream, tar or zip member (a problem jq has no code for) exits 1.`

// twoValues stands for a flag that takes two values in the help (its Type is what
// the help shows after the flag); parseQueryArgs reads those flags.
type twoValues struct{ flag, values string }

func (t *twoValues) String() string { return "" }
func (t *twoValues) Type() string   { return t.values }
func (t *twoValues) Set(string) error {
	return fmt.Errorf("write it --%s %s", t.flag, t.values)
}

// completeQueryArgs completes a flag's value, which cobra leaves to the command when
// it parses its own flags (--color TAB, --color=TAB, -L TAB); anything else is a file.
func completeQueryArgs(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var name, prefix string
	if n, value, ok := strings.Cut(toComplete, "="); ok && strings.HasPrefix(n, "--") {
		name, prefix, toComplete = n[2:], n+"=", value
	} else if len(args) > 0 {
		last := args[len(args)-1]
		switch {
		case strings.HasPrefix(last, "--"):
			name = last[2:]
		case len(last) == 2 && last[0] == '-':
			if f := cmd.Flags().ShorthandLookup(last[1:]); f != nil {
				name = f.Name
			}
		}
	}
	complete, ok := cmd.GetFlagCompletionFunc(name)
	if !ok {
		return nil, cobra.ShellCompDirectiveDefault
	}
	values, directive := complete(cmd, args, toComplete)
	for i := range values {
		values[i] = prefix + values[i]
	}
	return values, directive
}

// runQueryCommand reads the command line into options, wires the streams and runs
// the query, mapping its errors to exit codes.
func runQueryCommand(cmd *cobra.Command, opts *QueryOptions, args []string) error {
	q := &opts.Query
	q.Indent = 2
	rest, err := parseQueryArgs(cmd.Flags(), q, args)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if opts.Help {
		return cmd.Help()
	}
	if err := opts.complete(rest); err != nil {
		return err
	}
	return queryExitError(query.Run(cmd.Context(), *q))
}

// complete fills what the flags imply: the filter, the paths, the streams, colour.
func (opts *QueryOptions) complete(rest []string) error {
	q := &opts.Query
	switch {
	case opts.FromFile:
		if len(rest) == 0 {
			return runtimeError(errors.New("expected a query file for flag `-f'"))
		}
		text, err := os.ReadFile(rest[0])
		if err != nil {
			return runtimeError(err)
		}
		q.Filter, q.FilterName, rest = string(text), rest[0], rest[1:]
	case len(rest) == 0:
		q.Filter, q.FilterName = ".", "<arg>"
	default:
		q.Filter, q.FilterName, rest = strings.TrimSpace(rest[0]), "<arg>", rest[1:]
	}
	q.Paths = rest
	if !q.NullInput {
		// jq would wait for the terminal; a forgotten path is the likelier mistake.
		if err := needInput(opts.IO, q.Paths, "query"); err != nil {
			return err
		}
	}
	q.Input = readOptions(q.Input, opts.IO)
	q.Stdout, q.Stderr = opts.IO.Out, opts.IO.Err
	return opts.colors()
}

// colors decides whether to colour and with what: -C/-M, then --color, NO_COLOR and
// TERM=dumb; the palette from SMARTHOOK_COLORS or JQ_COLORS (jq's format) or
// GOJQ_COLORS (gojq's).
func (opts *QueryOptions) colors() error {
	flag := opts.Color
	switch {
	case opts.ColorOff:
		flag = "never"
	case opts.ColorOn:
		flag = "always"
	}
	on, err := colorEnabled(flag, opts.IO.OutTTY, opts.IO.Getenv)
	if err != nil || !on {
		return err
	}
	q := &opts.Query
	q.Color = true
	getenv := opts.IO.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	pal, err := query.PaletteFromEnv(getenv)
	if err != nil {
		return runtimeError(err)
	}
	q.Colors = pal
	return nil
}

// queryExitError maps query's errors to the command's: their exit code, and their
// text unless it has been reported.
func queryExitError(err error) error {
	var ee *query.ExitError
	if errors.As(err, &ee) {
		if ee.Code == 0 {
			return nil
		}
		return &exitError{Code: ee.Code, Err: ee.Err}
	}
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	return runtimeError(err)
}

// runtimeError is a failure jq and gojq exit 5 for (an unreadable filter file, bad
// colours), not a usage error.
func runtimeError(err error) error {
	return &exitError{Code: query.ExitRuntime, Err: err}
}
