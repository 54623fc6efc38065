package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/smarthook/smarthook/internal/convert"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
	"github.com/smarthook/smarthook/internal/timezone"
	"github.com/spf13/cobra"
)

// ConvertOptions are the flags and streams of `smarthook convert`.
type ConvertOptions struct {
	IO          IO
	Paths       []string
	To          string
	Rows        string
	Columns     []string
	AllColumns  bool
	ListColumns bool
	Time        string
	TZ          string
	NoHeader    bool
	Delimiter   string
	BOM         bool
	ExcelSafe   bool
	Output      string
	Force       bool
}

// NewCmdConvert builds `smarthook convert`.
func NewCmdConvert(streams IO) *cobra.Command {
	opts := &ConvertOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "convert --to csv|tsv|ndjson [flags] [PATH|-]...",
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
			return runConvert(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.To, "to", "csv", "output format: csv, tsv or ndjson")
	f.StringVar(&opts.Rows, "rows", "chats", "what a row is: "+strings.Join(convert.RowKindNames(), ", "))
	f.StringSliceVar(&opts.Columns, "columns", nil, "columns to write, in this order (comma-separated)")
	f.BoolVar(&opts.AllColumns, "all-columns", false, "write every column, visitor variables included (reads the input twice)")
	f.BoolVar(&opts.ListColumns, "list-columns", false, "list the columns of --rows and exit")
	addInputFlags(f, &opts.IO.Input, "convert", readElements)
	f.StringVar(&opts.Time, "time", "rfc3339", "timestamps as rfc3339, ms (as stored) or unix (seconds)")
	f.StringVar(&opts.TZ, "tz", "UTC", "time zone for rfc3339 times: UTC, Local or an IANA name like Europe/Prague")
	f.BoolVar(&opts.NoHeader, "no-header", false, "do not write the header line")
	f.StringVar(&opts.Delimiter, "delimiter", ",", "CSV field separator (one character; \\t for tab)")
	f.BoolVar(&opts.BOM, "bom", false, "start the output with a UTF-8 byte-order mark (for Excel)")
	f.BoolVar(&opts.ExcelSafe, "excel-safe", false, "prefix text cells starting with = + - @ tab or CR with ' so spreadsheets do not run them")
	f.StringVarP(&opts.Output, "output", "o", "", "write to FILE (through a temporary file renamed at the end) instead of stdout")
	f.BoolVar(&opts.Force, "force", false, "with -o, replace FILE if it exists")
	return cmd
}

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
	f.WholeDocs = o.To == "ndjson" && o.Rows == "chats" && len(o.Columns) == 0 && !o.AllColumns
	if err := f.Check(); err != nil {
		return f, &exitError{Code: ExitUsage, Err: err}
	}
	return f, nil
}

// loadLocation reads a --tz value (convert, pretty, listen) in the one grammar of
// package timezone; a bad value is a usage error.
func loadLocation(name string) (*time.Location, error) {
	loc, err := timezone.Parse(name)
	if err != nil {
		return nil, usageErrorf("--tz: %v", err)
	}
	return loc, nil
}

// converted is one batch's output.
type converted struct {
	out      *[]byte
	problems map[int][]rules.Finding // record index → error findings
	kinds    [4]int                  // documents of each kind, whether converted or not
	rows     int
}

var outBufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1<<20); return &b }}

func runConvert(ctx context.Context, opts *ConvertOptions) error {
	rk, err := convert.LookupRowKind(opts.Rows)
	if err != nil {
		return &exitError{Code: ExitUsage, Err: err}
	}
	if opts.ListColumns {
		return listColumns(opts.IO.Out, rk)
	}
	f, err := opts.format()
	if err != nil {
		return err
	}
	if err := needInput(opts.IO, opts.Paths, "convert"); err != nil {
		return err
	}
	var varKeys []string
	if opts.AllColumns && rk.Name == "chats" {
		spool, err := input.SpoolStdin(opts.Paths, opts.IO.In, "")
		if err != nil {
			return err
		}
		defer spool.Close()
		if varKeys, err = collectVariableKeys(ctx, opts.Paths, spool.Stdin(opts.IO.In)); err != nil {
			return err
		}
		opts.IO.In = spool.Stdin(opts.IO.In)
	}
	cols, err := rk.Select(opts.Columns, opts.AllColumns, varKeys)
	if err != nil {
		return &exitError{Code: ExitUsage, Err: err}
	}
	out, err := openOutput(opts.Output, opts.Force, opts.Paths, opts.IO.Out)
	if err != nil {
		return err
	}
	stats, runErr := writeRows(ctx, opts, rk, cols, f, out.w)
	if err := out.finish(runErr == nil); err != nil && runErr == nil {
		runErr = err
	}
	stats.report(opts.IO.Err, rk)
	if runErr != nil {
		return runErr
	}
	return stats.problems.err()
}

// convertStats is what a convert run did.
type convertStats struct {
	problems *problemReporter
	kinds    [4]int
	rows     int
}

func writeRows(ctx context.Context, opts *ConvertOptions, rk *convert.RowKind, cols []convert.Column, f convert.Format, w io.Writer) (*convertStats, error) {
	stats := &convertStats{problems: newProblemReporter(opts.IO)}
	bw := bufio.NewWriterSize(w, 256<<10)
	var head []byte
	if opts.BOM {
		head = append(head, 0xEF, 0xBB, 0xBF)
	}
	if !opts.NoHeader {
		head = convert.NewEncoder(cols, f).AppendHeader(head)
	}
	if _, err := bw.Write(head); err != nil {
		return stats, err
	}
	newWork := func() func(*input.Batch) converted {
		var dec payload.Decoder
		enc := convert.NewEncoder(cols, f)
		var row convert.Row
		return func(b *input.Batch) converted { return convertBatch(&dec, enc, &row, rk, b) }
	}
	emit := func(b *input.Batch, c converted) error {
		for i, rec := range b.Records {
			if fs, bad := c.problems[i]; bad || rec.Err != nil {
				stats.problems.check(rec, fs)
			}
		}
		for k, n := range c.kinds {
			stats.kinds[k] += n
		}
		stats.rows += c.rows
		_, err := bw.Write(*c.out)
		*c.out = (*c.out)[:0]
		outBufPool.Put(c.out)
		return err
	}
	err := input.Run(ctx, opts.Paths, opts.IO.readOptions(), newWork, emit)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return stats, err
}

// convertBatch turns a batch's documents into rows (runs on a worker).
func convertBatch(dec *payload.Decoder, enc *convert.Encoder, row *convert.Row, rk *convert.RowKind, b *input.Batch) converted {
	c := converted{out: outBufPool.Get().(*[]byte)}
	out := (*c.out)[:0]
	for i, rec := range b.Records {
		if rec.Err != nil {
			continue
		}
		doc, fs := dec.Decode(rec.Raw)
		if errs := errorFindings(fs); len(errs) > 0 {
			if c.problems == nil {
				c.problems = make(map[int][]rules.Finding)
			}
			c.problems[i] = errs
			continue
		}
		c.kinds[doc.Kind]++
		var n int
		out, n = enc.AppendRows(out, rk, row, doc)
		c.rows += n
	}
	*c.out = out
	return c
}

// errorFindings copies the error-severity findings (the decoder reuses its slice).
func errorFindings(fs []rules.Finding) []rules.Finding {
	var errs []rules.Finding
	for _, f := range fs {
		if f.Severity == rules.Error {
			errs = append(errs, f)
		}
	}
	return errs
}

// report says on stderr what the run did with documents of other kinds.
func (s *convertStats) report(w io.Writer, rk *convert.RowKind) {
	var other []string
	for _, k := range payload.Kinds {
		if k == rk.Doc || k == payload.KindUnknown || s.kinds[k] == 0 {
			continue
		}
		hint := ""
		if r := convert.RowsFor(k); r != nil {
			hint = fmt.Sprintf(" (--rows %s converts them)", r.Name)
		}
		other = append(other, fmt.Sprintf("%d %s%s", s.kinds[k], kindLabel[k], hint))
	}
	if len(other) > 0 {
		fmt.Fprintf(w, "smarthook convert: wrote %s from %d %s; left out %s\n",
			plural(s.rows, "row"), s.kinds[rk.Doc], kindLabel[rk.Doc], strings.Join(other, ", "))
	}
	if line := s.problems.summaryLine(); line != "" {
		fmt.Fprintln(w, "smarthook convert: "+line)
	}
}

func listColumns(w io.Writer, rk *convert.RowKind) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "--rows %s: %s\n\n", rk.Name, rk.Summary)
	for _, c := range rk.Columns {
		mark := " "
		if c.Default {
			mark = "*"
		}
		doc := c.Doc
		if c.Time {
			doc = strings.TrimSpace(doc + " (time: --time, --tz)")
		}
		fmt.Fprintln(bw, strings.TrimRight(fmt.Sprintf("%s %-24s %s", mark, c.Name, doc), " "))
	}
	fmt.Fprintln(bw, "\n* in the default set")
	if rk.Name == "chats" {
		fmt.Fprintln(bw, "visitor.variables.<key>.value and .label: a visitor variable (all of them with --all-columns)")
	}
	return bw.Flush()
}

// plural writes n and a noun, with an s when n is not 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
