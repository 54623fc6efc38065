package replay

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/smarthook/smarthook/internal/input"
)

// RefusedError says that a rewrite (--set, --shift-time) cannot be applied to some
// documents. The run refuses before sending anything.
type RefusedError struct {
	Count    int      // documents refused
	Examples []string // the first ones, "origin: reason"
}

// maxRefusedExamples is how many refused documents the error names.
const maxRefusedExamples = 10

func (e *RefusedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cannot rewrite %d document(s) as asked, so nothing was sent:", e.Count)
	for _, ex := range e.Examples {
		b.WriteString("\n  ")
		b.WriteString(ex)
	}
	if more := e.Count - len(e.Examples); more > 0 {
		fmt.Fprintf(&b, "\n  … and %d more", more)
	}
	return b.String()
}

func (e *RefusedError) add(origin, reason string) {
	e.Count++
	if len(e.Examples) < maxRefusedExamples {
		e.Examples = append(e.Examples, origin+": "+reason)
	}
}

// result is nil when nothing was refused.
func (e *RefusedError) result() error {
	if e.Count == 0 {
		return nil
	}
	return e
}

// checkRewrites reads the input once and rewrites every document that is to be sent,
// without sending, so that a --set or --shift-time that cannot be applied to one of
// them stops the run before its first request. It returns the documents counted.
func (r *run) checkRewrites(ctx context.Context, paths []string, stdin io.Reader) (int, error) {
	rw := r.checkingRewriter()
	newWork := func() func(*input.Batch) []string {
		var c checker
		m := r.opts.Filter.matcher()
		return func(b *input.Batch) []string {
			var refused []string
			for _, rec := range b.Records {
				if rec.Err != nil {
					refused = append(refused, "") // counted, not refused
					continue
				}
				in := c.inspect(rec, true)
				in.judge(m, &rec)
				refused = append(refused, r.checkOne(rw, &in))
			}
			return refused
		}
	}
	var docs int
	refused := &RefusedError{}
	emit := func(b *input.Batch, out []string) error {
		for i, reason := range out {
			if b.Records[i].Err == nil {
				docs++
			}
			if reason != "" {
				refused.add(b.Records[i].Origin.String(), reason)
			}
		}
		return nil
	}
	if err := input.Run(ctx, paths, r.opts.reading(stdin, false), newWork, emit); err != nil {
		return docs, err
	}
	return docs, refused.result()
}

// checkingRewriter is the run's rewriter without --redact, which cannot fail on a
// valid document and is the slow part.
func (r *run) checkingRewriter() *Rewriter {
	return &Rewriter{Shift: r.rw.Shift, Sets: r.rw.Sets}
}

// checkOne says why a document cannot be rewritten, "" when it can (or is not sent).
func (r *run) checkOne(rw *Rewriter, in *inspection) string {
	if _, ok := r.opts.Delivered[in.id]; ok || len(in.errs) > 0 || in.filtered {
		return ""
	}
	if _, err := rw.Apply(nil, in.raw, in.kind); err != nil && err != errNothingShifted {
		return err.Error()
	}
	return ""
}

// checkSpool is checkRewrites over the documents --order time has spooled.
func (ts *timeSpool) checkRewrites() error {
	r := ts.r
	rw := r.checkingRewriter()
	refused := &RefusedError{}
	var buf []byte
	for i := range ts.entries {
		e := &ts.entries[i]
		if e.state != stateSend || e.invalid {
			continue
		}
		if cap(buf) < e.n {
			buf = make([]byte, e.n)
		}
		buf = buf[:e.n]
		if _, err := ts.f.ReadAt(buf, e.off); err != nil {
			return fmt.Errorf("read spool file: %w", err)
		}
		in := inspection{id: e.id, kind: e.kind, raw: trimBOM(buf)}
		if reason := r.checkOne(rw, &in); reason != "" {
			refused.add(e.origin, reason)
		}
	}
	return refused.result()
}
