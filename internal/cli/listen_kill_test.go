package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/testutil"
)

// startListen starts `smarthook listen` on port 0 and returns the process and its URL.
func startListen(t *testing.T, bin string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"listen", "--addr", "127.0.0.1:0", "--view", "none"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	br := bufio.NewReader(stderr)
	var m []string
	for m == nil { // what it says about the store and outbox comes first
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("no address on stderr: %q, %v", line, err)
		}
		m = regexp.MustCompile(`^listening on (http://127\.0\.0\.1:[0-9]+/)\n$`).FindStringSubmatch(line)
	}
	go br.WriteTo(io.Discard) // keep the pipe drained
	return cmd, m[1]
}

// blast posts bodies from clients goroutines; it calls onOK for each 204 and stops
// early once stop is closed or a post fails (the server was killed).
func blast(url string, bodies [][]byte, clients int, onOK func(int), stop <-chan struct{}) (failed int64) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(bodies) {
					return
				}
				select {
				case <-stop:
					return
				default:
				}
				resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[i]))
				if err != nil {
					atomic.AddInt64(&failed, 1)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusNoContent {
					onOK(i)
				} else {
					atomic.AddInt64(&failed, 1)
				}
			}
		}()
	}
	wg.Wait()
	return failed
}

// distinctBodies are n generated hooks, each different.
func distinctBodies(n int) ([][]byte, map[string]int) {
	g := fake.New(fake.Options{Seed: 2026})
	bodies := make([][]byte, n)
	index := make(map[string]int, n)
	for i := range bodies {
		bodies[i] = g.Append(nil, i)
		index[string(bodies[i])] = i
	}
	return bodies, index
}

// finalFiles reads every file under dir with a final name (*.json), and counts the
// other (temporary) files.
func finalFiles(t *testing.T, dir string) (files map[string][]byte, others int) {
	files = map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if strings.HasSuffix(p, ".json.meta") {
			return nil // the sidecars
		}
		if !strings.HasSuffix(p, ".json") {
			others++
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = b
		return nil
	})
	return files, others
}

// TestListenSurvivesKill posts 2,000 distinct hooks from 32 clients to the real
// binary and kills it (SIGKILL) halfway: no file under a final name may be partial
// or foreign, and every hook answered 204 must be on disk, as a file and as a line.
func TestListenSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and posts 2,000 hooks")
	}
	bin := testutil.BuildSmarthook(t)
	dir := t.TempDir()
	ndjson := filepath.Join(dir, "hooks.ndjson")
	cmd, url := startListen(t, bin, "--dir", filepath.Join(dir, "files"), "--ndjson", ndjson)
	bodies, index := distinctBodies(2000)
	// A third of them indented over lines: --ndjson compacts those onto their line and
	// keeps their bytes in the meta line, which must be written and cut with the line.
	lineIndex := make(map[string]int, len(bodies))
	for i := range bodies {
		if i%3 == 0 {
			delete(index, string(bodies[i]))
			var b bytes.Buffer
			json.Indent(&b, bodies[i], "", "  ")
			bodies[i] = append(b.Bytes(), '\n')
			index[string(bodies[i])] = i
		}
		lineIndex[string(hookmeta.NDJSONLine(bodies[i]))] = i
	}
	var mu sync.Mutex
	acked := map[int]bool{}
	killed := make(chan struct{})
	var once sync.Once
	blast(url, bodies, 32, func(i int) {
		mu.Lock()
		acked[i] = true
		n := len(acked)
		mu.Unlock()
		if n == len(bodies)/2 {
			once.Do(func() {
				cmd.Process.Kill() // SIGKILL on Unix: no cleanup runs
				close(killed)
			})
		}
	}, killed)
	cmd.Wait()
	files, temps := finalFiles(t, filepath.Join(dir, "files"))
	onDisk := map[int]bool{}
	for name, b := range files {
		i, ok := index[string(b)]
		if !ok || jsontext.Valid(b) != nil {
			t.Fatalf("%s is partial or not a body that was sent (%d bytes)", name, len(b))
		}
		onDisk[i] = true
	}
	lines, partial := ndjsonLines(t, ndjson)
	metas, _ := ndjsonLines(t, ndjson+".meta")
	inLog := map[int]bool{}
	for n, l := range lines {
		i, ok := lineIndex[string(l)]
		if !ok {
			t.Fatalf("line %d of the NDJSON is not a body that was sent: %.60q", n+1, l)
		}
		// The kill may come between a line and its meta line: that hook got no 204.
		if n < len(metas) {
			var m hookmeta.Meta
			if err := json.Unmarshal(metas[n], &m); err != nil {
				t.Fatalf("meta line %d: %v", n+1, err)
			}
			if got, ok := m.Received(l); !ok || !bytes.Equal(got, bodies[i]) {
				t.Fatalf("meta line %d does not give back the body received of line %d", n+1, n+1)
			}
			inLog[i] = true
		}
	}
	for i := range acked {
		if !onDisk[i] || !inLog[i] {
			t.Fatalf("hook %d was answered 204 but is not on disk (file %v, line %v)", i, onDisk[i], inLog[i])
		}
	}
	t.Logf("killed after %d answers of 204: %d final files, %d temporary files left, %d complete lines, trailing partial line %v",
		len(acked), len(files), temps, len(lines), partial)
	if len(acked) < len(bodies)/2 {
		t.Errorf("only %d hooks were answered before the kill", len(acked))
	}
	checkRestartCleans(t, bin, filepath.Join(dir, "files"), ndjson)
}

// checkRestartCleans starts listen again on what the kill left: the temporary files
// are swept before it listens, every body has its meta, and the NDJSON's meta file
// has as many lines as the NDJSON.
func checkRestartCleans(t *testing.T, bin, dir, ndjson string) {
	t.Helper()
	startListen(t, bin, "--dir", dir, "--ndjson", ndjson)
	files, temps := finalFiles(t, dir)
	if temps != 0 {
		t.Errorf("%d temporary files left after the restart", temps)
	}
	for name := range files {
		if _, err := os.Stat(name + ".meta"); err != nil {
			t.Fatalf("a stored body without its meta: %v", err)
		}
	}
	lines, partial := ndjsonLines(t, ndjson)
	metas, mpartial := ndjsonLines(t, ndjson+".meta")
	if partial || mpartial || len(lines) != len(metas) {
		t.Errorf("after the restart: %d lines (partial %v), %d meta lines (partial %v)", len(lines), partial, len(metas), mpartial)
	}
}

// ndjsonLines splits an NDJSON file into its complete lines; partial reports a last
// line without its newline (a write the kill cut short, never answered 204).
func ndjsonLines(t *testing.T, name string) (lines [][]byte, partial bool) {
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	lines = bytes.Split(data, []byte("\n"))
	last := lines[len(lines)-1]
	return lines[:len(lines)-1], len(last) > 0
}

// TestListenLoad measures the binary: SMARTHOOK_LISTEN_LOAD=10000 go test -run
// TestListenLoad -v ./internal/cli/ posts that many distinct hooks from 32 clients,
// with --dir and then with --ndjson, checks that every one is stored byte for byte,
// and logs the requests per second. It is skipped otherwise: timings are for people,
// not for assertions.
func TestListenLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SMARTHOOK_LISTEN_LOAD"))
	if n <= 0 {
		t.Skip("set SMARTHOOK_LISTEN_LOAD=N to measure")
	}
	bin := testutil.BuildSmarthook(t)
	bodies, index := distinctBodies(n)
	for _, mode := range []string{"--dir", "--ndjson"} {
		dir := t.TempDir()
		target := filepath.Join(dir, "out")
		_, url := startListen(t, bin, mode, target)
		var ok atomic.Int64
		start := time.Now()
		failed := blast(url, bodies, 32, func(int) { ok.Add(1) }, nil)
		took := time.Since(start)
		var stored [][]byte
		if mode == "--dir" {
			files, temps := finalFiles(t, target)
			for _, b := range files {
				stored = append(stored, b)
			}
			if temps > 0 {
				t.Errorf("%d temporary files left", temps)
			}
		} else {
			stored, _ = ndjsonLines(t, target)
		}
		seen := map[int]bool{}
		for _, b := range stored {
			if i, found := index[string(b)]; found {
				seen[i] = true
			}
		}
		identical := len(seen) == n && len(stored) == n
		if !identical || failed > 0 {
			t.Errorf("%s: %d answered 204, %d failed, %d stored, %d distinct bodies matched", mode, ok.Load(), failed, len(stored), len(seen))
		}
		t.Logf("%s: %d hooks from 32 clients in %s = %.0f requests/s; %d stored, byte-identical: %v",
			mode, n, took.Round(time.Millisecond), float64(n)/took.Seconds(), len(stored), identical)
	}
}
