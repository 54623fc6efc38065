package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/replay"
)

// metaLine is a meta object for body, as listen stores it.
func metaLine(t *testing.T, body string, headers map[string][]string) string {
	t.Helper()
	sum := sha256.Sum256([]byte(body))
	b, err := json.Marshal(replay.Meta{
		ReceivedAt: "2026-01-05T10:00:00.123456789Z", RemoteAddr: "10.0.0.7:51234", Method: "POST", Path: "/hook",
		Headers: headers, BodySHA256: hex.EncodeToString(sum[:]), BodySize: int64(len(body)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func TestReplayWithHeadersFromNDJSONMeta(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "hooks.ndjson")
	l1, l2, l3 := strings.TrimSuffix(chatLine("1"), "\n"), strings.TrimSuffix(chatLine("2"), "\n"), strings.TrimSuffix(chatLine("3"), "\n")
	os.WriteFile(in, []byte(l1+"\n"+l2+"\n"+l3+"\n"), 0o644)
	stored := map[string][]string{
		"Content-Type": {"application/json; charset=utf-8"}, "X-Smartsupp-Hmac": {"abc123"}, "User-Agent": {"Smartsupp-Webhooks/1.0"},
		"X-Request-Id": {"r-1"}, "Connection": {"keep-alive"}, "Content-Length": {"999"}, "Host": {"prod.example"},
		"Authorization": {"Bearer old"},
	}
	// Line 2's meta describes another body: its headers must not be used.
	meta := metaLine(t, l1, stored) + metaLine(t, "something else", stored)
	os.WriteFile(in+".meta", []byte(meta), 0o644) // no line 3
	s := newReplayServer(t, nil)
	out, errOut, code := replayCLI(t, nil, "", "replay", "-c", "1", "--with-headers", "-H", "Authorization: Bearer new", "--report", "json", s.URL, in)
	if code != 0 || s.count() != 3 {
		t.Fatalf("exit %d, %d sent: %s", code, s.count(), errOut)
	}
	h := s.heads[0]
	if h.Get("X-Smartsupp-Hmac") != "abc123" || h.Get("User-Agent") != "Smartsupp-Webhooks/1.0" || h.Get("X-Request-Id") != "r-1" ||
		h.Get("Content-Type") != "application/json; charset=utf-8" || h.Get("Authorization") != "Bearer new" {
		t.Errorf("first request's headers: %v", h)
	}
	if s.heads[1].Get("X-Request-Id") != "" || s.heads[2].Get("X-Request-Id") != "" || s.heads[1].Get("User-Agent") != UserAgent() {
		t.Errorf("headers used without a matching meta: %v %v", s.heads[1], s.heads[2])
	}
	if !strings.Contains(out, `"stored_headers":{"applied":1,"missing":1,"mismatch":1}`) {
		t.Errorf("report %s", out)
	}
	if !strings.Contains(errOut, in+":2:1: --with-headers: stored headers not used: body_sha256") || !strings.Contains(errOut, in+":3:1: --with-headers: "+in+".meta has no line 3") {
		t.Errorf("warnings:\n%s", errOut)
	}
	// --order time reads the meta while it spools the documents: the same headers.
	out, errOut, code = replayCLI(t, nil, "", "replay", "-c", "1", "--order", "time", "--with-headers", "--report", "json", s.URL, in)
	if code != 0 || !strings.Contains(out, `"stored_headers":{"applied":1,"missing":1,"mismatch":1}`) {
		t.Errorf("--order time: exit %d: %s %s", code, out, errOut)
	}
	applied := 0
	for _, h := range s.heads[3:] {
		if h.Get("X-Request-Id") == "r-1" {
			applied++
		}
	}
	if applied != 1 {
		t.Errorf("--order time: %d requests with the stored headers, want 1", applied)
	}
}

func TestReplayWithHeadersSidecarAndRewrittenBody(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "a.json")
	body := "{\n  \"accountId\": 208, \"beginAt\": 1000, \"channel\": {\"id\": 1}, \"messages\": []\n}\n"
	os.WriteFile(in, []byte(body), 0o644)
	// A sidecar indented over several lines.
	var pretty map[string]any
	json.Unmarshal([]byte(metaLine(t, body, map[string][]string{"X-Smartsupp-Hmac": {"stale"}, "X-Trace": {"t"}})), &pretty)
	side, _ := json.MarshalIndent(pretty, "", "  ")
	os.WriteFile(in+".meta", side, 0o644)
	s := newReplayServer(t, nil)
	_, errOut, code := replayCLI(t, nil, "", "replay", "--with-headers", s.URL, in)
	if code != 0 || s.heads[0].Get("X-Smartsupp-Hmac") != "stale" || s.heads[0].Get("X-Trace") != "t" {
		t.Fatalf("unchanged body: exit %d, headers %v: %s", code, s.heads, errOut)
	}
	// Rewritten: the stored signature no longer fits and is dropped...
	_, errOut, code = replayCLI(t, nil, "", "replay", "--with-headers", "--set", "accountId=1", s.URL, in)
	if code != 0 || s.heads[1].Get("X-Smartsupp-Hmac") != "" || s.heads[1].Get("X-Trace") != "t" {
		t.Errorf("rewritten: exit %d, headers %v: %s", code, s.heads[1], errOut)
	}
	// ...unless signed again.
	_, errOut, code = replayCLI(t, map[string]string{"S": "k"}, "", "replay", "--with-headers", "--set", "accountId=1", "--sign-secret-env", "S", s.URL, in)
	if code != 0 || s.heads[2].Get("X-Smartsupp-Hmac") != replay.Sign([]byte("k"), []byte(s.bodies[2])) {
		t.Errorf("re-signed: exit %d, headers %v: %s", code, s.heads[2], errOut)
	}
}
