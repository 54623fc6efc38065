package listen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// flakyTarget answers 500 to every third or so request (30%) and records, per chat,
// the bodies it took, in the order it took them.
type flakyTarget struct {
	srv     *http.Server
	n       atomic.Int64
	mu      sync.Mutex
	took    map[string][]int // chat → sequence numbers taken
	headers http.Header
}

func (ft *flakyTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Channel struct{ ID int } `json:"channel"`
		N       int              `json:"n"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	if ft.n.Add(1)%10 < 3 {
		w.Header().Set("Retry-After", "0")
		http.Error(w, "flaky", http.StatusInternalServerError)
		return
	}
	ft.mu.Lock()
	chat := fmt.Sprint(body.Channel.ID)
	ft.took[chat] = append(ft.took[chat], body.N)
	ft.headers = r.Header.Clone()
	ft.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (ft *flakyTarget) count() int {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	n := 0
	for _, s := range ft.took {
		n += len(s)
	}
	return n
}

// chatBodies are n hooks over chats chats, numbered in the order they are sent.
func chatBodies(n, chats int) [][]byte {
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i] = fmt.Appendf(nil, `{"accountId":208,"channel":{"id":%d},"n":%d}`, i%chats, i)
	}
	return bodies
}

// freeAddr is a 127.0.0.1 address nothing listens on (yet).
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestForwardBurstTargetDownThenFlaky posts a burst while the target is down, then
// brings it up answering 500 to 30%: every hook is delivered once, in order per chat.
func TestForwardBurstTargetDownThenFlaky(t *testing.T) {
	// The full figure (3,000 hooks, 10 s down) with SMARTHOOK_FULL=1; bench/listen.sh
	// measures it on the binary.
	n, down := 1000, 3*time.Second
	switch {
	case os.Getenv("SMARTHOOK_FULL") != "":
		n, down = 3000, 10*time.Second
	case testing.Short():
		n, down = 200, time.Second
	}
	addr := freeAddr(t)
	journal := filepath.Join(t.TempDir(), "journal.ndjson")
	if j := os.Getenv("DEBUG_JOURNAL"); j != "" {
		journal = j
	}
	errw := &syncBuffer{}
	s, url, stop := serve(t, Options{
		Forward: "http://" + addr + "/in", Outbox: t.TempDir(), ForwardJournal: journal, UserAgent: "smarthook/test",
		ForwardBackoff: 20 * time.Millisecond, ForwardSecret: []byte("fwd"), Err: errw,
	})
	bodies := chatBodies(n, 50)
	start := time.Now()
	for _, b := range bodies {
		if code, _ := post(t, url, b, SignatureHeader, "original"); code != http.StatusNoContent {
			t.Fatalf("post: %d", code)
		}
	}
	time.Sleep(down - time.Since(start)) // down for at least that long in all
	ft := &flakyTarget{took: map[string][]int{}}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the target's port was taken meanwhile: %v", err)
	}
	ft.srv = &http.Server{Handler: ft}
	go ft.srv.Serve(ln)
	defer ft.srv.Close()
	deadline := time.Now().Add(3 * time.Minute)
	for s.Stats().ForwardPending > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	st := s.Stats()
	if st.ForwardOK != int64(n) || ft.count() != n || st.ForwardGivenUp != 0 || st.ForwardPending != 0 || st.ForwardRetries == 0 {
		t.Fatalf("delivered %d (target took %d) of %d: %+v", st.ForwardOK, ft.count(), n, st)
	}
	for chat, seqs := range ft.took {
		for i := 1; i < len(seqs); i++ {
			if seqs[i] <= seqs[i-1] {
				t.Fatalf("chat %s taken out of order: %v", chat, seqs)
			}
		}
	}
	h := ft.headers
	if h.Get("User-Agent") != "smarthook/test" || h.Get(SignatureHeader) == "original" || len(h.Get(SignatureHeader)) != 64 {
		t.Errorf("forwarded headers: %v", h)
	}
	checkJournal(t, journal, n)
	t.Logf("%d hooks posted while the target was down, all %d delivered in order per chat after %d retries", n, st.ForwardOK, st.ForwardRetries)
}

// checkJournal counts the journal's final states: n delivered, and retries.
func checkJournal(t *testing.T, name string, n int) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	states := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l journalLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.ID == "" || l.Target == "" || l.Attempt < 1 || l.Time == "" {
			t.Fatalf("journal line %q: %v", sc.Text(), err)
		}
		if l.State == "retrying" && l.Status == 0 && l.Error == "" {
			t.Errorf("a retry without status or error: %q", sc.Text())
		}
		states[l.State]++
	}
	if states["delivered"] != n || states["retrying"] == 0 {
		t.Errorf("journal states: %v", states)
	}
}

// TestForwardSurvivesRestart: hooks taken while the target is down stay in the
// outbox over a restart and are delivered by the next run.
func TestForwardSurvivesRestart(t *testing.T) {
	outbox := t.TempDir()
	down := "http://" + freeAddr(t) + "/"
	s, url, stop := serve(t, Options{Forward: down, Outbox: outbox, ForwardBackoff: time.Hour})
	bodies := chatBodies(6, 2)
	for _, b := range bodies {
		post(t, url, b)
	}
	stop()
	if st := s.Stats(); st.ForwardPending != 6 || st.ForwardOK != 0 {
		t.Fatalf("first run: %+v", st)
	}
	ft := &flakyTarget{took: map[string][]int{}}
	ft.n.Store(5) // no failures in the first seven requests
	tg := newTarget(t, false)
	tg.Config.Handler = ft
	errw := &syncBuffer{}
	s2, _, stop2 := serve(t, Options{Forward: tg.URL, Outbox: outbox, ForwardBackoff: 10 * time.Millisecond, Err: errw})
	deadline := time.Now().Add(time.Minute)
	for s2.Stats().ForwardPending > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop2()
	if st := s2.Stats(); st.ForwardOK != 6 || len(outboxFiles(t, outbox)) != 0 {
		t.Fatalf("second run: %+v, %d left", st, len(outboxFiles(t, outbox)))
	}
	if fmt.Sprint(ft.took) != "map[0:[0 2 4] 1:[1 3 5]]" {
		t.Errorf("taken: %v", ft.took)
	}
	if !bytes.Contains([]byte(errw.String()), []byte("6 hooks wait in the outbox")) {
		t.Errorf("no word of the waiting hooks: %s", errw.String())
	}
}

// TestForwardGivesUp: past --forward-max-age a refused hook is moved to given-up/,
// counted and journaled.
func TestForwardGivesUp(t *testing.T) {
	tg := newTarget(t, false)
	tg.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	outbox := t.TempDir()
	journal := filepath.Join(t.TempDir(), "j")
	s, url, stop := serve(t, Options{Forward: tg.URL, Outbox: outbox, ForwardMaxAge: time.Nanosecond, ForwardJournal: journal})
	post(t, url, fakeBodies(1)[0])
	deadline := time.Now().Add(time.Minute)
	for s.Stats().ForwardGivenUp == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	given, _ := filepath.Glob(filepath.Join(outbox, givenUpFolder, "*"+outboxExt))
	if st := s.Stats(); st.ForwardGivenUp != 1 || st.ForwardPending != 0 || len(given) != 1 {
		t.Fatalf("%+v, %d given up on disk", st, len(given))
	}
	data, _ := os.ReadFile(journal)
	if !bytes.Contains(data, []byte(`"status":502`)) || !bytes.Contains(data, []byte(`"state":"given-up"`)) {
		t.Errorf("journal: %s", data)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": 0, "7": 7 * time.Second, "x": 0, "-3": 0, "99999": time.Hour,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("%q: %v, want %v", v, got, want)
		}
	}
	if backoff(time.Second, 1) != time.Second || backoff(time.Second, 3) != 4*time.Second || backoff(time.Second, 40) != maxBackoff {
		t.Error("backoff")
	}
}
