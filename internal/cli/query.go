package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/smarthook/smarthook/internal/query"
	"github.com/spf13/cobra"
)

// QueryOptions are the flags and streams of `smarthook query`.
type QueryOptions struct {
	IO         IO
	Filter     string // the filter's text (from the command line or -f)
	FilterFile string // -f: the file the filter is read from
	Paths      []string
	Named      []namedArg      // --arg, --argjson, --slurpfile, --rawfile, in order
	Positional []positionalArg // --args / --jsonargs values
	Environ    func() []string // for $ENV and env; nil means os.Environ

	Raw, Join, Raw0   bool // -r, -j, -0
	Compact, Tab      bool // -c, --tab
	Indent            int  // --indent (0-9); 2 by default
	Slurp, NullInput  bool // -s, -n
	ExitStatus        bool // -e
	Color             string
	ColorOn, ColorOff bool // -C, -M
	SortKeys          bool // -S: keys are always sorted; accepted for jq users

	fullDecode bool // decode whole documents even when the filter reads fewer members (tests)
}

// NewCmdQuery builds `smarthook query`.
func NewCmdQuery(streams IO) *cobra.Command {
	return newCmdQuery(&QueryOptions{IO: streams, Indent: 2})
}

// newCmdQuery builds the command around opts, which tests preset.
func newCmdQuery(opts *QueryOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "query [flags] FILTER [PATH|-]...",
		Short: "Run a jq filter over payloads, in parallel, with Smartsupp helpers",
		Long:  queryLong + query.FunctionHelp() + queryExit,
		Example: `  smarthook query -c '.channel.id' hooks/
  smarthook query -r '[.accountId, .visitor.email] | @tsv' chats.ndjson.gz
  smarthook query '.messages[] | select(.type=="visitor") | .content' archive.tar.gz
  smarthook query -r 'select(.channel.isMissed) | "\(chat_key) \(.beginAt | ms_to_iso)"' hooks/
  smarthook query -s 'group_by(.visitor.countryCode) | map({(.[0].visitor.countryCode // "?"): length}) | add' hooks/
  smarthook query -n '[inputs | duration_s] | add / length' chats.ndjson
  smarthook query --arg acc 20571 'select(.accountId == ($acc | tonumber))' chats.ndjson
  smarthook query -e '.channel.rating >= 4' chat.json && echo happy`,
		// jq's --arg takes two values, which pflag cannot parse: the flags are split
		// by splitQueryArgs first, then parsed by pflag (see runQueryCommand).
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runQueryCommand(cmd, opts, args)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&opts.Raw, "raw-output", "r", false, "write strings without quotes")
	f.BoolVarP(&opts.Join, "join-output", "j", false, "like -r, with no newline after each output")
	f.BoolVarP(&opts.Raw0, "raw-output0", "0", false, "like -r, with a NUL after each output")
	f.BoolVarP(&opts.Compact, "compact-output", "c", false, "one line per output")
	f.BoolVar(&opts.Tab, "tab", false, "indent with tabs")
	f.IntVar(&opts.Indent, "indent", 2, "indent by `N` spaces (0-9)")
	f.BoolVarP(&opts.Slurp, "slurp", "s", false, "run the filter once, on the array of all documents")
	f.BoolVarP(&opts.NullInput, "null-input", "n", false, "run the filter once, on null (read documents with input/inputs)")
	f.BoolVarP(&opts.ExitStatus, "exit-status", "e", false, "exit 1 when the last output is false or null, or there is none")
	addInputFlags(f, &opts.IO.Input, "query", offerSplitArrays|boundOutput)
	f.StringVarP(&opts.FilterFile, "from-file", "f", "", "read the filter from `FILE`; every positional is then a path")
	f.BoolVarP(&opts.ColorOn, "color-output", "C", false, "colour the output even when it is not a terminal")
	f.BoolVarP(&opts.ColorOff, "monochrome-output", "M", false, "never colour the output")
	f.StringVar(&opts.Color, "color", "auto", "colour: auto, always or never")
	f.BoolVarP(&opts.SortKeys, "sort-keys", "S", false, "sort object keys (always done; accepted for jq users)")
	// Documented here; splitQueryArgs takes them off the command line before pflag.
	f.Var(&twoValues{"arg", "name value"}, "arg", "set $name to the string value")
	f.Var(&twoValues{"argjson", "name json"}, "argjson", "set $name to the JSON value")
	f.Var(&twoValues{"slurpfile", "name file"}, "slurpfile", "set $name to the array of the documents in file")
	f.Var(&twoValues{"rawfile", "name file"}, "rawfile", "set $name to the text of file")
	f.Bool("args", false, "later positionals are strings in $ARGS.positional, not paths")
	f.Bool("jsonargs", false, "later positionals are JSON values in $ARGS.positional")
	return cmd
}

const queryLong = `Run a jq filter over every document, with the gojq implementation of the jq language.
Documents come from any input the core reads (files, folders, NDJSON, .gz, tar,
tar.gz and zip archives, stdin), are decoded and filtered on every core, and the
results are written in input order, formatted exactly as gojq does (keys sorted,
2-space indentation, numbers as written in the input).

A document that is not JSON is reported on stderr as path[:member]:line:col and
skipped; so is a filter error on one document (like "cannot index string"). The run
goes on, and exits 1 at the end.

The flags jq users type work as in jq: -r, -j, -0, -c, -s, -n, -e, --tab, --indent,
-C/-M (colour only on a terminal by default; NO_COLOR and TERM=dumb honoured),
--arg, --argjson, --slurpfile, --rawfile, --args, --jsonargs, -f FILE. The first
positional is the filter (unless -f is given), the others are paths, or the values
of $ARGS.positional after --args/--jsonargs.

$ENV and env, $__loc__, input and inputs (documents are then read in order), halt,
halt_error (exit 5, or the code given), and input_filename (the document's
path[:member]; null for stdin) work as in jq. The output matches gojq's; jq 1.6
differs in places (number formatting, error texts).

Smartsupp helpers, added to the language:
`

const queryExit = `
Exit status: 0 on success; 1 when a document could not be read as JSON, the filter
failed on a document, or -e saw a last output of false or null (or none); 2 for
usage errors, filters that do not compile and paths that cannot be opened; halt_error
exits with its own code (5 by default).`

// twoValues stands for a flag that takes two values in the help (its Type is what
// the help shows after the flag); splitQueryArgs reads those flags, so pflag only
// sees one written like --arg=x, which is an error.
type twoValues struct{ flag, values string }

func (t *twoValues) String() string { return "" }
func (t *twoValues) Type() string   { return t.values }
func (t *twoValues) Set(string) error {
	return fmt.Errorf("write it --%s %s", t.flag, t.values)
}

// runQueryCommand parses the command line (flag parsing is left to us, see
// NewCmdQuery) and runs the query.
func runQueryCommand(cmd *cobra.Command, opts *QueryOptions, args []string) error {
	fs := cmd.Flags()
	flags, named, pos, err := splitQueryArgs(fs, args)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if err := fs.Parse(flags); err != nil {
		return usageErrorf("%v", err)
	}
	if help, _ := fs.GetBool("help"); help {
		return cmd.Help()
	}
	opts.Named = named
	if opts.FilterFile != "" {
		text, err := os.ReadFile(opts.FilterFile)
		if err != nil {
			return usageErrorf("read the filter: %v", err)
		}
		opts.Filter = string(text)
	} else {
		if len(pos) == 0 {
			return usageErrorf("no filter given: try smarthook query . FILE (see smarthook query --help)")
		}
		opts.Filter, pos = pos[0].text, pos[1:]
	}
	for _, p := range pos {
		if p.kind == positionalPath {
			opts.Paths = append(opts.Paths, p.text)
		} else {
			opts.Positional = append(opts.Positional, p)
		}
	}
	return runQuery(cmd.Context(), opts)
}

// runQuery compiles the filter and runs it in the mode it needs: once on null (-n),
// once on all documents (-s), over documents fed in order (input/inputs), or on
// every document in parallel.
func runQuery(ctx context.Context, opts *QueryOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	r, err := newQueryRun(ctx, opts)
	if err != nil {
		return err
	}
	if !opts.NullInput || r.filter.UsesInput {
		if err := needInput(opts.IO, opts.Paths, "query"); err != nil {
			return err
		}
	}
	var runErr error
	switch {
	case opts.NullInput && !r.filter.UsesInput:
		runErr = r.runNull(ctx)
	case opts.Slurp || r.filter.UsesInput:
		runErr = r.runInOrder(ctx)
	default:
		runErr = r.runParallel(ctx)
	}
	if err := r.out.Flush(); err != nil && runErr == nil {
		runErr = err
	}
	return r.result(runErr)
}

// newQueryOutput is the buffered standard output of a run.
func newQueryOutput(streams IO) *bufio.Writer {
	return bufio.NewWriterSize(streams.Out, 64<<10)
}
