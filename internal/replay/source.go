package replay

import (
	"context"
	"io"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
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
		return func(b *input.Batch) []streamed {
			out := make([]streamed, len(b.Records))
			for i := range b.Records {
				rec := &b.Records[i]
				if rec.Err != nil {
					out[i].problem = true
					continue
				}
				in := c.inspect(*rec, decode)
				out[i] = streamed{
					doc:     in.newDoc(o.Delivered, o.SendInvalid, r.rw),
					problem: len(in.errs) > 0,
					errs:    in.errs,
				}
			}
			return out
		}
	}
	emit := func(b *input.Batch, out []streamed) error {
		for i, s := range out {
			if s.problem && o.Problems != nil {
				o.Problems(b.Records[i], s.errs)
			}
			if s.doc == nil {
				continue
			}
			if err := r.put(ctx, s.doc); err != nil {
				return err
			}
		}
		return nil
	}
	return input.Run(ctx, paths, input.Options{Stdin: stdin, SplitArrays: true}, newWork, emit)
}

// newestEnd reads the input once for the newest end of a valid chat (see hookEnd) and
// counts the documents.
func newestEnd(ctx context.Context, paths []string, stdin io.Reader) (end int64, ok bool, docs int, err error) {
	type batchEnd struct {
		end  int64
		ok   bool
		docs int
	}
	newWork := func() func(*input.Batch) batchEnd {
		var dec payload.Decoder
		return func(b *input.Batch) batchEnd {
			var be batchEnd
			for _, rec := range b.Records {
				if rec.Err != nil {
					continue
				}
				be.docs++
				d, fs := dec.Decode(rec.Raw)
				if d.Kind != payload.KindHook || hasSyntaxError(fs) {
					continue
				}
				if e, eok := hookEnd(&d.Hook); eok && (!be.ok || e > be.end) {
					be.end, be.ok = e, true
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
	err = input.Run(ctx, paths, input.Options{Stdin: stdin, SplitArrays: true}, newWork, emit)
	return end, ok, docs, err
}

// needsDecode says whether documents must be decoded (not only checked for syntax):
// rewriting needs their kind, ordering and pacing their times.
func (r *run) needsDecode() bool {
	o := r.opts
	return r.rw.Active() || o.Shift || o.Pace || o.OrderByTime
}

func hasSyntaxError(fs []rules.Finding) bool {
	for _, f := range fs {
		if f.Rule == rules.Syntax {
			return true
		}
	}
	return false
}
