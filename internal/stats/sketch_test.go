package stats

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestSketchAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		draw func() float64
	}{
		{"uniform", func() float64 { return rng.Float64() * 1000 }},
		{"exponential", func() float64 { return rng.ExpFloat64() * 30 }},
		{"lognormal", func() float64 { return math.Exp(rng.NormFloat64()*2 + 3) }},
		{"integers with zeros", func() float64 { return float64(rng.IntN(60)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s Sketch
			vs := make([]float64, 20000)
			for i := range vs {
				vs[i] = tc.draw()
				s.Add(vs[i])
			}
			for _, q := range []float64{0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1} {
				want, got := exactQuantile(vs, q), s.Quantile(q)
				if want <= minValue {
					if got > minValue {
						t.Errorf("q%v: %v, want about 0", q, got)
					}
					continue
				}
				if math.Abs(got-want) > want*Alpha*1.0000001 {
					t.Errorf("q%v: %v, exact %v: relative error %v > %v", q, got, want, math.Abs(got-want)/want, Alpha)
				}
			}
			if math.Abs(s.Mean()-mean(vs)) > 1e-9*math.Max(1, mean(vs)) {
				t.Errorf("mean %v, exact %v", s.Mean(), mean(vs))
			}
		})
	}
}

// TestSketchMerge checks that shards merge into exactly the sketch of the whole.
func TestSketchMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var whole Sketch
	parts := make([]Sketch, 5)
	for i := 0; i < 50000; i++ {
		v := math.Exp(rng.NormFloat64()*3) * float64(rng.IntN(2)) // zeros too
		whole.Add(v)
		parts[rng.IntN(len(parts))].Add(v)
	}
	var merged Sketch
	for _, order := range [][]int{{4, 0, 3, 1, 2}} {
		for _, i := range order {
			merged.Merge(&parts[i])
		}
	}
	if !sameBuckets(&merged, &whole) || merged.zero != whole.zero ||
		merged.n != whole.n || merged.min != whole.min || merged.max != whole.max {
		t.Fatalf("merged sketch differs from the whole: offset %d/%d, n %d/%d, zero %d/%d",
			merged.offset, whole.offset, merged.n, whole.n, merged.zero, whole.zero)
	}
	for _, q := range []float64{0.1, 0.5, 0.9, 0.99} {
		if merged.Quantile(q) != whole.Quantile(q) {
			t.Errorf("q%v: merged %v, whole %v", q, merged.Quantile(q), whole.Quantile(q))
		}
	}
	if math.Abs(merged.sum-whole.sum) > 1e-6*whole.sum {
		t.Errorf("sum %v, whole %v", merged.sum, whole.sum)
	}
	var empty Sketch
	merged.Merge(&empty)
	empty.Merge(&merged)
	if empty.Quantile(0.5) != whole.Quantile(0.5) || empty.Count() != whole.Count() {
		t.Error("merging with an empty sketch changed it")
	}
}

// TestSketchBounded checks that extreme values cannot grow the bucket array without
// bound, and that NaN is ignored.
func TestSketchBounded(t *testing.T) {
	var s Sketch
	for _, v := range []float64{1e-300, 1e300, math.Inf(1), -5, math.NaN(), 1, math.MaxFloat64} {
		s.Add(v)
	}
	if len(s.counts) > 4000 {
		t.Fatalf("%d buckets for extreme values", len(s.counts))
	}
	if s.Count() != 6 {
		t.Errorf("count %d, want 6 (NaN ignored)", s.Count())
	}
	if s.Quantile(0) != 0 || s.Quantile(1) != maxValue || s.max != maxValue {
		t.Errorf("extremes %v %v", s.Quantile(0), s.Quantile(1))
	}
}

// TestSketchWideRange feeds values over fourteen orders of magnitude in both orders:
// the bucket array stays capped and the high quantiles stay accurate.
func TestSketchWideRange(t *testing.T) {
	for _, up := range []bool{true, false} {
		var s Sketch
		var vs []float64
		for i := 0; i < 3000; i++ {
			e := float64(i) / 3000 * 14
			if !up {
				e = 14 - e
			}
			v := math.Pow(10, e-2)
			vs = append(vs, v)
			s.Add(v)
		}
		if len(s.counts) > fine.maxBuckets {
			t.Fatalf("%d buckets, cap %d", len(s.counts), fine.maxBuckets)
		}
		for _, q := range []float64{0.5, 0.9, 0.99} {
			want, got := exactQuantile(vs, q), s.Quantile(q)
			if math.Abs(got-want) > want*Alpha*1.0000001 {
				t.Errorf("ascending=%v q%v: %v, exact %v", up, q, got, want)
			}
		}
		if s.Count() != 3000 {
			t.Errorf("count %d", s.Count())
		}
	}
}

// TestSketchMergeExactLists checks merging below and across the exact limit.
func TestSketchMergeExactLists(t *testing.T) {
	var a, b, whole Sketch
	for i := 0; i < 200; i++ {
		a.Add(float64(i))
		b.Add(float64(i + 100))
		whole.Add(float64(i))
		whole.Add(float64(i + 100))
	}
	a.Merge(&b)
	if !sameBuckets(&a, &whole) || a.inexact != whole.inexact || !reflect.DeepEqual(a.exact, whole.exact) || !whole.inexact {
		t.Fatalf("merge across the exact limit differs: inexact %v/%v", a.inexact, whole.inexact)
	}
	var c, d Sketch
	c.Add(3)
	d.Add(3)
	d.Add(7)
	c.Merge(&d)
	if c.inexact || c.Quantile(0.5) != 3 || c.Quantile(1) != 7 || c.Count() != 3 {
		t.Errorf("small merge: %+v", c)
	}
}

// sameBuckets compares the non-empty buckets of two sketches (their arrays may differ
// in empty room at either end).
func sameBuckets(a, b *Sketch) bool {
	nonEmpty := func(s *Sketch) map[int]uint64 {
		m := map[int]uint64{}
		for i, c := range s.counts {
			if c > 0 {
				m[s.offset+i] = c
			}
		}
		return m
	}
	return reflect.DeepEqual(nonEmpty(a), nonEmpty(b))
}
