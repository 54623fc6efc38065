package query

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"sync"

	"github.com/itchyny/gojq"
	"github.com/smarthook/smarthook/internal/input"
)

// smallInput is the size below which inputs are read in order, as jq reads them; larger
// ones are decoded and filtered on every core when the filter allows it. A variable
// so that tests can send small inputs down the parallel path.
var smallInput = 1 << 20

// parallel reports whether the run can filter documents on every core: each document
// on its own, with no input mode of jq's that needs the text in order, and inputs
// large enough to gain from it. It may read the head of stdin to know.
func (r *run) parallel(ctx context.Context) bool {
	o := &r.opts
	if o.RawInput || o.Stream || o.StreamErrors || o.Seq || o.Slurp || o.NullInput || r.filter.UsesInput {
		return false
	}
	if len(o.Paths) == 0 {
		return r.stdinIsLarge()
	}
	total := int64(0)
	for _, p := range o.Paths {
		if p == "-" {
			return false
		}
		if isContainer(p) {
			return true
		}
		if info, err := os.Stat(p); err == nil {
			total += info.Size()
		}
	}
	return total > int64(smallInput)
}

// stdinIsLarge reads the head of stdin and puts it back in front of the rest.
func (r *run) stdinIsLarge() bool {
	head := make([]byte, smallInput+1)
	n, err := io.ReadFull(r.opts.Input.Stdin, head)
	rest := r.opts.Input.Stdin
	if err != nil {
		rest = eofReader{err}
	}
	r.opts.Input.Stdin = io.MultiReader(bytes.NewReader(head[:n]), rest)
	return n > smallInput
}

// eofReader ends a stream with the error its reading ended with.
type eofReader struct{ err error }

func (e eofReader) Read([]byte) (int, error) {
	if e.err == io.ErrUnexpectedEOF {
		return 0, io.EOF
	}
	return 0, e.err
}

// docResult is what running the filter on one document produced, besides its output.
type docResult struct {
	end     int     // where the document's output ends in the batch's buffer
	errs    []error // the filter failed, or the text was not JSON (after the output before end)
	outputs bool
	falsy   bool
}

// halted reports a document whose run ended with halt or halt_error.
func (d *docResult) halted() bool {
	if n := len(d.errs); n > 0 {
		_, ok := d.errs[n-1].(*gojq.HaltError)
		return ok
	}
	return false
}

// outBatch is a batch's output, made on a worker and written in order by emit.
type outBatch struct {
	buf  *[]byte
	docs []docResult
}

var outBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// errHalted stops the pipeline after halt or halt_error.
var errHalted = errors.New("halted")

// runParallel runs the filter on every document on every core, writing the results
// in input order.
func (r *run) runParallel(ctx context.Context) error {
	prog, err := r.filter.Compile(r.compileOptions(nil, nil))
	if err != nil {
		return &ExitError{ExitCompile, err}
	}
	keys, project := r.filter.Projection()
	project = project && !r.opts.FullDecode
	newWork := func() func(*input.Batch) *outBatch {
		dec := NewDecoder()
		if project {
			dec.Project(keys)
		}
		enc := r.encoder()
		return func(b *input.Batch) *outBatch { return r.runBatch(ctx, prog, dec, enc, b) }
	}
	p := &emitter{r: r, broken: map[string]bool{}}
	emit := func(b *input.Batch, ob *outBatch) error {
		defer func() {
			if cap(*ob.buf) <= 16<<20 { // one huge output must not stay in the pool
				outBuffers.Put(ob.buf)
			}
		}()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return p.emit(b, ob)
	}
	err = input.Run(ctx, r.opts.Paths, r.opts.Input, newWork, emit)
	if ferr := r.out.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	switch {
	case err == errHalted:
		err = nil
	case err != nil:
		return err
	}
	return r.result(p.last)
}

// runBatch decodes and filters the documents of a batch (on a worker).
func (r *run) runBatch(ctx context.Context, prog *Program, dec *Decoder, enc *Encoder, b *input.Batch) *outBatch {
	b.Load()
	ob := &outBatch{buf: outBuffers.Get().(*[]byte), docs: make([]docResult, len(b.Records))}
	buf := (*ob.buf)[:0]
	for i, rec := range b.Records {
		d := &ob.docs[i]
		switch {
		case rec.Err != nil:
			d.errs = append(d.errs, readError(rec.Err))
		default:
			v, err := dec.Decode(rec.Raw)
			if err != nil {
				buf = r.filterText(ctx, prog, enc, buf, rec, d)
				break
			}
			buf = r.filterDoc(ctx, prog, enc, buf, v, sourceName(rec.Origin), d)
		}
		d.end = len(buf)
		if d.halted() {
			break // nothing after a halt is written
		}
	}
	*ob.buf = buf
	return ob
}

// filterDoc runs the filter on one document and appends its outputs to buf.
func (r *run) filterDoc(ctx context.Context, prog *Program, enc *Encoder, buf []byte, v any, file any, d *docResult) []byte {
	iter := prog.Run(ctx, v, r.values, file)
	for {
		v, ok := iter.Next()
		if !ok {
			return buf
		}
		if err, ok := v.(error); ok {
			d.errs = append(d.errs, err)
			return buf
		}
		var err error
		if buf, err = r.appendValue(buf, enc, v); err != nil {
			d.errs = append(d.errs, err)
			return buf
		}
		d.outputs, d.falsy = true, v == nil || v == false
	}
}

// sourceName is what input_filename returns for a document, as in gojq.
func sourceName(o input.Origin) any {
	if o.Path == "-" {
		return "<stdin>"
	}
	return o.Name()
}

// readError is an input that could not be read. A file that cannot be opened is
// reported as jq does; other problems (a broken archive or member) are the input's
// and end the run with exit code 1.
func readError(err error) error {
	var re *input.ReadError
	if errors.As(err, &re) && re.Unopened {
		return &os.PathError{Op: "open", Path: re.Path, Err: re.Err}
	}
	return &ExitError{Code: 1, Err: err}
}

// filterText reads a record the fast decoder refused as jq reads text: its documents
// one after another (a record may hold several), up to the first broken one, which
// is reported in gojq's words.
func (r *run) filterText(ctx context.Context, prog *Program, enc *Encoder, buf []byte, rec input.Record, d *docResult) []byte {
	name, _ := sourceName(rec.Origin).(string)
	it := newJSONIter(bytes.NewReader(rec.Raw), name, false)
	it.line = rec.Origin.Line - 1
	for !d.halted() {
		v, ok := it.Next()
		if !ok {
			break
		}
		if err, ok := v.(error); ok {
			d.errs = append(d.errs, err)
			break
		}
		buf = r.filterDoc(ctx, prog, enc, buf, v, name, d)
	}
	return buf
}

// emitter writes the batches' results in input order and keeps the run's last error.
type emitter struct {
	r      *run
	last   error
	broken map[string]bool // inputs with broken JSON: as in jq, the rest of one is not read
}

func (p *emitter) emit(b *input.Batch, ob *outBatch) error {
	r := p.r
	buf := *ob.buf
	start := 0
	for i, rec := range b.Records {
		d := &ob.docs[i]
		name := rec.Origin.Name()
		if p.broken[name] {
			start = d.end
			continue
		}
		if _, err := r.out.Write(buf[start:d.end]); err != nil {
			return err
		}
		start = d.end
		if d.outputs {
			r.outputs, r.falsy = true, d.falsy
		}
		for _, err := range d.errs {
			p.last = err
			if h, ok := err.(*gojq.HaltError); ok {
				r.halted(h)
				return errHalted
			}
			var je *JSONError
			if errors.As(err, &je) && !lineDelimited(name) {
				p.broken[name] = true
			}
			r.report(err)
		}
	}
	return nil
}
