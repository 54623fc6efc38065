package listen

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/jsontext"
)

// client bounds every test request: a server that blocks fails the test, it does not
// hang it.
var client = &http.Client{Timeout: 20 * time.Second}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is a Server behind a real listener on 127.0.0.1.
type testServer struct {
	*Server
	url  string
	ts   *httptest.Server
	once sync.Once
}

// stop waits for the requests in hand (their views are written after the answer)
// and closes the server.
func (ts *testServer) stop() {
	ts.once.Do(func() {
		ts.ts.Close()
		ts.Server.Close()
	})
}

func start(t *testing.T, opts Options) *testServer {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: s, ts: httptest.NewServer(s)}
	ts.url = ts.ts.URL
	t.Cleanup(ts.stop)
	return ts
}

func post(t *testing.T, url string, body []byte, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(text)
}

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// storedFiles returns the bodies stored under dir by name, rejected/ and the outbox
// left out. Each must have its meta sidecar, describing it.
func storedFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if d != nil && (d.Name() == "rejected" || d.Name() == ".outbox") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, MetaSuffix) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := readMeta(t, p+MetaSuffix); !m.Matches(b) {
			t.Errorf("%s: the meta does not describe the body: %+v", p, m)
		}
		if err != nil {
			t.Fatal(err)
		}
		files[p] = b
		return nil
	})
	return files
}

// readMeta reads one meta sidecar.
func readMeta(t *testing.T, name string) Meta {
	t.Helper()
	var m Meta
	b, err := os.ReadFile(name)
	if err != nil {
		t.Errorf("no meta: %v", err)
		return m
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Errorf("%s: %v", name, err)
	}
	return m
}

func docExample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/samples/doc-example.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStoresByteIdentical(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 3, 4, 5, 6, 7, 890123000, time.UTC)
	out := &syncBuffer{}
	srv := start(t, Options{Dir: dir, Now: func() time.Time { return at }, TZ: time.UTC, Out: out})
	url := srv.url
	body := docExample(t)
	for range 2 {
		if code, text := post(t, url, body); code != http.StatusNoContent || text != "" {
			t.Fatalf("got %d %q, want 204 and no body", code, text)
		}
	}
	files := storedFiles(t, dir)
	// The same chat at the same instant: the second name gets a counter.
	for _, name := range []string{"208-55039-20260304T050607.890123Z.json", "208-55039-20260304T050607.890123Z-1.json"} {
		got, ok := files[filepath.Join(dir, "2026", "03", "04", name)]
		if !ok || !bytes.Equal(got, body) {
			t.Errorf("%s: stored %v, identical %v (files: %v)", name, ok, bytes.Equal(got, body), keys(files))
		}
	}
	if len(files) != 2 {
		t.Errorf("%d files, want 2: %v", len(files), keys(files))
	}
	srv.stop()
	want := "2026-03-04T05:06:07.890Z hook 208/55039 6 messages 0 findings\n"
	if got := out.String(); got != want+want {
		t.Errorf("summary view:\n%q\nwant twice\n%q", got, want)
	}
}

func keys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestSignature(t *testing.T) {
	dir := t.TempDir()
	errw := &syncBuffer{}
	s := start(t, Options{Dir: dir, Secret: []byte("s3cret"), Err: errw})
	url := s.url
	body := docExample(t)
	tests := []struct {
		name, header string
		want         int
	}{
		{"good", sign("s3cret", body), http.StatusNoContent},
		{"good, upper case hex", strings.ToUpper(sign("s3cret", body)), http.StatusNoContent},
		{"other secret", sign("other", body), http.StatusUnauthorized},
		{"not hex", "zz", http.StatusUnauthorized},
		{"truncated", sign("s3cret", body)[:40], http.StatusUnauthorized},
		{"missing", "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		if code, _ := post(t, url, body, SignatureHeader, tt.header); code != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, code, tt.want)
		}
	}
	if code, _ := post(t, url, append([]byte(" "), body...), SignatureHeader, sign("s3cret", body)); code != http.StatusUnauthorized {
		t.Errorf("a changed body with the old signature: got %d", code)
	}
	if n := len(storedFiles(t, dir)); n != 2 {
		t.Errorf("%d files stored, want the 2 well-signed bodies only", n)
	}
	st := s.Stats()
	if st.Rejected[reasonBadSignature] != 4 || st.Rejected[reasonNoSignature] != 1 || st.Accepted != 2 {
		t.Errorf("stats: %+v", st)
	}
	if !strings.Contains(errw.String(), "401 POST from 127.0.0.1:") {
		t.Errorf("rejections are not reported: %s", errw.String())
	}
}

func TestRefusals(t *testing.T) {
	dir := t.TempDir()
	s := start(t, Options{Dir: dir, KeepBad: true, MaxBody: 100})
	url := s.url
	if code, _ := post(t, url, bytes.Repeat([]byte(" "), 101)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("over --max-body with a length: got %d, want 413", code)
	}
	// Without a Content-Length the limit holds while reading.
	req, _ := http.NewRequest(http.MethodPost, url, io.MultiReader(strings.NewReader("{}"), strings.NewReader(strings.Repeat(" ", 200))))
	req.ContentLength = -1
	if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked over --max-body: %v %v", resp, err)
	}
	bad := []byte(`{"accountId": 1,`)
	if code, text := post(t, url, bad); code != http.StatusBadRequest || !strings.Contains(text, "not JSON") {
		t.Errorf("not JSON: got %d %q", code, text)
	}
	if code, _ := post(t, url, nil); code != http.StatusBadRequest {
		t.Errorf("empty body: got %d", code)
	}
	resp, err := client.Get(url)
	if err != nil || resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET on the hook path: %v %v", resp, err)
	}
	resp, err = client.Post(url+"/other", "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("another path: %v %v", resp, err)
	}
	resp, err = client.Get(url + "/healthz")
	body, _ := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("healthz: %v %q %v", resp, body, err)
	}
	// Only the body that is not JSON is kept, byte for byte and not as a .json file.
	var kept []string
	filepath.WalkDir(filepath.Join(dir, "rejected"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			kept = append(kept, p)
		}
		return nil
	})
	if len(kept) != 2 || len(storedFiles(t, dir)) != 0 {
		t.Fatalf("kept %v; stored %d", kept, len(storedFiles(t, dir)))
	}
	for _, p := range kept {
		b, _ := os.ReadFile(p)
		if !strings.HasSuffix(p, ".body") || (!bytes.Equal(b, bad) && len(b) != 0) {
			t.Errorf("kept %s = %q", p, b)
		}
	}
	st := s.Stats()
	if st.Rejected[reasonTooLarge] != 2 || st.Rejected[reasonNotJSON] != 2 || st.Rejected[reasonMethod] != 1 ||
		st.Rejected[reasonNotFound] != 1 || st.Kept != 2 || st.Received != 6 {
		t.Errorf("stats: %+v", st)
	}
}

func TestNDJSONAppend(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "hooks.ndjson")
	// A previous run was killed in the middle of a line.
	os.WriteFile(name, []byte("{\"accountId\":1}\n{\"accou"), 0o644)
	errw := &syncBuffer{}
	url := start(t, Options{NDJSON: name, Err: errw}).url
	pretty := docExample(t)
	compact := []byte(`{"accountId":2,"channel":{"id":7},"messages":[]}`)
	for _, b := range [][]byte{pretty, compact} {
		if code, _ := post(t, url, b); code != http.StatusNoContent {
			t.Fatalf("got %d", code)
		}
	}
	got, _ := os.ReadFile(name)
	want := "{\"accountId\":1}\n{\"accou\n" + string(jsontext.AppendCompact(nil, pretty)) + "\n" + string(compact) + "\n"
	if string(got) != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(errw.String(), "ended in the middle of a line") {
		t.Errorf("no warning about the cut line: %q", errw.String())
	}
}

func TestJSONView(t *testing.T) {
	out := &syncBuffer{}
	srv := start(t, Options{View: "json", Out: out})
	url := srv.url
	body := []byte("{\"accountId\": 5, \"beginAt\": 1767600000000, \"endAt\": 1767600060000, \"channel\": {\"id\": 9, \"isMissed\": \"no\"},\n \"messages\": []}")
	post(t, url, body, "Content-Type", "application/json", "User-Agent", "Smartsupp/1.0 \"x\"", "Cookie", "secret")
	srv.stop()
	var v struct {
		Received string            `json:"received"`
		Headers  map[string]string `json:"headers"`
		Kind     string            `json:"kind"`
		File     *string           `json:"file"`
		Findings []struct {
			Severity, Rule, Pointer string
			Line, Column            int
		} `json:"findings"`
		Body json.RawMessage `json:"body"`
	}
	line := out.String()
	if err := json.Unmarshal([]byte(line), &v); err != nil || strings.Count(line, "\n") != 1 {
		t.Fatalf("not one JSON object a line: %v\n%s", err, line)
	}
	if _, err := time.Parse(time.RFC3339Nano, v.Received); err != nil || v.Kind != "hook" || v.File != nil {
		t.Errorf("received %q kind %q file %v", v.Received, v.Kind, v.File)
	}
	if v.Headers["Content-Type"] != "application/json" || v.Headers["User-Agent"] != "Smartsupp/1.0 \"x\"" || v.Headers["Cookie"] != "" {
		t.Errorf("headers: %v", v.Headers)
	}
	if len(v.Findings) != 1 || v.Findings[0].Pointer != "/channel/isMissed" || v.Findings[0].Line != 1 || v.Findings[0].Severity != "error" {
		t.Errorf("findings: %+v", v.Findings)
	}
	if string(v.Body) != string(jsontext.AppendCompact(nil, body)) {
		t.Errorf("body: %s", v.Body)
	}
}

func TestSummaryKinds(t *testing.T) {
	out := &syncBuffer{}
	srv := start(t, Options{Out: out, TZ: time.UTC})
	for _, b := range []string{
		`{"type":"event_callback","event":"conversation.closed\u001b[31m","timestamp":"2026-01-05T08:00:00Z","account_id":"208","app_id":"a","data":{}}`,
		`{"domains":{"a.cz":{"visits":1,"conversations":0,"autoMessages":0,"autoMessagesReply":0}}}`,
		`{"accountId":"12/../x","channel":{"id":-1},"messages":[{}]}`,
		`[1]`,
	} {
		post(t, srv.url, []byte(b))
	}
	srv.stop()
	re := regexp.MustCompile(`(?m)^\S+Z (webhook 208 conversation\.closedu001b31m 1 finding|stats report 1 domain 0 findings|` +
		`hook unknown/unknown 1 message 6 findings \(6 errors\)|unknown - 1 finding \(1 error\))$`)
	if got := re.FindAllString(out.String(), -1); len(got) != 4 {
		t.Errorf("summary lines:\n%s", out.String())
	}
}

func TestPrintable(t *testing.T) {
	if got := printable("a\x1b[2Jb\nc\u0085\xff", 100); got != "a?[2Jb?c??" {
		t.Errorf("got %q", got)
	}
	if got := printable(strings.Repeat("x", 10), 4); got != "xxxx..." {
		t.Errorf("got %q", got)
	}
}

func TestNewErrors(t *testing.T) {
	for _, opts := range []Options{{View: "table"}, {KeepBad: true}, {Forward: "ftp://x"}, {Forward: "http://"},
		{NDJSON: filepath.Join(t.TempDir(), "missing", "x.ndjson")}} {
		if s, err := New(opts); err == nil {
			s.Close()
			t.Errorf("New(%+v): want an error", opts)
		}
	}
}

// fakeBodies returns n distinct generated hooks.
func fakeBodies(n int) [][]byte {
	g := fake.New(fake.Options{Seed: 77})
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i] = g.Append(nil, i)
	}
	return bodies
}

// A body that is a top-level array of payloads is checked element by element (each
// element's findings under /N) and stored as received: every reading command then
// reads the stored file element by element.
func TestArrayOfPayloads(t *testing.T) {
	dir := t.TempDir()
	out := &syncBuffer{}
	srv := start(t, Options{Dir: dir, TZ: time.UTC, Out: out})
	doc := bytes.TrimSpace(docExample(t))
	broken := []byte(`{"accountId":208,"beginAt":1427470439000,"endAt":1427470476687,"channel":{"id":9,"isMissed":"no"},"messages":[]}`)
	body := append(append(append(append([]byte("[\n"), doc...), ",\n"...), broken...), "\n]"...)
	if code, text := post(t, srv.url, body); code != http.StatusNoContent {
		t.Fatalf("got %d %q, want 204", code, text)
	}
	srv.stop()
	files := storedFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("%d files: %v", len(files), keys(files))
	}
	for name, got := range files {
		if !bytes.Equal(got, body) || !strings.Contains(filepath.Base(name), "208-55039-") {
			t.Errorf("%s: stored body identical %v", name, bytes.Equal(got, body))
		}
	}
	if got := out.String(); !strings.Contains(got, " hook 208/55039 6 messages (array of 2 documents) ") || !strings.Contains(got, "(1 error)") {
		t.Errorf("summary view: %q", got)
	}
}

// The json view of an array body shows the whole array, and each finding where it is
// in the body (line and column of the element's member).
func TestArrayJSONView(t *testing.T) {
	out := &syncBuffer{}
	srv := start(t, Options{View: "json", Out: out})
	body := []byte("[\n" + `{"accountId":5,"beginAt":1767600000000,"endAt":1767600060000,"channel":{"id":9},"messages":[]}` + ",\n" +
		`{"accountId":5,"beginAt":1767600000000,"endAt":1767600060000,"channel":{"id":10,"isMissed":"no"},"messages":[]}` + "\n]")
	post(t, srv.url, body)
	srv.stop()
	var v struct {
		Findings []struct {
			Pointer      string
			Line, Column int
		} `json:"findings"`
		Body json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal([]byte(out.String()), &v); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if len(v.Findings) != 1 || v.Findings[0].Pointer != "/1/channel/isMissed" || v.Findings[0].Line != 3 || v.Findings[0].Column != 92 {
		t.Errorf("findings: %+v", v.Findings)
	}
	if string(v.Body) != string(jsontext.AppendCompact(nil, body)) {
		t.Errorf("body: %s", v.Body)
	}
}
