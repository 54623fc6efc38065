package cli

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/replay"
)

// replayFailures runs replay once with no retries against url and returns the
// failure reasons of its JSON report.
func replayFailures(t *testing.T, url string, extra ...string) (map[string]replay.Failure, string) {
	t.Helper()
	args := append([]string{"replay", "--retries", "0", "--report", "json"}, extra...)
	out, errOut, code := replayCLI(t, nil, chatLine("1")+chatLine("2"), append(args, url)...)
	if code != ExitProblems {
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	var rep replay.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report %q: %v", out, err)
	}
	got := map[string]replay.Failure{}
	for _, f := range rep.Failures {
		got[f.Reason] = f
	}
	return got, errOut
}

func checkFailure(t *testing.T, got map[string]replay.Failure, reason string, requests int) replay.Failure {
	t.Helper()
	f, ok := got[reason]
	if !ok || f.Count != requests || f.Documents != requests || f.Example != "-:1:1" && f.Example != "-:2:1" {
		t.Errorf("%s: got %+v (all: %+v)", reason, f, got)
	}
	return f
}

func TestReplayFailureReasons(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		got, _ := replayFailures(t, "http://"+addr+"/hook")
		checkFailure(t, got, "connection refused", 2)
	})
	t.Run("tls", func(t *testing.T) {
		s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
		s.Config.ErrorLog = quietLog
		s.StartTLS()
		defer s.Close()
		got, _ := replayFailures(t, s.URL)
		checkFailure(t, got, "TLS certificate not trusted", 2)
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		defer s.Close()
		defer close(release)
		got, _ := replayFailures(t, s.URL, "--timeout", "100ms")
		checkFailure(t, got, "timeout", 2)
	})
	t.Run("5xx with body", func(t *testing.T) {
		s := newReplayServer(t, nil)
		s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("maintenance until 10:00\n" + strings.Repeat("x", 500)))
		})
		got, errOut := replayFailures(t, s.URL)
		f := checkFailure(t, got, "HTTP status 503", 2)
		if !strings.HasPrefix(f.Body, "maintenance until 10:00 xxx") || len(f.Body) != 200 {
			t.Errorf("body preview %q (%d bytes)", f.Body, len(f.Body))
		}
		if strings.Contains(errOut, "FAILED BECAUSE") {
			t.Errorf("the table went to stderr with --report json:\n%s", errOut)
		}
	})
	t.Run("reset", func(t *testing.T) {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			conn.(*net.TCPConn).SetLinger(0) // close with RST
			conn.Close()
		}))
		defer s.Close()
		got, _ := replayFailures(t, s.URL)
		if got["connection reset"].Count+got["connection closed without an answer"].Count != 2 {
			t.Errorf("reasons %+v", got)
		}
	})
}

func TestReplayFailureTableAndShowResponse(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "bad") {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"unknown account"}`))
			return
		}
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("thanks"))
	}))
	defer s.Close()
	_, errOut, code := replayCLI(t, nil, chatLine("1"), "replay", s.URL+"/bad")
	if code != ExitProblems || !strings.Contains(errOut, "HTTP status 400") || !strings.Contains(errOut, `{"error":"unknown account"}`) || !strings.Contains(errOut, "-:1:1") {
		t.Errorf("exit %d, table:\n%s", code, errOut)
	}
	_, errOut, code = replayCLI(t, nil, chatLine("1")+chatLine("2"), "replay", "-c", "1", "--show-response", s.URL+"/ok")
	if code != 0 || !strings.Contains(errOut, "-:1:1 attempt 1: 200 OK in ") || !strings.Contains(errOut, "-:2:1 attempt 1: 200 OK in ") ||
		!strings.Contains(errOut, "ms: thanks\n") {
		t.Errorf("--show-response: exit %d:\n%s", code, errOut)
	}
}

func TestReplayURLMistakesAndDurations(t *testing.T) {
	for url, want := range map[string]string{
		"127.0.0.1:8080":             "add http:// or https://",
		"http://127.0.0.1:70000/h":   "port 70000 is out of range",
		"http:///hook":               "no host",
		"ftp://127.0.0.1/hook":       "use http:// or https://",
		"http://127.0.0.1:8o80/hook": "the port must be a number",
	} {
		_, errOut, code := replayCLI(t, nil, chatLine("1"), "replay", url)
		if code != ExitUsage || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, want 2 and %q: %s", url, code, want, errOut)
		}
	}
	_, errOut, code := replayCLI(t, nil, chatLine("1"), "replay", "--timeout", "five", "http://127.0.0.1:1/")
	if code != ExitUsage || !strings.Contains(errOut, "write seconds (5, 0.5) or a number with a unit") {
		t.Errorf("--timeout five: exit %d: %s", code, errOut)
	}
	s := newReplayServer(t, nil)
	for _, d := range []string{"5", "0.5", "2s", "1m"} {
		_, errOut, code := replayCLI(t, nil, chatLine("1"), "replay", "--timeout", d, "--max-wait", d, s.URL)
		if code != 0 {
			t.Errorf("--timeout %s: exit %d: %s", d, code, errOut)
		}
	}
}
