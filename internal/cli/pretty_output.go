package cli

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/render"
	"github.com/smarthook/smarthook/internal/rules"
)

// prettyWriter is the pretty command's pipeline: its workers render whole batches into
// pooled buffers, and its emitter writes them in input order with the separators and
// headers between documents, reporting the records it skips.
type prettyWriter struct {
	out   *bufio.Writer
	plan  *prettyPlan
	rep   *problemReporter
	table *render.SummaryTable
	bufs  sync.Pool
	docs  int // documents written so far
}

// prettyBatch is one batch's output: the documents' text one after another in buf.
type prettyBatch struct {
	buf      *[]byte
	ends     []int               // where each record's text ends in *buf
	problems [][]rules.Finding   // per record, the errors that made it unusable; nil when none
	rows     []render.SummaryRow // per record, in summary mode
	bad      bool                // some record was skipped (problems or a read error)
}

func newPrettyWriter(out io.Writer, plan *prettyPlan, rep *problemReporter) *prettyWriter {
	w := &prettyWriter{out: bufio.NewWriterSize(out, 256<<10), plan: plan, rep: rep}
	w.bufs.New = func() any { return new([]byte) }
	if plan.mode == prettySummary {
		w.table = render.NewSummaryTable(w.out, render.DefaultChunk)
	}
	return w
}

// newWork gives each worker its own formatter, decoder and transcriber.
func (w *prettyWriter) newWork() func(*input.Batch) prettyBatch {
	var dec payload.Decoder
	f := render.NewFormatter(w.plan.json)
	tr := render.NewTranscriber(render.TranscriptOptions{Location: w.plan.loc, Color: w.plan.color})
	return func(b *input.Batch) prettyBatch {
		r := prettyBatch{buf: w.bufs.Get().(*[]byte), ends: make([]int, len(b.Records))}
		if w.plan.mode == prettySummary {
			r.rows = make([]render.SummaryRow, len(b.Records))
		}
		buf := (*r.buf)[:0]
		for i, rec := range b.Records {
			switch {
			case rec.Err != nil:
				r.bad = true
			case w.plan.mode == prettyJSON:
				out, err := f.Append(buf, rec.Raw)
				if err != nil {
					r.problem(i, []rules.Finding{prettySyntaxProblem(rec.Raw, err)})
					break
				}
				buf = append(out, '\n')
			default:
				doc, fs := dec.Decode(rec.Raw)
				if errs := prettyErrors(fs); errs != nil {
					r.problem(i, errs)
					break
				}
				if w.plan.mode == prettySummary {
					r.rows[i] = render.Summarize(doc, w.plan.loc)
				} else {
					buf = tr.Append(buf, doc)
				}
			}
			r.ends[i] = len(buf)
		}
		*r.buf = buf
		return r
	}
}

// problem records the errors that make record i unusable.
func (r *prettyBatch) problem(i int, fs []rules.Finding) {
	if r.problems == nil {
		r.problems = make([][]rules.Finding, len(r.ends))
	}
	r.problems[i] = fs
	r.bad = true
}

// prettyErrors copies the error findings (the decoder reuses its slice), nil when none.
func prettyErrors(fs []rules.Finding) []rules.Finding {
	var errs []rules.Finding
	for _, f := range fs {
		if f.Severity == rules.Error {
			errs = append(errs, f)
		}
	}
	return errs
}

var prettyBOM = []byte{0xEF, 0xBB, 0xBF}

// prettySyntaxProblem is the finding of a document the formatter refused.
func prettySyntaxProblem(raw []byte, err error) rules.Finding {
	var se *jsontext.SyntaxError
	if !errors.As(err, &se) {
		return rules.New(rules.Syntax, 0, "", "%v", err)
	}
	body := bytes.TrimPrefix(raw, prettyBOM)
	if len(bytes.TrimSpace(body)) == 0 {
		return rules.New(rules.Syntax, 0, "", "empty document")
	}
	skip := len(raw) - len(body)
	return rules.New(rules.Syntax, se.Offset, jsontext.PointerAt(body, se.Offset-skip), "%s", se.Msg)
}

// emit writes a batch's output in order.
func (w *prettyWriter) emit(b *input.Batch, r prettyBatch) error {
	defer w.release(r.buf)
	buf := *r.buf
	if !r.bad && !w.plan.blank && w.plan.mode == prettyJSON {
		// Compact output of a clean batch: the buffer is the output.
		w.docs += len(b.Records)
		_, err := w.out.Write(buf)
		return err
	}
	start := 0
	for i, rec := range b.Records {
		text := buf[start:r.ends[i]]
		start = r.ends[i]
		if rec.Err != nil || (r.problems != nil && r.problems[i] != nil) {
			// Flush first, so that on a terminal the report follows what came before it.
			if err := w.out.Flush(); err != nil {
				return err
			}
			var fs []rules.Finding
			if r.problems != nil {
				fs = r.problems[i]
			}
			w.rep.check(rec, fs)
			continue
		}
		if err := w.document(rec.Origin, text, r.rows, i); err != nil {
			return err
		}
	}
	return nil
}

// release gives a batch's buffer back for reuse, unless one huge document made it too
// big to keep alive.
func (w *prettyWriter) release(buf *[]byte) {
	if cap(*buf) <= 64<<20 {
		w.bufs.Put(buf)
	}
}

// document writes one document's text (or summary row) after its separator and header.
func (w *prettyWriter) document(o input.Origin, text []byte, rows []render.SummaryRow, i int) error {
	if w.plan.mode == prettySummary {
		row := rows[i]
		row.Origin = prettyOrigin(o)
		return w.table.Add(row)
	}
	if w.plan.blank && w.docs > 0 {
		w.out.WriteByte('\n')
	}
	w.docs++
	if w.plan.headers {
		w.out.WriteString(prettyHeader(o, w.plan.color))
	}
	_, err := w.out.Write(text)
	return err
}

// prettyHeader is "==> origin <==", as tail heads each file.
func prettyHeader(o input.Origin, color bool) string {
	h := "==> " + prettyOrigin(o) + " <=="
	if color {
		h = "\x1b[1m" + h + "\x1b[0m"
	}
	return h + "\n"
}

// finish renders the pending summary rows and flushes the output.
func (w *prettyWriter) finish() error {
	if w.table != nil {
		if err := w.table.Flush(); err != nil {
			return err
		}
	}
	return w.out.Flush()
}

// prettyOrigin names where a document came from: the file (and archive member) alone
// for a .json file, which holds one document, and with its line (and column when not
// 1) for NDJSON and streams, which hold many.
func prettyOrigin(o input.Origin) string {
	name := o.TextName() // control characters escaped: a name cannot drive the terminal
	lower := strings.ToLower(name)
	single := strings.HasSuffix(lower, ".json") || strings.HasSuffix(lower, ".json.gz")
	if single && o.Line == 1 && o.Col == 1 {
		return name
	}
	s := name + ":" + strconv.Itoa(o.Line)
	if o.Col != 1 {
		s += ":" + strconv.Itoa(o.Col)
	}
	return s
}
