package replay

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestHistogramBuckets(t *testing.T) {
	for _, us := range []uint64{0, 1, 63, 64, 65, 127, 128, 129, 1000, 12345, 1 << 30, 1<<40 - 1} {
		i := bucketOf(us)
		if high := bucketHigh(i); high < us {
			t.Errorf("value %d: bucket %d ends at %d, below the value", us, i, high)
		}
		if i > 0 && bucketHigh(i-1) >= us {
			t.Errorf("value %d: the bucket before %d ends at %d, not below", us, i, bucketHigh(i-1))
		}
		if high := bucketHigh(i); us >= 64 && float64(high-us) > float64(us)/64 {
			t.Errorf("value %d: bucket end %d is more than 1/64 off", us, high)
		}
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	if h.quantile(0.5) != 0 {
		t.Fatal("empty histogram: want 0")
	}
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Millisecond)
	}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Millisecond}, {0.9, 900 * time.Millisecond}, {0.99, 990 * time.Millisecond}, {1, time.Second}} {
		got := h.quantile(tt.q)
		if diff := got - tt.want; diff < 0 || float64(diff) > float64(tt.want)/64 {
			t.Errorf("quantile %v = %v, want %v within 1/64 above", tt.q, got, tt.want)
		}
	}
	if h.max != time.Second || h.quantile(1) > h.max {
		t.Errorf("max %v, quantile(1) %v", h.max, h.quantile(1))
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func mustRate(t *testing.T, s string) Schedule {
	t.Helper()
	sched, err := ParseRate(s)
	if err != nil {
		t.Fatal(err)
	}
	return sched
}

func TestLimiterGrid(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	l := newLimiter(mustRate(t, "1000"), clock.now)
	start := clock.t
	// Asked for all at once, slots follow each other 1 ms apart.
	for i := range 5 {
		if got, want := l.reserve(), start.Add(time.Duration(i)*time.Millisecond); !got.Equal(want) {
			t.Fatalf("slot %d at %v, want %v", i, got.Sub(start), want.Sub(start))
		}
	}
	// Callers that come late keep the grid: slot 5 stays at 5 ms, and after a pause the
	// slots missed are still theirs (their latency counts from them).
	clock.t = start.Add(7 * time.Millisecond)
	if got := l.reserve(); !got.Equal(start.Add(5 * time.Millisecond)) {
		t.Errorf("late caller got %v, want the 5 ms slot", got.Sub(start))
	}
	clock.t = start.Add(10 * time.Second)
	if got := l.reserve(); !got.Equal(start.Add(6 * time.Millisecond)) {
		t.Errorf("after a pause got %v, want the 6 ms slot", got.Sub(start))
	}
	if newLimiter(mustRate(t, "0"), clock.now) != nil {
		t.Error("rate 0: want no limiter")
	}
}

func TestLimiterCountIsExact(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	l := newLimiter(mustRate(t, "1000"), clock.now)
	start := clock.t
	n := 0
	// Each caller arrives when its slot begins, plus some lateness: over ten seconds the
	// count is still exactly the rate times the time.
	for {
		slot := l.reserve()
		if slot.Sub(start) >= 10*time.Second {
			break
		}
		n++
		clock.t = slot.Add(time.Duration(n%7) * 100 * time.Microsecond)
	}
	if n != 10000 {
		t.Errorf("10 s at 1000/s gave %d slots", n)
	}
}

// slotsBefore counts the requests a schedule makes due before d.
func slotsBefore(s Schedule, d time.Duration) int {
	n := 0
	for s.At(int64(n)) < d {
		n++
	}
	return n
}

func TestRateSchedules(t *testing.T) {
	ramp := mustRate(t, "10:500/60s")
	// A linear ramp from 10 to 500 a second over 60 s makes (10+500)/2·60 = 15300
	// requests, then holds 500 a second.
	if n := slotsBefore(ramp, 60*time.Second); n < 15299 || n > 15301 {
		t.Errorf("ramp: %d requests in 60 s, want 15300", n)
	}
	if n := slotsBefore(ramp, 70*time.Second) - slotsBefore(ramp, 60*time.Second); n < 4999 || n > 5001 {
		t.Errorf("after the ramp: %d requests in 10 s, want 5000", n)
	}
	// Half-way the rate is 255 a second: the gap between slots there is about 1/255 s.
	n := int64(slotsBefore(ramp, 30*time.Second))
	if gap := ramp.At(n+1) - ramp.At(n); gap < time.Second/260 || gap > time.Second/250 {
		t.Errorf("ramp gap at 30 s: %v, want about %v", gap, time.Second/255)
	}
	down := mustRate(t, "100:0.5/10s")
	if n := slotsBefore(down, 10*time.Second); n < 502 || n > 504 {
		t.Errorf("ramp down: %d requests in 10 s, want 503", n)
	}
	fromZero := mustRate(t, "0:100/10s")
	if fromZero.At(0) != 0 || slotsBefore(fromZero, 10*time.Second) != 500 {
		t.Errorf("ramp from 0: first at %v, %d in 10 s", fromZero.At(0), slotsBefore(fromZero, 10*time.Second))
	}
	steps := mustRate(t, "10,50,100/10s")
	for _, tt := range []struct {
		until time.Duration
		want  int
	}{{10 * time.Second, 100}, {20 * time.Second, 600}, {30 * time.Second, 1600}, {40 * time.Second, 2600}} {
		if n := slotsBefore(steps, tt.until); n != tt.want {
			t.Errorf("steps: %d requests before %v, want %d", n, tt.until, tt.want)
		}
	}
	if got := mustRate(t, "250").At(500); got != 2*time.Second {
		t.Errorf("steady: slot 500 at %v", got)
	}
}

func TestParseRateErrors(t *testing.T) {
	for _, bad := range []string{"fast", "-5", "10:500", "10,50", "10:20:30/5s", "10:500/0s", "10:500/x", "500/10s", "10,0/5s", "NaN", "2e9"} {
		if _, err := ParseRate(bad); err == nil || !strings.Contains(err.Error(), "write 500, a ramp 10:500/60s, or steps 10,50,100/10s") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if s := mustRate(t, "0"); s.Limited() {
		t.Error("0 limits")
	}
	if s := mustRate(t, "10:500/1m"); !s.Ramp || s.Span != time.Minute || s.String() != "10:500/1m" || s.Final() != 500 {
		t.Errorf("ramp %+v", s)
	}
}

func TestPacer(t *testing.T) {
	clock := &fakeClock{t: time.Unix(500, 0)}
	p := &pacer{speed: 10, now: clock.now}
	start := clock.t
	if got := p.due(1_000_000, true); !got.Equal(start) {
		t.Errorf("first document due at %v, want at once", got.Sub(start))
	}
	// 60 s later in the chats, at speed 10: 6 s later.
	if got := p.due(1_060_000, true); !got.Equal(start.Add(6 * time.Second)) {
		t.Errorf("due at %v, want 6s", got.Sub(start))
	}
	if got := p.due(999_000, true); !got.Equal(start) {
		t.Errorf("earlier than the first: due %v, want now", got.Sub(start))
	}
	if got := p.due(0, false); !got.Equal(start) {
		t.Errorf("no time: due %v, want now", got.Sub(start))
	}
}

func TestSleepFor(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepFor(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sleep: %v", err)
	}
	if err := sleepFor(context.Background(), 0); err != nil {
		t.Errorf("zero sleep: %v", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"3", 3 * time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"Mon, 05 Jan 2026 10:00:30 GMT", 30 * time.Second, true},
		{"Mon, 05 Jan 2026 09:00:00 GMT", 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRetryDelay(t *testing.T) {
	p := RetryPolicy{Retries: 5, Base: 100 * time.Millisecond, Max: 2 * time.Second}
	if got := p.delay(1, 5*time.Second, true); got != 2*time.Second {
		t.Errorf("Retry-After 5s with a 2s cap: %v", got)
	}
	if got := p.delay(1, 300*time.Millisecond, true); got != 300*time.Millisecond {
		t.Errorf("Retry-After 300ms: %v", got)
	}
	for n, ceiling := range map[int]time.Duration{1: 100 * time.Millisecond, 3: 400 * time.Millisecond, 9: 2 * time.Second} {
		for range 200 {
			if got := p.delay(n, 0, false); got < ceiling/2 || got > ceiling {
				t.Fatalf("retry %d: backoff %v outside [%v, %v]", n, got, ceiling/2, ceiling)
			}
		}
	}
}

func TestDefaultRetriesOutlastAnOutage(t *testing.T) {
	p := DefaultRetryPolicy
	var least, most time.Duration
	for n := 1; n <= p.Retries; n++ {
		c := min(p.Base<<(n-1), DefaultBackoffCap)
		least += c / 2
		most += c
		for range 50 {
			if got := p.delay(n, 0, false); got < c/2 || got > c {
				t.Fatalf("retry %d: %v outside [%v, %v]", n, got, c/2, c)
			}
		}
	}
	// A receiver down for several seconds is outlasted; a dead one is given up on
	// within about half a minute.
	if least < 15*time.Second || most > 35*time.Second {
		t.Errorf("default retries wait %v to %v in all, want about 15 to 32 s", least, most)
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		status int
		err    error
		want   bool
	}{
		{200, nil, false}, {204, nil, false}, {301, nil, false}, {400, nil, false}, {404, nil, false},
		{429, nil, true}, {500, nil, true}, {503, nil, true},
		{0, errors.New("connection reset"), true}, {0, errTimeout, true}, {0, errAborted, false},
	}
	for _, tt := range tests {
		if got := retryable(tt.status, tt.err); got != tt.want {
			t.Errorf("retryable(%d, %v) = %v", tt.status, tt.err, got)
		}
	}
}

func TestJournalRoundTripAndTruncation(t *testing.T) {
	idA, idB, idC := DocID{1}, DocID{2}, DocID{3}
	var b []byte
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	for _, l := range []JournalLine{
		{Time: at, Origin: `a "1".json:1:1`, ID: idA.String(), Status: 500, Attempt: 1, Error: "500 Internal Server Error"},
		{Time: at, Origin: "a.json:1:1", ID: idA.String(), Status: 204, LatencyMS: 1.5, Attempt: 2, Final: true},
		{Time: at, Origin: "b.json:1:1", ID: idB.String(), Status: 400, Attempt: 1, Final: true},
		{Time: at, Origin: "c.json:1:1", ID: idC.String(), Status: 200, Attempt: 1, Final: true},
	} {
		b = appendJournalLine(b, &l)
	}
	whole := string(b)
	// Cut the last line in half, as a kill -9 may.
	cut := whole[:len(whole)-30]
	st, err := ReadJournal(strings.NewReader(cut))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Delivered[idA]; !ok || len(st.Delivered) != 1 {
		t.Errorf("delivered = %v, want only a (b was refused, c's line is cut)", st.Delivered)
	}
	if st.Lines != 4 || st.Broken != 1 || !st.Unterminated {
		t.Errorf("lines %d broken %d unterminated %v, want 4 1 true", st.Lines, st.Broken, st.Unterminated)
	}
	st, _ = ReadJournal(strings.NewReader(whole))
	if len(st.Delivered) != 2 || st.Broken != 0 || st.Unterminated {
		t.Errorf("whole journal: %+v", st)
	}
	if !bytes.Contains(b, []byte(`"origin":"a \"1\".json:1:1"`)) || !bytes.Contains(b, []byte(`"latency_ms":1.500`)) {
		t.Errorf("journal lines:\n%s", b)
	}
}

func TestNDJSONLine(t *testing.T) {
	got := string(appendNDJSONLine(nil, []byte("\xEF\xBB\xBF{\n  \"a\": \"x  y\",\n  \"b\": [1, 2]\n}\n")))
	if got != "{\"a\":\"x  y\",\"b\":[1,2]}\n" {
		t.Errorf("compacted: %q", got)
	}
	got = string(appendNDJSONLine(nil, []byte("{\"a\":\n1,}")))
	if got != "{\"a\": 1,}\n" {
		t.Errorf("broken document: %q", got)
	}
}

func TestReportTableAndOK(t *testing.T) {
	r := &Report{Documents: 3, Delivered: 2, Failed: 1, Sent: 3, Requests: 5, Retried: 2,
		Status: map[string]int{"204": 2, "500": 2, "timeout": 1}}
	if r.OK() {
		t.Error("a failed document: want not OK")
	}
	var b bytes.Buffer
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"delivered", "status 204", "status 500", "timeout", "requests per second", "p99"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "status 500") > strings.Index(out, "timeout") {
		t.Error("status codes should come before other outcomes")
	}
	ok := &Report{Documents: 2, Delivered: 1, AlreadyDelivered: 1}
	if !ok.OK() {
		t.Error("delivered now or before: want OK")
	}
}

func TestCheckURL(t *testing.T) {
	for _, good := range []string{"http://127.0.0.1:8080/hook", "https://example.com", "http://[::1]:65535/x", "HTTP://Example.com"} {
		if err := CheckURL(good); err != nil {
			t.Errorf("%s: %v", good, err)
		}
	}
	tests := []struct{ url, want string }{
		{"127.0.0.1:8080", "no scheme: add http:// or https:// (e.g. http://127.0.0.1:8080)"},
		{"localhost:8080/hook", "add http:// or https://"},
		{"example.com/hook", "add http:// or https://"},
		{"ftp://example.com", `the scheme "ftp" is not supported`},
		{"http://", "no host"},
		{"http:///hook", "no host"},
		{"http://:8080/hook", "no host"},
		{"http://127.0.0.1:99999/hook", "port 99999 is out of range: use 1 to 65535"},
		{"http://127.0.0.1:0/hook", "port 0 is out of range"},
		{"http://127.0.0.1:80a/hook", "the port must be a number from 1 to 65535"},
		{"http://127.0.0.1:/hook", "empty port"},
		{"http://a b/", "white space"},
	}
	for _, tt := range tests {
		err := CheckURL(tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.url, err, tt.want)
		}
	}
}

func TestSign(t *testing.T) {
	// RFC 4231 test case 2.
	got := Sign([]byte("Jefe"), []byte("what do ya want for nothing?"))
	if got != "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" {
		t.Errorf("Sign = %s", got)
	}
}
