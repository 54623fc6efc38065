package cli

import (
	"context"
	"io"
	"os"
	"runtime/debug"
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
	Null        string
	ColumnsFrom string
	DDL         string
	Compression string
	PartitionBy string
	Progress    bool
}

// NewCmdConvert builds `smarthook convert`. runF, when not nil, gets the parsed
// options instead of running the command (for tests of the flags).
func NewCmdConvert(streams IO, runF func(*ConvertOptions) error) *cobra.Command {
	opts := &ConvertOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "convert --to " + strings.Join(convert.FormatNames(), "|") + " [flags] [PATH|-]...",
		Short: "Turn payloads into CSV, TSV, NDJSON, Parquet or SQLite for spreadsheets, databases and BI",
		Long: `Convert payloads into one table: a row per chat (default), per message, per page,
per visitor variable, per REST webhook event or per stats-report domain. Per-element rows
carry their chat's accountId and channel.id (and index) so they join back.

Columns have dotted names (channel.isMissed, visitor.email); --list-columns shows each
row kind's columns and which are in its default set. Times are RFC 3339 in UTC by default
(--time, --tz). Null and absent values are empty cells (--null), an empty string is a
quoted "" in CSV (PostgreSQL's convention), booleans true/false, numbers as stored. CSV
follows RFC 4180 quoting; TSV escapes tab, newline, CR and backslash. --columns-from
pins the columns to a header line (or a previous CSV) so daily exports share one table.

--to parquet writes typed columns (ids int64, times TIMESTAMP(MILLIS, UTC), flags
boolean, the rating int32, text UTF-8, null kept apart from ""), named in snake_case
(channel.id is chat_id); --partition-by day|month|account writes a Hive-style folder
(-o DIR, or -o s3://bucket/prefix/ as objects), whose files all appear at the end of a
run that succeeds and none otherwise.

--to sqlite -o FILE (or a FILE.db before the inputs) upserts every row kind into its
table (chats, messages, paths, variables, events, webhook-messages, contacts,
domains), keyed by account_id, chat_id (and index): a key given again keeps its last
row. A new database appears whole when the run succeeds (its chat tables are written
straight in SQLite's file format, sorted rows spilled to temporary files beside it);
an existing one is upserted through SQLite, a transaction per ~50,000 rows.

--ddl prints the CREATE TABLE (a JSON schema for BigQuery) of the columns --to csv
writes with the same options.

Documents of another kind than the rows (e.g. webhooks in a chats run) are counted and
left out, and the run says so; broken documents are reported on stderr with their
origin and skipped, the rest is converted, and the exit status is 1.`,
		Example: `  smarthook convert --to csv hooks/ > chats.csv
  smarthook convert --to csv --rows messages archive.tar.gz -o messages.csv
  smarthook convert --to tsv --columns accountId,channel.id,visitor.email hooks/
  smarthook convert --to csv --all-columns --excel-safe --bom hooks/ -o for-excel.csv
  smarthook convert --to parquet --rows messages archive.tar.gz -o messages.parquet
  smarthook convert --to parquet --partition-by day hooks/ -o lake/chats
  smarthook convert --to sqlite hooks/ -o smartsupp.db
  smarthook convert --ddl postgres --rows messages
  smarthook convert --list-columns --rows messages`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if runF != nil {
				return runF(opts)
			}
			return runConvert(cmd.Context(), cmd, opts)
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
	f.StringVar(&opts.Null, "null", "", "CSV/TSV: write null and absent values as this text (an empty cell by default)")
	f.StringVar(&opts.ColumnsFrom, "columns-from", "", "take the columns from FILE's first line (a header line or a previous CSV)")
	enumFlag(cmd, &opts.DDL, "ddl", "", "", convert.DDLDialects, "print the CREATE TABLE of the columns --to csv writes (BigQuery: a JSON schema) and exit")
	enumFlag(cmd, &opts.Compression, "compression", "", "zstd", convert.Compressions, "Parquet compression")
	enumFlag(cmd, &opts.PartitionBy, "partition-by", "", "", convert.PartitionKeys, "Parquet: write a Hive-style folder, one sub-folder per value (needs -o DIR or -o s3://bucket/prefix/)")
	progressFlag(cmd, &opts.Progress)
	enumFlag(cmd, &opts.Report, "report", "", "text", []string{"text", "json"},
		"closing summary (text: on stderr; json: one object that smarthook report merge adds up, on stdout with -o, else on stderr)")
	_ = cmd.RegisterFlagCompletionFunc("columns", completeColumns)
	addInputFlags(cmd.Flags(), &opts.Input, "convert", readElements)
	return cmd
}

// format reads the flags that say how rows are written.
func (o *ConvertOptions) format() (convert.Format, error) {
	f := convert.Format{To: o.To, Time: o.Time, ExcelSafe: o.ExcelSafe, Null: o.Null}
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

// sqliteMemoryLimit is the soft memory limit of a conversion to SQLite.
const sqliteMemoryLimit = 160 << 20

func runConvert(ctx context.Context, cmd *cobra.Command, opts *ConvertOptions) error {
	if opts.ListColumns {
		return convert.ListColumns(opts.IO.Out, opts.Rows)
	}
	f, err := opts.format()
	if err != nil {
		return err
	}
	if err := checkFormatFlags(cmd, opts); err != nil {
		return err
	}
	if opts.ColumnsFrom != "" {
		if len(opts.Columns) > 0 {
			return usageErrorf("--columns and --columns-from both name the columns: give one")
		}
		if opts.Columns, err = convert.ColumnsFrom(opts.ColumnsFrom, f.Delimiter); err != nil {
			return usageErrorf("%v", err)
		}
	}
	if err := checkDest(opts); err != nil {
		return err
	}
	ddlOnly := opts.DDL != "" && !(opts.AllColumns && len(opts.Columns) == 0)
	if !ddlOnly {
		if err := needInput(opts.IO, opts.Paths, "convert"); err != nil {
			return err
		}
	}
	opts.Input = readOptions(opts.Input, opts.IO)
	if f.To == "sqlite" && getenv(opts.IO, "GOMEMLIMIT") == "" {
		// A new database holds about 100 MB of sorted rows and the batches in flight;
		// without a soft limit the collector lets the heap grow to twice that between
		// collections. Near the limit it collects sooner instead, which costs little
		// here (most of the heap is a few large buffers without pointers).
		debug.SetMemoryLimit(sqliteMemoryLimit)
	}
	var rep io.Writer
	if opts.Report == "json" {
		rep = opts.IO.Err
		if opts.Output != "" && opts.Output != "-" {
			rep = opts.IO.Out
		}
	}
	var out convert.Output = &fileOutput{name: opts.Output, force: opts.Force, inputs: opts.Paths, stdout: opts.IO.Out}
	if opts.DDL != "" {
		out = convert.Writer(opts.IO.Out)
	} else if opts.To == "sqlite" || opts.PartitionBy != "" {
		out = nil // they write their own files
	} else if objstore.Is(opts.Output) {
		out = &s3Output{ctx: ctx, name: opts.Output, force: opts.Force, endpoint: opts.Input.S3Endpoint}
	}
	return convert.Run(ctx, convert.Options{
		Report: rep,
		Paths:  opts.Paths, Input: opts.Input,
		Rows: opts.Rows, Columns: opts.Columns, AllColumns: opts.AllColumns,
		Format: f, NoHeader: opts.NoHeader, BOM: opts.BOM, DDL: opts.DDL,
		Output: out, OutputName: opts.Output, Dest: opts.Output, Force: opts.Force,
		PartitionBy: opts.PartitionBy, Compression: opts.Compression,
		Progress: showProgress(opts.IO, opts.Progress),
		Err:      opts.IO.Err, ErrColor: stderrColor(opts.IO),
	})
}

// checkDest checks where the typed formats write: Parquet not on a terminal, a SQLite
// database or Parquet folder never an input. A FILE.db first among the arguments of
// --to sqlite is the database, as sqlite3 takes it.
func checkDest(opts *ConvertOptions) error {
	if opts.To == "parquet" && opts.PartitionBy == "" && (opts.Output == "" || opts.Output == "-") && opts.IO.OutTTY {
		return usageErrorf("--to parquet writes binary data: name the file with -o FILE, or pipe it")
	}
	if opts.To == "sqlite" && opts.Output == "" && len(opts.Paths) > 0 && isDatabaseName(opts.Paths[0]) {
		opts.Output, opts.Paths = opts.Paths[0], opts.Paths[1:]
	}
	if opts.To == "sqlite" && objstore.Is(opts.Output) {
		return usageErrorf("--to sqlite writes a database file on this machine: -o %s names object storage (copy the file there afterwards)", opts.Output)
	}
	if info, err := os.Stat(opts.Output); err == nil && (opts.To == "sqlite" || opts.PartitionBy != "") && readsFile(opts.Paths, info) {
		return usageErrorf("-o %s is also an input: refusing to write into it", opts.Output)
	}
	return nil
}

// isDatabaseName reports a name that is a SQLite database, never an input of convert.
func isDatabaseName(name string) bool {
	for _, ext := range []string{".db", ".sqlite", ".sqlite3"} {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return true
		}
	}
	return false
}

// checkFormatFlags refuses a format-specific flag given with a format that does not
// take it (--bom with --to parquet, --delimiter with --to tsv), and the flags that
// only make sense without --ddl or with one output.
func checkFormatFlags(cmd *cobra.Command, opts *ConvertOptions) error {
	out, err := convert.LookupFormat(opts.To)
	if err != nil {
		return usageErrorf("%v", err)
	}
	for _, name := range convert.FormatFlags {
		if cmd.Flags().Changed(name) && !out.Accepts(name) {
			return usageErrorf("--%s does not apply to --to %s (only to %s)", name, opts.To, strings.Join(convert.Takers(name), ", "))
		}
	}
	if opts.To == "sqlite" {
		for _, name := range []string{"rows", "columns", "columns-from", "all-columns"} {
			if cmd.Flags().Changed(name) {
				return usageErrorf("--%s does not apply to --to sqlite: it writes every row kind, every column", name)
			}
		}
	}
	if opts.DDL != "" && cmd.Flags().Changed("output") {
		return usageErrorf("--ddl prints the table on stdout: leave out -o")
	}
	return nil
}
