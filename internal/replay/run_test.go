package replay

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/rules"
)

// received is one request as the test server saw it.
type received struct {
	method string
	host   string
	header http.Header
	body   []byte
}

// server is a test receiver on 127.0.0.1 whose answer to the n-th request (from 0)
// the test chooses.
type server struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []received
}

func newServer(t *testing.T, answer func(n int, body string, w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.reqs)
		s.reqs = append(s.reqs, received{method: r.Method, host: r.Host, header: r.Header.Clone(), body: body})
		s.mu.Unlock()
		if answer == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		answer(n, string(body), w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.reqs...)
}

// fastRetry keeps tests quick: retries wait at most a millisecond.
var fastRetry = RetryPolicy{Retries: 3, Base: time.Millisecond, Max: time.Millisecond}

func options(s *server, stdin string) Options {
	return Options{
		Stdin:  strings.NewReader(stdin),
		Client: s.Client(),
		Target: Target{URL: s.URL + "/hook", Header: http.Header{"Content-Type": {"application/json"}}},
		Retry:  fastRetry,
	}
}

func mustRun(t *testing.T, o Options) *Report {
	t.Helper()
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func TestSendsExactBytesAndHeaders(t *testing.T) {
	s := newServer(t, nil)
	raw, err := os.ReadFile("../../testdata/samples/doc-example.json")
	if err != nil {
		t.Fatal(err)
	}
	o := options(s, "")
	o.Paths = []string{"../../testdata/samples/doc-example.json"}
	o.Target.Method = http.MethodPut
	o.Target.Header.Set("X-Env", "staging")
	o.Target.Header.Set("Host", "hooks.example.com")
	rep := mustRun(t, o)
	reqs := s.requests()
	if len(reqs) != 1 || !rep.OK() || rep.Delivered != 1 {
		t.Fatalf("%d requests, report %+v", len(reqs), rep)
	}
	r := reqs[0]
	if !bytes.Equal(r.body, raw) {
		t.Error("the body is not the stored bytes")
	}
	if r.method != http.MethodPut || r.host != "hooks.example.com" || r.header.Get("X-Env") != "staging" ||
		r.header.Get("Content-Type") != "application/json" {
		t.Errorf("method %s host %s headers %v", r.method, r.host, r.header)
	}
}

func TestRetriesOn500And429ButNot400(t *testing.T) {
	s := newServer(t, func(n int, body string, w http.ResponseWriter, _ *http.Request) {
		switch {
		case strings.Contains(body, `"id":1`) && n < 2:
			w.WriteHeader(http.StatusInternalServerError)
		case strings.Contains(body, `"id":2`) && n < 4:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		case strings.Contains(body, `"id":3`):
			w.WriteHeader(http.StatusBadRequest)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	o := options(s, chat(1)+chat(2)+chat(3))
	o.Concurrency = 1
	var journal bytes.Buffer
	o.Journal = &journal
	rep := mustRun(t, o)
	if got := len(s.requests()); got != 6 {
		t.Errorf("%d requests, want 3 for doc 1, 2 for doc 2 (Retry-After 0 retried at once), 1 for doc 3", got)
	}
	if rep.Delivered != 2 || rep.Failed != 1 || rep.Retried != 3 || rep.Status["400"] != 1 || rep.Status["429"] != 1 || rep.Status["500"] != 2 {
		t.Errorf("report %+v", rep)
	}
	lines := strings.Split(strings.TrimSpace(journal.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("journal has %d lines, want one per attempt:\n%s", len(lines), journal.String())
	}
	if !strings.Contains(lines[2], `"status":204`) || !strings.Contains(lines[2], `"attempt":3`) || !strings.Contains(lines[2], `"final":true`) {
		t.Errorf("third line: %s", lines[2])
	}
	if !strings.Contains(lines[0], `"final":false`) || !strings.Contains(lines[0], `"error":"500 Internal Server Error"`) {
		t.Errorf("first line: %s", lines[0])
	}
}

// chat is a small valid chat with channel id n, on one line.
func chat(n int) string {
	return `{"accountId":1,"beginAt":` + itoa(1000+n) + `,"endAt":` + itoa(2000+n) + `,"channel":{"id":` + itoa(n) + `},"messages":[]}` + "\n"
}

func TestRetriesExhausted(t *testing.T) {
	s := newServer(t, func(_ int, _ string, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	o := options(s, chat(1))
	o.Retry.Retries = 2
	var failed bytes.Buffer
	o.FailedOut = &failed
	rep := mustRun(t, o)
	if len(s.requests()) != 3 || rep.Failed != 1 || rep.OK() {
		t.Errorf("%d requests, report %+v", len(s.requests()), rep)
	}
	if failed.String() != chat(1) {
		t.Errorf("--failed-out: %q", failed.String())
	}
}

func TestTimeoutIsRetriedAndReported(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := newServer(t, func(n int, _ string, w http.ResponseWriter, r *http.Request) {
		if n == 0 {
			select { // never answer in time: the client gives up
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	o := options(s, chat(1))
	o.Timeout = 50 * time.Millisecond
	var journal bytes.Buffer
	o.Journal = &journal
	rep := mustRun(t, o)
	if rep.Status["timeout"] != 1 || rep.Delivered != 1 || rep.Retried != 1 {
		t.Errorf("report %+v", rep)
	}
	if !strings.Contains(journal.String(), `"error":"timeout after 50ms"`) {
		t.Errorf("journal:\n%s", journal.String())
	}
}

func TestSignature(t *testing.T) {
	s := newServer(t, nil)
	o := options(s, chat(1)+chat(2))
	o.Target.SignSecret = []byte("s3cret")
	o.Shift, o.ShiftTo = true, time.UnixMilli(1_000_000_000_000)
	mustRun(t, o)
	for _, r := range s.requests() {
		if got, want := r.header.Get("X-Smartsupp-Hmac"), Sign([]byte("s3cret"), r.body); got != want || len(got) != 64 {
			t.Errorf("signature %q, want the HMAC of the body sent (rewritten) %q", got, want)
		}
		if !strings.Contains(string(r.body), `"endAt":1000000000000`) && !strings.Contains(string(r.body), `"endAt":999999999999`) {
			t.Errorf("not shifted: %s", r.body)
		}
	}
	o = options(s, chat(1))
	o.Target.SignSecret, o.Target.SignHeader = []byte("k"), "X-Sig"
	mustRun(t, o)
	last := s.requests()[2]
	if last.header.Get("X-Sig") != Sign([]byte("k"), last.body) || last.header.Get("X-Smartsupp-Hmac") != "" {
		t.Errorf("renamed header: %v", last.header)
	}
}

func TestShiftToNewestEnd(t *testing.T) {
	s := newServer(t, nil)
	o := options(s, chat(1)+chat(5)+chat(3))
	target := time.UnixMilli(1_700_000_000_000)
	o.Shift, o.ShiftTo, o.Concurrency = true, target, 1
	rep := mustRun(t, o)
	if rep.Delivered != 3 {
		t.Fatalf("report %+v", rep)
	}
	// chat(5) ends newest, at 2005: it must end at the target, the others by the same delta.
	delta := target.UnixMilli() - 2005
	for i, r := range s.requests() {
		n := []int{1, 5, 3}[i]
		want := strings.NewReplacer(
			`"beginAt":`+itoa(1000+n), `"beginAt":`+strconv.FormatInt(int64(1000+n)+delta, 10),
			`"endAt":`+itoa(2000+n), `"endAt":`+strconv.FormatInt(int64(2000+n)+delta, 10),
		).Replace(strings.TrimSpace(chat(n)))
		if string(r.body) != want {
			t.Errorf("request %d: %s\nwant %s", i, r.body, want)
		}
	}
}

func TestInvalidNotSentUnlessAsked(t *testing.T) {
	const broken = `{"accountId":1,}` + "\n"
	s := newServer(t, nil)
	o := options(s, chat(1)+broken)
	var problems []string
	o.Problems = func(rec input.Record, errs []rules.Finding) {
		problems = append(problems, rec.Origin.String()+" "+string(errs[0].Rule))
	}
	var failed, journal bytes.Buffer
	o.FailedOut, o.Journal = &failed, &journal
	rep := mustRun(t, o)
	if len(s.requests()) != 1 || rep.Invalid != 1 || rep.OK() {
		t.Errorf("%d requests, report %+v", len(s.requests()), rep)
	}
	if len(problems) != 1 || problems[0] != "-:2:1 syntax" {
		t.Errorf("problems %v", problems)
	}
	if failed.String() != broken {
		t.Errorf("--failed-out %q", failed.String())
	}
	if !strings.Contains(journal.String(), `"attempt":0,"error":"not sent: the document is not JSON`) {
		t.Errorf("journal:\n%s", journal.String())
	}

	o = options(s, broken)
	o.SendInvalid = true
	rep = mustRun(t, o)
	reqs := s.requests()
	// Exactly as the input gave it: the document's bytes, up to its closing bracket.
	if len(reqs) != 2 || string(reqs[1].body) != strings.TrimSpace(broken) || rep.InvalidSent != 1 || !rep.OK() {
		t.Errorf("--send-invalid: body %q, report %+v", reqs[len(reqs)-1].body, rep)
	}
}

func TestRulesBrokenButJSONIsSent(t *testing.T) {
	s := newServer(t, nil)
	raw, _ := os.ReadFile("../../testdata/samples/broken/seconds-and-strings.json")
	o := options(s, "")
	o.Paths = []string{"../../testdata/samples/broken/seconds-and-strings.json"}
	rep := mustRun(t, o)
	if rep.Delivered != 1 || !bytes.Equal(s.requests()[0].body, raw) {
		t.Errorf("a stored payload that breaks Smartsupp's rules is replayed as it is: %+v", rep)
	}
}

func TestDryRunSendsNothing(t *testing.T) {
	s := newServer(t, nil)
	o := options(s, chat(1)+chat(2))
	var out bytes.Buffer
	o.DryRun = &out
	o.Target.SignSecret = []byte("k")
	rep := mustRun(t, o)
	if n := len(s.requests()); n != 0 {
		t.Fatalf("dry run sent %d requests", n)
	}
	if rep.DryRun != 2 || !rep.OK() {
		t.Errorf("report %+v", rep)
	}
	text := out.String()
	for _, want := range []string{"# -:1:1 (id ", "POST " + s.URL + "/hook\n", "Content-Type: application/json\n",
		"Content-Length: " + itoa(len(strings.TrimSpace(chat(1)))) + "\n", "X-Smartsupp-Hmac: " + Sign([]byte("k"), []byte(strings.TrimSpace(chat(2)))),
		"\n\n" + strings.TrimSpace(chat(2)) + "\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, text)
		}
	}
}
