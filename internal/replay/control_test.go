package replay

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestResumeSkipsDelivered(t *testing.T) {
	s := newServer(t, func(n int, body string, w http.ResponseWriter, _ *http.Request) {
		if strings.Contains(body, `"id":2`) && n == 1 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	input := chat(1) + chat(2) + chat(3)
	var journal bytes.Buffer
	o := options(s, input)
	o.Concurrency, o.Journal = 1, &journal
	first := mustRun(t, o)
	if first.Delivered != 2 || first.Failed != 1 {
		t.Fatalf("first run %+v", first)
	}
	// A kill cut a line in half after the journal was written: tolerated.
	st, err := ReadJournal(strings.NewReader(journal.String() + `{"time":"2026-01-`))
	if err != nil || len(st.Delivered) != 2 || st.Broken != 1 {
		t.Fatalf("journal state %+v, %v", st, err)
	}
	o = options(s, input)
	o.Delivered = st.Delivered
	second := mustRun(t, o)
	reqs := s.requests()
	if len(reqs) != 4 || !strings.Contains(string(reqs[3].body), `"id":2`) {
		t.Errorf("resume sent %d requests in all, want only doc 2 again", len(reqs))
	}
	if second.AlreadyDelivered != 2 || second.Delivered != 1 || !second.OK() {
		t.Errorf("second run %+v", second)
	}
}

func TestFailedOutReadsBack(t *testing.T) {
	s := newServer(t, func(_ int, _ string, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	o := options(s, "")
	o.Paths = []string{"../../testdata/samples/doc-example.json", "../../testdata/samples/chats.ndjson"}
	o.Retry.Retries = 0
	var failed bytes.Buffer
	o.FailedOut = &failed
	first := mustRun(t, o)
	if first.Failed != first.Documents || first.Documents < 2 {
		t.Fatalf("report %+v", first)
	}
	path := t.TempDir() + "/failed.ndjson"
	if err := os.WriteFile(path, failed.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := newServer(t, nil)
	o = options(ok, "")
	o.Paths = []string{path}
	second := mustRun(t, o)
	if second.Documents != first.Documents || second.Delivered != first.Documents {
		t.Errorf("replaying --failed-out: %+v", second)
	}
	for i, r := range ok.requests() {
		if bytes.Contains(r.body, []byte("\n")) {
			t.Errorf("request %d: not compact", i)
		}
	}
}

func TestOrderByTime(t *testing.T) {
	s := newServer(t, nil)
	o := options(s, chat(3)+chat(1)+`{"domains":{}}`+"\n"+chat(2))
	o.OrderByTime, o.Concurrency = true, 1
	rep := mustRun(t, o)
	var got []string
	for _, r := range s.requests() {
		got = append(got, string(r.body))
	}
	want := []string{`{"domains":{}}`, strings.TrimSpace(chat(1)), strings.TrimSpace(chat(2)), strings.TrimSpace(chat(3))}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || rep.Delivered != 4 {
		t.Errorf("order:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPaceSendsEverything(t *testing.T) {
	s := newServer(t, nil)
	o := options(s, chat(1)+chat(2)+chat(3))
	o.Pace, o.OrderByTime, o.Speed = true, true, 1000 // 1 ms apart in the chats: 1 µs here
	if rep := mustRun(t, o); rep.Delivered != 3 {
		t.Errorf("report %+v", rep)
	}
}

// blockingServer holds every request until release closes, and tells started about each.
func blockingServer(t *testing.T) (*server, chan struct{}, chan struct{}) {
	started, release := make(chan struct{}, 16), make(chan struct{})
	s := newServer(t, func(_ int, _ string, w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		select {
		case <-release:
			w.WriteHeader(http.StatusNoContent)
		case <-r.Context().Done():
		}
	})
	return s, started, release
}

func TestInterruptWaitsForRequestsInFlight(t *testing.T) {
	s, started, release := blockingServer(t)
	o := options(s, chat(1)+chat(2)+chat(3)+chat(4))
	o.Concurrency = 1
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var rep *Report
	var err error
	go func() {
		defer close(done)
		rep, err = Run(ctx, o)
	}()
	<-started
	cancel()
	close(release)
	<-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if rep.Delivered != 1 || rep.Unfinished != 3 || rep.Documents != 4 || !rep.Interrupted || len(s.requests()) != 1 {
		t.Errorf("the request in flight should finish, the rest wait: %+v", rep)
	}
}

func TestAbortCancelsRequestsInFlight(t *testing.T) {
	s, started, release := blockingServer(t)
	defer close(release)
	o := options(s, chat(1)+chat(2))
	o.Concurrency = 1
	abort := make(chan struct{})
	o.Abort = abort
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var rep *Report
	go func() {
		defer close(done)
		rep, _ = Run(ctx, o)
	}()
	<-started
	cancel()
	close(abort)
	<-done
	if rep.Delivered != 0 || rep.Status["aborted"] != 1 || rep.Unfinished != 2 {
		t.Errorf("report %+v", rep)
	}
}

func TestShiftFromStdinKeepsOriginsAndIDs(t *testing.T) {
	s := newServer(t, nil)
	in := chat(1) + chat(2)
	var plain, shifted bytes.Buffer
	o := options(s, in)
	o.Journal, o.Concurrency = &plain, 1
	mustRun(t, o)
	// --shift-time reads stdin twice through a spool file; the journal must still name
	// stdin, with the same ids, or --resume would not recognise the documents.
	o = options(s, in)
	o.Journal, o.Concurrency, o.Shift = &shifted, 1, true
	mustRun(t, o)
	ids := func(j string) string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(j), "\n") {
			out = append(out, l[strings.Index(l, `"origin"`):strings.Index(l, `,"status"`)])
		}
		return strings.Join(out, "\n")
	}
	if ids(plain.String()) != ids(shifted.String()) || !strings.Contains(plain.String(), `"origin":"-:2:1"`) {
		t.Errorf("journal origins and ids differ:\n%s\n%s", plain.String(), shifted.String())
	}
}

func TestRedirectIsAnAnswerNotFollowed(t *testing.T) {
	s := newServer(t, func(_ int, _ string, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	o := options(s, chat(1))
	client, err := NewClient(ClientOptions{Concurrency: 1, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	o.Client = client
	rep := mustRun(t, o)
	if len(s.requests()) != 1 || rep.Failed != 1 || rep.Status["302"] != 1 {
		t.Errorf("%d requests, report %+v", len(s.requests()), rep)
	}
}

func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, 10)
	p.draw(4, &Report{Delivered: 3, Failed: 1, Retried: 2}, 3)
	got := b.String()
	for _, want := range []string{"40%", "(4/10, ", " docs/", "3 delivered, 1 failed, 3 errors, 2 retried"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress bar %q lacks %q", got, want)
		}
	}
	// Without a total: a count, then a bar once the total is known.
	b.Reset()
	p = newProgress(&b, 0)
	p.draw(7, &Report{}, 0)
	if got := b.String(); strings.Contains(got, "%") || !strings.Contains(got, "(7/-, ") {
		t.Errorf("spinner %q", got)
	}
	p.setTotal(14)
	p.draw(7, &Report{}, 0)
	if got := b.String(); !strings.Contains(got, "50%") {
		t.Errorf("after the total is known: %q", got)
	}
}
