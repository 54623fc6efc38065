package cli

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
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
