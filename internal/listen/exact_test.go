package listen

import (
	"bytes"
	"encoding/json"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// indented is b indented over several lines with CRLF and a trailing newline, as
// some senders sign it.
func indented(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatal(err)
	}
	return append(bytes.ReplaceAll(out.Bytes(), []byte("\n"), []byte("\r\n")), '\r', '\n')
}

func TestNDJSONLine(t *testing.T) {
	for name, c := range map[string]struct{ body, line string }{
		"one line":           {`{"a": 1, "b": [1, 2]}`, `{"a": 1, "b": [1, 2]}`},
		"trailing blanks":    {"{\"a\":1}  \t", "{\"a\":1}  \t"},
		"indented":           {"{\n  \"a\": 1,\n  \"b\": \"x y\"\n}", `{"a":1,"b":"x y"}`},
		"CRLF":               {"{\r\n\"a\":\r\n1}\r\n", `{"a":1}`},
		"trailing newline":   {"{\"a\":1}\n", `{"a":1}`},
		"numbers kept as is": {"{\"n\": 1.50e+3,\n\"s\":\"\\u00e9\"}", `{"n":1.50e+3,"s":"\u00e9"}`},
	} {
		if got := string(hookmeta.NDJSONLine([]byte(c.body))); got != c.line {
			t.Errorf("%s: %q, want %q", name, got, c.line)
		}
	}
}

func TestReceivedBody(t *testing.T) {
	body := []byte("{\n  \"a\": 1\n}\n")
	line := hookmeta.NDJSONLine(body)
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	m, single := newMeta(time.Now(), r, body), newMeta(time.Now(), r, line)
	kept := m
	kept.BodyB64 = body
	cases := []struct {
		name   string
		meta   Meta
		stored []byte
		want   []byte // nil: not the body received
	}{
		{"a file as received", m, body, body},
		{"a line as received", single, line, line},
		{"a compacted line, no original kept", m, line, nil},
		{"a compacted line, original kept", kept, line, body},
		{"the original itself, kept", kept, body, body},
		{"a line edited since", kept, []byte(`{"a":2}`), nil},
		{"a line with a space more", kept, []byte(`{"a": 1}`), nil},
		{"no sha known", Meta{}, line, line},
	}
	tampered := kept
	tampered.BodyB64 = []byte("{\n  \"a\": 2\n}\n")
	cases = append(cases, struct {
		name   string
		meta   Meta
		stored []byte
		want   []byte
	}{"an original that is not the body hashed", tampered, hookmeta.NDJSONLine(tampered.BodyB64), nil})
	for _, c := range cases {
		got, ok := c.meta.Received(c.stored)
		if ok != (c.want != nil) || !bytes.Equal(got, c.want) {
			t.Errorf("%s: %q %v, want %q", c.name, got, ok, c.want)
		}
	}
}

// TestNDJSONKeepsBytes posts bodies that are not one line to a real server: the
// NDJSON stays one document a line, the meta line keeps the bytes received (and only
// for those bodies), and --dir keeps them as they are.
func TestNDJSONKeepsBytes(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "hooks.ndjson")
	s := start(t, Options{NDJSON: name, Dir: filepath.Join(dir, "files")})
	one := fakeBodies(1)[0]
	bodies := [][]byte{docExample(t), indented(t, one), append(bytes.Clone(one), '\n'), one}
	for i, b := range bodies {
		if code, text := post(t, s.url, b, "X-Smartsupp-Hmac", sign("k", b)); code != http.StatusNoContent {
			t.Fatalf("body %d: %d %s", i, code, text)
		}
	}
	checkNDJSON(t, name, name+MetaSuffix, bodies)
	data, _ := os.ReadFile(name)
	metas, _ := os.ReadFile(name + MetaSuffix)
	metaLines := strings.Split(strings.TrimSuffix(string(metas), "\n"), "\n")
	for i, l := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		if err := jsontext.Valid(l); err != nil || bytes.ContainsAny(l, "\r") {
			t.Errorf("line %d is not one JSON document: %v %q", i+1, err, l)
		}
		kept := strings.Contains(metaLines[i], `"body_b64"`)
		if kept != (i < 3) {
			t.Errorf("meta line %d keeps the body: %v, want %v", i+1, kept, i < 3)
		}
	}
	files := storedFiles(t, filepath.Join(dir, "files"))
	for i, b := range bodies {
		found := false
		for _, f := range files {
			found = found || bytes.Equal(f, b)
		}
		if !found {
			t.Errorf("--dir did not keep body %d byte for byte", i+1)
		}
	}
}

// FuzzNDJSONLine: for any JSON body, the stored line is one JSON document without a
// line break, and the meta listen writes for it gives the body back byte for byte
// from that line, and from no other.
func FuzzNDJSONLine(f *testing.F) {
	for _, s := range []string{`{"a":1}`, "{\r\n \"a\" : [1, 2.50e3, \"x\\ny\"]\r\n}\r\n", "[\n{}\n,\n{}\n]", " \"s\"\n", "\ufeff{\n}"} {
		f.Add([]byte(s))
	}
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		if jsontext.Valid(body) != nil {
			return
		}
		line := hookmeta.NDJSONLine(body)
		if bytes.ContainsAny(line, "\r\n") || jsontext.Valid(line) != nil {
			t.Fatalf("line %q of %q is not one JSON document", line, body)
		}
		m := newMeta(time.Now(), r, body)
		raw := m.Line()
		if !bytes.Equal(line, body) {
			raw = m.LineKeeping(body)
		}
		var back Meta
		if err := json.Unmarshal(raw, &back); err != nil || bytes.Count(raw, []byte("\n")) != 1 {
			t.Fatalf("meta line %q: %v", raw, err)
		}
		if got, ok := back.Received(line); !ok || !bytes.Equal(got, body) {
			t.Fatalf("%q stored as %q: got back %q, %v", body, line, got, ok)
		}
		if _, ok := back.Received(append(bytes.Clone(line), ' ', '1')); ok {
			t.Fatalf("%q: a line with more in it passes", body)
		}
	})
}
