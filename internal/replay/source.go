package replay

import (
	"context"
	"io"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/rules"
)

// streamed is what a worker of the input made of one record.
type streamed struct {
	doc     *doc            // nil for a record that could not be read
	problem bool            // tell Options.Problems
	errs    []rules.Finding // its error findings
}

// stream reads paths (stdin for "-") and puts every document, in input order.
func (r *run) stream(ctx context.Context, paths []string, stdin io.Reader) error {
	o := r.opts
	decode := r.needsDecode()
	newWork := func() func(*input.Batch) []streamed {
		var c checker
		m := o.Filter.matcher()
		return func(b *input.Batch) []streamed {
			out := make([]streamed, len(b.Records))
			for i := range b.Records {
				rec := &b.Records[i]
				if rec.Err != nil {
					out[i].problem = true
					continue
				}
				in := c.inspect(*rec, decode)
				in.judge(m, rec)
				out[i] = streamed{
					doc:     in.newDoc(o.Delivered, o.SendInvalid, r.rw),
					problem: len(in.errs) > 0,
					errs:    in.errs,
				}
			}
			return out
		}
	}
	var metas *metaReader
	if o.WithHeaders {
		metas = &metaReader{endpoint: o.Input.S3Endpoint}
		defer metas.close()
	}
	emit := func(b *input.Batch, out []streamed) error {
		for i, s := range out {
			if s.problem && o.Problems != nil {
				o.Problems(b.Records[i], s.errs)
			}
			if s.doc == nil {
				continue
			}
			if metas != nil && s.doc.state == stateSend {
				org := b.Records[i].Origin
				meta, why := metas.metaFor(org.Path, org.Member, org.Line)
				r.attachHeaders(s.doc, meta, why)
			}
			if err := r.put(ctx, s.doc); err != nil {
				return err
			}
		}
		return nil
	}
	return input.Run(ctx, paths, r.opts.reading(stdin, true), newWork, emit)
}

// newestEnd reads the input once for the newest end of a valid chat or webhook (see
// docEnd) that the filter f keeps, and counts the documents.
func newestEnd(ctx context.Context, paths []string, in input.Options, f *Filter) (end int64, ok bool, docs int, err error) {
	type batchEnd struct {
		end  int64
		ok   bool
		docs int
	}
	newWork := func() func(*input.Batch) batchEnd {
		var c checker
		m := f.matcher()
		return func(b *input.Batch) batchEnd {
			var be batchEnd
			for _, rec := range b.Records {
				if rec.Err != nil {
					continue
				}
				be.docs++
				in := c.inspect(rec, true)
				in.judge(m, &rec)
				if len(in.errs) > 0 || in.filtered {
					continue
				}
				if in.hasEnd && (!be.ok || in.end > be.end) {
					be.end, be.ok = in.end, true
				}
			}
			return be
		}
	}
	emit := func(_ *input.Batch, be batchEnd) error {
		docs += be.docs
		if be.ok && (!ok || be.end > end) {
			end, ok = be.end, true
		}
		return nil
	}
	err = input.Run(ctx, paths, in, newWork, emit)
	return end, ok, docs, err
}

// needsDecode says whether documents must be decoded (not only checked for syntax):
// rewriting needs their kind, ordering and pacing their times.
func (r *run) needsDecode() bool {
	o := r.opts
	return r.rw.Active() || o.Shift || o.Pace || o.OrderByTime || len(o.Filter.Events) > 0
}

// judge applies the run's filter (m, nil for none) to the inspected record.
func (in *inspection) judge(m *docMatcher, rec *input.Record) {
	keep, why := m.keep(in, rec.Origin.Name())
	in.filtered = !keep
	if why != "" {
		in.filterErr = why + " (not sent)"
	}
}
