package stats

import (
	"cmp"
	"math"
	"slices"
)

// Sketch is a mergeable quantile sketch in the manner of DDSketch: positive values fall
// into logarithmic buckets whose bounds grow by the factor gamma, so any quantile it
// returns is within a relative error of Alpha of the exact nearest-rank value, whatever
// the distribution. Memory depends on the range of the values (about 230 buckets per
// factor of ten, at most maxBuckets), never on their number, and two sketches merge by
// adding counts: the sketch of a whole input equals the merge of the sketches of its
// parts. Buckets are made only once a sketch has seen more than maxExact distinct
// values; until then it keeps them exactly and answers exactly.
type Sketch struct {
	counts []uint64 // counts[i] is bucket offset+i
	offset int
	zero   uint64  // values at or below minValue (zero response times)
	n      uint64  // all values
	sum    float64 // for the exact mean
	min    float64
	max    float64

	// Until it holds more than maxExact distinct values the sketch also keeps them
	// exactly, sorted, and answers exactly: small inputs get exact quantiles.
	exact   []valueCount
	inexact bool

	p *precision // nil: the fine precision
}

// precision is a sketch's accuracy and its memory bounds. Sketches merge only with
// sketches of the same precision.
type precision struct {
	alpha, gamma, logGamma float64
	maxBuckets, maxExact   int
}

func newPrecision(alpha float64, maxBuckets, maxExact int) *precision {
	g := (1 + alpha) / (1 - alpha)
	return &precision{alpha: alpha, gamma: g, logGamma: math.Log(g), maxBuckets: maxBuckets, maxExact: maxExact}
}

var (
	// fine is the precision of the figures over all chats: 0.5%, exact up to 256
	// distinct values, at most 2048 buckets (16 KiB).
	fine = newPrecision(Alpha, 2048, 256)
	// coarse is the precision of the figures per group and per agent, of which there
	// may be thousands: 2%, exact up to 64 distinct values, at most 256 buckets
	// (2 KiB), which still cover a factor of 28,000 (a second to eight hours) fully.
	coarse = newPrecision(CoarseAlpha, 256, 64)
)

// CoarseAlpha is the relative accuracy of the per-group and per-agent percentiles.
const CoarseAlpha = 0.02

// prec is the sketch's precision.
func (s *Sketch) prec() *precision {
	if s.p == nil {
		return fine
	}
	return s.p
}

// valueCount is a distinct value and how often it was added.
type valueCount struct {
	v float64
	n uint64
}

// Alpha is the sketch's relative accuracy.
const Alpha = 0.005

// Values beyond these are counted at the bounds, so a hostile value cannot make the
// bucket array huge.
const (
	minValue = 1e-3 // a millisecond
	maxValue = 1e12 // about 31,700 years in seconds
)

// Add counts one value. Negative values count as 0 and values beyond maxValue as
// maxValue (NaN is ignored), so one absurd value cannot spoil the mean or the array.
func (s *Sketch) Add(v float64) {
	if math.IsNaN(v) {
		return
	}
	v = min(max(v, 0), maxValue)
	if s.n == 0 || v < s.min {
		s.min = v
	}
	if s.n == 0 || v > s.max {
		s.max = v
	}
	s.n++
	s.sum += v
	if s.inexact {
		s.addValue(v, 1)
	} else {
		s.addExact(v, 1)
	}
}

// addValue counts v c times in the buckets.
func (s *Sketch) addValue(v float64, c uint64) {
	if v <= minValue {
		s.zero += c
		return
	}
	s.addBucket(s.bucketOf(v), c)
}

// toBuckets gives up the exact list: its values go to the buckets.
func (s *Sketch) toBuckets() {
	if s.inexact {
		return
	}
	for _, e := range s.exact {
		s.addValue(e.v, e.n)
	}
	s.exact, s.inexact = nil, true
}

// bucketOf is the index i whose bucket (gamma^(i-1), gamma^i] holds v.
func (s *Sketch) bucketOf(v float64) int {
	return int(math.Ceil(math.Log(v) / s.prec().logGamma))
}

// addBucket adds c to bucket i, moving or growing the array as needed. The array
// grows by doubling (also downwards) and slides in place once it is full, so adding
// values rarely allocates.
func (s *Sketch) addBucket(i int, c uint64) {
	maxBuckets := s.prec().maxBuckets
	if len(s.counts) == 0 {
		s.counts = append(make([]uint64, 0, min(64, maxBuckets)), 0)
		s.offset = i
	}
	switch hi := s.offset + len(s.counts) - 1; {
	case i > hi:
		if i-s.offset >= maxBuckets {
			s.slide(i - maxBuckets + 1)
		}
		if need := i - s.offset + 1; need > cap(s.counts) {
			// Grow by doubling, but never past the cap.
			grown := make([]uint64, len(s.counts), min(max(need, 2*cap(s.counts)), maxBuckets))
			copy(grown, s.counts)
			s.counts = grown
		}
		s.counts = s.counts[:i-s.offset+1]
	case i < s.offset:
		if hi-i >= maxBuckets {
			s.counts[0] += c
			return
		}
		// Room below for at least as many buckets again, within the cap.
		grow := min(max(s.offset-i, len(s.counts)), maxBuckets-len(s.counts))
		grown := make([]uint64, len(s.counts)+grow, max(cap(s.counts), len(s.counts)+grow))
		copy(grown[grow:], s.counts)
		s.counts, s.offset = grown, s.offset-grow
	}
	s.counts[i-s.offset] += c
}

// slide moves the array up so that it starts at bucket low; the buckets below fold
// into it.
func (s *Sketch) slide(low int) {
	d := low - s.offset
	var folded uint64
	for _, c := range s.counts[:min(d, len(s.counts))] {
		folded += c
	}
	n := 0
	if d < len(s.counts) {
		n = copy(s.counts, s.counts[d:])
	}
	clear(s.counts[n:])
	s.counts = s.counts[:max(n, 1)]
	s.counts[0] += folded
	s.offset = low
}

// Merge adds every value of o to s.
func (s *Sketch) Merge(o *Sketch) {
	if o.n == 0 {
		return
	}
	if s.n == 0 || o.min < s.min {
		s.min = o.min
	}
	if s.n == 0 || o.max > s.max {
		s.max = o.max
	}
	s.n += o.n
	s.sum += o.sum
	if !o.inexact {
		for _, e := range o.exact {
			if s.inexact {
				s.addValue(e.v, e.n)
			} else {
				s.addExact(e.v, e.n)
			}
		}
		return
	}
	s.toBuckets()
	s.zero += o.zero
	for i, c := range o.counts {
		if c > 0 {
			s.addBucket(o.offset+i, c)
		}
	}
}

// Count is the number of values.
func (s *Sketch) Count() uint64 { return s.n }

// Mean is the exact mean (0 without values).
func (s *Sketch) Mean() float64 {
	if s.n == 0 {
		return 0
	}
	return s.sum / float64(s.n)
}

// Quantile estimates the nearest-rank q-quantile (0 <= q <= 1): the value of rank
// ceil(q·n) in sorted order. The estimate is within Alpha of it, relatively, and
// within [min, max]; it is exact while the sketch has seen at most maxExact distinct
// values. It is 0 without values.
func (s *Sketch) Quantile(q float64) float64 {
	if s.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(s.n)))
	rank = max(rank, 1)
	if !s.inexact {
		var seen uint64
		for _, e := range s.exact {
			if seen += e.n; seen >= rank {
				return e.v
			}
		}
	}
	if rank <= s.zero {
		return s.min
	}
	seen := s.zero
	for i, c := range s.counts {
		seen += c
		if seen >= rank {
			// The bucket's middle in relative terms: within Alpha of any value in it.
			g := s.prec().gamma
			v := 2 * math.Pow(g, float64(s.offset+i)) / (g + 1)
			return min(max(v, s.min), s.max)
		}
	}
	return s.max
}

// addExact counts v in the exact list, or gives the list up once it is too long.
func (s *Sketch) addExact(v float64, n uint64) {
	i, found := slices.BinarySearchFunc(s.exact, v, func(e valueCount, v float64) int { return cmp.Compare(e.v, v) })
	if found {
		s.exact[i].n += n
		return
	}
	if len(s.exact) == s.prec().maxExact {
		s.toBuckets()
		s.addValue(v, n)
		return
	}
	s.exact = slices.Insert(s.exact, i, valueCount{v, n})
}

// Histogram counts the values into the bins [edges[i], edges[i+1]), the last bin
// open-ended. Exact values are binned as they are; past maxExact distinct values a
// bucket goes to the bin of its middle, so a bin edge is blurred by at most Alpha.
func (s *Sketch) Histogram(edges []float64) []uint64 {
	bins := make([]uint64, len(edges))
	bin := func(v float64) int {
		i, _ := slices.BinarySearch(edges, v)
		if i == len(edges) || edges[i] != v {
			i--
		}
		return max(i, 0)
	}
	if !s.inexact {
		for _, e := range s.exact {
			bins[bin(e.v)] += e.n
		}
		return bins
	}
	bins[0] += s.zero
	g := s.prec().gamma
	for i, c := range s.counts {
		if c > 0 {
			bins[bin(2*math.Pow(g, float64(s.offset+i))/(g+1))] += c
		}
	}
	return bins
}
