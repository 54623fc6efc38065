package input

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
)

// errTooLong is a file that appendFile left out: longer than a batch.
var errTooLong = errors.New("longer than a batch")

// leave cuts a batch of .json paths before its record i, a file found too large to be
// read whole by a worker (a directory walk does not stat files: the worker finds out
// when it reads them). That file and the paths after it go to Rest.
func (b *Batch) leave(i int) {
	rest := newBatch()
	rest.paths, rest.opts = true, b.opts
	rest.Records = append(rest.Records, b.Records[i:]...)
	rest.Files = len(rest.Records)
	b.Files -= rest.Files
	clear(b.Records[i:])
	b.Records = b.Records[:i]
	b.rest = rest
}

// Rest returns, when Load left a file too large to be read whole out of the batch, the
// batches that follow the batch's records in input order: that file's, read as the
// reader reads a large file (its documents in batches, with flat memory), then a batch
// of the paths after it. It returns nil otherwise. Each batch must be loaded (it may
// have a Rest of its own) and released in turn; ctx ends the reading.
func (b *Batch) Rest(ctx context.Context) <-chan *Batch {
	rest := b.rest
	if rest == nil {
		return nil
	}
	b.rest = nil
	out := make(chan *Batch, 1)
	r := &reader{ctx: ctx, out: out, opts: rest.opts, copied: new(atomic.Int64)}
	go func() {
		defer close(out)
		p := rest.Records[0].Origin.Path
		n := copy(rest.Records, rest.Records[1:])
		rest.Records[n] = Record{}
		rest.Records = rest.Records[:n]
		rest.Files--
		info, err := os.Stat(p)
		ok := false
		if err != nil {
			// Gone since it was read: reported as the worker would have.
			fb := newBatch()
			fb.Files = 1
			fb.Records = append(fb.Records, Record{Origin: Origin{Path: p, Line: 1, Col: 1}, Err: &ReadError{Path: p, Err: unwrapPathError(err)}})
			ok = r.send(fb)
		} else {
			ok = r.file(p, info) && r.flush()
		}
		if ok && len(rest.Records) > 0 {
			r.send(rest)
		} else {
			rest.Release()
		}
	}()
	return out
}

// Follow hands the batches of b's Rest to f in order, each loaded and followed by
// those of its own Rest. f owns each batch (to release once done with it).
func (b *Batch) Follow(ctx context.Context, f func(*Batch)) { follow(ctx, b.Rest(ctx), f) }

func follow(ctx context.Context, batches <-chan *Batch, f func(*Batch)) {
	if batches == nil {
		return
	}
	for b := range batches {
		b.Load()
		rest := b.Rest(ctx) // taken before f, which may release b
		f(b)
		follow(ctx, rest, f)
	}
}
