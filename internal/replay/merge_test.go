package replay

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// Reports of shards, through their JSON, merge into the report of one run: the same
// counts and exactly the same latency quantiles (not their average).
func TestMergeReportsIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var whole histogram
	parts := make([]histogram, 3)
	wholeRep := &Report{Status: map[string]int{}}
	reps := make([]*Report, 3)
	for i := range reps {
		reps[i] = &Report{Status: map[string]int{}}
	}
	for i := range 5000 {
		// Shards see different latencies: a mean of their quantiles would be wrong.
		p := i % 3
		d := time.Duration(rng.ExpFloat64()*float64(p+1)*20) * time.Millisecond
		whole.record(d)
		parts[p].record(d)
		for _, r := range []*Report{wholeRep, reps[p]} {
			r.Documents++
			r.Sent++
			r.Requests++
			if i%50 == 0 {
				r.Failed++
				r.count("503")
			} else {
				r.Delivered++
				r.count("200")
			}
		}
	}
	wholeRep.fill(2*time.Second, &whole)
	var decoded []*Report
	for i, r := range reps {
		r.fill(time.Duration(i+1)*time.Second, &parts[i])
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Report
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		decoded = append(decoded, &back)
	}
	merged, err := MergeReports(decoded)
	if err != nil {
		t.Fatal(err)
	}
	if merged.Latency != wholeRep.Latency {
		t.Errorf("merged latency %+v, one run %+v", merged.Latency, wholeRep.Latency)
	}
	if !reflect.DeepEqual(merged.Histogram, wholeRep.Histogram) {
		t.Errorf("merged histogram differs from one run's")
	}
	if merged.Documents != 5000 || merged.Delivered != wholeRep.Delivered || !reflect.DeepEqual(merged.Status, wholeRep.Status) {
		t.Errorf("merged counts %d/%d %v, want %d/%d %v", merged.Documents, merged.Delivered, merged.Status,
			wholeRep.Documents, wholeRep.Delivered, wholeRep.Status)
	}
	if merged.ElapsedSeconds != 3 || merged.RequestsPerSecond != round3(5000.0/3) {
		t.Errorf("merged elapsed %v s at %v/s, want the longest run, 3 s", merged.ElapsedSeconds, merged.RequestsPerSecond)
	}
	mean := (reps[0].Latency.P99 + reps[1].Latency.P99 + reps[2].Latency.P99) / 3
	if merged.Latency.P99 == mean {
		t.Errorf("p99 is the mean of the shards' p99")
	}
}

func TestMergeReportsRefusesBadBuckets(t *testing.T) {
	r := &Report{Documents: 1, Histogram: &Buckets{Counts: [][2]uint64{{histBuckets, 1}}}}
	if _, err := MergeReports([]*Report{r}); err == nil {
		t.Error("a bucket out of range was accepted")
	}
	if _, err := MergeReports([]*Report{{Documents: 1}}); err == nil {
		t.Error("a report without histogram was accepted")
	}
}
