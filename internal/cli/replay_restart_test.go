package cli

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// restartingReceiver answers 204 on a fixed 127.0.0.1 port, and once it has taken
// stopAfter requests it goes away (connections refused) for downFor, then comes back
// on the same port, as a receiver being redeployed does.
type restartingReceiver struct {
	addr      string
	stopAfter int64
	downFor   time.Duration
	got       atomic.Int64
	mu        sync.Mutex
	srv       *http.Server
	restarted chan struct{}
	bodies    sync.Map
}

func startRestartingReceiver(t *testing.T, stopAfter int64, downFor time.Duration) *restartingReceiver {
	t.Helper()
	r := &restartingReceiver{stopAfter: stopAfter, downFor: downFor, restarted: make(chan struct{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	r.serve(ln)
	t.Cleanup(func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.srv.Close()
	})
	return r
}

func (r *restartingReceiver) serve(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(r.handle)}
	r.mu.Lock()
	r.srv = srv
	r.mu.Unlock()
	go srv.Serve(ln)
}

func (r *restartingReceiver) handle(w http.ResponseWriter, req *http.Request) {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := req.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	r.bodies.Store(b.String(), true)
	w.WriteHeader(http.StatusNoContent)
	if r.got.Add(1) == r.stopAfter {
		go r.restart()
	}
}

// restart stops the server (refusing connections), waits, and serves again.
func (r *restartingReceiver) restart() {
	r.mu.Lock()
	r.srv.Close()
	r.mu.Unlock()
	time.Sleep(r.downFor)
	for {
		ln, err := net.Listen("tcp", r.addr)
		if err == nil {
			r.serve(ln)
			close(r.restarted)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestReplayDefaultRetriesOutlastAReceiverRestart(t *testing.T) {
	const docs = 40
	r := startRestartingReceiver(t, 10, 2*time.Second)
	var in strings.Builder
	for i := range docs {
		in.WriteString(chatLine(strconv.Itoa(i + 1)))
	}
	// --rate keeps documents coming while the receiver is down.
	_, errOut, code := replayCLI(t, nil, in.String(), "replay", "-c", "4", "--rate", "20", "http://"+r.addr+"/hook")
	select {
	case <-r.restarted:
	default:
		t.Fatal("the receiver was never restarted")
	}
	n := 0
	r.bodies.Range(func(_, _ any) bool { n++; return true })
	if code != 0 || n != docs || !strings.Contains(errOut, "connection refused") {
		t.Errorf("exit %d, %d distinct documents received, want %d, with refused connections retried:\n%s", code, n, docs, errOut)
	}
	if !regexpMatch(`│ failed +│ 0 +│`, errOut) {
		t.Errorf("report:\n%s", errOut)
	}
}
