package redact

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
	"github.com/smarthook/smarthook/internal/progress"
	"github.com/smarthook/smarthook/internal/rules"
)

// RunOptions are what `smarthook redact` reads and where it writes.
type RunOptions struct {
	Paths    []string      // files, folders, archives, globs, "-" for stdin
	Input    input.Options // how to read them (stdin among others)
	Redactor *Redactor
	OutDir   string        // a copy of each input file under OutDir; "" for NDJSON on Out
	Out      io.Writer     // NDJSON
	Err      io.Writer     // problems, and the progress and closing summary when Progress
	ErrColor bool          // colour problems on Err
	Progress progress.Mode // show progress on Err and end with a summary line
}

// ExpandFields checks field names, turning "default" and "all" into their fields.
func ExpandFields(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		switch n = strings.TrimSpace(n); {
		case n == "default":
			out = append(out, DefaultFields()...)
		case n == "all":
			out = append(out, AllFields()...)
		case Describe(n) != "":
			out = append(out, n)
		default:
			return nil, exit.Usagef("unknown --fields name %q: use default, all or one of %s (see --list-fields)", n, strings.Join(AllFields(), ", "))
		}
	}
	return out, nil
}

// ListFields prints the fields with what each covers.
func ListFields(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, name := range AllFields() {
		mark := map[bool]string{true: "*", false: " "}[IsDefault(name)]
		fmt.Fprintf(bw, "%s %-20s %s\n", mark, name, Describe(name))
	}
	fmt.Fprintln(bw, "\n* in the default set (--fields default); --fields all takes every field")
	return bw.Flush()
}

// outBufPool holds the batches' output buffers.
var outBufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1<<20); return &b }}

// Run writes redacted copies of the documents of opts.Paths. Documents that are not
// JSON are reported on Err and skipped, and end the run with exit.ErrProblems
// (exit.ErrUnreadable for unreadable paths).
func Run(ctx context.Context, opts RunOptions) error {
	var sink sink = &streamSink{w: bufio.NewWriterSize(opts.Out, 256<<10)}
	if opts.OutDir != "" {
		if err := CheckOutDir(opts.OutDir, opts.Paths); err != nil {
			return err
		}
		sink = &dirSink{root: opts.OutDir}
	}
	var meter *progress.Meter
	if opts.Progress.On() {
		meter = progress.Start(opts.Err, opts.Progress, "smarthook redact", progress.InputSize(opts.Paths))
	}
	problems := findings.NewReporter(meter.Writer(opts.Err), opts.ErrColor)
	lines := opts.OutDir == ""
	newWork := func() func(*input.Batch) redactedBatch {
		var dec payload.Decoder
		var scratch []byte
		return func(b *input.Batch) redactedBatch { return redactBatch(opts.Redactor, &dec, &scratch, b, lines) }
	}
	var docs int64
	var counts Counts
	emit := func(b *input.Batch, rb redactedBatch) error {
		defer outBufPool.Put(rb.out)
		meter.Add(len(b.Records), rb.bytes)
		counts.Add(rb.counts)
		start := 0
		for i, rec := range b.Records {
			end := rb.ends[i]
			doc := (*rb.out)[start:end]
			start = end
			if fs, bad := rb.problems[i]; bad || rec.Err != nil {
				problems.Check(rec, fs) // read and syntax errors only: any JSON is redacted
				continue
			}
			if err := sink.write(rec, doc); err != nil {
				return err
			}
			docs++
		}
		return nil
	}
	runErr := input.Run(ctx, opts.Paths, opts.Input, newWork, emit)
	if err := sink.close(runErr == nil); err != nil && runErr == nil {
		runErr = err
	}
	meter.Stop()
	if ds, ok := sink.(*dirSink); ok {
		for _, note := range ds.notes {
			fmt.Fprintln(opts.Err, "smarthook redact: "+note)
		}
	}
	if line := problems.SummaryLine(); line != "" {
		fmt.Fprintln(opts.Err, "smarthook redact: "+line)
	}
	if opts.Progress.On() && runErr == nil {
		progress.Summary(opts.Err, "smarthook redact", progress.Of(docs, "redacted document"), sink.where(),
			problems.Skipped(), "replaced "+counts.String())
	}
	if runErr != nil {
		return runErr
	}
	return problems.Err()
}

// redactedBatch is one batch's output: the documents one after another, where each
// ends, and the syntax errors of those that are not JSON.
type redactedBatch struct {
	out      *[]byte
	ends     []int
	problems map[int][]rules.Finding
	counts   Counts // the values replaced
	bytes    int64  // the size of the batch's documents as read
}

// redactBatch redacts a batch's documents (runs on a worker). A whole .json file is
// written as it was, otherwise each document becomes one line.
func redactBatch(r *Redactor, dec *payload.Decoder, scratch *[]byte, b *input.Batch, lines bool) redactedBatch {
	rb := redactedBatch{out: outBufPool.Get().(*[]byte), ends: make([]int, len(b.Records))}
	out := (*rb.out)[:0]
	for i, rec := range b.Records {
		rb.bytes += progress.ReadSize(rec)
		if rec.Err == nil {
			var err error
			if lines || !rec.Origin.WholeFile() {
				if *scratch, err = r.ApplyCount((*scratch)[:0], rec.Raw, &rb.counts); err == nil {
					out = append(jsontext.AppendCompact(out, jsontext.TrimBOM(*scratch)), '\n')
				}
			} else {
				out, err = r.ApplyCount(out, rec.Raw, &rb.counts)
			}
			if err != nil {
				if rb.problems == nil {
					rb.problems = make(map[int][]rules.Finding)
				}
				// Only a document that is not JSON fails: the decoder says where.
				_, fs := dec.Decode(rec.Raw)
				if rb.problems[i] = rules.Errors(fs); len(rb.problems[i]) == 0 {
					rb.problems[i] = []rules.Finding{rules.New(rules.Syntax, 0, "", "%v", err)}
				}
			}
		}
		rb.ends[i] = len(out)
	}
	*rb.out = out
	return rb
}
