package listen

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// target is an endpoint to forward to that holds every request until released.
type target struct {
	*httptest.Server
	release chan struct{}
	mu      sync.Mutex
	bodies  []string
	headers []http.Header
}

func newTarget(t *testing.T, tls bool) *target {
	tg := &target{release: make(chan struct{})}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		tg.mu.Lock()
		tg.bodies = append(tg.bodies, string(b))
		tg.headers = append(tg.headers, r.Header.Clone())
		tg.mu.Unlock()
		<-tg.release
		w.WriteHeader(http.StatusAccepted)
	})
	if tls {
		tg.Server = httptest.NewTLSServer(h)
	} else {
		tg.Server = httptest.NewServer(h)
	}
	t.Cleanup(func() {
		tg.open()
		tg.Close()
	})
	return tg
}

// open lets the held requests and all later ones through.
func (tg *target) open() {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	select {
	case <-tg.release:
	default:
		close(tg.release)
	}
}

// serve runs s.Serve on a fresh 127.0.0.1 listener; the returned stop cancels it and
// waits for Serve to return.
func serve(t *testing.T, opts Options) (*Server, string, func() error) {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	var once sync.Once
	var serveErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			serveErr = <-done
		})
		return serveErr
	}
	t.Cleanup(func() { stop() })
	return s, "http://" + ln.Addr().String() + "/", stop
}

// TestForwardSlowTargetDoesNotBlock holds the target's answers: every post must still
// be answered 204, and once the target answers, all bodies arrive with their headers.
func TestForwardSlowTargetDoesNotBlock(t *testing.T) {
	tg := newTarget(t, false)
	errw := &syncBuffer{}
	s, url, stop := serve(t, Options{Forward: tg.URL + "/in", Outbox: t.TempDir(), ForwardWorkers: 2, Secret: []byte("k"), Err: errw})
	bodies := fakeBodies(50)
	for _, b := range bodies {
		if code, _ := post(t, url, b, "Content-Type", "application/json; charset=utf-8", SignatureHeader, sign("k", b)); code != http.StatusNoContent {
			t.Fatalf("receiving was held up by the target: %d", code)
		}
	}
	if st := s.Stats(); st.Accepted != 50 || st.ForwardOK != 0 || st.ForwardPending != 50 {
		t.Fatalf("before the target answers: %+v", st)
	}
	tg.open()
	if err := stop(); err != nil { // Serve sends what is due before it returns
		t.Fatal(err)
	}
	st := s.Stats()
	if st.ForwardOK != 50 || st.ForwardGivenUp != 0 || st.ForwardPending != 0 {
		t.Fatalf("after: %+v\n%s", st, errw.String())
	}
	sent := map[string]bool{}
	for _, b := range bodies {
		sent[string(b)] = true
	}
	tg.mu.Lock()
	defer tg.mu.Unlock()
	if len(tg.bodies) != 50 {
		t.Fatalf("the target saw %d requests, want 50", len(tg.bodies))
	}
	for i, b := range tg.bodies {
		h := tg.headers[i]
		if !sent[b] || h.Get("Content-Type") != "application/json; charset=utf-8" || h.Get(SignatureHeader) != sign("k", []byte(b)) {
			t.Fatalf("forwarded request %d: body sent %v, headers %v", i, sent[b], h)
		}
	}
	if n := strings.Count(errw.String(), "answered 202"); n != 50 {
		t.Errorf("%d answers reported, want 50", n)
	}
}

// TestForwardStopKeepsOutbox: a target that never answers cannot hold the shutdown
// past its deadline, and what was not delivered stays in the outbox.
func TestForwardStopKeepsOutbox(t *testing.T) {
	tg := newTarget(t, false)
	outbox := t.TempDir()
	s, url, stop := serve(t, Options{Forward: tg.URL, Outbox: outbox, ForwardWorkers: 1, ShutdownTimeout: 100 * time.Millisecond})
	for _, b := range fakeBodies(3) {
		post(t, url, b)
	}
	stop()
	st := s.Stats()
	if st.ForwardOK != 0 || st.ForwardPending != 3 {
		t.Errorf("stats: %+v", st)
	}
	if n := len(outboxFiles(t, outbox)); n != 3 {
		t.Errorf("%d hooks in the outbox, want 3", n)
	}
}

func TestForwardTLS(t *testing.T) {
	tg := newTarget(t, true)
	tg.open()
	for _, insecure := range []bool{false, true} {
		errw := &syncBuffer{}
		s, url, stop := serve(t, Options{Forward: tg.URL, Outbox: t.TempDir(), Insecure: insecure, Err: errw})
		post(t, url, fakeBodies(1)[0])
		stop()
		st := s.Stats()
		if insecure && st.ForwardOK != 1 {
			t.Errorf("--insecure: %+v %s", st, errw.String())
		}
		if !insecure && (st.ForwardRetries != 1 || st.ForwardPending != 1 || !strings.Contains(errw.String(), "certificate")) {
			t.Errorf("a self-signed target must fail without --insecure: %+v %s", st, errw.String())
		}
	}
}

// outboxFiles lists the hooks waiting in an outbox folder.
func outboxFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*"+outboxExt))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
