package replay

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"slices"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
)

// timeEntry is what --order time keeps in memory of one document while it sorts: no
// body, which waits in the spool file. About 150 bytes a document.
type timeEntry struct {
	origin  string
	off     int64
	n       int
	time    int64
	hasTime bool
	id      DocID
	sum     [sha256.Size]byte
	state   docState
	invalid bool
	kind    payload.Kind
	warn    string // why --where could not judge it
	meta    *Meta  // --with-headers: its stored request, or nil and noMeta saying why
	noMeta  string
	// received is where the spool keeps the body as received that meta kept
	// (body_b64), so that memory holds no bodies; n 0 when there is none.
	received spooled
}

// spooled is a stretch of the spool file.
type spooled struct {
	off int64
	n   int
}

// timeSpool is the input read once into a temporary file, indexed by time.
type timeSpool struct {
	r       *run
	f       *os.File
	entries []timeEntry
	end     int64 // the newest end of a valid chat, for --shift-time
	hasEnd  bool
}

// spoolByTime reads the whole input into a spool file and sorts the index by the
// documents' times (stable: equal times and documents without one keep their stored
// order; those without one come first).
func (r *run) spoolByTime(ctx context.Context, paths []string) (*timeSpool, error) {
	o := r.opts
	ts := &timeSpool{r: r}
	f, err := os.CreateTemp(o.TempDir, "smarthook-replay-spool-*")
	if err != nil {
		return ts, fmt.Errorf("create spool file: %w", err)
	}
	ts.f = f
	bw := bufio.NewWriterSize(f, 1<<20)
	var off int64
	var metas *metaReader
	if o.WithHeaders {
		metas = &metaReader{endpoint: o.Input.S3Endpoint}
		defer metas.close()
	}
	emit := func(b *input.Batch, out []inspected) error {
		for i, x := range out {
			rec := b.Records[i]
			if (x.readErr || len(x.in.errs) > 0) && o.Problems != nil {
				o.Problems(rec, x.in.errs)
			}
			if x.readErr {
				continue
			}
			e := ts.entry(&x.in)
			if metas != nil && e.state == stateSend {
				e.meta, e.noMeta = metas.metaFor(rec.Origin.Path, rec.Origin.Member, rec.Origin.Line)
			}
			if e.state != stateDelivered && e.state != stateFiltered {
				if _, err := bw.Write(rec.Raw); err != nil {
					return fmt.Errorf("write spool file: %w", err)
				}
				e.off, e.n = off, len(rec.Raw)
				off += int64(len(rec.Raw))
			}
			if e.meta != nil && len(e.meta.BodyB64) > 0 {
				// The body as received waits in the spool too, not in memory.
				if _, err := bw.Write(e.meta.BodyB64); err != nil {
					return fmt.Errorf("write spool file: %w", err)
				}
				e.received = spooled{off: off, n: len(e.meta.BodyB64)}
				off += int64(e.received.n)
				m := *e.meta
				m.BodyB64, e.meta = nil, &m
			}
			ts.entries = append(ts.entries, e)
		}
		return nil
	}
	if err := input.Run(ctx, paths, o.reading(o.Stdin, true), inspectAll(&o.Filter), emit); err != nil {
		return ts, err
	}
	if err := bw.Flush(); err != nil {
		return ts, fmt.Errorf("write spool file: %w", err)
	}
	slices.SortStableFunc(ts.entries, func(a, b timeEntry) int {
		if a.hasTime != b.hasTime {
			if a.hasTime {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.time, b.time)
	})
	return ts, nil
}

// inspected is a record read for the spool: its inspection, or a read error.
type inspected struct {
	in      inspection
	readErr bool
}

// inspectAll is the spool pass's work on a batch: decode every record (on a worker).
func inspectAll(f *Filter) func() func(*input.Batch) []inspected {
	return func() func(*input.Batch) []inspected { return inspectBatch(f.matcher()) }
}

// inspectBatch decodes and filters (with m) the records of a batch for the spool.
func inspectBatch(m *docMatcher) func(*input.Batch) []inspected {
	var c checker
	return func(b *input.Batch) []inspected {
		out := make([]inspected, len(b.Records))
		for i, rec := range b.Records {
			if rec.Err != nil {
				out[i].readErr = true
				continue
			}
			out[i].in = c.inspect(rec, true)
			out[i].in.judge(m, &rec)
			// The spool file keeps the bytes: let the copy go.
			out[i].in.stored, out[i].in.raw = nil, nil
		}
		return out
	}
}

// entry turns an inspection into an index entry, noting the newest end.
func (ts *timeSpool) entry(in *inspection) timeEntry {
	o := ts.r.opts
	e := timeEntry{origin: in.origin, time: in.time, hasTime: in.hasTime, id: in.id, sum: in.sum,
		invalid: len(in.errs) > 0, kind: in.kind}
	if in.filtered {
		e.state, e.warn = stateFiltered, in.filterErr
	} else if _, ok := o.Delivered[in.id]; ok {
		e.state = stateDelivered
	} else if e.invalid && !o.SendInvalid {
		e.state = stateInvalid
	}
	if in.hasEnd && !in.filtered && (!ts.hasEnd || in.end > ts.end) {
		ts.end, ts.hasEnd = in.end, true
	}
	return e
}

// feed puts the documents in time order, reading each body back from the spool.
func (ts *timeSpool) feed(ctx context.Context) error {
	r := ts.r
	for i := range ts.entries {
		e := &ts.entries[i]
		d := &doc{origin: e.origin, id: e.id, sum: e.sum, state: e.state, invalid: e.invalid, time: e.time, hasTime: e.hasTime, kind: e.kind}
		d.warn = e.warn
		if e.state != stateDelivered && e.state != stateFiltered {
			d.stored = make([]byte, e.n)
			if _, err := ts.f.ReadAt(d.stored, e.off); err != nil {
				return fmt.Errorf("read spool file: %w", err)
			}
			d.body = d.stored
			if e.state == stateSend && !e.invalid && r.rw.Active() {
				d.rewrite(r.rw, trimBOM(d.stored))
			}
			if r.opts.WithHeaders {
				if err := ts.unspoolReceived(e); err != nil {
					return err
				}
				r.attachHeaders(d, e.meta, e.noMeta)
			}
		}
		if err := r.put(ctx, d); err != nil {
			return err
		}
		*e = timeEntry{} // let the origin go
	}
	return nil
}

// unspoolReceived gives e's meta back the body as received that spooling set aside.
func (ts *timeSpool) unspoolReceived(e *timeEntry) error {
	if e.received.n == 0 {
		return nil
	}
	b := make([]byte, e.received.n)
	if _, err := ts.f.ReadAt(b, e.received.off); err != nil {
		return fmt.Errorf("read spool file: %w", err)
	}
	e.meta.BodyB64 = b
	return nil
}

// close removes the spool file.
func (ts *timeSpool) close() {
	if ts.f != nil {
		name := ts.f.Name()
		ts.f.Close()
		os.Remove(name)
	}
}
