package replay

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
	"unicode/utf8"
)

// worker sends documents from in until it is empty or ctx ends.
func (r *run) worker(ctx context.Context, in <-chan *doc) {
	// Requests hang off a context of the worker's own: registering each request's
	// timeout with one context shared by all workers would make them queue for its lock.
	reqCtx, cancel := context.WithCancel(r.abortCtx)
	defer cancel()
	for {
		// Stop taking documents as soon as the run is interrupted, even when some wait.
		if ctx.Err() != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case d, ok := <-in:
			if !ok {
				return
			}
			r.deliver(ctx, reqCtx, d)
		}
	}
}

// deliver sends one document, retrying as the policy says, and reports each attempt.
// An interruption ends it between attempts; the request in flight is waited for unless
// the run is aborted.
func (r *run) deliver(ctx, reqCtx context.Context, d *doc) {
	policy := r.opts.Retry
	for attempt := 1; ; attempt++ {
		slot, err := r.limiter.wait(ctx)
		if err != nil {
			r.events <- event{kind: evUnfinished, d: d, attempt: attempt - 1}
			return
		}
		res := r.sender.send(reqCtx, d.body, d.headers)
		if !slot.IsZero() {
			res.fromSchedule, res.scheduled = time.Since(slot), true
		}
		aborted := errors.Is(res.err, errAborted)
		final := !aborted && (attempt > policy.Retries || !retryable(res.status, res.err))
		r.events <- event{kind: evAttempt, d: d, at: time.Now(), attempt: attempt, res: res, final: final}
		if final {
			return
		}
		if aborted || sleepFor(ctx, policy.delay(attempt, res.retryAfter, res.hasRetryAfter)) != nil {
			r.events <- event{kind: evUnfinished, d: d, attempt: attempt}
			return
		}
	}
}

// pace forwards documents to out when their time comes (see pacer).
func (r *run) pace(ctx context.Context, out chan<- *doc) {
	defer close(out)
	p := &pacer{speed: r.opts.Speed, now: time.Now}
	for d := range r.items {
		err := sleepUntil(ctx, p.due(d.time, d.hasTime), time.Now)
		if err == nil {
			select {
			case out <- d:
				continue
			case <-ctx.Done():
			}
		}
		r.events <- event{kind: evUnfinished, d: d}
		return
	}
}

// printDry prints each document as it would be sent, in order, and sends nothing.
func (r *run) printDry(ctx context.Context) {
	w := r.opts.DryRun
	var b []byte
	for d := range r.items {
		if ctx.Err() != nil {
			r.events <- event{kind: evUnfinished, d: d}
			continue
		}
		b = r.appendDry(b[:0], d)
		if _, err := w.Write(b); err != nil {
			r.events <- event{kind: evUnfinished, d: d}
			continue
		}
		r.events <- event{kind: evDry, d: d}
	}
}

// dryPreview is how much of a body --dry-run shows.
const dryPreview = 200

// appendDry writes a request as --dry-run shows it: a comment naming the document,
// the request line, the headers, and the start of the body on one line.
func (r *run) appendDry(b []byte, d *doc) []byte {
	s := r.sender
	b = fmt.Appendf(b, "# %s (id %s)\n", d.origin, d.id)
	b = fmt.Appendf(b, "%s %s\n", s.target.Method, s.target.URL)
	if s.host != "" {
		b = fmt.Appendf(b, "Host: %s\n", s.host)
	}
	h := s.header(d.body, d.headers)
	b = fmt.Appendf(b, "Content-Length: %d\n", len(d.body))
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			b = fmt.Appendf(b, "%s: %s\n", k, v)
		}
	}
	b = append(b, '\n')
	return appendPreview(b, d.body)
}

// appendPreview writes the start of body on one line (line breaks become spaces),
// cut at a character boundary, saying how much was left out.
func appendPreview(b, body []byte) []byte {
	n := len(body)
	if n > dryPreview {
		n = dryPreview
		for n > 0 && !utf8.RuneStart(body[n]) {
			n--
		}
	}
	start := len(b)
	b = append(b, body[:n]...)
	for i := start; i < len(b); i++ {
		if b[i] == '\n' || b[i] == '\r' {
			b[i] = ' '
		}
	}
	if rest := len(body) - n; rest > 0 {
		b = fmt.Appendf(b, "… (%d more bytes)", rest)
	}
	return append(b, "\n\n"...)
}
