package stats

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/rules"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestWebhooksByEventAndCloseType(t *testing.T) {
	dir := writeFiles(t, map[string]string{"w.ndjson": strings.Join([]string{
		`{"type":"event_callback","event":"conversation.closed","timestamp":"2026-01-05T08:00:00Z","account_id":"1","data":{"close_type":"agent","conversation":{"close_type":"visitor"}}}`,
		`{"type":"event_callback","event":"conversation.closed","timestamp":"2026-01-05T09:00:00Z","account_id":"1","data":{"conversation":{"id":"x","close_type":"visitor"}}}`,
		`{"type":"event_callback","event":"conversation.closed","timestamp":"2026-01-05T10:00:00Z","account_id":"1","data":{"conversation":{"id":"y"}}}`,
		`{"type":"event_callback","event":"conversation.opened","timestamp":"2026-01-05T11:00:00Z","account_id":"1","data":{}}`,
		`{"type":"event_callback","event":"conversation.opened","timestamp":"2026-02-05T11:00:00Z","account_id":"1","data":{}}`,
	}, "\n") + "\n"})
	rep := collect(t, Options{Paths: []string{dir}, Until: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	wantEvents := []KeyCount{{"conversation.closed", 3}, {"conversation.opened", 1}}
	wantClose := []KeyCount{{"(not given)", 1}, {"agent", 1}, {"visitor", 1}}
	if !reflect.DeepEqual(rep.Webhooks.Events, wantEvents) || !reflect.DeepEqual(rep.Webhooks.CloseTypes, wantClose) {
		t.Errorf("events %v close types %v; want %v %v", rep.Webhooks.Events, rep.Webhooks.CloseTypes, wantEvents, wantClose)
	}
	if rep.Documents.Webhooks != 4 || rep.Documents.OutsideRange != 1 || rep.Chats.Chats != 0 {
		t.Errorf("documents %+v", rep.Documents)
	}
}

func TestStatsReportsPerDomainSeries(t *testing.T) {
	// Two reports named by their hour (as fake --out names them) and one without a
	// time in its name; the domain b first appears in the second report.
	dir := writeFiles(t, map[string]string{
		"2026/01/05/stats-2026010508.json": `{"domains":{"a.example":{"visits":10,"conversations":2,"autoMessages":4,"autoMessagesReply":1}}}`,
		"2026/01/05/stats-2026010509.json": `{"domains":{"a.example":{"visits":5,"conversations":1,"autoMessages":2,"autoMessagesReply":0},"b.example":{"visits":7,"conversations":0,"autoMessages":1,"autoMessagesReply":1}}}`,
		"2026/01/05/stats-2026010510.json": `{"domains":{"b.example":{"visits":3,"conversations":3,"autoMessages":0,"autoMessagesReply":0}}}`,
		"z-undated.json":                   `{"domains":{"a.example":{"visits":1,"conversations":0,"autoMessages":0,"autoMessagesReply":0}}}`,
	})
	rep := collect(t, Options{Paths: []string{dir}})
	want := []Domain{
		{Domain: "a.example", Reports: 3, Visits: 16, Conversations: 3, AutoMessages: 6, AutoMessagesReply: 1, SeriesStep: 1, Series: []int64{10, 5, 0, 1}},
		{Domain: "b.example", Reports: 2, Visits: 10, Conversations: 3, AutoMessages: 1, AutoMessagesReply: 1, SeriesStep: 1, Series: []int64{0, 7, 3, 0}},
	}
	if !reflect.DeepEqual(rep.Domains, want) {
		t.Errorf("domains\n got %+v\nwant %+v", rep.Domains, want)
	}
	// --until keeps the dated reports before it, and the undated one (it has no time).
	rep = collect(t, Options{Paths: []string{dir}, Until: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)})
	if rep.Documents.StatsReports != 2 || rep.Documents.OutsideRange != 2 || rep.Domains[0].Visits != 11 {
		t.Errorf("with --until: %+v %+v", rep.Documents, rep.Domains)
	}
}

func TestSeriesFolds(t *testing.T) {
	var d domainAcc
	d.per = 1
	for i := int64(1); i <= maxSeries+3; i++ {
		d.push(i, 1)
	}
	var sum int64
	for _, v := range d.series {
		sum += v
	}
	if len(d.series) > maxSeries || d.per != 2 || sum != maxSeries+3 || d.n != maxSeries+3 || len(d.series) != maxSeries/2+2 {
		t.Errorf("%d points of %d reports, sum %d, n %d", len(d.series), d.per, sum, d.n)
	}
}

func TestResponseTimesSkipTriggers(t *testing.T) {
	// A trigger after the visitor's message is not an answer; the agent's is, 30 s on.
	doc := `{"accountId":1,"beginAt":1767600000000,"endAt":1767600100000,"channel":{"id":1},"messages":[` +
		`{"type":"visitor","from":"visitor:k","content":"hi","sentAt":1767600000000},` +
		`{"type":"agent","from":"system","name":"","content":"Wait","sentAt":1767600005000,"triggeredBy":"t"},` +
		`{"type":"agent","from":"agent:9","name":"Al","content":"Hi","sentAt":1767600030000},` +
		`{"type":"agent","from":9,"name":"Al","content":"old style","sentAt":1767600031000}]}`
	dir := writeFiles(t, map[string]string{"c.json": doc})
	rep := collect(t, Options{Paths: []string{dir}})
	if d := rep.Chats.FirstResponseTime.Messages; d.Count != 1 || d.P50 != 30 {
		t.Errorf("first response from messages %+v, want one of 30 s", d)
	}
	if len(rep.Agents) != 1 || rep.Agents[0].ID != "9" || rep.Agents[0].Messages != 2 || rep.Agents[0].Name != "Al" {
		t.Errorf("agents %+v", rep.Agents)
	}
	if rep.Chats.FirstResponseTime.Hook.Count != 0 {
		t.Error("a hook without firstResponse counted one")
	}
}

func TestBrokenDocumentsAreCheckedAndLeftOut(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.ndjson": `{"accountId":1,"beginAt":1767600000000,"endAt":1767600100000,"channel":{"id":1},"messages":[]}` + "\n{\"accountId\":\n" +
		`{"accountId":1,"beginAt":1767600000000,"endAt":1767600100000,"channel":{"id":2,"isMissed":1},"messages":[]}` + "\n"})
	var seen []string
	opts := Options{Paths: []string{dir}, Check: func(rec input.Record, fs []rules.Finding) bool {
		seen = append(seen, rec.Origin.String()+" "+string(fs[0].Rule))
		return false
	}}
	rep := collect(t, opts)
	if rep.Chats.Chats != 1 || rep.Documents.Skipped != 2 || len(seen) != 2 ||
		!strings.Contains(seen[0], "a.ndjson:2:1") || !strings.Contains(seen[1], "a.ndjson:3:1") {
		t.Errorf("chats %d, skipped %d, checked %v", rep.Chats.Chats, rep.Documents.Skipped, seen)
	}
}

// TestJSONKeys pins the documented top-level and figure keys of --format json.
func TestJSONKeys(t *testing.T) {
	path, _ := generate(t, 50, 2)
	var out bytes.Buffer
	if err := Run(context.Background(), Options{Paths: []string{path}, Format: "json", Out: &out, By: ByAgent}); err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"range", "documents", "chats", "groups", "heatmap", "volume", "agents", "pages", "referrers", "countries", "webhooks", "domains"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in the JSON output", k)
		}
	}
	var chats map[string]any
	json.Unmarshal(m["chats"], &chats)
	for _, k := range []string{"chats", "missed", "offline", "triggered", "completed", "dropped", "rates", "first_response_time", "response_time", "duration", "messages_per_chat", "ratings"} {
		if _, ok := chats[k]; !ok {
			t.Errorf("no chats.%s in the JSON output", k)
		}
	}
}

func TestTextOutput(t *testing.T) {
	path, _ := generate(t, 300, 5)
	for _, fancy := range []bool{false, true} {
		var out bytes.Buffer
		if err := Run(context.Background(), Options{Paths: []string{path}, Format: "text", Out: &out, Fancy: fancy, TZ: time.UTC}); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		hasBars := strings.Contains(s, "█") || strings.Contains(s, "▁")
		if hasBars != fancy || !strings.Contains(s, "Chats by weekday and hour") || !strings.Contains(s, "first_response_time") {
			t.Errorf("fancy=%v: bars %v in\n%s", fancy, hasBars, s)
		}
	}
}

func TestParseTime(t *testing.T) {
	prague, _ := time.LoadLocation("Europe/Prague")
	for in, want := range map[string]time.Time{
		"2026-01-31":                time.Date(2026, 1, 31, 0, 0, 0, 0, prague),
		"2026-01-31T14:00":          time.Date(2026, 1, 31, 14, 0, 0, 0, prague),
		"2026-01":                   time.Date(2026, 1, 1, 0, 0, 0, 0, prague),
		"2026-01-31T14:00:00Z":      time.Date(2026, 1, 31, 14, 0, 0, 0, time.UTC),
		"2026-01-31T14:00:00+05:00": time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC),
	} {
		got, err := ParseTime(in, prague)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseTime("last week", prague); err == nil {
		t.Error("no error for a time it cannot read")
	}
}

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://Shop.Example/x?y": "shop.example", "http://user@a.b:8080/": "a.b", "a.b/c": "a.b", "https://[::1]:80/": "[::1]",
	} {
		if got := string(hostOf([]byte(in))); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVolumeFoldsIntoMonthsOnATerminal(t *testing.T) {
	var v []DayCount
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		v = append(v, DayCount{Date: d.Format("2006-01-02"), Chats: int64(d.Day())})
	}
	m := byMonth(volumeTable(v))
	want := [][]string{{"2026-01", "496"}, {"2026-02", "406"}, {"2026-03", "496"}}
	if !reflect.DeepEqual(m.Rows, want) || len(m.Bars) != 3 {
		t.Errorf("months %v, want %v", m.Rows, want)
	}
}

func TestInterruptedRunReportsWhatItCounted(t *testing.T) {
	path, _ := generate(t, 200, 4)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	err := Run(ctx, Options{Paths: []string{path}, Format: "csv", Table: "summary", Out: &out})
	if err == nil || !strings.HasPrefix(out.String(), "metric,count,rate\nchats,") {
		t.Errorf("cancelled run: error %v, output %q", err, out.String())
	}
}

func TestClipCutsLongKeysAtACharacter(t *testing.T) {
	long := strings.Repeat("a", maxKeyLen-1) + "é" + "tail"
	got := clip([]byte(long))
	if len(got) != maxKeyLen-1 || !utf8.Valid(got) {
		t.Errorf("clip gave %d bytes (valid UTF-8 %v)", len(got), utf8.Valid(got))
	}
	if short := clip([]byte("https://x.example/")); string(short) != "https://x.example/" {
		t.Errorf("clip changed a short key: %q", short)
	}
}
