package replay

import (
	"context"
	"sync"
	"time"
)

// limiter spaces requests as a Schedule says. Request n (counting retries) is due at
// start + schedule.At(n), start being the first request's time: a fixed grid, so the
// count over a long run is exact, waits that end late do not push later slots back,
// and a request sent late (the workers were all busy) keeps its slot as its scheduled
// time, from which its latency is also measured (no coordinated omission, as wrk2).
// Slots missed while the workers were busy are caught up as fast as they allow.
type limiter struct {
	mu      sync.Mutex
	sched   Schedule
	n       int64
	start   time.Time
	started bool
	now     func() time.Time
}

// newLimiter returns a limiter for the schedule, or nil for no limit.
func newLimiter(sched Schedule, now func() time.Time) *limiter {
	if !sched.Limited() {
		return nil
	}
	return &limiter{sched: sched, now: now}
}

// reserve takes the next slot and returns when it begins.
func (l *limiter) reserve() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.started {
		l.start, l.started = l.now(), true
	}
	t := l.start.Add(l.sched.At(l.n))
	l.n++
	return t
}

// wait blocks until the caller's slot begins, or ctx ends, and returns the slot (zero
// without a limit).
func (l *limiter) wait(ctx context.Context) (time.Time, error) {
	if l == nil {
		return time.Time{}, ctx.Err()
	}
	slot := l.reserve()
	return slot, sleepUntil(ctx, slot, l.now)
}

// pacer keeps the documents' own spacing: a document with time t (Unix ms) is due at
// start + (t - first)/speed, where first is the time of the first document paced.
type pacer struct {
	speed float64
	start time.Time
	first int64
	begun bool
	now   func() time.Time
}

// due returns when a document with time t should be sent. Documents without a time
// (ok false) and documents earlier than the first are due at once.
func (p *pacer) due(t int64, ok bool) time.Time {
	now := p.now()
	if !ok {
		return now
	}
	if !p.begun {
		p.begun, p.start, p.first = true, now, t
	}
	offset := time.Duration(float64(t-p.first) * float64(time.Millisecond) / p.speed)
	if offset < 0 {
		return now
	}
	return p.start.Add(offset)
}

// sleepUntil waits until t or until ctx ends (then it returns ctx.Err()).
func sleepUntil(ctx context.Context, t time.Time, now func() time.Time) error {
	d := t.Sub(now())
	if d <= 0 {
		return ctx.Err()
	}
	return sleepFor(ctx, d)
}

// sleepFor waits d or until ctx ends.
func sleepFor(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
