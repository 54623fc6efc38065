package input

import (
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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if done == nil {
		done = func(T, R) {}
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
				var zero R
				done(item, zero)
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
				j.out <- work(j.item)
			}
		}()
	}
	var err error
	for j := range order {
		r := <-j.out
		if err == nil {
			if err = emit(j.item, r); err != nil {
				cancel()
			}
		}
		done(j.item, r)
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
	load := func() func(*Batch) R {
		work := newWork()
		return func(b *Batch) R {
			b.Load()
			return work(b)
		}
	}
	return Ordered(ctx, 0, batches, load, emit, func(b *Batch, _ R) { b.Release() })
}

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
		for i := range b.Records {
			if b.Records[i].Err == nil {
				docs++
			}
		}
		return emit(b, r)
	}
	err := Process(ctx, Read(ctx, paths, opts), newWork, counted)
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
