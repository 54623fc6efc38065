package stats

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
)

// refHook is a POST hook as encoding/json reads it: the reference decodes with the
// standard library, not with the core's scanner.
type refHook struct {
	AccountID int64 `json:"accountId"`
	BeginAt   int64 `json:"beginAt"`
	EndAt     int64 `json:"endAt"`
	Channel   struct {
		IsChat, IsMissed, IsTriggered, IsOffline, IsCompleted, IsDropped bool
		Duration, AvgResponse, FirstResponse                             *int64
		Rating                                                           *int64
		RatingDesc                                                       *string
	} `json:"channel"`
	Visitor struct {
		CountryCode *string `json:"countryCode"`
		Country     *string `json:"country"`
		Referer     string  `json:"referer"`
	} `json:"visitor"`
	Paths []struct {
		URL string `json:"url"`
	} `json:"paths"`
	Messages []struct {
		Type        string  `json:"type"`
		Name        string  `json:"name"`
		From        any     `json:"from"`
		Content     string  `json:"content"`
		SentAt      int64   `json:"sentAt"`
		TriggeredBy *string `json:"triggeredBy"`
	} `json:"messages"`
}

// refAgent is the reference's count for one agent.
type refAgent struct {
	chats, joined, messages, firsts int64
	firstTimes                      []float64
	ratings                         [5]int64
}

// reference is the straightforward computation the report is checked against.
type reference struct {
	chats                                              int64
	flags                                              [6]int64 // isChat, missed, offline, triggered, completed, dropped
	first, avg, firstMsgs, avgMsgs, duration, messages []float64
	ratings                                            [5]int64
	commented                                          int64
	heat                                               [7][24]int64
	days                                               map[string]int64
	dayMissed                                          map[string]int64
	agents                                             map[string]*refAgent
	pages, referrers, countries                        map[string]int64
}

func computeReference(t *testing.T, docs [][]byte, tz *time.Location, since, until int64) *reference {
	r := &reference{days: map[string]int64{}, dayMissed: map[string]int64{}, agents: map[string]*refAgent{},
		pages: map[string]int64{}, referrers: map[string]int64{}, countries: map[string]int64{}}
	for _, doc := range docs {
		var h refHook
		if err := json.Unmarshal(doc, &h); err != nil {
			t.Fatal(err)
		}
		if h.BeginAt < since || h.BeginAt >= until {
			continue
		}
		r.chats++
		c := &h.Channel
		for i, b := range []bool{c.IsChat, c.IsMissed, c.IsOffline, c.IsTriggered, c.IsCompleted, c.IsDropped} {
			if b {
				r.flags[i]++
			}
		}
		if c.FirstResponse != nil {
			r.first = append(r.first, float64(*c.FirstResponse))
		}
		if c.AvgResponse != nil {
			r.avg = append(r.avg, float64(*c.AvgResponse))
		}
		r.duration = append(r.duration, float64(*c.Duration))
		rating := 0
		if c.Rating != nil {
			rating = int(*c.Rating)
			r.ratings[rating-1]++
			if c.RatingDesc != nil && *c.RatingDesc != "" {
				r.commented++
			}
		}
		begin := time.UnixMilli(h.BeginAt).In(tz)
		r.heat[(int(begin.Weekday())+6)%7][begin.Hour()]++
		day := begin.Format("2006-01-02")
		r.days[day]++
		if c.IsMissed {
			r.dayMissed[day]++
		}
		// Responses from message times, and who took part.
		pending, n, sum := int64(-1), 0, int64(0)
		firstAgent := ""
		var nmsg int
		took := map[string]bool{}
		for _, m := range h.Messages {
			from, _ := m.From.(string)
			agent := strings.TrimPrefix(from, "agent:")
			isAgent := strings.HasPrefix(from, "agent:")
			switch {
			case m.Type == "visitor":
				nmsg++
				if pending < 0 {
					pending = m.SentAt
				}
			case m.Type == "agent":
				nmsg++
				if from == "system" || m.TriggeredBy != nil {
					continue
				}
				r.agent(agent).messages++
				took[agent] = true
				if pending >= 0 {
					if n == 0 {
						r.firstMsgs = append(r.firstMsgs, float64(m.SentAt-pending)/1000)
						firstAgent = agent
						ra := r.agent(agent)
						ra.firsts++
						ra.firstTimes = append(ra.firstTimes, float64(m.SentAt-pending)/1000)
					}
					n++
					sum += m.SentAt - pending
					pending = -1
				}
			case m.Type == "system" && m.Content == "agent.join" && isAgent:
				r.agent(agent).joined++
				took[agent] = true
			}
		}
		_ = firstAgent
		if n > 0 {
			r.avgMsgs = append(r.avgMsgs, float64(sum)/float64(n)/1000)
		}
		r.messages = append(r.messages, float64(nmsg))
		for a := range took {
			r.agents[a].chats++
			if rating > 0 {
				r.agents[a].ratings[rating-1]++
			}
		}
		for _, p := range h.Paths {
			r.pages[p.URL]++
		}
		if h.Visitor.Referer != "" {
			r.referrers[h.Visitor.Referer]++
		}
		switch {
		case h.Visitor.CountryCode != nil && *h.Visitor.CountryCode != "":
			r.countries[strings.ToUpper(*h.Visitor.CountryCode)]++
		case h.Visitor.Country != nil && *h.Visitor.Country != "":
			r.countries[*h.Visitor.Country]++
		default:
			r.countries["(unknown)"]++
		}
	}
	return r
}

func (r *reference) agent(id string) *refAgent {
	if r.agents[id] == nil {
		r.agents[id] = &refAgent{}
	}
	return r.agents[id]
}

// exactQuantile is the nearest-rank quantile of vs.
func exactQuantile(vs []float64, q float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	k := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(k, 0)]
}

func mean(vs []float64) float64 {
	var s float64
	for _, v := range vs {
		s += v
	}
	return s / float64(len(vs))
}

// checkDist compares a reported distribution with the exact values: count exactly,
// mean to its rounding, quantiles within the sketch's relative error plus rounding.
func checkDist(t *testing.T, name string, got Dist, vs []float64) {
	t.Helper()
	checkDistWithin(t, name, got, vs, Alpha)
}

// checkDistWithin is checkDist for a sketch of relative accuracy alpha.
func checkDistWithin(t *testing.T, name string, got Dist, vs []float64, alpha float64) {
	t.Helper()
	if got.Count != uint64(len(vs)) {
		t.Errorf("%s: count %d, reference %d", name, got.Count, len(vs))
		return
	}
	if len(vs) == 0 {
		return
	}
	if m := mean(vs); math.Abs(got.Mean-m) > 0.0006 {
		t.Errorf("%s: mean %v, reference %v", name, got.Mean, m)
	}
	for _, q := range []struct {
		q   float64
		got float64
	}{{0.5, got.P50}, {0.9, got.P90}, {0.99, got.P99}} {
		want := exactQuantile(vs, q.q)
		if math.Abs(q.got-want) > want*alpha+0.051 {
			t.Errorf("%s: p%v %v, reference %v (allowed error %.3f)", name, q.q*100, q.got, want, want*alpha+0.05)
		}
	}
	if math.Abs(got.Min-slices.Min(vs)) > 0.0006 || math.Abs(got.Max-slices.Max(vs)) > 0.0006 {
		t.Errorf("%s: min/max %v/%v, reference %v/%v", name, got.Min, got.Max, slices.Min(vs), slices.Max(vs))
	}
}

// generate writes n fake hooks as NDJSON and returns the file and the documents.
func generate(t *testing.T, n int, seed int64) (string, [][]byte) {
	g := fake.New(fake.Options{Seed: seed})
	var buf bytes.Buffer
	docs := make([][]byte, n)
	for i := range n {
		docs[i] = g.Append(nil, i)
		buf.Write(docs[i])
		buf.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "hooks.ndjson")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, docs
}
