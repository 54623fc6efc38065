package inspect

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/listen"
)

// TestListPaginatesHistory lists 120 hooks stored by an earlier run, 50 a page, newest
// first, each once.
func TestListPaginatesHistory(t *testing.T) {
	dir := t.TempDir()
	writeStoredDir(t, dir, 120)
	r := startListen(t, listen.Options{Dir: dir}, Options{})
	seen := map[int64]bool{}
	var sizes []int
	before := int64(0)
	last := int64(1 << 62)
	for {
		var p Page
		url := fmt.Sprintf("%s/_/api/hooks?limit=50&before=%d", r.base, before)
		if st := getJSON(t, url, &p); st != 200 {
			t.Fatalf("%s: %d", url, st)
		}
		if p.Total != 120 {
			t.Fatalf("total %d, want 120", p.Total)
		}
		sizes = append(sizes, len(p.Rows))
		for _, row := range p.Rows {
			if row.ID >= last || seen[row.ID] {
				t.Fatalf("row %d after %d: not newest first, or twice", row.ID, last)
			}
			last, seen[row.ID] = row.ID, true
			if row.Kind != "hook" || row.Account == "" || row.Time == "" || row.Live {
				t.Fatalf("row %+v", row)
			}
		}
		if p.Next == 0 {
			break
		}
		before = p.Next
	}
	if fmt.Sprint(sizes) != "[50 50 20]" || len(seen) != 120 {
		t.Fatalf("pages %v, %d hooks", sizes, len(seen))
	}
	// The newest stored hook is the one of the latest time: the 120th written.
	var p Page
	getJSON(t, r.base+"/_/api/hooks?limit=1", &p)
	if p.Rows[0].ID != 120 || !strings.HasPrefix(p.Rows[0].Time, "2026-01-02T03:01:59") {
		t.Fatalf("newest: %+v", p.Rows[0])
	}
}

// TestNDJSONHistoryAndFilters lists an NDJSON file with its metadata, filters it, and
// opens one line with its headers, transcript and findings.
func TestNDJSONHistoryAndFilters(t *testing.T) {
	dir := t.TempDir()
	nd := filepath.Join(dir, "hooks.ndjson")
	var body, meta bytes.Buffer
	for i := 0; i < 6; i++ {
		b := fakeHook(i)
		if i == 4 {
			b = bytes.Replace(b, []byte(`"accountId":`), []byte(`"accountId":"x","old":`), 1) // a finding
		}
		body.Write(append(b, '\n'))
		fmt.Fprintf(&meta, `{"received_at":"2026-01-02T03:04:0%dZ","method":"POST","path":"/in","headers":{"X-Request-Id":["req-%d"]}}`+"\n", i, i)
	}
	body.WriteString(`{"type":"event_callback","event":"conversation.closed","timestamp":"2026-01-05T08:00:25.054Z","account_id":"999","app_id":"a","data":{"conversation":{"id":"c1"}}}` + "\n")
	meta.WriteString("{}\n")
	os.WriteFile(nd, body.Bytes(), 0o644)
	os.WriteFile(nd+".meta", meta.Bytes(), 0o644)
	r := startListen(t, listen.Options{NDJSON: nd}, Options{})

	count := func(q string) []*Row {
		var p Page
		if st := getJSON(t, r.base+"/_/api/hooks?"+q, &p); st != 200 {
			t.Fatalf("%s: %d", q, st)
		}
		return p.Rows
	}
	if n := len(count("")); n != 7 {
		t.Fatalf("%d rows, want 7", n)
	}
	web := count("kind=webhook")
	if len(web) != 1 || web[0].Event != "conversation.closed" || web[0].Account != "999" || web[0].Chat != "c1" {
		t.Fatalf("kind=webhook: %d rows, %+v", len(web), *web[0])
	}
	if rows := count("event=conversation.closed&account=999"); len(rows) != 1 {
		t.Fatalf("event and account: %d rows", len(rows))
	}
	withFindings := count("findings=1")
	if len(withFindings) != 1 || withFindings[0].ID != 5 || withFindings[0].Findings == 0 {
		t.Fatalf("findings=1: %+v", withFindings)
	}
	if rows := count("q=" + "CONVERSATION.CLOSED"); len(rows) != 1 || rows[0].ID != 7 {
		t.Fatalf("text filter: %+v", rows)
	}

	var d Detail
	if st := getJSON(t, r.base+"/_/api/hooks/5", &d); st != 200 {
		t.Fatalf("detail: %d", st)
	}
	if d.Origin != nd+":5" || d.Meta == nil || d.Meta.Headers.Get("X-Request-Id") != "req-4" {
		t.Fatalf("origin %q meta %+v", d.Origin, d.Meta)
	}
	if len(d.Findings) == 0 || d.Findings[0].Pointer != "/accountId" {
		t.Fatalf("findings %+v", d.Findings)
	}
	if !strings.Contains(d.Transcript, "Chat ") || d.Tree == nil || d.Tree.Items[0].Pointer != "/accountId" {
		t.Fatalf("transcript %q tree %+v", d.Transcript, d.Tree)
	}
	wantCurl := "curl -sS -X POST '" + r.base + "/in' -H 'Content-Type: application/json' --data-binary '{"
	if !strings.HasPrefix(d.Curl, wantCurl) {
		t.Fatalf("curl: %.120s", d.Curl)
	}
	if st := getJSON(t, r.base+"/_/api/hooks/99", nil); st != 404 {
		t.Fatalf("unknown hook: %d", st)
	}
}

// TestLiveEventsAndBody posts hooks and reads them from the event stream, then
// downloads one body byte for byte and diffs two.
func TestLiveEventsAndBody(t *testing.T) {
	r := startListen(t, listen.Options{}, Options{})
	resp, err := client.Get(r.base + "/_/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	br := bufio.NewReader(resp.Body)
	bodies := [][]byte{fakeHook(1), fakeHook(2)}
	for i, b := range bodies {
		postHook(t, r.hooks, b)
		ev := readEvent(t, br)
		var row Row
		if ev["event"] != "hook" || json.Unmarshal([]byte(ev["data"]), &row) != nil || row.ID != int64(i+1) || !row.Live || row.Size != int64(len(b)) {
			t.Fatalf("event %d: %v", i, ev)
		}
	}
	got, _ := http.Get(r.base + "/_/api/hooks/2/body")
	data, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if !bytes.Equal(data, bodies[1]) || !strings.Contains(got.Header.Get("Content-Disposition"), "hook-2.json") {
		t.Fatalf("body download differs: %q", got.Header.Get("Content-Disposition"))
	}
	var diff struct {
		Changes []Change `json:"changes"`
	}
	getJSON(t, r.base+"/_/api/diff?a=1&b=2", &diff)
	found := false
	for _, c := range diff.Changes {
		if c.Pointer == "/channel/id" && c.Op == "changed" && c.A != c.B {
			found = true
		}
	}
	if !found {
		t.Fatalf("diff has no /channel/id change: %+v", diff.Changes)
	}
}

// readEvent reads one server-sent event (its fields), skipping comments.
func readEvent(t *testing.T, br *bufio.Reader) map[string]string {
	t.Helper()
	ev := map[string]string{}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		if line == "" {
			if len(ev) > 0 && ev["event"] != "" {
				return ev
			}
			ev = map[string]string{}
			continue
		}
		if k, v, ok := strings.Cut(line, ": "); ok && !strings.HasPrefix(line, ":") {
			ev[k] = v
		}
	}
}

// TestAccess refuses what the issue says to refuse: without the token away from
// loopback, other host names on loopback, and actions without the token header.
func TestAccess(t *testing.T) {
	secured, err := New(Options{Token: "tok-123", RequireToken: true})
	if err != nil {
		t.Fatal(err)
	}
	loop, _ := New(Options{Token: "tok-456"})
	cases := []struct {
		name   string
		in     *Inspector
		method string
		url    string
		header map[string]string
		want   int
	}{
		{"no token", secured, "GET", "http://10.1.2.3:80/_/", nil, 401},
		{"wrong token", secured, "GET", "http://10.1.2.3:80/_/?token=tok-124", nil, 401},
		{"token in URL", secured, "GET", "http://10.1.2.3:80/_/?token=tok-123", nil, 200},
		{"token in header", secured, "GET", "http://10.1.2.3:80/_/api/hooks", map[string]string{TokenHeader: "tok-123"}, 200},
		{"script needs token", secured, "GET", "http://10.1.2.3:80/_/static/app.js", nil, 401},
		{"loopback page", loop, "GET", "http://127.0.0.1:8080/_/", nil, 200},
		{"localhost", loop, "GET", "http://localhost:8080/_/api/hooks", nil, 200},
		{"rebound name", loop, "GET", "http://attacker.example:8080/_/", nil, 403},
		{"resend without token", loop, "POST", "http://127.0.0.1:8080/_/api/hooks/1/resend", nil, 403},
		{"resend from another site", loop, "POST", "http://127.0.0.1:8080/_/api/hooks/1/resend", map[string]string{TokenHeader: "tok-456", "Origin": "http://evil.example"}, 403},
		{"resend with token", loop, "POST", "http://127.0.0.1:8080/_/api/hooks/1/resend", map[string]string{TokenHeader: "tok-456"}, 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, c.url, strings.NewReader(`{}`))
			req.RemoteAddr = "127.0.0.1:5555"
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			c.in.ServeHTTP(w, req)
			if w.Code != c.want {
				t.Fatalf("%s %s: %d %s, want %d", c.method, c.url, w.Code, w.Body, c.want)
			}
		})
	}
	// From another host, the loopback page is refused even with the right name.
	req := httptest.NewRequest("GET", "http://127.0.0.1:8080/_/", nil)
	req.RemoteAddr = "192.0.2.7:4000"
	w := httptest.NewRecorder()
	loop.ServeHTTP(w, req)
	if w.Code != 403 {
		t.Fatalf("remote client on loopback page: %d", w.Code)
	}
}

// TestResendRefusesOtherSchemes takes only http and https URLs.
func TestResendRefusesOtherSchemes(t *testing.T) {
	r := startListen(t, listen.Options{}, Options{Token: "t"})
	postHook(t, r.hooks, fakeHook(0))
	for _, u := range []string{"file:///etc/passwd", "gopher://127.0.0.1/", "127.0.0.1:9/x"} {
		req, _ := http.NewRequest("POST", r.base+"/_/api/hooks/1/resend", strings.NewReader(`{"url":"`+u+`"}`))
		req.Header.Set(TokenHeader, "t")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(b), "http:// or https://") {
			t.Fatalf("%s: %d %s", u, resp.StatusCode, b)
		}
	}
}

// TestForwardStatus shows the attempts of a forwarded hook, and resends it to the
// --forward target with the action's default.
func TestForwardStatus(t *testing.T) {
	got := make(chan []byte, 4)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- b
	}))
	defer target.Close()
	r := startListen(t, listen.Options{Dir: t.TempDir(), Forward: target.URL + "/crm"}, Options{Token: "tk"})
	resp, err := client.Get(r.base + "/_/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	body := fakeHook(3)
	postHook(t, r.hooks, body)
	<-got
	var row Row
	for row.Forward != "delivered" {
		ev := readEvent(t, br)
		json.Unmarshal([]byte(ev["data"]), &row)
	}
	var d Detail
	getJSON(t, r.base+"/_/api/hooks/1", &d)
	if len(d.Forward) != 1 || d.Forward[0].State != "delivered" || d.Forward[0].Status != 200 || d.Forward[0].Target != target.URL+"/crm" {
		t.Fatalf("forward attempts: %+v", d.Forward)
	}
	req, _ := http.NewRequest("POST", r.base+"/_/api/hooks/1/resend", strings.NewReader(`{}`))
	req.Header.Set(TokenHeader, "tk")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var rr ResendResult
	json.NewDecoder(res.Body).Decode(&rr)
	res.Body.Close()
	if rr.Status != 200 || rr.Target != target.URL+"/crm" || !bytes.Equal(<-got, body) {
		t.Fatalf("resend: %+v", rr)
	}
}

func TestContainsFold(t *testing.T) {
	for _, c := range []struct {
		body, text string
		want       bool
	}{
		{`{"name":"Dušan KMET"}`, "kmet", true},
		{`{"name":"DUŠAN"}`, "dušan", true},
		{`{"name":"Dusan"}`, "dušan", false},
		{`{"a":1}`, "b", false},
	} {
		if got := containsFold([]byte(c.body), strings.ToLower(c.text)); got != c.want {
			t.Errorf("%s in %s: %v", c.text, c.body, got)
		}
	}
}

// TestRefusedListed lists posts that listen refused (a bad signature, a body that is
// not JSON) with the reason, the body when it was read, and the signature check.
func TestRefusedListed(t *testing.T) {
	r := startListen(t, listen.Options{Secret: []byte("k")}, Options{Secret: []byte("k")})
	for _, sig := range []string{"00", ""} {
		req, _ := http.NewRequest("POST", r.hooks, bytes.NewReader(fakeHook(1)))
		if sig != "" {
			req.Header.Set(hookmeta.SignatureHeader, sig)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Fatalf("signature %q: %d", sig, resp.StatusCode)
		}
	}
	var p Page
	getJSON(t, r.base+"/_/api/hooks?kind=refused", &p)
	if len(p.Rows) != 2 {
		t.Fatalf("%d refused rows, want 2", len(p.Rows))
	}
	unsigned, bad := p.Rows[0], p.Rows[1]
	if bad.Refused != "401 bad signature" || bad.Signature != "invalid" || bad.Kind != "hook" || bad.Size != int64(len(fakeHook(1))) {
		t.Fatalf("bad signature row: %+v", bad)
	}
	if unsigned.Refused != "401 missing signature" || unsigned.Signature != "no signature" || unsigned.Size != 0 {
		t.Fatalf("unsigned row: %+v", unsigned)
	}
	var d Detail
	getJSON(t, r.base+"/_/api/hooks/"+fmt.Sprint(bad.ID), &d)
	if d.Tree == nil || d.Meta == nil || d.Meta.Headers.Get(hookmeta.SignatureHeader) != "00" {
		t.Fatalf("refused detail: %+v", d)
	}
}
