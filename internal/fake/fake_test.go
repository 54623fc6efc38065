package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// kinds lists every Kind for table tests.
var kinds = []Kind{KindHook, KindWebhook, KindStats}

// docCount is how many documents the validity and variety tests examine.
const docCount = 2000

func TestDeterminism(t *testing.T) {
	for _, k := range kinds {
		t.Run(string(k), func(t *testing.T) {
			a, b := New(Options{Seed: 7, Kind: k}), New(Options{Seed: 7, Kind: k})
			other := New(Options{Seed: 8, Kind: k})
			differ := 0
			// Generate b backwards: no state may carry over between documents.
			for i := 199; i >= 0; i-- {
				x, y := a.Append(nil, i), b.Append(nil, i)
				if !bytes.Equal(x, y) {
					t.Fatalf("doc %d differs between identical generators:\n%s\n%s", i, x, y)
				}
				if !bytes.Equal(x, a.Append(nil, i)) || a.Key(i) != b.Key(i) || !a.Time(i).Equal(b.Time(i)) {
					t.Fatalf("doc %d: repeated Append, Key or Time differ", i)
				}
				if !bytes.Equal(x, other.Append(nil, i)) {
					differ++
				}
			}
			if differ < 190 {
				t.Errorf("only %d of 200 docs differ between seeds 7 and 8", differ)
			}
		})
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	g := New(Options{Seed: 1})
	dst := g.Append([]byte("prefix\n"), 3)
	if !bytes.HasPrefix(dst, []byte("prefix\n")) || !bytes.Equal(dst[7:], g.Append(nil, 3)) {
		t.Fatalf("Append did not append to dst: %.40q", dst)
	}
	if last := dst[len(dst)-1]; last != '}' {
		t.Errorf("document ends in %q, want '}' and no newline", last)
	}
}

func TestDefaultsAndTime(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		kind  Kind
		start time.Time
		step  time.Duration
	}{
		// Chats follow the traffic profile: the first comes within minutes at 08:00 on a
		// Monday, within the hour at 23:00.
		{"empty kind is hook", Options{Seed: 1}, KindHook, defaultStart, 10 * time.Minute},
		{"unknown kind is hook", Options{Kind: "nope"}, KindHook, defaultStart, 10 * time.Minute},
		{"webhook custom start", Options{Kind: KindWebhook, Start: time.Date(2020, 2, 29, 23, 0, 0, 0, time.UTC)},
			KindWebhook, time.Date(2020, 2, 29, 23, 0, 0, 0, time.UTC), time.Hour},
		{"stats hourly", Options{Kind: KindStats}, KindStats, defaultStart, time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := New(tc.opts)
			if g.kind != tc.kind {
				t.Fatalf("kind = %q, want %q", g.kind, tc.kind)
			}
			prev := g.Time(0)
			if prev.Before(tc.start) || !prev.Before(tc.start.Add(tc.step)) || prev.Location() != time.UTC {
				t.Fatalf("Time(0) = %v, want UTC in [%v, +%v)", prev, tc.start, tc.step)
			}
			for i := 1; i < docCount; i++ {
				cur := g.Time(i)
				if !cur.After(prev) {
					t.Fatalf("Time(%d) = %v not after Time(%d) = %v", i, cur, i-1, prev)
				}
				prev = cur
			}
			// A million chats must span months so date folders fill up.
			if span := g.Time(1_000_000).Sub(g.Time(0)); tc.kind != KindStats && span < 90*24*time.Hour {
				t.Errorf("a million documents span only %v", span)
			}
		})
	}
}

// safeKey is what a file name may safely contain.
var safeKey = regexp.MustCompile(`^[A-Za-z0-9-]{5,40}$`)

func TestValidity(t *testing.T) {
	for _, k := range kinds {
		t.Run(string(k), func(t *testing.T) {
			g := New(Options{Seed: 42, Kind: k})
			seen := map[string]int{}
			var buf []byte
			for i := range docCount {
				buf = g.Append(buf[:0], i)
				if !json.Valid(buf) {
					t.Fatalf("doc %d is not valid JSON:\n%s", i, buf)
				}
				var plain map[string]any
				if err := json.Unmarshal(buf, &plain); err != nil {
					t.Fatalf("doc %d: unmarshal into map: %v", i, err)
				}
				m, err := decode(buf)
				if err != nil {
					t.Fatalf("doc %d: %v", i, err)
				}
				id, err := checkDoc(g, k, i, buf, m)
				if err != nil {
					t.Fatalf("doc %d: %v\n%s", i, err, buf)
				}
				if j, dup := seen[id]; dup {
					t.Fatalf("docs %d and %d share id %s", j, i, id)
				}
				seen[id] = i
				if key := g.Key(i); !safeKey.MatchString(key) {
					t.Fatalf("Key(%d) = %q is not file-name safe", i, key)
				}
			}
		})
	}
}

// checkDoc runs the kind's checker plus the Key and Time contracts and
// returns the identity that must not repeat within a run.
func checkDoc(g *Generator, k Kind, i int, buf []byte, m map[string]any) (string, error) {
	switch k {
	case KindHook:
		if err := checkKeyOrder(buf); err != nil {
			return "", err
		}
		f, err := checkHook(m)
		if err != nil {
			return "", err
		}
		id := fmt.Sprintf("%d-%d", f.account, f.channel)
		if g.Key(i) != id || g.Time(i).UnixMilli() != f.begin {
			return "", fmt.Errorf("Key %q / Time %v disagree with %s beginAt %d", g.Key(i), g.Time(i), id, f.begin)
		}
		return id, nil
	case KindWebhook:
		conv, err := checkWebhook(m)
		if err != nil {
			return "", err
		}
		id := fmt.Sprintf("%s-%s", m["account_id"], conv)
		if conv == "" { // contact and visitor events: the key names the planned chat
			id = g.Key(i)
		}
		if g.Key(i) != id {
			return "", fmt.Errorf("Key %q, want %q", g.Key(i), id)
		}
		return id, nil
	default:
		if _, err := checkStats(m); err != nil {
			return "", err
		}
		return g.Key(i), nil
	}
}

func TestHookAccountsAreFew(t *testing.T) {
	g := New(Options{Seed: 3})
	accs := map[string]bool{}
	for i := range docCount {
		key := g.Key(i)
		accs[key[:strings.IndexByte(key, '-')]] = true
	}
	if len(accs) < 2 || len(accs) > 8 {
		t.Errorf("hooks come from %d accounts, want a small set of 2..8", len(accs))
	}
}

// variety counts features over many hooks; each must occur for the data to
// exercise consumers.
type variety map[string]int

// observe records the features of one decoded hook.
func (v variety) observe(m map[string]any) {
	ch := m["channel"].(map[string]any)
	vis := m["visitor"].(map[string]any)
	msgs := m["messages"].([]any)
	for _, flag := range []string{"isMissed", "isOffline", "isTriggered", "isDropped", "isCompleted"} {
		if ch[flag] == true {
			v[flag]++
		}
	}
	if ch["rating"] == nil {
		v["rating null"]++
	} else if ch["ratingDesc"] != "" {
		v["rating comment"]++
	}
	for _, f := range []string{"name", "email", "note", "group", "city"} {
		switch vis[f] {
		case nil:
			v[f+" null"]++
		case "":
			v[f+" empty"]++
		}
	}
	vars := vis["variables"].(map[string]any)
	v[fmt.Sprintf("variables %d", len(vars))]++
	for _, x := range vars {
		v[fmt.Sprintf("variable %T", x.(map[string]any)["value"])]++
	}
	v[fmt.Sprintf("paths %d", len(m["paths"].([]any)))]++
	switch n := len(msgs); {
	case n == 1:
		v["1 message"]++
	case n >= 4 && n <= 12:
		v["4-12 messages"]++
	case n > 15:
		v[">15 messages"]++
	}
	for _, x := range msgs {
		msg := x.(map[string]any)
		c := msg["content"].(string)
		v[c]++ // system codes are counted under their own name
		for _, s := range []string{`"`, ",", "\n", "\t", "č", "ü", "注", "🙂"} {
			if strings.Contains(c, s) {
				v["content "+s]++
			}
		}
	}
}

func TestVariety(t *testing.T) {
	g := New(Options{Seed: 99})
	v := variety{}
	for i := range docCount {
		m, err := decode(g.Append(nil, i))
		if err != nil {
			t.Fatal(err)
		}
		v.observe(m)
	}
	// Shares the brief asks for, with room for sampling noise.
	shares := []struct {
		feature string
		lo, hi  int // percent
	}{
		{"isMissed", 11, 19}, {"isOffline", 3, 8}, {"isTriggered", 16, 24},
		{"rating null", 53, 67}, {"4-12 messages", 50, 100},
	}
	for _, s := range shares {
		t.Run(s.feature, func(t *testing.T) {
			if pct := v[s.feature] * 100 / docCount; pct < s.lo || pct > s.hi {
				t.Errorf("%s in %d%% of docs, want %d..%d%%", s.feature, pct, s.lo, s.hi)
			}
		})
	}
	present := []string{"isDropped", "isCompleted", "rating comment", "name null", "name empty", "email null",
		"email empty", "note null", "note empty", "group null", "city null", "variables 0", "variables 4",
		"variable string", "variable json.Number", "paths 0", "paths 5", "1 message", ">15 messages",
		"agent.join", "agent.leave", "close.visitorClose", "close.agentClose",
		`content "`, "content ,", "content \n", "content \t", "content č", "content ü", "content 注", "content 🙂"}
	for _, f := range present {
		t.Run(f, func(t *testing.T) {
			if v[f] == 0 {
				t.Errorf("no document has %q", f)
			}
		})
	}
}

func TestConcurrentAppend(t *testing.T) {
	const n, workers = 1000, 8
	for _, k := range kinds {
		t.Run(string(k), func(t *testing.T) {
			g := New(Options{Seed: 5, Kind: k})
			want := make([][]byte, n)
			for i := range want {
				want[i] = g.Append(nil, i)
			}
			got := make([][]byte, n)
			var wg sync.WaitGroup
			for w := range workers {
				wg.Add(1)
				// Interleaved indices make goroutines work on neighbouring
				// documents at the same time.
				go func() {
					defer wg.Done()
					var buf []byte
					for i := w; i < n; i += workers {
						buf = g.Append(buf[:0], i)
						got[i] = bytes.Clone(buf)
						_, _ = g.Key(i), g.Time(i)
					}
				}()
			}
			wg.Wait()
			for i := range want {
				if !bytes.Equal(got[i], want[i]) {
					t.Fatalf("doc %d differs when generated concurrently", i)
				}
			}
		})
	}
}

func TestTextEscaping(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{`a "quote"`, `a \"quote\"`},
		{`back\slash`, `back\\slash`},
		{"line\nbreak\ttab\rcr", `line\nbreak\ttab\rcr`},
		{"ctl\x00\x01\x1f", `ctl\u0000\u0001\u001f`},
		{"Žluťoučký kůň 🐴 注文", "Žluťoučký kůň 🐴 注文"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			got := `"` + mkText(tc.in).esc + `"`
			if got != `"`+tc.want+`"` {
				t.Fatalf("mkText(%q).esc = %s, want %q", tc.in, got, tc.want)
			}
			var back string
			if err := json.Unmarshal([]byte(got), &back); err != nil || back != tc.in {
				t.Fatalf("round trip of %q gave %q, %v", tc.in, back, err)
			}
		})
	}
}

func TestAppendISO(t *testing.T) {
	for _, ms := range []int64{0, 1427470439703, 1767600000000, 1709251199999, 4102444800001} {
		want := time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
		if got := string(appendISO(nil, ms)); got != want {
			t.Errorf("appendISO(%d) = %s, want %s", ms, got, want)
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	for _, k := range kinds {
		b.Run(string(k), func(b *testing.B) {
			g := New(Options{Seed: 1, Kind: k})
			// One iteration is a fixed batch, so SetBytes is exact.
			const batch = 256
			var total int64
			var buf []byte
			for i := range batch {
				total += int64(len(g.Append(buf[:0], i)))
			}
			b.SetBytes(total)
			for b.Loop() {
				for i := range batch {
					buf = g.Append(buf[:0], i)
				}
			}
			// Reported after the loop: resetting the timer drops metrics.
			b.ReportMetric(float64(total)/batch, "B/doc")
		})
	}
}
