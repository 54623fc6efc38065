package replay

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Buckets is a latency histogram as the JSON report carries it, so that reports of
// shards merge exactly: MaxUS is the largest latency in microseconds, Counts the
// non-empty buckets as [bucket, count] pairs in bucket order (see histogram).
type Buckets struct {
	MaxUS  int64       `json:"max_us"`
	Counts [][2]uint64 `json:"counts"`
}

// bucketsOf is the histogram's JSON form.
func bucketsOf(h *histogram) *Buckets {
	b := &Buckets{MaxUS: int64(h.max / time.Microsecond), Counts: [][2]uint64{}}
	for i, n := range h.counts {
		if n > 0 {
			b.Counts = append(b.Counts, [2]uint64{uint64(i), n})
		}
	}
	return b
}

// addTo adds the buckets into h.
func (b *Buckets) addTo(h *histogram) error {
	for _, c := range b.Counts {
		if c[0] >= histBuckets {
			return fmt.Errorf("latency bucket %d out of range (0 to %d)", c[0], histBuckets-1)
		}
		h.counts[c[0]] += c[1]
		h.total += c[1]
	}
	h.max = max(h.max, time.Duration(b.MaxUS)*time.Microsecond)
	return nil
}

// MergeReports adds up the reports of runs over parts of the same documents (shards)
// into the report one run over all of them gives: counts are summed, latency
// quantiles come from the merged histograms (exact, never averaged), the elapsed time
// is the longest run's (shards run side by side) and failures of the same reason are
// one. Each report must carry its histograms (a report of --report json does).
func MergeReports(reps []*Report) (*Report, error) {
	out := &Report{Status: map[string]int{}, Kind: reportKind}
	var hist, sched histogram
	failures := map[string]*Failure{}
	for i, r := range reps {
		if r.Documents > 0 && r.Histogram == nil {
			return nil, fmt.Errorf("report %d has no latency histogram (it was written by an older smarthook)", i+1)
		}
		addCounts(out, r)
		for k, n := range r.Status {
			out.Status[k] += n
		}
		out.ElapsedSeconds = max(out.ElapsedSeconds, r.ElapsedSeconds)
		out.Interrupted = out.Interrupted || r.Interrupted
		if out.RateAsked == "" {
			out.RateAsked = r.RateAsked
		}
		if r.Headers != nil {
			if out.Headers == nil {
				out.Headers = &HeaderCounts{}
			}
			out.Headers.Applied += r.Headers.Applied
			out.Headers.Missing += r.Headers.Missing
			out.Headers.Mismatch += r.Headers.Mismatch
		}
		if err := addBuckets(&hist, r.Histogram); err != nil {
			return nil, fmt.Errorf("report %d: %w", i+1, err)
		}
		if err := addBuckets(&sched, r.ScheduleHistogram); err != nil {
			return nil, fmt.Errorf("report %d: %w", i+1, err)
		}
		for _, f := range r.Failures {
			if m, ok := failures[f.Reason]; ok {
				m.Count += f.Count
				m.Documents += f.Documents
			} else {
				f := f
				failures[f.Reason] = &f
			}
		}
	}
	if out.ElapsedSeconds > 0 {
		out.RequestsPerSecond = round3(float64(out.Requests) / out.ElapsedSeconds)
	}
	out.Latency = latencyOf(&hist)
	out.Histogram = bucketsOf(&hist)
	if sched.total > 0 {
		l := latencyOf(&sched)
		out.LatencyFromSchedule, out.ScheduleHistogram = &l, bucketsOf(&sched)
	}
	out.Failures = make([]Failure, 0, len(failures))
	for _, f := range failures {
		out.Failures = append(out.Failures, *f)
	}
	slices.SortFunc(out.Failures, func(a, b Failure) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Reason, b.Reason))
	})
	return out, nil
}

func addBuckets(h *histogram, b *Buckets) error {
	if b == nil {
		return nil
	}
	return b.addTo(h)
}

// addCounts adds r's document and request counts into out.
func addCounts(out, r *Report) {
	out.Documents += r.Documents
	out.AlreadyDelivered += r.AlreadyDelivered
	out.Filtered += r.Filtered
	out.Invalid += r.Invalid
	out.InvalidSent += r.InvalidSent
	out.Sent += r.Sent
	out.Delivered += r.Delivered
	out.Failed += r.Failed
	out.Unfinished += r.Unfinished
	out.DryRun += r.DryRun
	out.Requests += r.Requests
	out.Retried += r.Retried
}
