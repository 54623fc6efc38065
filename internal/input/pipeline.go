package input

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"
)

// Ordered runs work on every item of items on workers goroutines (one per core when
// workers <= 0) and hands each result, with its item, to emit in the items' order. Each
// worker gets its own work function from newWork, so it can keep state (a decoder,
// buffers) without locks. done, when not nil, is called with every item and its result
// once emit is past it (or once the run has stopped), to give memory back. The first
// error from emit stops the run and is returned; ctx ends it early too. The sender of
// items must stop when ctx ends.
func Ordered[T, R any](ctx context.Context, workers int, items <-chan T, newWork func() func(T) R,
	emit func(T, R) error, done func(T, R)) error {
	if done == nil {
		done = func(T, R) {}
	}
	one := func() func(T, func(R)) {
		work := newWork()
		return func(item T, send func(R)) { send(work(item)) }
	}
	var zero R
	return orderedStream(ctx, workers, items, one, emit, done, func(item T, n int) {
		if n == 0 {
			done(item, zero)
		}
	})
}

// orderedStream is Ordered for work that hands on its results in pieces: a worker
// sends each piece as soon as it is made and waits until the previous one is taken,
// so at most a piece or two per worker wait in memory, however large an item's output.
// release gives back each piece after emit; finish is called with each item and the
// number of pieces it gave, once all are emitted (or the run has stopped).
func orderedStream[T, R any](ctx context.Context, workers int, items <-chan T, newWork func() func(T, func(R)),
	emit func(T, R) error, release func(T, R), finish func(T, int)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		item T
		out  chan R
	}
	jobs := make(chan job, workers)
	order := make(chan job, 2*workers)
	go func() {
		defer close(jobs)
		defer close(order)
		for item := range items {
			j := job{item: item, out: make(chan R, 1)}
			// Order first: the emitter waits on it while a worker fills it.
			select {
			case order <- j:
			case <-ctx.Done():
				finish(item, 0)
				return
			}
			jobs <- j
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work := newWork()
			for j := range jobs {
				work(j.item, func(r R) { j.out <- r })
				close(j.out)
			}
		}()
	}
	var err error
	for j := range order {
		n := 0
		for r := range j.out {
			n++
			if err == nil {
				if err = emit(j.item, r); err != nil {
					cancel()
				}
			}
			release(j.item, r)
		}
		finish(j.item, n)
	}
	wg.Wait()
	if err == nil {
		// Only the caller's cancellation can have ended ctx without an emit error.
		err = ctx.Err()
	}
	return err
}

// Process runs work on every batch on as many goroutines as there are cores and hands
// each result, with its batch, to emit in input order (see Ordered). Batches are
// loaded (Batch.Load) before work sees them and released after emit. batches must come
// from Read with the same ctx, cancelled once Process returns (Run does both).
func Process[R any](ctx context.Context, batches <-chan *Batch, newWork func() func(*Batch) R, emit func(*Batch, R) error) error {
	return process(ctx, batches, newWork, emit, 0)
}

// piece is the result of work on part of a batch.
type piece[R any] struct {
	part *Batch
	r    R
	own  *Batch // a batch of the item's Rest to release once the piece is emitted
}

// process is Process; with budget > 0, a batch whose documents could make a large
// output (long, or deeply nested: indented output grows with depth) is worked on and
// emitted in parts of about budget weight, so that the output of a whole batch is
// never held at once.
func process[R any](ctx context.Context, batches <-chan *Batch, newWork func() func(*Batch) R, emit func(*Batch, R) error, budget int) error {
	ctx, cancel := context.WithCancel(ctx) // ends the reading of a Rest too
	defer cancel()
	load := func() func(*Batch, func(piece[R])) {
		work := newWork()
		return func(b *Batch, send func(piece[R])) {
			sendParts := func(b, own *Batch) {
				parts := b.parts(budget)
				for i, part := range parts {
					p := piece[R]{part: part, r: work(part)}
					if i == len(parts)-1 {
						p.own = own
					}
					send(p)
				}
			}
			b.Load()
			sendParts(b, nil)
			b.Follow(ctx, func(nb *Batch) { sendParts(nb, nb) })
		}
	}
	emitPiece := func(_ *Batch, p piece[R]) error {
		err := emit(p.part, p.r)
		if err != nil {
			cancel()
		}
		return err
	}
	release := func(_ *Batch, p piece[R]) {
		if p.own != nil {
			p.own.Release()
		}
	}
	return orderedStream(ctx, 0, batches, load, emitPiece, release, func(b *Batch, _ int) { b.Release() })
}

// parts cuts the batch into consecutive parts of about budget weight each (the batch
// itself when it is light enough). A part shares the batch's memory: only the batch
// is released.
func (b *Batch) parts(budget int) []*Batch {
	if budget <= 0 || len(b.Records) < 2 {
		return []*Batch{b}
	}
	var out []*Batch
	start, w := 0, 0
	for i, rec := range b.Records {
		w += weight(rec.Raw)
		if w >= budget && i+1 < len(b.Records) {
			out = append(out, b.part(start, i+1, len(out) == 0))
			start, w = i+1, 0
		}
	}
	if out == nil {
		return []*Batch{b}
	}
	return append(out, b.part(start, len(b.Records), false))
}

func (b *Batch) part(from, to int, first bool) *Batch {
	p := &Batch{Records: b.Records[from:to:to]}
	if first {
		p.Files, p.Notes, p.Dropped = b.Files, b.Notes, b.Dropped
	}
	return p
}

// weight estimates how large the output of a document can grow: its length, times
// its nesting depth (each level indents every line inside it). The number of opening
// brackets bounds the depth from above and is counted much faster than the depth.
func weight(raw []byte) int {
	openers := bytes.Count(raw, []byte{'{'}) + bytes.Count(raw, []byte{'['})
	return len(raw) * (1 + min(openers, maxWeightDepth)/4)
}

// maxWeightDepth caps the depth weight gives a document: deeper ones count as this.
const maxWeightDepth = 4096

// Run reads paths (see Read) and processes them (see Process), stopping the reader
// as soon as processing ends. Notes about how inputs are read go to opts.Notices
// before the batch they concern is emitted; when no document at all was read, Run
// says so there and, with opts.FailEmpty, returns ErrNoDocuments.
func Run[R any](ctx context.Context, paths []string, opts Options, newWork func() func(*Batch) R, emit func(*Batch, R) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prefix := "smarthook"
	if opts.Command != "" {
		prefix += " " + opts.Command
	}
	docs := 0
	counted := func(b *Batch, r R) error {
		if opts.Notices != nil {
			for _, n := range b.Notes {
				fmt.Fprintf(opts.Notices, "%s: %s\n", prefix, n)
			}
		}
		docs += b.Dropped // an empty shard is not an empty input
		for i := range b.Records {
			if b.Records[i].Err == nil {
				docs++
			}
		}
		return emit(b, r)
	}
	budget := 0
	if opts.BoundOutput {
		budget = opts.BlockSize
		if budget <= 0 {
			budget = 1 << 20
		}
	}
	err := process(ctx, Read(ctx, paths, opts), newWork, counted, budget)
	if err == nil && docs == 0 {
		if opts.Notices != nil {
			fmt.Fprintf(opts.Notices, "%s: no document was read: nothing was processed\n", prefix)
		}
		if opts.FailEmpty {
			return ErrNoDocuments
		}
	}
	return err
}
