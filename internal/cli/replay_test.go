package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/smarthook/smarthook/internal/replay"
)

// replayServer is a receiver on 127.0.0.1 that keeps what it got and answers with
// answer (204 when nil).
type replayServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	heads  []http.Header
	method []string
}

func newReplayServer(t *testing.T, answer func(body string) int) *replayServer {
	t.Helper()
	s := &replayServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, string(b))
		s.heads = append(s.heads, r.Header.Clone())
		s.method = append(s.method, r.Method)
		s.mu.Unlock()
		code := http.StatusNoContent
		if answer != nil {
			code = answer(string(b))
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *replayServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// replayCLI runs smarthook with env and stdin, returning stdout, stderr and the exit code.
func replayCLI(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut, Getenv: func(k string) string { return env[k] }}
	code := Main(args, streams)
	return out.String(), errOut.String(), code
}

// chatLine is a small valid chat on one line.
func chatLine(id string) string {
	return `{"accountId":208,"beginAt":1000,"endAt":2000,"channel":{"id":` + id + `},"messages":[{"type":"visitor","content":"hi","sentAt":1500}]}` + "\n"
}

func TestReplayDefaultHeadersAndExactBytes(t *testing.T) {
	s := newReplayServer(t, nil)
	path := filepath.Join("..", "..", "testdata", "samples", "doc-example.json")
	raw, _ := os.ReadFile(path)
	_, errOut, code := replayCLI(t, nil, "", "replay", s.URL+"/hook", path)
	if code != 0 || s.count() != 1 {
		t.Fatalf("exit %d, %d requests, stderr:\n%s", code, s.count(), errOut)
	}
	h := s.heads[0]
	if s.bodies[0] != string(raw) || s.method[0] != "POST" || h.Get("Content-Type") != "application/json" || h.Get("User-Agent") != UserAgent() {
		t.Errorf("method %s headers %v; body equal %v", s.method[0], h, s.bodies[0] == string(raw))
	}
	if !strings.HasPrefix(UserAgent(), "smarthook/") {
		t.Errorf("User-Agent %q", UserAgent())
	}
	for _, want := range []string{"delivered", "status 204", "latency p50 / p90 / p99"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("report lacks %q:\n%s", want, errOut)
		}
	}
}

func TestReplayMethodAndHeaderFlags(t *testing.T) {
	s := newReplayServer(t, nil)
	_, errOut, code := replayCLI(t, nil, chatLine("1"), "replay", "-X", "PUT",
		"-H", "Authorization: Bearer t0k", "-H", "User-Agent: receiver-test", "-H", "X-Multi: a", "-H", "X-Multi: b",
		"-H", "Content-Type:", s.URL, "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	h := s.heads[0]
	if s.method[0] != "PUT" || h.Get("Authorization") != "Bearer t0k" || h.Get("User-Agent") != "receiver-test" ||
		strings.Join(h.Values("X-Multi"), ",") != "a,b" || h.Get("Content-Type") != "" {
		t.Errorf("method %s headers %v", s.method[0], h)
	}
}

func TestReplaySetAndShiftFlags(t *testing.T) {
	s := newReplayServer(t, nil)
	_, errOut, code := replayCLI(t, nil, chatLine("1"), "replay", "--set", "accountId=999", "--set", "channel.tag=vip",
		"--shift-to", "1970-01-01T00:00:12Z", s.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `{"accountId":999,"beginAt":11000,"endAt":12000,"channel":{"id":1,"tag":"vip"},"messages":[{"type":"visitor","content":"hi","sentAt":11500}]}`
	if s.bodies[0] != want {
		t.Errorf("body %s\nwant %s", s.bodies[0], want)
	}
}

func TestReplaySigning(t *testing.T) {
	s := newReplayServer(t, nil)
	env := map[string]string{"HOOK_SECRET": "s3cret"}
	_, errOut, code := replayCLI(t, env, chatLine("1"), "replay", "--sign-secret-env", "HOOK_SECRET", s.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got, want := s.heads[0].Get("X-Smartsupp-Hmac"), replay.Sign([]byte("s3cret"), []byte(s.bodies[0])); got != want {
		t.Errorf("X-Smartsupp-Hmac %q, want %q", got, want)
	}
}

func TestReplayRedact(t *testing.T) {
	s := newReplayServer(t, nil)
	env := map[string]string{"SMARTHOOK_REDACT_KEY": "0123456789abcdef0123456789abcdef", "SECRET": "k"}
	path := filepath.Join("..", "..", "testdata", "samples", "doc-example.json")
	for range 2 {
		_, errOut, code := replayCLI(t, env, "", "replay", "--redact", "--sign-secret-env", "SECRET", "--set", "accountId=1", s.URL, path)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	}
	body := s.bodies[0]
	if strings.Contains(body, "Dusan") || !strings.Contains(body, `"accountId": 1,`) || body != s.bodies[1] {
		t.Errorf("redacted body (the same in both runs: %v):\n%s", body == s.bodies[1], body)
	}
	if s.heads[0].Get("X-Smartsupp-Hmac") != replay.Sign([]byte("k"), []byte(body)) {
		t.Error("the signature is not that of the redacted body")
	}
}

func TestReplayUsageErrors(t *testing.T) {
	s := newReplayServer(t, nil)
	dir := t.TempDir()
	used := filepath.Join(dir, "used.jnl")
	os.WriteFile(used, []byte("{}\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no URL", nil, "needs the URL"},
		{"bad URL", []string{"localhost:8080/hook"}, "bad URL"},
		{"ftp URL", []string{"ftp://127.0.0.1/"}, "bad URL"},
		{"empty secret", []string{"--sign-secret-env", "NOPE", s.URL}, "--sign-secret-env NOPE: the variable is empty or not set"},
		{"concurrency", []string{"-c", "0", s.URL}, "--concurrency"},
		{"order", []string{"--order", "random", s.URL}, `unknown --order "random"`},
		{"report", []string{"--report", "xml", s.URL}, `unknown --report "xml"`},
		{"resume alone", []string{"--resume", s.URL}, "--resume needs --journal"},
		{"speed alone", []string{"--speed", "2", s.URL}, "--speed needs --pace"},
		{"shift-to", []string{"--shift-to", "yesterday", s.URL}, "bad --shift-to"},
		{"set", []string{"--set", "accountId", s.URL}, "want path=value"},
		{"header", []string{"-H", "NoColon", s.URL}, "bad -H"},
		{"journal exists", []string{"--journal", used, s.URL}, "add --resume"},
		{"redact key", []string{"--redact", "--redact-key-env", "NOKEY", s.URL}, "--redact needs a key"},
		{"cacert", []string{"--cacert", filepath.Join(dir, "missing.pem"), s.URL}, "--cacert"},
		{"unknown flag", []string{"--nope", s.URL}, "unknown flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := replayCLI(t, nil, chatLine("1"), append([]string{"replay"}, tt.args...)...)
			if code != ExitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
	if s.count() != 0 {
		t.Errorf("usage errors sent %d requests", s.count())
	}
}

func TestReplayDryRunSendsNothing(t *testing.T) {
	s := newReplayServer(t, nil)
	out, errOut, code := replayCLI(t, nil, chatLine("1")+chatLine("2"), "replay", "--dry-run", "--report", "json", s.URL)
	if code != 0 || s.count() != 0 {
		t.Fatalf("exit %d, %d requests; stderr %s", code, s.count(), errOut)
	}
	if strings.Count(out, "POST "+s.URL+"\n") != 2 || !strings.Contains(out, `"dry_run":2`) {
		t.Errorf("stdout:\n%s", out)
	}
}

func TestReplayFailuresExitOneAndFailedOutReplays(t *testing.T) {
	bad := newReplayServer(t, func(body string) int {
		if strings.Contains(body, `"id":2`) {
			return http.StatusUnprocessableEntity
		}
		return http.StatusOK
	})
	dir := t.TempDir()
	failed := filepath.Join(dir, "failed.ndjson")
	in := chatLine("1") + chatLine("2") + "{broken\n"
	_, errOut, code := replayCLI(t, nil, in, "replay", "--failed-out", failed, bad.URL)
	if code != ExitProblems {
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	if !strings.Contains(errOut, "-:3:2: error:") || !strings.Contains(errOut, "2 document(s) not delivered: they are in "+failed) {
		t.Errorf("stderr:\n%s", errOut)
	}
	got, _ := os.ReadFile(failed)
	lines := strings.SplitAfter(string(got), "\n")
	slices.Sort(lines) // in the order they failed
	if strings.Join(lines, "") != chatLine("2")+"{broken\n" {
		t.Errorf("--failed-out:\n%s", got)
	}
	good := newReplayServer(t, nil)
	_, errOut, code = replayCLI(t, nil, "", "replay", "--send-invalid", good.URL, failed)
	if code != 0 || good.count() != 2 {
		t.Errorf("replaying --failed-out: exit %d, %d requests: %s", code, good.count(), errOut)
	}
}

func TestReplayJournalResume(t *testing.T) {
	refuse := true
	var mu sync.Mutex
	s := newReplayServer(t, func(body string) int {
		mu.Lock()
		defer mu.Unlock()
		if refuse && strings.Contains(body, `"id":2`) {
			return http.StatusBadRequest
		}
		return http.StatusNoContent
	})
	dir := t.TempDir()
	input := filepath.Join(dir, "chats.ndjson")
	os.WriteFile(input, []byte(chatLine("1")+chatLine("2")+chatLine("3")), 0o644)
	journal := filepath.Join(dir, "run.jnl")
	if _, errOut, code := replayCLI(t, nil, "", "replay", "--journal", journal, s.URL, input); code != 1 {
		t.Fatalf("first run: exit %d: %s", code, errOut)
	}
	// A kill -9 while writing: half a line, no newline.
	f, _ := os.OpenFile(journal, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"time":"2026-01-05T10:00:00.000Z","origin":"x","id":"00`)
	f.Close()
	mu.Lock()
	refuse = false
	mu.Unlock()
	_, errOut, code := replayCLI(t, nil, "", "replay", "--journal", journal, "--resume", s.URL, input)
	if code != 0 || s.count() != 4 || !strings.Contains(s.bodies[3], `"id":2`) {
		t.Fatalf("resume: exit %d, %d requests in all: %s", code, s.count(), errOut)
	}
	if !strings.Contains(errOut, "2 document(s) already delivered (1 unreadable line(s) ignored") {
		t.Errorf("stderr:\n%s", errOut)
	}
	st := readJournalFile(t, journal)
	if len(st.Delivered) != 3 || st.Broken != 1 || st.Unterminated || st.Lines != 5 {
		t.Errorf("journal after resume: %d delivered, %d lines, %d broken", len(st.Delivered), st.Lines, st.Broken)
	}
}

func readJournalFile(t *testing.T, name string) *replay.JournalState {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := replay.ReadJournal(f)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestReplayInterruptExits130WithReport(t *testing.T) {
	started, release := make(chan struct{}, 8), make(chan struct{})
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		started <- struct{}{}
		<-release
		w.WriteHeader(http.StatusNoContent)
	}))
	defer s.Close()
	defer close(release)
	var errOut bytes.Buffer
	opts := &ReplayOptions{
		IO:  IO{In: strings.NewReader(chatLine("1") + chatLine("2") + chatLine("3")), Out: io.Discard, Err: &errOut, Getenv: os.Getenv},
		URL: s.URL, Method: "POST", Concurrency: 1, Order: "stored", Report: "text", Speed: 1,
		Timeout: replay.DefaultRetryPolicy.Max, Retries: 3, MaxWait: replay.DefaultRetryPolicy.Max,
		SignHeader: replay.DefaultSignHeader,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- runReplay(ctx, opts) }()
	<-started
	cancel() // what the first Ctrl-C does through Main's signal context
	release <- struct{}{}
	err := <-done
	if code := exitCode(err, ctx, io.Discard); code != ExitInterrupted {
		t.Errorf("exit %d, want 130 (err %v)", code, err)
	}
	if !strings.Contains(errOut.String(), "unfinished (interrupted)") || !regexpMatch(`delivered +│ 1 `, errOut.String()) {
		t.Errorf("report:\n%s", errOut.String())
	}
}
