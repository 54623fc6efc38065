//go:build unix

package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// -o naming a FIFO (like /dev/null or /dev/stdout, not a regular file) writes into it:
// renaming a finished file over it would destroy it, which as root replaced /dev/null.
func TestOutputToSpecialFileWritesInPlace(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	in := filepath.Join(dir, "doc.json")
	if err := os.WriteFile(in, []byte(`{"accountId":1,"beginAt":1427470439000,"endAt":1427470476000,"channel":{"id":7},"messages":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	var errw bytes.Buffer
	code := Main([]string{"convert", "--to", "csv", "--columns", "channel.id", "-o", fifo, in}, IO{Out: io.Discard, Err: &errw, Getenv: func(string) string { return "" }})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	select {
	case out := <-got:
		if !strings.Contains(out, "channel.id") || !strings.Contains(out, "7") {
			t.Errorf("the FIFO got %q", out)
		}
	case <-time.After(10 * time.Second):
		t.Error("nothing was written into the FIFO")
	}
	info, err := os.Lstat(fifo)
	if err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced: %v %v", info.Mode(), err)
	}
	// -o a folder is refused, never replaced.
	errw.Reset()
	if code := Main([]string{"convert", "--force", "-o", dir, in}, IO{Out: io.Discard, Err: &errw, Getenv: func(string) string { return "" }}); code != ExitUsage || !strings.Contains(errw.String(), "is a directory") {
		t.Errorf("-o DIR: exit %d, %q", code, errw.String())
	}
}
