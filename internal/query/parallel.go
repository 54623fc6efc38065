package query

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"time"

	"github.com/itchyny/gojq"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/objstore"
)

// smallInput is the size below which inputs are read in order, as jq reads them; larger
// ones are decoded and filtered on every core when the filter allows it. A variable
// so that tests can send small inputs down the parallel path.
var smallInput = 1 << 20

// largeInput reports whether the inputs are read by the input core (on every core):
// JSON text (no -R, --stream, --stream-errors or --seq) of more than smallInput bytes,
// in directories and archives, origins given back (chats.ndjson:2), s3:// objects
// (only the input core reads them), or read with
// --split-arrays or --max-doc-size. It may read the head of stdin to know.
func (r *run) largeInput() bool {
	o := &r.opts
	if o.RawInput || o.Stream || o.StreamErrors || o.Seq || o.NullInput && !r.filter.UsesInput {
		return false
	}
	if o.Input.SplitArrays || o.Input.MaxDocSize > 0 || o.Input.Shard.On() {
		// Reading features of the input core alone: an array element by element, a
		// size limit per document (refused documents are findings), shards.
		return true
	}
	if len(o.Paths) == 0 {
		return r.stdinIsLarge()
	}
	total := int64(0)
	for _, p := range o.Paths {
		if p == "-" {
			return false
		}
		if isContainer(p) || input.IsSelection(p) || objstore.Is(p) {
			return true
		}
		if info, err := os.Stat(p); err == nil {
			total += info.Size()
		}
	}
	return total > int64(smallInput)
}

// parallel reports whether the filter can run on every core too: on each document
// alone, not once over them (-s, -n, input, inputs), and writing nowhere but its
// output (debug and stderr write as they run, so they run in order, as do modules,
// which may call them).
func (r *run) parallel() bool {
	o := &r.opts
	return r.large && !o.Slurp && !o.NullInput && !r.filter.UsesInput && !r.filter.writesStderr()
}

// stdinIsLarge reads ahead on stdin until it knows: more than smallInput bytes is
// large; the end of the input before that, or a pause in what arrives (a live stream,
// whose documents must come out as they arrive), is not. What was read is put back
// in front of the rest.
func (r *run) stdinIsLarge() bool {
	pf := r.stdin
	pf.start()
	timer := time.NewTimer(stdinPause)
	defer timer.Stop()
	size := 0
	for size <= smallInput {
		select {
		case c, ok := <-pf.ch:
			if !ok {
				return false
			}
			pf.pending = append(pf.pending, c)
			size += len(c.b)
			if c.err != nil {
				return false
			}
		case <-timer.C:
			return false
		}
	}
	return true
}

// stdinPause is how long stdin may pause before it is taken for a live stream.
const stdinPause = 250 * time.Millisecond

// prefetch reads its source on a goroutine, in chunks handed over a channel, so that
// reading ahead never blocks the decision to read more. Nothing is read before the
// first Read or start: stdin that the run does not use is left alone.
type prefetch struct {
	src     io.Reader
	once    sync.Once
	ch      chan chunk
	pending []chunk // chunks taken off the channel and not yet read
	cur     chunk
	// onWait is called when a Read must wait for the source: the in-order path
	// flushes its output then, so that a live stream's results come out at once.
	onWait func()
}

type chunk struct {
	b   []byte
	err error
}

func newPrefetch(src io.Reader) *prefetch {
	return &prefetch{src: src, ch: make(chan chunk, 4)}
}

// start begins reading, once.
func (p *prefetch) start() {
	p.once.Do(func() {
		go func() {
			defer close(p.ch)
			for {
				buf := make([]byte, 256<<10)
				n, err := p.src.Read(buf)
				p.ch <- chunk{buf[:n], err}
				if err != nil {
					return
				}
			}
		}()
	})
}

func (p *prefetch) Read(b []byte) (int, error) {
	p.start()
	for len(p.cur.b) == 0 {
		if p.cur.err != nil {
			return 0, p.cur.err
		}
		if len(p.pending) > 0 {
			p.cur, p.pending = p.pending[0], p.pending[1:]
			continue
		}
		var c chunk
		ok := true
		select {
		case c, ok = <-p.ch:
		default:
			if p.onWait != nil {
				p.onWait()
			}
			c, ok = <-p.ch
		}
		if !ok {
			return 0, io.EOF
		}
		p.cur = c
	}
	n := copy(b, p.cur.b)
	p.cur.b = p.cur.b[n:]
	return n, nil
}

// docResult is what running the filter on one document produced, besides its output.
type docResult struct {
	end     int     // where the document's output ends in the batch's buffer
	errs    []error // the filter failed, or the text was not JSON (after the output before end)
	cut     error   // for text that was not JSON, the core's finding (see emitter.emit)
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
	p.release("")
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
		case rec.Err != nil || rec.Resume != nil:
			d.errs = append(d.errs, recordProblem(rec))
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

// filterText runs the filter on the documents of a record the fast decoder refused.
func (r *run) filterText(ctx context.Context, prog *Program, enc *Encoder, buf []byte, rec input.Record, d *docResult) []byte {
	name, _ := sourceName(rec.Origin).(string)
	err := eachTextValue(rec, name, func(v any) bool {
		buf = r.filterDoc(ctx, prog, enc, buf, v, name, d)
		return !d.halted()
	})
	if err != nil {
		d.errs = append(d.errs, err)
		d.cut = cutFinding(rec, err)
	}
	return buf
}

// eachTextValue reads a record the fast decoder refused as jq reads text: its
// documents one after another (a record may hold several), calling yield on each
// until it returns false, up to the first broken one, whose error (in gojq's words)
// it returns.
func eachTextValue(rec input.Record, name string, yield func(any) bool) error {
	it := newJSONIter(bytes.NewReader(rec.Raw), name, false)
	it.line = rec.Origin.Line - 1
	for {
		v, ok := it.Next()
		if !ok {
			return nil
		}
		if err, ok := v.(error); ok {
			return err
		}
		if !yield(v) {
			return nil
		}
	}
}

// emitter writes the batches' results in input order and keeps the run's last error.
type emitter struct {
	r      *run
	last   error
	broken map[string]bool // inputs with broken JSON: as in jq, the rest of one is not read
	// held is broken text whose report waits for the next record: when more of its
	// input follows, the core reads on and its finding is reported; else jq's error.
	held     error
	heldCut  error
	heldName string
}

func (p *emitter) emit(b *input.Batch, ob *outBatch) error {
	r := p.r
	buf := *ob.buf
	start := 0
	for i, rec := range b.Records {
		d := &ob.docs[i]
		name := rec.Origin.Name()
		p.release(name)
		if p.broken[name] {
			start = d.end
			continue
		}
		if _, err := r.out.Write(buf[start:d.end]); err != nil {
			return err
		}
		if r.opts.Unbuffered {
			if err := r.out.Flush(); err != nil {
				return err
			}
		}
		start = d.end
		if d.outputs {
			r.outputs, r.falsy = true, d.falsy
		}
		for j, err := range d.errs {
			if h, ok := err.(*gojq.HaltError); ok {
				p.last = err
				r.halted(h)
				return errHalted
			}
			var je *JSONError
			if errors.As(err, &je) && !lineDelimited(name) {
				if d.cut != nil && j == len(d.errs)-1 {
					p.held, p.heldCut, p.heldName = err, d.cut, name
					continue
				}
				p.broken[name] = true
			}
			p.last = err
			r.report(err)
		}
	}
	return nil
}

// release reports the held broken text before the record of input next (""; the end):
// the core's finding when next is more of the same input, else jq's error.
func (p *emitter) release(next string) {
	if p.held == nil {
		return
	}
	err := p.held
	if next == p.heldName {
		err = p.heldCut
	} else {
		p.broken[p.heldName] = true
	}
	p.held, p.heldCut = nil, nil
	p.last = err
	p.r.report(err)
}
