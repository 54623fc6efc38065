package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/replay"
)

// exactBodies are signed bodies whose bytes --ndjson cannot keep on their line:
// indented over lines (a large one first), with CRLF, with a trailing newline; and
// one already a line, last.
func exactBodies(t *testing.T) [][]byte {
	t.Helper()
	pretty, err := os.ReadFile(filepath.Join("..", "..", "testdata", "samples", "doc-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(pretty, []byte("\n")) {
		t.Fatal("doc-example.json is expected indented")
	}
	// First, one whose meta line is far longer than a read buffer.
	var big bytes.Buffer
	big.WriteString("{\n  \"accountId\": 208,\n  \"beginAt\": 1000,\n  \"channel\": {\"id\": 9},\n  \"messages\": [")
	for i := range 2000 {
		if i > 0 {
			big.WriteString(",")
		}
		big.WriteString("\n    {\"type\": \"visitor\", \"content\": \"hello there\", \"sentAt\": 1500}")
	}
	big.WriteString("\n  ]\n}\n")
	return [][]byte{
		big.Bytes(),
		pretty,
		bytes.ReplaceAll(pretty, []byte("\n"), []byte("\r\n")),
		[]byte(`{"accountId":208,"beginAt":1000,"channel":{"id":2},"messages":[]}` + "\n"),
		[]byte("{\"accountId\": 208, \"beginAt\": 1000, \"channel\": {\"id\": 3}, \"messages\": []}  \t\r\n"),
		[]byte(`{"accountId":208,"beginAt":1000,"channel":{"id":4},"messages":[]}`),
	}
}

// listenStoring runs `smarthook listen` with the secret in S on 127.0.0.1, posts
// bodies signed one after the other, and stops it.
func listenStoring(t *testing.T, opts *ListenOptions, bodies [][]byte) {
	t.Helper()
	pr, pw := io.Pipe()
	opts.IO = IO{Out: io.Discard, Err: pw, Getenv: func(k string) string { return map[string]string{"S": "s3cret"}[k] }}
	opts.Addr, opts.Path, opts.View, opts.SecretEnv, opts.MaxBody, opts.TZ = "127.0.0.1:0", "/hook", "none", "S", "1MiB", "UTC"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runListen(ctx, opts); pw.Close() }()
	br := bufio.NewReader(pr)
	var url string
	for url == "" {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("no address on stderr: %v", err)
		}
		if m := listenAddrLine.FindStringSubmatch(line); m != nil {
			url = m[1]
		}
	}
	go io.Copy(io.Discard, br)
	client := &http.Client{Timeout: 20 * time.Second}
	for i, b := range bodies {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Smartsupp-Hmac", replay.Sign([]byte("s3cret"), b))
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("body %d: %v %v", i, resp, err)
		}
		resp.Body.Close()
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("listen ended with %v", err)
	}
}

// signedReceiver records what it is sent and whether the signature fits the body.
type signedReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	sigs   []string // "valid", "invalid" or "none"
}

func newSignedReceiver(t *testing.T, secret string) *signedReceiver {
	s := &signedReceiver{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		sig := "none"
		if got := r.Header.Get("X-Smartsupp-Hmac"); got != "" {
			sig = "invalid"
			if hmac.Equal([]byte(got), []byte(replay.Sign([]byte(secret), b))) {
				sig = "valid"
			}
		}
		s.mu.Lock()
		s.bodies, s.sigs = append(s.bodies, b), append(s.sigs, sig)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(s.Close)
	return s
}

// TestNDJSONKeepsReceivedBytes: bodies --ndjson stores compacted keep their bytes in
// the meta line, so verify finds them valid, replay --with-headers sends them byte for
// byte with a signature that fits, and an edited line is found changed.
func TestNDJSONKeepsReceivedBytes(t *testing.T) {
	dir := t.TempDir()
	ndjson, files := filepath.Join(dir, "hooks.ndjson"), filepath.Join(dir, "files")
	bodies := exactBodies(t)
	listenStoring(t, &ListenOptions{NDJSON: ndjson, Dir: files}, bodies)

	data, _ := os.ReadFile(ndjson)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	metaData, _ := os.ReadFile(ndjson + ".meta")
	metas := strings.Split(strings.TrimSuffix(string(metaData), "\n"), "\n")
	if len(lines) != len(bodies) || len(metas) != len(bodies) {
		t.Fatalf("%d lines and %d meta lines for %d hooks", len(lines), len(metas), len(bodies))
	}
	for i, l := range lines {
		if jsontext.Valid([]byte(l)) != nil || strings.ContainsAny(l, "\r") {
			t.Errorf("line %d is not one JSON document: %q", i+1, l)
		}
		var m struct {
			BodyB64 []byte `json:"body_b64"`
		}
		if err := json.Unmarshal([]byte(metas[i]), &m); err != nil {
			t.Fatalf("meta line %d: %v", i+1, err)
		}
		single := l == string(bodies[i])
		if single != (m.BodyB64 == nil) || !single && !bytes.Equal(m.BodyB64, bodies[i]) {
			t.Errorf("hook %d: line kept as received %v, body_b64 %q", i+1, single, m.BodyB64)
		}
	}
	if n := len(bodies) - 1; lines[n] != string(bodies[n]) || lines[1] != string(jsontext.AppendCompact(nil, bodies[1])) {
		t.Errorf("lines: a one-line body must stay as is, an indented one compacted: %q %.80q", lines[n], lines[1])
	}

	env := map[string]string{"S": "s3cret"}
	out, errOut, code := replayCLI(t, env, "", "verify", "--secret-env", "S", ndjson, files)
	if code != 0 || strings.Count(out, ": valid\n") != 2*len(bodies) {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errOut)
	}

	// Sent again exactly as received, from both stores, in both orders, with the
	// stored signature.
	for _, order := range []string{"stored", "time", "stored " + files} {
		in := ndjson
		if o, dir, ok := strings.Cut(order, " "); ok {
			order, in = o, dir
		}
		recv := newSignedReceiver(t, "s3cret")
		_, errOut, code = replayCLI(t, env, "", "replay", "-c", "1", "--order", order, "--with-headers", recv.URL, in)
		if code != 0 || len(recv.bodies) != len(bodies) {
			t.Fatalf("replay --order %s: exit %d, %d sent\n%s", order, code, len(recv.bodies), errOut)
		}
		got := map[string]bool{}
		for i, b := range recv.bodies {
			got[string(b)] = true
			if recv.sigs[i] != "valid" {
				t.Errorf("--order %s: request %d signature %s", order, i+1, recv.sigs[i])
			}
		}
		for i, b := range bodies {
			if !got[string(b)] {
				t.Errorf("--order %s: hook %d was not sent byte for byte", order, i+1)
			}
		}
	}

	// A rewritten body: the stored signature is dropped, or signed again.
	recv := newSignedReceiver(t, "k2")
	env["K2"] = "k2"
	replayCLI(t, env, "", "replay", "-c", "1", "--with-headers", "--set", "accountId=1", recv.URL, ndjson)
	replayCLI(t, env, "", "replay", "-c", "1", "--with-headers", "--set", "accountId=1", "--sign-secret-env", "K2", recv.URL, ndjson)
	if len(recv.sigs) != 2*len(bodies) || recv.sigs[0] != "none" || recv.sigs[len(bodies)] != "valid" ||
		!bytes.HasPrefix(recv.bodies[0], []byte(`{"accountId":1,`)) {
		t.Errorf("rewritten: signatures %v, first body %.40q", recv.sigs, recv.bodies[0])
	}

	// Someone edits line 1: verify says changed, replay does not send its old bytes.
	lines[0] = strings.Replace(lines[0], `"accountId":208`, `"accountId":209`, 1)
	os.WriteFile(ndjson, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	out, _, code = replayCLI(t, env, "", "verify", "--secret-env", "S", ndjson)
	if code != ExitProblems || !strings.Contains(out, ndjson+":1: changed\n") || strings.Count(out, ": valid\n") != len(bodies)-1 {
		t.Errorf("after an edit: exit %d\n%s", code, out)
	}
	recv = newSignedReceiver(t, "s3cret")
	out, errOut, _ = replayCLI(t, env, "", "replay", "-c", "1", "--with-headers", "--report", "json", recv.URL, ndjson)
	if len(recv.bodies) != len(bodies) || string(recv.bodies[0]) != lines[0] || recv.sigs[0] != "none" ||
		!strings.Contains(out, `"mismatch":1`) || !strings.Contains(errOut, ndjson+":1:1: --with-headers: stored headers not used") {
		t.Errorf("after an edit: sent %.40q (%v)\n%s\n%s", recv.bodies[0], recv.sigs, out, errOut)
	}
}
