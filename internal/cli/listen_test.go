package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
)

// lockedBuffer collects what a command writes from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listenAddrLine = regexp.MustCompile(`^listening on (http://127\.0\.0\.1:[0-9]+/hook)\n$`)

// TestListenCommand runs the command on port 0 as a user would, reads the address
// it prints, posts to it, and interrupts it: exit 130 with the counts on stderr.
func TestListenCommand(t *testing.T) {
	dir := t.TempDir()
	pr, pw := io.Pipe()
	out, rest := &lockedBuffer{}, &lockedBuffer{}
	opts := &ListenOptions{
		IO: IO{Out: out, Err: pw, Getenv: func(k string) string {
			return map[string]string{"HOOK_SECRET": "s3cret"}[k]
		}},
		Addr: "127.0.0.1:0", Path: "/hook", View: "summary", Dir: dir, SecretEnv: "HOOK_SECRET", MaxBody: "1MiB", TZ: "UTC",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- runListen(ctx, opts); pw.Close() }()
	br := bufio.NewReader(pr)
	first, err := br.ReadString('\n')
	m := listenAddrLine.FindStringSubmatch(first)
	if err != nil || m == nil {
		t.Fatalf("first line on stderr: %q, %v", first, err)
	}
	go io.Copy(rest, br)
	body := fake.New(fake.Options{Seed: 3}).Append(nil, 0)
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write(body)
	client := &http.Client{Timeout: 20 * time.Second}
	for sig, want := range map[string]int{hex.EncodeToString(mac.Sum(nil)): 204, "00": 401} {
		req, _ := http.NewRequest(http.MethodPost, m[1], bytes.NewReader(body))
		req.Header.Set("X-Smartsupp-Hmac", sig)
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != want {
			t.Fatalf("signature %s: %v %v", sig, resp, err)
		}
		resp.Body.Close()
	}
	cancel()
	err = <-done
	if !errors.Is(err, context.Canceled) || exitCode(err, ctx, io.Discard) != ExitInterrupted {
		t.Errorf("interrupted: got %v", err)
	}
	for _, want := range []string{"│ received", "│ 2 ", "│ accepted", "│ rejected: bad signature"} {
		if !strings.Contains(rest.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, rest.String())
		}
	}
	if !regexp.MustCompile(`^\S+Z hook [0-9]+/[0-9]+ [0-9]+ messages 0 findings\n$`).MatchString(out.String()) {
		t.Errorf("stdout: %q", out.String())
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 2 || files[1] != files[0]+".meta" {
		t.Fatalf("files: %v, want a body and its .meta", files)
	}
	if got, _ := os.ReadFile(files[0]); !bytes.Equal(got, body) {
		t.Error("the stored file is not the body")
	}
	if meta, _ := os.ReadFile(files[1]); !bytes.Contains(meta, []byte(`"X-Smartsupp-Hmac":["`+hex.EncodeToString(mac.Sum(nil))+`"]`)) {
		t.Errorf("the meta lacks the signature header: %s", meta)
	}
}

func TestListenUsage(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	base := ListenOptions{Addr: "127.0.0.1:0", Path: "/", View: "summary", MaxBody: "1MiB", TZ: "UTC"}
	tests := map[string]func(o *ListenOptions){
		"path without slash": func(o *ListenOptions) { o.Path = "hook" },
		"bad size":           func(o *ListenOptions) { o.MaxBody = "lots" },
		"unset secret":       func(o *ListenOptions) { o.SecretEnv = "NOT_SET" },
		"keep-bad, no dir":   func(o *ListenOptions) { o.KeepBad = true },
		"unknown view":       func(o *ListenOptions) { o.View = "table" },
		"bad forward URL":    func(o *ListenOptions) { o.Forward = "localhost:9000" },
		"address in use":     func(o *ListenOptions) { o.Addr = busy.Addr().String() },
		"unknown time zone":  func(o *ListenOptions) { o.TZ = "Mars/Olympus" },
		"meta, no ndjson":    func(o *ListenOptions) { o.Meta = "m.ndjson" },
		"bad max-inflight":   func(o *ListenOptions) { o.MaxInflight = "much" },
		"negative max-conns": func(o *ListenOptions) { o.MaxConns = -1 },
		"outbox, no forward": func(o *ListenOptions) { o.Outbox = "out" },
		"unset fwd secret":   func(o *ListenOptions) { o.Forward = "http://127.0.0.1:1/"; o.ForwardSecret = "NOT_SET" },
	}
	for name, change := range tests {
		o := base
		o.IO = IO{Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
		change(&o)
		err := runListen(context.Background(), &o)
		var ee *exitError
		if !errors.As(err, &ee) || ee.Code != ExitUsage {
			t.Errorf("%s: got %v, want a usage error", name, err)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "1MiB": 1 << 20, "512KiB": 512 << 10, "2 MB": 2 << 20, "1k": 1 << 10, "3GiB": 3 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "1TiB", "MiB", "1.5MiB", "99999999999999999GiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q): want an error", in)
		}
	}
}

// TestListenViewFlag: --view takes summary, json and none, and nothing else.
func TestListenViewFlag(t *testing.T) {
	for view, want := range map[string]string{"none": "--path must start with /", "json": "--path must start with /", "table": `unknown --view "table": use summary, json or none`} {
		var errw bytes.Buffer
		code := Main([]string{"listen", "--view", view, "--path", "nope"}, IO{Out: io.Discard, Err: &errw, Getenv: func(string) string { return "" }})
		if code != ExitUsage || !strings.Contains(errw.String(), want) {
			t.Errorf("--view %s: exit %d, %q; want 2 and %q", view, code, errw.String(), want)
		}
	}
}
