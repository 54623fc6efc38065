package replay

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says which attempts are retried and how long to wait before each retry.
type RetryPolicy struct {
	Retries int           // retries after the first attempt
	Base    time.Duration // the first backoff's upper bound; doubled for each retry
	Cap     time.Duration // the backoff's largest upper bound; DefaultBackoffCap when 0
	Max     time.Duration // cap on any wait, Retry-After included
}

// DefaultBackoffCap is the default largest backoff between two retries.
const DefaultBackoffCap = 8 * time.Second

// DefaultRetryPolicy rides out a receiver restart of several seconds: eight retries
// after 0.25, 0.5, 1, 2, 4, 8, 8 and 8 s at most (each wait at least half of that),
// so a document is given up on after 16 to 32 s; a Retry-After is honoured up to 30 s.
var DefaultRetryPolicy = RetryPolicy{Retries: 8, Base: 250 * time.Millisecond, Cap: DefaultBackoffCap, Max: 30 * time.Second}

// retryable reports whether an attempt's outcome is worth another try: network errors
// and timeouts, 5xx and 429. Other 4xx mean the receiver refused the document itself,
// and 3xx are not followed (a redirected POST would be sent as a GET).
func retryable(status int, err error) bool {
	if err != nil {
		return !errors.Is(err, errAborted) && !errors.Is(err, context.Canceled)
	}
	return status == http.StatusTooManyRequests || status >= 500
}

// delay is the wait before retry number n (1 for the first retry): the receiver's
// Retry-After when it gave one, else exponential backoff with equal jitter, a uniform
// random wait in [c/2, c] where c = min(Cap, Max, Base·2^(n-1)): the jitter spreads
// the retries of many documents, the lower half keeps the total wait long enough to
// outlast a short outage. Both are capped at Max.
func (p RetryPolicy) delay(n int, retryAfter time.Duration, hasRetryAfter bool) time.Duration {
	maxWait := p.Max
	if maxWait <= 0 {
		maxWait = DefaultRetryPolicy.Max
	}
	if hasRetryAfter {
		return min(max(retryAfter, 0), maxWait)
	}
	limit := p.Cap
	if limit <= 0 {
		limit = DefaultBackoffCap
	}
	limit = min(limit, maxWait)
	ceiling := p.Base
	for i := 1; i < n && ceiling < limit; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, limit)
	if ceiling <= 0 {
		return 0
	}
	half := ceiling / 2
	return half + time.Duration(rand.Int64N(int64(ceiling-half)+1))
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date (RFC 9110
// section 10.2.3). A date in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second) // the caller caps it far lower anyway
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
