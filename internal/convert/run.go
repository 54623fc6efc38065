package convert

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/findings"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/plural"
	"github.com/smarthook/smarthook/internal/progress"
	"github.com/smarthook/smarthook/internal/report"
	"github.com/smarthook/smarthook/internal/rules"
)

// Options are what a conversion run reads and how it writes.
type Options struct {
	Paths       []string      // files, folders, archives, globs, "-" for stdin
	Input       input.Options // how to read them (stdin among others)
	Rows        string        // a row kind's name
	Columns     []string      // the columns, in order; nil for the defaults
	AllColumns  bool          // every column, the visitor variables found in the input too
	Format      Format        // the output format; Run checks it
	NoHeader    bool          // leave out the header line
	BOM         bool          // start with a UTF-8 byte-order mark
	DDL         string        // print the CREATE TABLE (DDLDialects) of the columns instead of rows
	Output      Output        // where the rows go (text formats and a single Parquet file)
	OutputName  string        // the output's name for the summary ("" for stdout)
	Dest        string        // typed formats: -o, the file or folder
	Force       bool          // typed formats: replace existing files
	PartitionBy string        // Parquet: day, month or account
	Compression string        // Parquet: zstd, snappy, gzip or none
	Progress    progress.Mode // show progress on Err and end with a summary line
	Err         io.Writer     // problems and the closing summary
	ErrColor    bool          // colour problems on Err
	Report      io.Writer     // when set, gets the closing summary as one JSON object instead of the text on Err
}

// Output is where a run writes: opened once the run is ready to write, finished with
// whether the run succeeded (a file is kept only then).
type Output interface {
	Open() (io.Writer, error)
	Finish(ok bool) error
}

// Writer is an Output that is just a writer, such as stdout.
func Writer(w io.Writer) Output { return writerOutput{w} }

type writerOutput struct{ w io.Writer }

func (o writerOutput) Open() (io.Writer, error) { return o.w, nil }
func (o writerOutput) Finish(bool) error        { return nil }

// Run converts the documents of opts.Paths. Bad options are usage errors; documents
// that cannot be converted are reported on Err and end the run with exit.ErrProblems
// (exit.ErrUnreadable for unreadable paths).
func Run(ctx context.Context, opts Options) error {
	rk, err := LookupRowKind(opts.Rows)
	if err != nil {
		return exit.UsageError(err)
	}
	f := opts.Format
	f.WholeDocs = f.To == "ndjson" && rk.Name == "chats" && len(opts.Columns) == 0 && !opts.AllColumns
	if err := f.Check(); err != nil {
		return exit.UsageError(err)
	}
	in := opts.Input
	var varKeys []string
	if opts.AllColumns && rk.Name == "chats" && len(opts.Columns) == 0 {
		// The variables' columns are known only once the whole input is read: read it
		// twice, stdin from a spool.
		spool, err := input.SpoolStdin(opts.Paths, in.Stdin, "")
		if err != nil {
			return err
		}
		defer spool.Close()
		in.Stdin = spool.Stdin(opts.Input.Stdin)
		first := in
		first.Notices = nil // the notes about the reading are said once, by the second pass
		if varKeys, err = collectVariableKeys(ctx, opts.Paths, first); err != nil {
			return err
		}
		in.Stdin = spool.Stdin(opts.Input.Stdin)
	}
	cols, err := rk.Select(opts.Columns, opts.AllColumns, varKeys)
	if err != nil {
		return exit.UsageError(err)
	}
	if opts.DDL != "" {
		return writeDDL(opts.Output, opts.DDL, rk, cols, f)
	}
	st := &stats{}
	if opts.Progress.On() {
		st.meter = progress.Start(opts.Err, opts.Progress, "smarthook convert", progress.InputSize(opts.Paths))
	}
	st.problems = findings.NewReporter(st.meter.Writer(opts.Err), opts.ErrColor)
	where, runErr := write(ctx, opts, in, rk, cols, f, st)
	st.meter.Stop()
	if opts.Report != nil {
		// One JSON object that `smarthook report merge` adds up across shards.
		if err := report.Write(opts.Report, st.json(rk, in.Shard)); err != nil && runErr == nil {
			runErr = err
		}
	} else {
		st.report(opts.Err, rk, f.out.AllKinds)
		if opts.Progress.On() && runErr == nil {
			st.summary(opts.Err, where)
		}
	}
	if runErr != nil {
		return runErr
	}
	return st.problems.Err()
}

// write converts through the format's sink or encoding and says where it wrote.
func write(ctx context.Context, opts Options, in input.Options, rk *RowKind, cols []Column, f Format, st *stats) (string, error) {
	if f.out.Open != nil {
		sink, err := f.out.Open(SinkConfig{Kind: rk, Columns: cols, Format: f, Output: opts.Output, Dest: opts.Dest,
			Force: opts.Force, PartitionBy: opts.PartitionBy, Compression: opts.Compression,
			Ctx: ctx, S3Endpoint: in.S3Endpoint})
		if err != nil {
			return "", err
		}
		runErr := writeTyped(ctx, opts, in, sink, st)
		if err := sink.Close(runErr == nil); err != nil && runErr == nil {
			runErr = err
		}
		return sink.Where(), runErr
	}
	w, err := opts.Output.Open()
	if err != nil {
		return "", err
	}
	runErr := writeRows(ctx, opts, in, rk, cols, f, st, w)
	if err := opts.Output.Finish(runErr == nil); err != nil && runErr == nil {
		runErr = err
	}
	where := opts.OutputName
	if where == "" {
		where = "stdout"
	}
	return where, runErr
}

// maxKinds bounds the row kinds, for the per-kind row counts.
const maxKinds = 8

// converted is one batch's output.
type converted struct {
	out      *[]byte                 // text formats: the rows
	batch    any                     // typed formats: the sink worker's batch
	problems map[int][]rules.Finding // record index → error findings
	kinds    [4]int                  // documents of each kind, whether converted or not
	rowsBy   [maxKinds]int           // rows written, by row kind (index in RowKinds)
	bytes    int64                   // bytes of the batch's documents
}

// outBufPool holds the batches' output buffers.
var outBufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1<<20); return &b }}

// stats is what a run did.
type stats struct {
	problems *findings.Reporter
	meter    *progress.Meter
	kinds    [4]int
	rowsBy   [maxKinds]int
}

// writeRows writes the BOM, the header, the rows and the close of the format to w.
func writeRows(ctx context.Context, opts Options, in input.Options, rk *RowKind, cols []Column, f Format, st *stats, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var head []byte
	if opts.BOM {
		head = append(head, jsontext.BOM...)
	}
	enc := NewEncoder(cols, f)
	if !opts.NoHeader {
		head = enc.AppendHeader(head)
	}
	if _, err := bw.Write(head); err != nil {
		return err
	}
	ki := kindIndex(rk)
	newWork := func() func(*input.Batch) converted {
		var dec payload.Decoder
		enc := NewEncoder(cols, f)
		var row Row
		return func(b *input.Batch) converted { return convertBatch(&dec, enc, &row, rk, ki, b) }
	}
	emit := func(b *input.Batch, c converted) error {
		st.add(b, &c)
		_, err := bw.Write(*c.out)
		*c.out = (*c.out)[:0]
		outBufPool.Put(c.out)
		return err
	}
	err := input.Run(ctx, opts.Paths, in, newWork, emit)
	if err == nil {
		_, err = bw.Write(enc.AppendClose(nil))
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

// convertBatch turns a batch's documents into rows of kind rk, index ki in RowKinds
// (runs on a worker).
func convertBatch(dec *payload.Decoder, enc *Encoder, row *Row, rk *RowKind, ki int, b *input.Batch) converted {
	out := outBufPool.Get().(*[]byte)
	buf := (*out)[:0]
	c := convertEach(dec, row, b, func(r *Row, c *converted) {
		var n int
		buf, n = enc.AppendRows(buf, rk, r, r.Doc)
		c.rowsBy[ki] += n
	})
	*out = buf
	c.out = out
	return c
}

// kindCount writes n documents of kind k, in the singular for one: "1 stats report".
func kindCount(n int, k payload.Kind) string {
	return plural.Of(n, strings.TrimSuffix(findings.KindLabel[k], "s"))
}

// report says on w what the run did with documents of other kinds (unless the format
// takes every kind) and how many were skipped.
func (s *stats) report(w io.Writer, rk *RowKind, allKinds bool) {
	var other []string
	for _, k := range payload.Kinds {
		if k == rk.Doc || k == payload.KindUnknown || s.kinds[k] == 0 || allKinds {
			continue
		}
		hint := ""
		if r := RowsFor(k); r != nil {
			hint = fmt.Sprintf(" (--rows %s converts them)", r.Name)
		}
		other = append(other, kindCount(s.kinds[k], k)+hint)
	}
	if len(other) > 0 {
		fmt.Fprintf(w, "smarthook convert: wrote %s from %s; left out %s\n",
			plural.Of(s.rowsBy[kindIndex(rk)], "row"), kindCount(s.kinds[rk.Doc], rk.Doc), strings.Join(other, ", "))
	}
	if line := s.problems.SummaryLine(); line != "" {
		fmt.Fprintln(w, "smarthook convert: "+line)
	}
}

// summary writes the closing line: the rows written of each kind, the documents
// skipped, the output.
func (s *stats) summary(w io.Writer, where string) {
	var parts []string
	for i, rk := range RowKinds {
		if n := s.rowsBy[i]; n > 0 {
			parts = append(parts, progress.Count(int64(n))+" "+rk.Name)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no rows")
	} else {
		parts[len(parts)-1] += " rows"
	}
	progress.Summary(w, "smarthook convert", strings.Join(parts, ", "), where, s.problems.Skipped())
}

// collectVariableKeys reads the input once for the union of visitor variable keys, in
// order of first appearance.
func collectVariableKeys(ctx context.Context, paths []string, in input.Options) ([]string, error) {
	var keys []string
	seen := map[string]bool{}
	newWork := func() func(*input.Batch) []string {
		var dec payload.Decoder
		return func(b *input.Batch) []string {
			var local []string
			localSeen := map[string]bool{}
			for _, rec := range b.Records {
				if rec.Err != nil {
					continue
				}
				// Broken documents are skipped by the conversion: their keys are not wanted.
				if doc, fs := dec.Decode(rec.Raw); doc.Kind == payload.KindHook && len(rules.Errors(fs)) == 0 {
					local = VariableKeys(local, localSeen, doc)
				}
			}
			return local
		}
	}
	emit := func(_ *input.Batch, local []string) error {
		for _, k := range local {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		return nil
	}
	err := input.Run(ctx, paths, in, newWork, emit)
	return keys, err
}

// ListColumns prints the columns of the row kind named rows.
func ListColumns(w io.Writer, rows string) error {
	rk, err := LookupRowKind(rows)
	if err != nil {
		return exit.UsageError(err)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "--rows %s: %s\n\n", rk.Name, rk.Summary)
	for _, c := range rk.Columns {
		mark := " "
		if c.Default {
			mark = "*"
		} else if c.Extra {
			mark = "+"
		}
		doc := c.Doc
		if c.Time {
			doc = strings.TrimSpace(doc + " (time: --time, --tz)")
		}
		fmt.Fprintln(bw, strings.TrimRight(fmt.Sprintf("%s %-24s %s", mark, c.Name, doc), " "))
	}
	fmt.Fprintln(bw, "\n* in the default set; + only when named (--columns), not in --all-columns")
	if rk.Name == "chats" {
		fmt.Fprintln(bw, "visitor.variables.<key>.value and .label: a visitor variable (all of them with --all-columns)")
	}
	return bw.Flush()
}
