package input

import (
	"context"
	"runtime"
	"sync"
)

// Process runs work on every batch on as many goroutines as there are cores and hands
// each result, with its batch, to emit in input order. Each worker gets its own work
// function from newWork, so it can keep state (a decoder, buffers) without locks.
// Batches are loaded (Batch.Load) before work sees them and released after emit.
// The first error from emit stops the run and is returned; ctx ends it early too.
// batches must come from Read with the same ctx, cancelled once Process returns (Run
// does both).
func Process[R any](ctx context.Context, batches <-chan *Batch, newWork func() func(*Batch) R, emit func(*Batch, R) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)

	type job struct {
		b   *Batch
		out chan R
	}
	jobs := make(chan job, workers)
	order := make(chan job, 2*workers)
	go func() {
		defer close(jobs)
		defer close(order)
		for b := range batches {
			j := job{b: b, out: make(chan R, 1)}
			// Order first: the emitter waits on it while a worker fills it.
			select {
			case order <- j:
			case <-ctx.Done():
				// The reader stops too: it sends under the same context.
				b.Release()
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
				j.b.Load()
				j.out <- work(j.b)
			}
		}()
	}
	var err error
	for j := range order {
		r := <-j.out
		if err == nil {
			err = emit(j.b, r)
			if err != nil {
				cancel()
			}
		}
		j.b.Release()
	}
	wg.Wait()
	if err == nil {
		// Only the caller's cancellation can have ended ctx without an emit error.
		err = ctx.Err()
	}
	return err
}

// Run reads paths (see Read) and processes them (see Process), stopping the reader
// as soon as processing ends.
func Run[R any](ctx context.Context, paths []string, opts Options, newWork func() func(*Batch) R, emit func(*Batch, R) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	return Process(ctx, Read(ctx, paths, opts), newWork, emit)
}
