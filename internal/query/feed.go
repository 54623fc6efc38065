package query

import (
	"context"
	"errors"

	"github.com/smarthook/smarthook/internal/input"
)

// feedItem is a document decoded ahead by a worker, or a problem in its place.
type feedItem struct {
	v    any
	err  error
	cut  error  // for broken text, the core's finding, used when its input goes on
	name string // its input, as input_filename names it
}

// feedIter hands the documents of large inputs, in order, to a run that reads them
// one after another (input/inputs, -s, -n), while workers read and decode ahead on
// every core with the fast decoder. It reads as the in-order path does: a record the
// fast decoder refuses is read as jq reads text, and after broken text the rest of
// that input (except NDJSON) is skipped.
type feedIter struct {
	ch     chan []feedItem
	items  []feedItem
	pos    int
	name   string
	broken map[string]bool
	cancel context.CancelFunc
	done   chan struct{}
}

func newFeedIter(ctx context.Context, paths []string, opts input.Options) *feedIter {
	ctx, cancel := context.WithCancel(ctx)
	f := &feedIter{ch: make(chan []feedItem), broken: map[string]bool{}, cancel: cancel, done: make(chan struct{})}
	newWork := func() func(*input.Batch) []feedItem {
		dec := NewDecoder()
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
	// Decoded documents take several times the room of their text and a few batches
	// are in flight: smaller batches keep memory flat.
	opts.BlockSize, opts.FilesPer = 256<<10, 16
	go func() {
		defer close(f.done)
		if err := input.Run(ctx, paths, opts, newWork, emit); err != nil && !errors.Is(err, context.Canceled) {
			select {
			case f.ch <- []feedItem{{err: err}}:
			case <-ctx.Done():
			}
		}
		close(f.ch)
	}()
	return f
}

// decodeBatch decodes the records of a batch (on a worker).
func decodeBatch(dec *Decoder, b *input.Batch) []feedItem {
	b.Load()
	items := make([]feedItem, 0, len(b.Records))
	for _, rec := range b.Records {
		name, _ := sourceName(rec.Origin).(string)
		if err := recordProblem(rec); err != nil {
			items = append(items, feedItem{err: err, name: name})
			continue
		}
		v, err := dec.Decode(rec.Raw)
		if err == nil {
			items = append(items, feedItem{v: v, name: name})
			continue
		}
		err = eachTextValue(rec, name, func(v any) bool {
			items = append(items, feedItem{v: v, name: name})
			return true
		})
		if err != nil {
			items = append(items, feedItem{err: err, cut: cutFinding(rec, err), name: name})
		}
	}
	return items
}

func (f *feedIter) Next() (any, bool) {
	it, ok := f.next(true)
	if !ok {
		return nil, false
	}
	f.pos++
	f.name = it.name
	if it.err == nil {
		v := it.v
		it.v = nil // the filter holds it now, if it wants it
		return v, true
	}
	var je *JSONError
	if !errors.As(it.err, &je) || lineDelimited(it.name) {
		return it.err, true
	}
	if it.cut != nil {
		// The core reads on after broken text when more of that input follows.
		if next, ok := f.next(false); ok && next.name == it.name {
			return it.cut, true
		}
	}
	f.broken[it.name] = true
	return it.err, true
}

// next is the next item, without taking it; skip passes those of broken inputs.
func (f *feedIter) next(skip bool) (*feedItem, bool) {
	for {
		if f.pos == len(f.items) {
			items, ok := <-f.ch
			if !ok {
				return nil, false
			}
			f.items, f.pos = items, 0
			continue
		}
		if it := &f.items[f.pos]; !skip || !f.broken[it.name] {
			return it, true
		}
		f.pos++
	}
}

func (f *feedIter) Name() string { return f.name }

// Close stops the reading and waits for it to end.
func (f *feedIter) Close() {
	f.cancel()
	for range f.ch {
		// Drain, so that the pipeline is not left waiting to send.
	}
	<-f.done
}
