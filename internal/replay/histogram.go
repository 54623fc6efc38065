package replay

import (
	"math/bits"
	"time"
)

// histogram counts latencies in fixed log-linear buckets, as HDR histograms do: values
// below 64 µs are exact, larger ones fall in one of 64 buckets per power of two, so a
// quantile is off by at most 1/64 (1.6 %) and memory stays the same however many
// values are recorded.
type histogram struct {
	counts [histBuckets]uint64
	total  uint64
	max    time.Duration
}

const (
	histSubBits = 6
	histSub     = 1 << histSubBits // buckets per power of two
	histMaxExp  = 40               // 2^40 µs is about 12 days: larger values are clamped
	histBuckets = histSub + histMaxExp*histSub
)

// bucketOf maps a value in microseconds to its bucket.
func bucketOf(us uint64) int {
	if us < histSub {
		return int(us)
	}
	shift := bits.Len64(us) - histSubBits - 1 // us>>shift is in [64, 128)
	if shift >= histMaxExp {
		return histBuckets - 1
	}
	return histSub + shift*histSub + int(us>>shift) - histSub
}

// bucketHigh is the largest value in microseconds that falls in bucket i.
func bucketHigh(i int) uint64 {
	if i < histSub {
		return uint64(i)
	}
	shift := (i - histSub) / histSub
	mant := uint64((i-histSub)%histSub + histSub)
	return (mant+1)<<shift - 1
}

// record adds one latency.
func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d/time.Microsecond))]++
	h.total++
	if d > h.max {
		h.max = d
	}
}

// quantile returns the latency below which a fraction q of the values fall (0 when
// nothing was recorded), never more than the largest value seen.
func (h *histogram) quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := uint64(q*float64(h.total) + 0.5)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, n := range h.counts {
		seen += n
		if seen >= rank {
			d := time.Duration(bucketHigh(i)) * time.Microsecond
			return min(d, h.max)
		}
	}
	return h.max
}
