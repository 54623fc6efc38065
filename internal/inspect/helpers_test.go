package inspect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/listen"
)

// running is a listen server with the inspector mounted, on 127.0.0.1.
type running struct {
	base  string // http://127.0.0.1:PORT
	insp  *Inspector
	stop  func()
	hooks string // where hooks are posted
}

// startListen runs listen with the inspector on a free loopback port.
func startListen(t *testing.T, lo listen.Options, io Options) *running {
	t.Helper()
	if lo.Dir != "" && io.Dir == "" {
		io.Dir = lo.Dir
	}
	if lo.NDJSON != "" && io.NDJSON == "" {
		io.NDJSON = lo.NDJSON
	}
	if io.Forward == "" {
		io.Forward = lo.Forward
	}
	insp, err := New(io)
	if err != nil {
		t.Fatal(err)
	}
	lo.Observer, lo.UI = insp, insp
	srv, err := listen.New(lo)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Serve(ctx, ln); close(done) }()
	base := "http://" + ln.Addr().String()
	r := &running{base: base, insp: insp, hooks: base + "/"}
	r.stop = func() { insp.Close(); cancel(); <-done }
	t.Cleanup(r.stop)
	return r
}

var client = &http.Client{Timeout: 20 * time.Second}

// postHook posts body to the listener and wants 204.
func postHook(t *testing.T, url string, body []byte) {
	t.Helper()
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("post: %s", resp.Status)
	}
}

// getJSON gets url into v and returns the status.
func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
	}
	return resp.StatusCode
}

// fakeHook is hook body i of a fixed stream.
func fakeHook(i int) []byte {
	return fake.New(fake.Options{Seed: 7}).Append(nil, i)
}

// writeStoredDir lays n hooks out as listen --dir does, a second apart, with sidecars.
func writeStoredDir(t testing.TB, dir string, n int) {
	t.Helper()
	gen := fake.New(fake.Options{Seed: 7})
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * time.Second)
		day := filepath.Join(dir, at.Format("2006"), at.Format("01"), at.Format("02"))
		if i == 0 || at.Day() != at.Add(-time.Second).Day() {
			if err := os.MkdirAll(day, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		name := filepath.Join(day, fmt.Sprintf("208-%d-%s.json", i, at.Format("20060102T150405.000000Z")))
		body := gen.Append(nil, i)
		meta := fmt.Sprintf(`{"received_at":%q,"remote_addr":"127.0.0.1:1","method":"POST","path":"/","headers":{"Content-Type":["application/json"]},"body_size":%d}`,
			at.Format(time.RFC3339Nano), len(body))
		if err := os.WriteFile(name, body, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name+hookmeta.MetaSuffix, []byte(meta+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
