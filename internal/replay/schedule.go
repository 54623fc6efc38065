package replay

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Schedule is the rate asked with --rate: steady, a linear ramp, or steps. Its zero
// value is no limit.
type Schedule struct {
	Rates []float64     // one rate: steady; a ramp: from, to; steps: each step's rate
	Ramp  bool          // from Rates[0] to Rates[1] linearly over Span, then Rates[1]
	Span  time.Duration // the ramp's length, or each step's
	text  string
}

// maxRate is the highest rate a schedule takes: a request every nanosecond.
const maxRate = 1e9

// ParseRate reads --rate: "500" (requests a second), "10:500/60s" (a ramp from 10 to
// 500 a second over 60 s, then 500), or "10,50,100/10s" (10 a second for 10 s, then
// 50 for 10 s, then 100 from then on). "0" and "" are no limit.
func ParseRate(s string) (Schedule, error) {
	if s == "" {
		return Schedule{}, nil
	}
	sched := Schedule{text: s}
	body, span, hasSpan := strings.Cut(s, "/")
	bad := func(why string) (Schedule, error) {
		return Schedule{}, fmt.Errorf("bad --rate %q: %s (write 500, a ramp 10:500/60s, or steps 10,50,100/10s)", s, why)
	}
	if hasSpan {
		d, err := time.ParseDuration(span)
		if f, ferr := strconv.ParseFloat(span, 64); ferr == nil {
			d, err = time.Duration(f*float64(time.Second)), nil
		}
		if err != nil || d <= 0 {
			return bad(fmt.Sprintf("%q is not a positive duration", span))
		}
		sched.Span = d
	}
	sep := ","
	if strings.Contains(body, ":") {
		sched.Ramp, sep = true, ":"
	}
	for _, part := range strings.Split(body, sep) {
		r, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || math.IsNaN(r) || r < 0 || r > maxRate {
			return bad(fmt.Sprintf("%q is not a rate from 0 to 1e9 requests a second", part))
		}
		sched.Rates = append(sched.Rates, r)
	}
	last := sched.Rates[len(sched.Rates)-1]
	switch {
	case sched.Ramp && len(sched.Rates) != 2:
		return bad("a ramp is FROM:TO/DURATION")
	case (sched.Ramp || len(sched.Rates) > 1) && !hasSpan:
		return bad("say how long the ramp or each step lasts, e.g. /60s")
	case !sched.Ramp && len(sched.Rates) == 1 && hasSpan:
		return bad("one rate needs no duration")
	case len(sched.Rates) > 1 && last == 0:
		return bad("the last rate must be more than 0")
	case len(sched.Rates) == 1 && last == 0:
		return Schedule{}, nil
	}
	return sched, nil
}

// Limited reports whether the schedule limits the rate at all.
func (s Schedule) Limited() bool { return len(s.Rates) > 0 }

// String is the schedule as given.
func (s Schedule) String() string {
	if !s.Limited() {
		return "0"
	}
	if s.text != "" {
		return s.text
	}
	return strconv.FormatFloat(s.Rates[0], 'g', -1, 64)
}

// Final is the rate the schedule holds in the end.
func (s Schedule) Final() float64 {
	if !s.Limited() {
		return 0
	}
	return s.Rates[len(s.Rates)-1]
}

// At is when request n (from 0) is due, from the start: the time at which the
// schedule's count of requests reaches n.
func (s Schedule) At(n int64) time.Duration {
	x := float64(n)
	var secs float64
	switch {
	case s.Ramp:
		secs = rampAt(s.Rates[0], s.Rates[1], s.Span.Seconds(), x)
	case len(s.Rates) == 1:
		secs = x / s.Rates[0]
	default:
		secs = stepsAt(s.Rates, s.Span.Seconds(), x)
	}
	if secs >= float64(math.MaxInt64)/float64(time.Second) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(secs * float64(time.Second))
}

// rampAt solves count(t) = n for a rate going linearly from r0 to r1 over span
// seconds, then staying at r1: count(t) = r0·t + (r1-r0)·t²/(2·span) up to span.
func rampAt(r0, r1, span, n float64) float64 {
	total := (r0 + r1) / 2 * span
	if n >= total {
		return span + (n-total)/r1
	}
	a := (r1 - r0) / (2 * span)
	if n <= 0 {
		return 0
	}
	if a == 0 {
		return n / r0
	}
	// The root of a·t² + r0·t - n = 0 in [0, span], written to avoid cancellation.
	disc := math.Max(r0*r0+4*a*n, 0)
	return 2 * n / (r0 + math.Sqrt(disc))
}

// stepsAt solves count(t) = n for rates each held span seconds, the last one for good.
func stepsAt(rates []float64, span, n float64) float64 {
	done, start := 0.0, 0.0
	for i, r := range rates {
		last := i == len(rates)-1
		if r > 0 && (last || n < done+r*span) {
			return start + (n-done)/r
		}
		done += r * span
		start += span
	}
	return start // not reached: the last rate is more than 0
}
