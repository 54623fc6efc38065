package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startListenUI runs the command with opts and returns the inspector address it
// prints and a function that stops it.
func startListenUI(t *testing.T, opts *ListenOptions) (string, func()) {
	t.Helper()
	pr, pw := io.Pipe()
	opts.IO.Out, opts.IO.Err = io.Discard, pw
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runListen(ctx, opts); pw.Close() }()
	br := bufio.NewReader(pr)
	inspector := regexp.MustCompile(`^inspector on (http://\S+)\n$`)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("no inspector line on stderr: %v", err)
		}
		if m := inspector.FindStringSubmatch(line); m != nil {
			go io.Copy(io.Discard, br)
			return m[1], func() {
				cancel()
				if err := <-done; !errors.Is(err, context.Canceled) {
					t.Errorf("listen ended with %v", err)
				}
			}
		}
	}
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestListenUISameAddress serves the page at /_/ beside the hooks, without a token
// on loopback.
func TestListenUISameAddress(t *testing.T) {
	opts := &ListenOptions{Addr: "127.0.0.1:0", Path: "/", View: "none", MaxBody: "1MiB", TZ: "UTC", UI: true, Dir: t.TempDir()}
	url, stop := startListenUI(t, opts)
	defer stop()
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[0-9]+/_/$`).MatchString(url) {
		t.Fatalf("inspector address %q", url)
	}
	if st := getStatus(t, url); st != 200 {
		t.Fatalf("page: %d", st)
	}
	if st := getStatus(t, strings.TrimSuffix(url, "/_/")+"/healthz"); st != 200 {
		t.Fatalf("healthz beside the page: %d", st)
	}
}

// TestListenUIAwayFromLoopback serves the page on --ui-addr on every interface: the
// token from --ui-token-env is then needed, and a wrong one refused.
func TestListenUIAwayFromLoopback(t *testing.T) {
	opts := &ListenOptions{
		Addr: "127.0.0.1:0", Path: "/", View: "none", MaxBody: "1MiB", TZ: "UTC", UIAddr: "0.0.0.0:0", UITokenEnv: "UI_TOKEN",
		IO: IO{Getenv: func(k string) string { return map[string]string{"UI_TOKEN": "s3cret-token"}[k] }},
	}
	url, stop := startListenUI(t, opts)
	defer stop()
	m := regexp.MustCompile(`^http://[^/]+:([0-9]+)/_/\?token=s3cret-token$`).FindStringSubmatch(url)
	if m == nil {
		t.Fatalf("inspector address %q", url)
	}
	local := "http://127.0.0.1:" + m[1] + "/_/"
	for q, want := range map[string]int{"": 401, "?token=wrong": 401, "?token=s3cret-token": 200} {
		if st := getStatus(t, local+q); st != want {
			t.Errorf("%q: %d, want %d", q, st, want)
		}
	}
}

// TestListenUIPathClash refuses a hook path under /_/ when the page is served there.
func TestListenUIPathClash(t *testing.T) {
	opts := &ListenOptions{Addr: "127.0.0.1:0", Path: "/_/hooks", View: "none", MaxBody: "1MiB", TZ: "UTC", UI: true,
		IO: IO{Out: io.Discard, Err: io.Discard}}
	err := runListen(context.Background(), opts)
	var ee *exitError
	if !errors.As(err, &ee) || ee.Code != ExitUsage || !strings.Contains(err.Error(), "--path") {
		t.Fatalf("got %v", err)
	}
}
