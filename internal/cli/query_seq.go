package cli

import (
	"bytes"
	"context"
	"errors"

	"github.com/itchyny/gojq"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/query"
	"github.com/smarthook/smarthook/internal/rules"
)

// feedItem is a document decoded ahead by a worker, or a problem to report in its place.
type feedItem struct {
	v   any
	rec input.Record // the origin; for a problem also its Err, or a copy of its bytes
	fs  []rules.Finding
	bad bool
}

// docFeed hands the documents, in input order, to a filter that runs once over many
// of them (input/inputs, -s), while workers read and decode ahead on every core. It is
// the gojq.Iter behind input and inputs; problems are reported as they are reached.
type docFeed struct {
	r      *queryRun
	ch     chan []feedItem
	items  []feedItem
	pos    int
	cur    input.Origin // of the last document handed out
	hasCur bool
	parent context.Context
	cancel context.CancelFunc
	done   chan error
}

// start begins reading in the background.
func (f *docFeed) start(ctx context.Context) {
	f.parent = ctx
	ctx, f.cancel = context.WithCancel(ctx)
	f.ch, f.done = make(chan []feedItem), make(chan error, 1)
	newWork := func() func(*input.Batch) []feedItem {
		dec := query.NewDecoder()
		return func(b *input.Batch) []feedItem { return decodeBatch(dec, b) }
	}
	emit := func(_ *input.Batch, items []feedItem) error {
		select {
		case f.ch <- items:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	go func() {
		// Decoded documents take several times the room of their text, and a few
		// batches are always in flight: smaller batches keep memory flat.
		opts := f.r.opts.IO.readOptions()
		opts.BlockSize, opts.FilesPer = 256<<10, 16
		err := input.Run(ctx, f.r.opts.Paths, opts, newWork, emit)
		close(f.ch)
		f.done <- err
	}()
}

// stop ends the reading, early or not, and returns its error. Stopping early is not
// an error; an interruption by the user is.
func (f *docFeed) stop() error {
	f.cancel()
	for range f.ch {
		// Drain, so that the pipeline is not left waiting to send.
	}
	err := <-f.done
	if errors.Is(err, context.Canceled) && f.parent.Err() == nil {
		return nil
	}
	return err
}

// Next returns the next good document, reporting the broken ones it passes.
func (f *docFeed) Next() (any, bool) {
	for {
		if f.pos == len(f.items) {
			items, ok := <-f.ch
			if !ok {
				return nil, false
			}
			f.items, f.pos = items, 0
			continue
		}
		it := &f.items[f.pos]
		f.pos++
		if it.bad {
			f.r.flushBeforeProblem()
			f.r.rep.checkSyntax(it.rec, it.fs)
			continue
		}
		f.cur, f.hasCur = it.rec.Origin, true
		v := it.v
		it.v = nil // the filter holds it now, if it wants it
		return v, true
	}
}

// fileName answers input_filename: the file of the last document read.
func (f *docFeed) fileName() any {
	if !f.hasCur || f.r.opts.Slurp {
		return nil
	}
	return fileName(f.cur)
}

// origin is the place to name in a filter error: the last document read, if any.
func (f *docFeed) origin() *input.Origin {
	if !f.hasCur || f.r.opts.Slurp {
		return nil
	}
	o := f.cur
	return &o
}

func decodeBatch(dec *query.Decoder, b *input.Batch) []feedItem {
	items := make([]feedItem, len(b.Records))
	for i, rec := range b.Records {
		it := &items[i]
		it.rec.Origin = rec.Origin
		if rec.Err != nil {
			it.rec.Err, it.bad = rec.Err, true
			continue
		}
		v, err := dec.Decode(rec.Raw)
		if err != nil {
			// The batch's memory is reused once emitted: keep a copy to place the error.
			it.rec.Raw, it.bad = bytes.Clone(rec.Raw), true
			it.fs = []rules.Finding{payload.SyntaxFinding(rec.Raw, err)}
			continue
		}
		it.v = v
	}
	return items
}

// slurpIter yields one array of every document of a feed.
type slurpIter struct {
	feed *docFeed
	done bool
}

func (s *slurpIter) Next() (any, bool) {
	if s.done {
		return nil, false
	}
	s.done = true
	all := []any{}
	for {
		v, ok := s.feed.Next()
		if !ok {
			return all, true
		}
		all = append(all, v)
	}
}

// runInOrder runs the filter over documents fed in order: once per document when it
// uses input/inputs, once on their array with -s, once on null with -n.
func (r *queryRun) runInOrder(ctx context.Context) error {
	feed := &docFeed{r: r}
	var src gojq.Iter = feed
	if r.opts.Slurp {
		src = &slurpIter{feed: feed}
	}
	co := query.CompileOptions{FileName: feed.fileName}
	if r.filter.UsesInput {
		co.Inputs = src
	}
	prog, err := r.compile(co)
	if err != nil {
		return err // before any reading
	}
	feed.start(ctx)
	enc := r.newEncoder()
	if r.opts.NullInput {
		r.runTop(ctx, prog, enc, nil, feed.origin)
	} else {
		for {
			v, ok := src.Next()
			if !ok || r.runTop(ctx, prog, enc, v, feed.origin) {
				break
			}
		}
	}
	return feed.stop()
}

// runNull runs the filter once on null, reading nothing (-n without input/inputs).
func (r *queryRun) runNull(ctx context.Context) error {
	prog, err := r.compile(query.CompileOptions{FileName: func() any { return nil }})
	if err != nil {
		return err
	}
	r.runTop(ctx, prog, r.newEncoder(), nil, func() *input.Origin { return nil })
	return ctx.Err()
}

// runTop runs the filter once, writing outputs as they come (one run can read every
// document), and reports whether it halted.
func (r *queryRun) runTop(ctx context.Context, prog *query.Program, enc *query.Encoder, v any, origin func() *input.Origin) bool {
	var d docResult
	flush := func(buf []byte) []byte {
		_, _ = r.out.Write(buf)
		return buf[:0]
	}
	buf := r.runOne(ctx, prog, enc, nil, v, nil, &d, flush)
	flush(buf)
	if ctx.Err() != nil {
		return true
	}
	o := origin()
	return r.note(o, &d)
}
