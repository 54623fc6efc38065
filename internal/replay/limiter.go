package replay

import (
	"context"
	"sync"
	"time"
)

// limiter spaces requests evenly at a steady rate. Each request reserves the next slot
// on a fixed grid (start, start+1/rate, ...), so the count over a long run is exact:
// waits that end late do not push later slots back. Slots left unused are not saved up
// beyond a quarter second, so a long pause is not followed by a flood.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	burst    time.Duration // how far behind now a slot may be and still be taken
	next     time.Time
	now      func() time.Time
}

// newLimiter returns a limiter for rate requests a second, or nil for no limit.
func newLimiter(rate float64, now func() time.Time) *limiter {
	if rate <= 0 {
		return nil
	}
	interval := time.Duration(float64(time.Second) / rate)
	if interval <= 0 {
		interval = 1
	}
	// Slots missed in the last quarter second (at least one) are caught up: a stall of
	// the receiver or of this machine does not lower the long-run rate.
	burst := max(interval, 250*time.Millisecond)
	return &limiter{interval: interval, burst: burst, next: now(), now: now}
}

// reserve takes the next slot and returns when it begins.
func (l *limiter) reserve() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.next
	if floor := l.now().Add(-l.burst); t.Before(floor) {
		t = floor
	}
	l.next = t.Add(l.interval)
	return t
}

// wait blocks until the caller's slot begins, or ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	if l == nil {
		return ctx.Err()
	}
	return sleepUntil(ctx, l.reserve(), l.now)
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
