package stats

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func collect(t *testing.T, opts Options) *Report {
	t.Helper()
	r, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReportMatchesReference(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 1500
	}
	path, docs := generate(t, n, 11)
	prague, err := time.LoadLocation("Europe/Prague")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name         string
		tz           *time.Location
		since, until time.Time
	}{
		{"all UTC", time.UTC, time.Time{}, time.Time{}},
		{"window Prague", prague, time.Date(2026, 1, 5, 12, 0, 0, 0, prague), time.Date(2026, 1, 6, 3, 30, 0, 0, prague)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			since, until := int64(math.MinInt64), int64(math.MaxInt64)
			if !tc.since.IsZero() {
				since, until = tc.since.UnixMilli(), tc.until.UnixMilli()
			}
			ref := computeReference(t, docs, tc.tz, since, until)
			rep := collect(t, Options{Paths: []string{path}, TZ: tc.tz, Since: tc.since, Until: tc.until, By: ByDay, Top: 1000})
			if ref.chats == 0 || (tc.since.IsZero() && ref.chats != int64(n)) {
				t.Fatalf("reference counted %d chats", ref.chats)
			}
			if rep.Documents.Hooks+rep.Documents.OutsideRange != int64(n) || rep.Documents.Hooks != ref.chats {
				t.Errorf("documents %+v, reference %d chats of %d", rep.Documents, ref.chats, n)
			}
			checkReport(t, rep, ref)
		})
	}
}

// checkReport compares every figure of the chats of a report made with --by day and
// a large --top with the reference.
func checkReport(t *testing.T, rep *Report, ref *reference) {
	t.Helper()
	checkFigures(t, &rep.Chats, ref)
	if rep.Heatmap.Counts != ref.heat {
		t.Errorf("heatmap differs:\n got %v\nwant %v", rep.Heatmap.Counts, ref.heat)
	}
	checkDays(t, rep, ref)
	checkAgents(t, rep.Agents, ref)
	checkCounts(t, "pages", rep.Pages, ref.pages)
	checkCounts(t, "referrers", rep.Referrers, ref.referrers)
	checkCounts(t, "countries", rep.Countries, ref.countries)
}

func checkFigures(t *testing.T, f *Figures, ref *reference) {
	t.Helper()
	got := [6]int64{f.IsChat, f.Missed, f.Offline, f.Triggered, f.Completed, f.Dropped}
	if f.Chats != ref.chats || got != ref.flags {
		t.Errorf("counts %d %v, reference %d %v", f.Chats, got, ref.chats, ref.flags)
	}
	rates := [6]float64{f.Rates.IsChat, f.Rates.Missed, f.Rates.Offline, f.Rates.Triggered, f.Rates.Completed, f.Rates.Dropped}
	for i, r := range rates {
		if want := float64(ref.flags[i]) / float64(ref.chats); math.Abs(r-want) > 0.0000501 {
			t.Errorf("rate %d: %v, reference %v", i, r, want)
		}
	}
	checkDist(t, "first_response_time hook", f.FirstResponseTime.Hook, ref.first)
	checkDist(t, "first_response_time messages", f.FirstResponseTime.Messages, ref.firstMsgs)
	checkDist(t, "response_time hook", f.ResponseTime.Hook, ref.avg)
	checkDist(t, "response_time messages", f.ResponseTime.Messages, ref.avgMsgs)
	checkDist(t, "duration", f.Duration, ref.duration)
	checkDist(t, "messages_per_chat", f.MessagesPerChat, ref.messages)
	if f.Ratings.Distribution != ref.ratings || f.Ratings.WithComment != ref.commented {
		t.Errorf("ratings %v (%d with comment), reference %v (%d)", f.Ratings.Distribution, f.Ratings.WithComment, ref.ratings, ref.commented)
	}
	var rated, sum int64
	for i, n := range ref.ratings {
		rated += n
		sum += int64(i+1) * n
	}
	if f.Ratings.Rated != rated || math.Abs(f.Ratings.Mean-float64(sum)/float64(rated)) > 0.0000501 ||
		math.Abs(f.Ratings.Share-float64(rated)/float64(ref.chats)) > 0.0000501 {
		t.Errorf("ratings rated %d mean %v share %v; reference %d %v %v", f.Ratings.Rated, f.Ratings.Mean, f.Ratings.Share,
			rated, float64(sum)/float64(rated), float64(rated)/float64(ref.chats))
	}
}

func checkDays(t *testing.T, rep *Report, ref *reference) {
	t.Helper()
	if len(rep.Volume) != len(ref.days) || rep.Groups == nil || len(rep.Groups.Rows) != len(ref.days) {
		t.Fatalf("%d volume days, %v groups; reference %d days", len(rep.Volume), rep.Groups, len(ref.days))
	}
	for i, d := range rep.Volume {
		g := rep.Groups.Rows[i]
		if d.Chats != ref.days[d.Date] || g.Key != d.Date || g.Chats != d.Chats || g.Missed != ref.dayMissed[d.Date] {
			t.Errorf("day %s: volume %d, group %s %d chats %d missed; reference %d chats %d missed",
				d.Date, d.Chats, g.Key, g.Chats, g.Missed, ref.days[d.Date], ref.dayMissed[d.Date])
		}
	}
}

func checkAgents(t *testing.T, agents []Agent, ref *reference) {
	t.Helper()
	if len(agents) != len(ref.agents) {
		t.Fatalf("%d agents, reference %d", len(agents), len(ref.agents))
	}
	for _, a := range agents {
		ra := ref.agents[a.ID]
		if ra == nil {
			t.Errorf("agent %s not in the reference", a.ID)
			continue
		}
		if a.Chats != ra.chats || a.Joined != ra.joined || a.Messages != ra.messages || a.FirstResponses != ra.firsts ||
			a.Ratings.Distribution != ra.ratings || a.Name == "" {
			t.Errorf("agent %s (%s): %d chats %d joined %d messages %d first %v ratings; reference %d %d %d %d %v",
				a.ID, a.Name, a.Chats, a.Joined, a.Messages, a.FirstResponses, a.Ratings.Distribution,
				ra.chats, ra.joined, ra.messages, ra.firsts, ra.ratings)
		}
		checkDistWithin(t, "agent "+a.ID+" first response", a.FirstResponseTime, ra.firstTimes, CoarseAlpha)
	}
}

func checkCounts(t *testing.T, name string, got []KeyCount, want map[string]int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d keys, reference %d", name, len(got), len(want))
	}
	for i, kc := range got {
		if want[kc.Key] != kc.Count {
			t.Errorf("%s %q: %d, reference %d", name, kc.Key, kc.Count, want[kc.Key])
		}
		if i > 0 && got[i-1].Count < kc.Count {
			t.Errorf("%s: not in descending order at %q", name, kc.Key)
		}
	}
}

// TestGroupsMatchReference checks --by account, agent, domain, week and month against
// counts made with encoding/json.
func TestGroupsMatchReference(t *testing.T) {
	path, docs := generate(t, 1200, 17)
	want := map[string]map[string]int64{ByAccount: {}, ByAgent: {}, ByDomain: {}, ByWeek: {}, ByMonth: {}}
	for _, doc := range docs {
		var h refHook
		if err := json.Unmarshal(doc, &h); err != nil {
			t.Fatal(err)
		}
		want[ByAccount][strconv.FormatInt(h.AccountID, 10)]++
		took := map[string]bool{}
		for _, m := range h.Messages {
			from, _ := m.From.(string)
			if id, ok := strings.CutPrefix(from, "agent:"); ok && (m.Type == "agent" || m.Content == "agent.join") {
				took[id] = true
			}
		}
		for id := range took {
			want[ByAgent][id]++
		}
		if len(took) == 0 {
			want[ByAgent]["(none)"]++
		}
		domain := "(none)"
		if len(h.Paths) > 0 {
			u, err := url.Parse(h.Paths[0].URL)
			if err != nil {
				t.Fatal(err)
			}
			domain = u.Hostname()
		}
		want[ByDomain][domain]++
		begin := time.UnixMilli(h.BeginAt).UTC()
		y, w := begin.ISOWeek()
		want[ByWeek][fmt.Sprintf("%d-W%02d", y, w)]++
		want[ByMonth][begin.Format("2006-01")]++
	}
	for by, counts := range want {
		rep := collect(t, Options{Paths: []string{path}, By: by, TZ: time.UTC})
		got := map[string]int64{}
		for _, g := range rep.Groups.Rows {
			got[g.Key] = g.Chats
		}
		if !reflect.DeepEqual(got, counts) || len(counts) < 2 && by != ByWeek && by != ByMonth {
			t.Errorf("--by %s: %v, reference %v", by, got, counts)
		}
	}
}
