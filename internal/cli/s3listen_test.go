package cli

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/objstore/s3test"
)

// listen --dir s3://… creates no local folder, keeps the forward outbox on this
// machine (the state folder), and takes --s3-endpoint only with such a --dir.
func TestListenDirS3Options(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	t.Chdir(t.TempDir())
	o := &ListenOptions{IO: IO{Out: io.Discard, Err: io.Discard}, Path: "/", View: "none", TZ: "UTC", MaxBody: "1MiB",
		Dir: "s3://hooks/in/", S3Endpoint: "http://127.0.0.1:1", Forward: "http://127.0.0.1:2/hook"}
	lo, err := o.serverOptions()
	if err != nil {
		t.Fatal(err)
	}
	if lo.S3Endpoint != o.S3Endpoint || lo.Outbox != filepath.Join(state, "smarthook", "outbox") {
		t.Errorf("endpoint %q, outbox %q", lo.S3Endpoint, lo.Outbox)
	}
	if matches, _ := filepath.Glob("s3*"); len(matches) != 0 {
		t.Errorf("a local folder was made for --dir s3://: %v", matches)
	}
	o = &ListenOptions{IO: IO{Out: io.Discard, Err: io.Discard}, Path: "/", View: "none", TZ: "UTC", MaxBody: "1MiB", Dir: "hooks", S3Endpoint: "http://127.0.0.1:1"}
	if _, err := o.serverOptions(); err == nil || !strings.Contains(err.Error(), "--s3-endpoint") {
		t.Errorf("--s3-endpoint with a local --dir: %v", err)
	}
}

// replay --with-headers reads the .meta objects beside s3:// inputs, as beside files.
func TestReplayWithHeadersFromS3(t *testing.T) {
	srv := s3test.Start(t, "b")
	body := strings.TrimSuffix(chatLine("1"), "\n")
	srv.Put(t, "b", "in/2026/01/05/1-1-x.json", []byte(body))
	srv.Put(t, "b", "in/2026/01/05/1-1-x.json.meta", []byte(metaLine(t, body, map[string][]string{"X-Smartsupp-Hmac": {"abc123"}, "X-Trace": {"t"}})))
	srv.Put(t, "b", "in/2026/01/05/1-2-x.json", []byte(strings.TrimSuffix(chatLine("2"), "\n")))
	s := newReplayServer(t, nil)
	out, errOut, code := replayCLI(t, nil, "", "replay", "-c", "1", "--with-headers", "--report", "json", "--s3-endpoint", srv.URL, s.URL, "s3://b/in/")
	if code != 0 || s.count() != 2 {
		t.Fatalf("exit %d, %d sent: %s", code, s.count(), errOut)
	}
	if s.heads[0].Get("X-Smartsupp-Hmac") != "abc123" || s.heads[0].Get("X-Trace") != "t" || s.heads[1].Get("X-Trace") != "" {
		t.Errorf("headers %v %v", s.heads[0], s.heads[1])
	}
	if !strings.Contains(out, `"stored_headers":{"applied":1,"missing":1`) || !strings.Contains(errOut, "no s3://b/in/2026/01/05/1-2-x.json.meta") {
		t.Errorf("report %s\nwarnings %s", out, errOut)
	}
}
