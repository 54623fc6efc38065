package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/render"
	"github.com/spf13/cobra"
)

// PrettyOptions are the flags and streams of `smarthook pretty`.
type PrettyOptions struct {
	IO         IO
	Paths      []string
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

// NewCmdPretty builds `smarthook pretty`.
func NewCmdPretty(streams IO) *cobra.Command {
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
			return runPretty(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Indent, "indent", 2, "spaces per level, 0 to 7 (0 is the same as --compact)")
	f.BoolVar(&opts.Tab, "tab", false, "indent with one tab per level")
	f.BoolVarP(&opts.Compact, "compact", "c", false, "one document per line without spaces (NDJSON), no headers")
	f.BoolVarP(&opts.SortKeys, "sort-keys", "S", false, "sort the members of objects by key, recursively")
	f.StringVar(&opts.Color, "color", "auto", "colour: auto, always or never")
	f.BoolVar(&opts.Transcript, "transcript", false, "show each chat as a transcript (webhooks and stats reports in views of their own)")
	f.BoolVar(&opts.Summary, "summary", false, "show one table row per document")
	f.StringVar(&opts.TZ, "tz", "local", `time zone of --transcript and --summary times: an IANA name, "UTC" or "local"`)
	f.BoolVar(&opts.NoHeaders, "no-headers", false, `do not head documents with "==> origin <==" when reading several inputs`)
	f.StringVar(&opts.Paging, "paging", "auto", "page output to a terminal through $PAGER: auto or never")
	addInputFlags(f, &opts.IO.Input, "pretty", offerSplitArrays|boundOutput)
	prettyCompleteWords(cmd, "color", "auto", "always", "never")
	prettyCompleteWords(cmd, "paging", "auto", "never")
	prettyCompleteWords(cmd, "tz", "local", "UTC")
	cmd.MarkFlagsMutuallyExclusive("transcript", "summary")
	cmd.MarkFlagsMutuallyExclusive("tab", "indent")
	for _, jsonFlag := range []string{"compact", "indent", "tab", "sort-keys"} {
		cmd.MarkFlagsMutuallyExclusive(jsonFlag, "transcript")
		cmd.MarkFlagsMutuallyExclusive(jsonFlag, "summary")
	}
	cmd.MarkFlagsMutuallyExclusive("compact", "indent")
	cmd.MarkFlagsMutuallyExclusive("compact", "tab")
	return cmd
}

// prettyCompleteWords offers words as the shell completions of a flag's value.
func prettyCompleteWords(cmd *cobra.Command, flag string, words ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp))
}

// prettyKind is what the command prints.
type prettyKind uint8

const (
	prettyJSON prettyKind = iota
	prettyTranscript
	prettySummary
)

// prettyPlan is what runPretty decided from the options, before reading anything.
type prettyPlan struct {
	mode    prettyKind
	json    render.Options
	loc     *time.Location
	color   bool
	headers bool // head each document with its origin
	blank   bool // a blank line between documents
}

func runPretty(ctx context.Context, opts *PrettyOptions) error {
	// /dev/null is a character device too, but no terminal: no pager, no colours there.
	plan, err := planPretty(opts)
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
	rep := newProblemReporter(opts.IO)
	w := newPrettyWriter(out, plan, rep)
	runErr := input.Run(ctx, opts.Paths, opts.IO.readOptions(), w.newWork, w.emit)
	if err := w.finish(); err != nil && runErr == nil {
		runErr = err
	}
	if err := closeOut(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil && !pagerQuit(runErr) {
		return runErr
	}
	if line := rep.summaryLine(); line != "" {
		fmt.Fprintln(opts.IO.Err, "smarthook: "+line)
	}
	return rep.err()
}

// planPretty checks the options and decides the layout.
func planPretty(opts *PrettyOptions) (*prettyPlan, error) {
	if opts.Indent < 0 || opts.Indent > 7 {
		return nil, usageErrorf("--indent %d is out of range: use 0 to 7", opts.Indent)
	}
	switch opts.Paging {
	case "auto", "never":
	default:
		return nil, usageErrorf("unknown --paging %q: use auto or never", opts.Paging)
	}
	color, err := colorEnabled(opts.Color, opts.IO.OutTTY, opts.IO.Getenv)
	if err != nil {
		return nil, err
	}
	loc, err := loadLocation(opts.TZ)
	if err != nil {
		return nil, err
	}
	p := &prettyPlan{loc: loc, color: color}
	switch {
	case opts.Summary:
		p.mode = prettySummary
	case opts.Transcript:
		p.mode = prettyTranscript
	}
	p.json = render.Options{Indent: strings.Repeat(" ", opts.Indent), Compact: opts.Compact || opts.Indent == 0, SortKeys: opts.SortKeys}
	if opts.Tab {
		p.json.Indent, p.json.Compact = "\t", false
	}
	if color && p.mode == prettyJSON {
		p.json.Colors = prettyColors(opts.IO)
	}
	compact := p.mode == prettyJSON && p.json.Compact
	p.blank = p.mode != prettySummary && !compact
	p.headers = p.blank && !opts.NoHeaders && prettySeveralInputs(opts.Paths)
	return p, nil
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

// prettySeveralInputs reports whether the paths name more than one file: several paths, a
// directory, an archive or a glob matching several files.
func prettySeveralInputs(paths []string) bool {
	if len(paths) != 1 {
		return len(paths) > 1
	}
	p := paths[0]
	if p == "-" {
		return false
	}
	info, err := os.Stat(p)
	if err != nil {
		matches, _ := filepath.Glob(p)
		return len(matches) > 1
	}
	if info.IsDir() {
		return true
	}
	lower := strings.ToLower(p)
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".zip"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}
