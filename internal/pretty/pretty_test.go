package pretty

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/input"
)

func run(t *testing.T, opts Options, stdin string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	opts.Input = input.Options{Stdin: strings.NewReader(stdin)}
	if opts.Out == nil {
		opts.Out = &out
	}
	opts.Err = &errOut
	err := Run(context.Background(), opts)
	return out.String(), errOut.String(), err
}

func TestJSONKeepsBytesAndSkipsBroken(t *testing.T) {
	out, errOut, err := run(t, Options{Indent: 2}, "{\"b\":1.50,\"a\":\"\\u00e9\"}\n{\"x\":\n")
	if want := "{\n  \"b\": 1.50,\n  \"a\": \"\\u00e9\"\n}\n"; out != want {
		t.Errorf("out %q, want %q", out, want)
	}
	if err != exit.ErrProblems || !strings.Contains(errOut, "-:2:") || !strings.Contains(errOut, "1 document(s) skipped") {
		t.Errorf("broken document: %v, %q", err, errOut)
	}
	out, _, _ = run(t, Options{Compact: true, SortKeys: true}, `{"b":1,"a":2}`+"\n"+`[3]`)
	if out != "{\"a\":2,\"b\":1}\n[3]\n" {
		t.Errorf("compact sorted %q", out)
	}
}

func TestModesAndHeaders(t *testing.T) {
	dir := t.TempDir()
	hook := `{"accountId":1,"beginAt":1767225600000,"endAt":1767225660000,"channel":{"id":5},"visitor":{"name":"Jana"},"messages":[{"type":"visitor","content":"Ahoj","sentAt":1767225601000}]}`
	for _, n := range []string{"a.json", "b.json"} {
		os.WriteFile(filepath.Join(dir, n), []byte(hook), 0o644)
	}
	var out, errOut bytes.Buffer
	opts := Options{Paths: []string{dir}, Indent: 2, Out: &out, Err: &errOut}
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "==> "+filepath.Join(dir, "a.json")+" <==\n") {
		t.Errorf("no header per file: %q", out.String())
	}
	out.Reset()
	opts.NoHeaders = true
	Run(context.Background(), opts)
	if strings.Contains(out.String(), "==>") {
		t.Errorf("--no-headers still heads: %q", out.String())
	}
	out.Reset()
	opts.Mode, opts.Location = Transcript, time.UTC
	Run(context.Background(), opts)
	if !strings.Contains(out.String(), "Ahoj") || strings.Contains(out.String(), `"accountId"`) {
		t.Errorf("transcript %q", out.String())
	}
}

func TestOptionsCheckAndReaderGone(t *testing.T) {
	_, _, err := run(t, Options{Indent: 8}, "{}")
	var ee *exit.Error
	if !errors.As(err, &ee) || ee.Code != exit.Usage {
		t.Errorf("indent 8: %v", err)
	}
	gone := writerFunc(func([]byte) (int, error) { return 0, syscall.EPIPE })
	_, _, err = run(t, Options{Compact: true, Out: gone}, "{}")
	if !errors.Is(err, syscall.EPIPE) {
		t.Errorf("a failed write is not returned: %v", err)
	}
	_, _, err = run(t, Options{Compact: true, Out: gone, ReaderGone: func(err error) bool { return errors.Is(err, syscall.EPIPE) }}, "{}")
	if err != nil {
		t.Errorf("a reader that went away is an error: %v", err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
