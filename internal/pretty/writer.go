package pretty

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"sync"

	"github.com/smarthook/smarthook/internal/findings"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/render"
	"github.com/smarthook/smarthook/internal/rules"
)

// writer is the pretty command's pipeline: its workers render whole batches into
// pooled buffers, and its emitter writes them in input order with the separators and
// headers between documents, reporting the records it skips.
type writer struct {
	out   *bufio.Writer
	plan  *plan
	rep   *findings.Reporter
	table *render.SummaryTable
	bufs  sync.Pool
	docs  int // documents written so far
}

// batch is one batch's output: the documents' text one after another in buf.
type batch struct {
	buf      *[]byte
	ends     []int               // where each record's text ends in *buf
	problems [][]rules.Finding   // per record, the errors that made it unusable; nil when none
	rows     []render.SummaryRow // per record, in summary mode
	bad      bool                // some record was skipped (problems or a read error)
}

func newWriter(out io.Writer, plan *plan, rep *findings.Reporter) *writer {
	w := &writer{out: bufio.NewWriterSize(out, 256<<10), plan: plan, rep: rep}
	w.bufs.New = func() any { return new([]byte) }
	if plan.mode == Summary {
		w.table = render.NewSummaryTable(w.out, render.DefaultChunk)
	}
	return w
}

// newWork gives each worker its own formatter, decoder and transcriber.
func (w *writer) newWork() func(*input.Batch) batch {
	var dec payload.Decoder
	f := render.NewFormatter(w.plan.json)
	tr := render.NewTranscriber(render.TranscriptOptions{Location: w.plan.loc, Color: w.plan.color})
	return func(b *input.Batch) batch {
		r := batch{buf: w.bufs.Get().(*[]byte), ends: make([]int, len(b.Records))}
		if w.plan.mode == Summary {
			r.rows = make([]render.SummaryRow, len(b.Records))
		}
		buf := (*r.buf)[:0]
		for i, rec := range b.Records {
			switch {
			case rec.Err != nil:
				r.bad = true
			case w.plan.mode == JSON:
				out, err := f.Append(buf, rec.Raw)
				if err != nil {
					r.problem(i, []rules.Finding{syntaxProblem(rec.Raw, err)})
					break
				}
				buf = append(out, '\n')
			default:
				doc, fs := dec.Decode(rec.Raw)
				if errs := rules.Errors(fs); errs != nil {
					r.problem(i, errs)
					break
				}
				if w.plan.mode == Summary {
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
func (r *batch) problem(i int, fs []rules.Finding) {
	if r.problems == nil {
		r.problems = make([][]rules.Finding, len(r.ends))
	}
	r.problems[i] = fs
	r.bad = true
}

// syntaxProblem is the finding of a document the formatter refused.
func syntaxProblem(raw []byte, err error) rules.Finding {
	var se *jsontext.SyntaxError
	if !errors.As(err, &se) {
		return rules.New(rules.Syntax, 0, "", "%v", err)
	}
	body := jsontext.TrimBOM(raw)
	if len(bytes.TrimSpace(body)) == 0 {
		return rules.New(rules.Syntax, 0, "", "empty document")
	}
	skip := len(raw) - len(body)
	return rules.New(rules.Syntax, se.Offset, jsontext.PointerAt(body, se.Offset-skip), "%s", se.Msg)
}

// emit writes a batch's output in order.
func (w *writer) emit(b *input.Batch, r batch) error {
	defer w.release(r.buf)
	buf := *r.buf
	if !r.bad && !w.plan.blank && w.plan.mode == JSON {
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
			w.rep.Check(rec, fs)
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
func (w *writer) release(buf *[]byte) {
	if cap(*buf) <= 64<<20 {
		w.bufs.Put(buf)
	}
}

// document writes one document's text (or summary row) after its separator and header.
func (w *writer) document(o input.Origin, text []byte, rows []render.SummaryRow, i int) error {
	if w.plan.mode == Summary {
		row := rows[i]
		row.Origin = originName(o)
		return w.table.Add(row)
	}
	if w.plan.blank && w.docs > 0 {
		w.out.WriteByte('\n')
	}
	w.docs++
	if w.plan.headers {
		w.out.WriteString(header(o, w.plan.color))
	}
	_, err := w.out.Write(text)
	return err
}

// header is "==> origin <==", as tail heads each file.
func header(o input.Origin, color bool) string {
	h := "==> " + originName(o) + " <=="
	if color {
		h = "\x1b[1m" + h + "\x1b[0m"
	}
	return h + "\n"
}

// finish renders the pending summary rows and flushes the output.
func (w *writer) finish() error {
	if w.table != nil {
		if err := w.table.Flush(); err != nil {
			return err
		}
	}
	return w.out.Flush()
}

// originName names where a document came from: the file (and archive member) alone
// for a .json file, which holds one document, and with its line (and column when not
// 1) for NDJSON and streams, which hold many.
func originName(o input.Origin) string {
	name := o.TextName() // control characters escaped: a name cannot drive the terminal
	if o.WholeFile() && o.Line == 1 && o.Col == 1 {
		return name
	}
	s := name + ":" + strconv.Itoa(o.Line)
	if o.Col != 1 {
		s += ":" + strconv.Itoa(o.Col)
	}
	return s
}
