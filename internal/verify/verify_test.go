package verify

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/listen"
)

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// capture runs a listen server storing to a folder and an NDJSON file, posts one
// hook well signed, one wrongly, one unsigned, and returns the two stores.
func capture(t *testing.T) (dir, ndjson string) {
	t.Helper()
	base := t.TempDir()
	dir, ndjson = filepath.Join(base, "files"), filepath.Join(base, "hooks.ndjson")
	postSigned(t, listen.Options{Dir: dir, NDJSON: ndjson})
	return dir, ndjson
}

// postSigned runs a listen server with opts and posts one hook well signed, one
// wrongly, one unsigned.
func postSigned(t *testing.T, opts listen.Options) {
	t.Helper()
	s, err := listen.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer func() { ts.Close(); s.Close() }()
	client := &http.Client{Timeout: 10 * time.Second}
	for i, sig := range []string{"good", "bad", ""} {
		body := []byte(`{"accountId":` + string(rune('1'+i)) + `,"channel":{"id":5}}`)
		req, _ := http.NewRequest(http.MethodPost, ts.URL, bytes.NewReader(body))
		switch sig {
		case "good":
			req.Header.Set(hookmeta.SignatureHeader, sign("s3cret", body))
		case "bad":
			req.Header.Set(hookmeta.SignatureHeader, sign("other", body))
		}
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("post: %v %v", resp, err)
		}
		resp.Body.Close()
	}
}

func run(t *testing.T, c *Checker, path string) []string {
	t.Helper()
	var got []string
	if err := c.Path(path, func(r Result) { got = append(got, filepath.Base(r.Origin)+" "+r.Status) }); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestVerifyStores(t *testing.T) {
	dir, ndjson := capture(t)
	c := &Checker{Secret: []byte("s3cret")}
	if got := strings.Join(run(t, c, ndjson), ", "); got != "hooks.ndjson:1 valid, hooks.ndjson:2 invalid, hooks.ndjson:3 no signature" {
		t.Errorf("ndjson: %s", got)
	}
	statuses := func() string {
		var s []string
		for _, r := range run(t, c, dir) {
			s = append(s, r[strings.IndexByte(r, ' ')+1:])
		}
		sort.Strings(s)
		return strings.Join(s, ", ")
	}
	if got := statuses(); got != "invalid, no signature, valid" {
		t.Errorf("dir: %s", got)
	}
	// A body changed after it was stored, and one whose meta is gone.
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*", "*.json"))
	if len(files) != 3 {
		t.Fatalf("files: %v", files)
	}
	os.WriteFile(files[0], []byte(`{"accountId":9}`), 0o644)
	os.Remove(files[1] + hookmeta.MetaSuffix)
	if got := statuses(); !strings.Contains(got, "changed") || !strings.Contains(got, "no headers") {
		t.Errorf("after changes: %s", got)
	}
}

func TestBad(t *testing.T) {
	for status, bad := range map[string]bool{Valid: false, Invalid: true, Changed: true, NoSignature: false, NoHeaders: false} {
		if (Result{Status: status}).Bad() != bad {
			t.Errorf("%s: bad should be %v", status, bad)
		}
	}
}

// TestVerifyBodiesOverLines: bodies signed as they came, indented, with CRLF or a
// trailing newline, are valid both in a --dir folder (kept as they are) and in an
// NDJSON file (compacted, the meta line keeping them); an edited line, or an edited
// original in the meta, is changed.
func TestVerifyBodiesOverLines(t *testing.T) {
	base := t.TempDir()
	dir, ndjson := filepath.Join(base, "files"), filepath.Join(base, "hooks.ndjson")
	s, err := listen.New(listen.Options{Dir: dir, NDJSON: ndjson})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	client := &http.Client{Timeout: 10 * time.Second}
	bodies := []string{
		"{\n  \"accountId\": 1,\n  \"channel\": {\"id\": 5}\n}",
		"{\r\n\t\"accountId\": 2,\r\n\t\"channel\": {\"id\": 5}\r\n}\r\n",
		`{"accountId":3,"channel":{"id":5}}` + "\n",
	}
	for _, b := range bodies {
		req, _ := http.NewRequest(http.MethodPost, ts.URL, strings.NewReader(b))
		req.Header.Set(hookmeta.SignatureHeader, sign("s3cret", []byte(b)))
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("post: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	ts.Close()
	s.Close()
	c := &Checker{Secret: []byte("s3cret")}
	want := "hooks.ndjson:1 valid, hooks.ndjson:2 valid, hooks.ndjson:3 valid"
	if got := strings.Join(run(t, c, ndjson), ", "); got != want {
		t.Errorf("ndjson: %s", got)
	}
	if got := run(t, c, dir); strings.Count(strings.Join(got, ","), " valid") != 3 {
		t.Errorf("dir: %v", got)
	}
	data, _ := os.ReadFile(ndjson)
	edited := bytes.Replace(data, []byte(`"accountId":2`), []byte(`"accountId":7`), 1)
	os.WriteFile(ndjson, edited, 0o644)
	want = "hooks.ndjson:1 valid, hooks.ndjson:2 changed, hooks.ndjson:3 valid"
	if got := strings.Join(run(t, c, ndjson), ", "); got != want {
		t.Errorf("a line edited: %s", got)
	}
	os.WriteFile(ndjson, data, 0o644)
	metas, _ := os.ReadFile(ndjson + hookmeta.MetaSuffix)
	lines := bytes.SplitAfter(metas, []byte("\n"))
	var m map[string]any
	json.Unmarshal(lines[0], &m)
	m["body_b64"] = "eyJhY2NvdW50SWQiOjF9" // {"accountId":1}: not the body hashed
	lines[0], _ = json.Marshal(m)
	lines[0] = append(lines[0], '\n')
	os.WriteFile(ndjson+hookmeta.MetaSuffix, bytes.Join(lines, nil), 0o644)
	want = "hooks.ndjson:1 changed, hooks.ndjson:2 valid, hooks.ndjson:3 valid"
	if got := strings.Join(run(t, c, ndjson), ", "); got != want {
		t.Errorf("an original edited in the meta: %s", got)
	}
}
