package cli

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/convert"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/objstore"
	"github.com/smarthook/smarthook/internal/timezone"
	"github.com/spf13/cobra"
)

// ConvertOptions are the flags and streams of `smarthook convert`.
type ConvertOptions struct {
	IO          IO
	Paths       []string
	Input       input.Options // how to read Paths; Stdin is set from IO at run time
	To          string
	Rows        string
	Columns     []string
	AllColumns  bool
	ListColumns bool
	Report      string // text or json (--report)
	Time        string
	TZ          string
	NoHeader    bool
	Delimiter   string
	BOM         bool
	ExcelSafe   bool
	Output      string
	Force       bool
}

// NewCmdConvert builds `smarthook convert`. runF, when not nil, gets the parsed
// options instead of running the command (for tests of the flags).
func NewCmdConvert(streams IO, runF func(*ConvertOptions) error) *cobra.Command {
	opts := &ConvertOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "convert --to " + strings.Join(convert.FormatNames(), "|") + " [flags] [PATH|-]...",
		Short: "Turn payloads into CSV, TSV or NDJSON rows for spreadsheets, databases and BI",
		Long: `Convert payloads into one table: a row per chat (default), per message, per page,
per visitor variable, per REST webhook event or per stats-report domain. Per-element rows
carry their chat's accountId and channel.id (and index) so they join back.

Columns have dotted names (channel.isMissed, visitor.email); --list-columns shows each
row kind's columns and which are in its default set. Times are RFC 3339 in UTC by default
(--time, --tz). Null and absent values are empty cells, booleans true/false, numbers as
stored. CSV follows RFC 4180 quoting; TSV escapes tab, newline, CR and backslash.

Documents of another kind than the rows (e.g. webhooks in a chats run) are counted and
left out, and the run says so; broken documents are reported on stderr with their
origin and skipped, the rest is converted, and the exit status is 1.`,
		Example: `  smarthook convert --to csv hooks/ > chats.csv
  smarthook convert --to csv --rows messages archive.tar.gz -o messages.csv
  smarthook convert --to tsv --columns accountId,channel.id,visitor.email hooks/
  smarthook convert --to csv --all-columns --excel-safe --bom hooks/ -o for-excel.csv
  smarthook convert --list-columns --rows messages`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if runF != nil {
				return runF(opts)
			}
			return runConvert(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	enumFlag(cmd, &opts.To, "to", "", "csv", convert.FormatNames(), "output format")
	enumFlag(cmd, &opts.Rows, "rows", "", "chats", convert.RowKindNames(), "what a row is")
	f.StringSliceVar(&opts.Columns, "columns", nil, "columns to write, in this order (comma-separated)")
	f.BoolVar(&opts.AllColumns, "all-columns", false, "write every column, visitor variables included (reads the input twice)")
	f.BoolVar(&opts.ListColumns, "list-columns", false, "list the columns of --rows and exit")
	enumFlag(cmd, &opts.Time, "time", "", "rfc3339", convert.TimeFormats, "timestamps as RFC 3339, ms (as stored) or unix (seconds)")
	tzFlag(cmd, &opts.TZ, "UTC", "time zone for rfc3339 times")
	f.BoolVar(&opts.NoHeader, "no-header", false, "do not write the header line")
	f.StringVar(&opts.Delimiter, "delimiter", ",", "CSV field separator (one character; \\t for tab)")
	f.BoolVar(&opts.BOM, "bom", false, "start the output with a UTF-8 byte-order mark (for Excel)")
	f.BoolVar(&opts.ExcelSafe, "excel-safe", false, "prefix text cells starting with = + - @ tab or CR with ' so spreadsheets do not run them")
	f.StringVarP(&opts.Output, "output", "o", "", "write to FILE (through a temporary file renamed at the end) or s3://bucket/key (a multipart upload that appears whole) instead of stdout")
	f.BoolVar(&opts.Force, "force", false, "with -o, replace FILE if it exists")
	enumFlag(cmd, &opts.Report, "report", "", "text", []string{"text", "json"},
		"closing summary (text: on stderr; json: one object that `smarthook report merge` adds up, on stdout with -o, else on stderr)")
	_ = cmd.RegisterFlagCompletionFunc("columns", completeColumns)
	addInputFlags(cmd.Flags(), &opts.Input, "convert", readElements)
	return cmd
}

// format reads the flags that say how rows are written.
func (o *ConvertOptions) format() (convert.Format, error) {
	f := convert.Format{To: o.To, Time: o.Time, ExcelSafe: o.ExcelSafe}
	switch d := o.Delimiter; {
	case d == `\t` || d == "tab":
		f.Delimiter = '\t'
	case len(d) == 1:
		f.Delimiter = d[0]
	default:
		return f, usageErrorf("--delimiter must be one character, got %q", d)
	}
	loc, err := loadLocation(o.TZ)
	if err != nil {
		return f, err
	}
	f.TZ = loc
	if err := f.Check(); err != nil {
		return f, usageErrorf("%v", err)
	}
	return f, nil
}

// loadLocation reads a --tz value (convert, pretty, listen) in the one grammar of
// package timezone; a bad value is a usage error.
func loadLocation(name string) (*time.Location, error) {
	loc, err := timezone.Parse(name)
	if err != nil {
		// Worded as every refused flag value is.
		return nil, usageErrorf("unknown --tz %q: use %s", name, timezone.Help)
	}
	return loc, nil
}

func runConvert(ctx context.Context, opts *ConvertOptions) error {
	if opts.ListColumns {
		return convert.ListColumns(opts.IO.Out, opts.Rows)
	}
	f, err := opts.format()
	if err != nil {
		return err
	}
	if err := needInput(opts.IO, opts.Paths, "convert"); err != nil {
		return err
	}
	opts.Input = readOptions(opts.Input, opts.IO)
	var rep io.Writer
	if opts.Report == "json" {
		rep = opts.IO.Err
		if opts.Output != "" && opts.Output != "-" {
			rep = opts.IO.Out
		}
	}
	var out convert.Output = &fileOutput{name: opts.Output, force: opts.Force, inputs: opts.Paths, stdout: opts.IO.Out}
	if objstore.Is(opts.Output) {
		out = &s3Output{ctx: ctx, name: opts.Output, force: opts.Force, endpoint: opts.Input.S3Endpoint}
	}
	return convert.Run(ctx, convert.Options{
		Report: rep,
		Paths:  opts.Paths, Input: opts.Input,
		Rows: opts.Rows, Columns: opts.Columns, AllColumns: opts.AllColumns,
		Format: f, NoHeader: opts.NoHeader, BOM: opts.BOM,
		Output: out,
		Err:    opts.IO.Err, ErrColor: stderrColor(opts.IO),
	})
}
