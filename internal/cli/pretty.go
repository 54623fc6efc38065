package cli

import (
	"context"
	"fmt"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/pretty"
	"github.com/smarthook/smarthook/internal/render"
	"github.com/spf13/cobra"
)

// PrettyOptions are the flags and streams of `smarthook pretty`.
type PrettyOptions struct {
	IO         IO
	Paths      []string
	Input      input.Options // how to read Paths; Stdin is set from IO at run time
	Indent     int
	Tab        bool
	Compact    bool
	SortKeys   bool
	Color      string
	Transcript bool
	Summary    bool
	TZ         string
	NoHeaders  bool
	Paging     string
}

// NewCmdPretty builds `smarthook pretty`. runF, when not nil, gets the parsed options
// instead of running the command (for tests of the flags).
func NewCmdPretty(streams IO, runF func(*PrettyOptions) error) *cobra.Command {
	opts := &PrettyOptions{IO: streams}
	cmd := &cobra.Command{
		Use:     "pretty [flags] [PATH|-]...",
		Aliases: []string{"pretty-print"},
		Short:   "Pretty-print payloads as JSON, chat transcripts or a summary table",
		Long: `Print each document indented and coloured, keeping its key order, its number
literals and its strings exactly as stored (escapes such as \u00e9 or \/ are kept as
written, not decoded), or as a chat transcript (--transcript), or as one row of a
table per document (--summary). Any JSON is accepted for plain pretty-printing.

PATH may be a .json file (one document), a .ndjson/.jsonl file (one per line), a
directory (searched for those and their .gz), a .gz, a .tar, .tar.gz/.tgz or .zip
archive, a glob, or - for stdin (NDJSON or concatenated documents). With several
inputs each document is headed by "==> origin <==" (not with -c or --no-headers).

Colours: on a terminal by default (--color), never when NO_COLOR is set or
TERM=dumb. SMARTHOOK_COLORS sets the JSON colours in jq's JQ_COLORS format, eight
SGR codes for null:false:true:numbers:strings:arrays:objects:object keys, by default
"` + render.DefaultColors.Spec() + `".

Output to a terminal goes through $PAGER (default "less -FRX") unless --paging never.

Broken documents are reported on stderr with their origin and skipped. Exit status:
0 when every document was printed, 1 when some were skipped, 2 for usage errors and
unreadable paths.`,
		Example: `  smarthook pretty chat.json
  smarthook pretty -c --sort-keys hooks/ > hooks.ndjson
  smarthook pretty --transcript --tz Europe/Prague chat.json
  smarthook pretty --summary --tz UTC archive.tar.gz
  SMARTHOOK_COLORS="0;90:0;31:0;32:0;36:0;33:1;39:1;39:1;34" smarthook pretty chat.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if runF != nil {
				return runF(opts)
			}
			return runPretty(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Indent, "indent", 2, "spaces per level, 0 to 7 (0 is the same as --compact)")
	f.BoolVar(&opts.Tab, "tab", false, "indent with one tab per level")
	f.BoolVarP(&opts.Compact, "compact", "c", false, "one document per line without spaces (NDJSON), no headers")
	f.BoolVarP(&opts.SortKeys, "sort-keys", "S", false, "sort the members of objects by key, recursively")
	colorFlag(cmd, &opts.Color)
	f.BoolVar(&opts.Transcript, "transcript", false, "show each chat as a transcript (webhooks and stats reports in views of their own)")
	f.BoolVar(&opts.Summary, "summary", false, "show one table row per document")
	tzFlag(cmd, &opts.TZ, "local", "time zone of --transcript and --summary times")
	f.BoolVar(&opts.NoHeaders, "no-headers", false, `do not head documents with "==> origin <==" when reading several inputs`)
	enumFlag(cmd, &opts.Paging, "paging", "", "auto", []string{"auto", "never"}, "page output to a terminal through $PAGER")
	cmd.MarkFlagsMutuallyExclusive("transcript", "summary")
	cmd.MarkFlagsMutuallyExclusive("tab", "indent")
	for _, jsonFlag := range []string{"compact", "indent", "tab", "sort-keys"} {
		cmd.MarkFlagsMutuallyExclusive(jsonFlag, "transcript")
		cmd.MarkFlagsMutuallyExclusive(jsonFlag, "summary")
	}
	cmd.MarkFlagsMutuallyExclusive("compact", "indent")
	cmd.MarkFlagsMutuallyExclusive("compact", "tab")
	addInputFlags(cmd.Flags(), &opts.Input, "pretty", offerSplitArrays|boundOutput)
	return cmd
}

func runPretty(ctx context.Context, opts *PrettyOptions) error {
	popts, err := opts.prettyOptions()
	if err != nil {
		return err
	}
	if err := needInput(opts.IO, opts.Paths, "pretty"); err != nil {
		return err
	}
	out, closeOut, err := openPager(opts.IO, opts.Paging)
	if err != nil {
		return err
	}
	popts.Out = out
	runErr := pretty.Run(ctx, popts)
	if err := closeOut(); err != nil && runErr == nil {
		runErr = err
	}
	return runErr
}

// prettyOptions turns the flags into the options of pretty.Run.
func (opts *PrettyOptions) prettyOptions() (pretty.Options, error) {
	color, err := colorEnabled(opts.Color, opts.IO.OutTTY, opts.IO.Getenv)
	if err != nil {
		return pretty.Options{}, err
	}
	loc, err := loadLocation(opts.TZ)
	if err != nil {
		return pretty.Options{}, err
	}
	opts.Input = readOptions(opts.Input, opts.IO)
	p := pretty.Options{
		Paths: opts.Paths, Input: opts.Input,
		Indent: opts.Indent, Tab: opts.Tab, Compact: opts.Compact, SortKeys: opts.SortKeys,
		Location: loc, Color: color, NoHeaders: opts.NoHeaders,
		Err: opts.IO.Err, ErrColor: stderrColor(opts.IO), ReaderGone: pagerQuit,
	}
	switch {
	case opts.Summary:
		p.Mode = pretty.Summary
	case opts.Transcript:
		p.Mode = pretty.Transcript
	}
	if color && p.Mode == pretty.JSON {
		p.Colors = prettyColors(opts.IO)
	}
	return p, p.Check()
}

// prettyColors reads SMARTHOOK_COLORS, warning about a malformed value.
func prettyColors(streams IO) *render.Colors {
	spec := ""
	if streams.Getenv != nil {
		spec = streams.Getenv(render.ColorsEnv)
	}
	c, err := render.ParseColors(spec)
	if err != nil {
		fmt.Fprintf(streams.Err, "smarthook: warning: ignoring %s: %v; using the default colours\n", render.ColorsEnv, err)
	}
	return &c
}
