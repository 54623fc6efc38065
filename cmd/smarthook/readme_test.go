package main

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/testutil"
)

// readmeBlock is a fenced block of README.md: its language and lines.
type readmeBlock struct {
	lang  string
	line  int // where it starts, for messages
	lines []string
}

func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []readmeBlock
	var cur *readmeBlock
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(text, "```"):
			cur = &readmeBlock{lang: strings.TrimPrefix(text, "```"), line: n}
		case cur != nil && text == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, text)
		}
	}
	return blocks
}

// buildSmarthook builds the binary into a folder to put on PATH.
func buildSmarthook(t *testing.T) string {
	t.Helper()
	return filepath.Dir(testutil.BuildSmarthook(t))
}

// readmeShell runs a command line with the built smarthook first on PATH.
func readmeShell(t *testing.T, bin, dir, line string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", line)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"NO_COLOR=1", "SMARTHOOK_REDACT_KEY=readme-test-key", "TZ=UTC")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	return out.String(), errb.String(), code
}

// TestReadmeOutputs runs every "$ command" of the README's output blocks from the
// repository root and compares what it prints with what the README shows (stdout, or
// stderr when stdout is empty; a last line "..." means the output goes on).
func TestReadmeOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildSmarthook(t)
	repo, _ := filepath.Abs(filepath.Join("..", ".."))
	checked := 0
	for _, b := range readmeBlocks(t) {
		for i := 0; i < len(b.lines); i++ {
			line, ok := strings.CutPrefix(b.lines[i], "$ ")
			if !ok {
				continue
			}
			var want []string
			for i+1 < len(b.lines) && !strings.HasPrefix(b.lines[i+1], "$ ") {
				i++
				want = append(want, b.lines[i])
			}
			out, errOut, _ := readmeShell(t, bin, repo, line)
			if out == "" {
				out = errOut
			}
			got := strings.Split(strings.TrimRight(out, "\n"), "\n")
			if n := len(want); n > 0 && want[n-1] == "..." {
				want = want[:n-1]
				if len(got) > len(want) {
					got = got[:len(want)]
				}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("README.md:%d: $ %s\ngot:\n%s\nwant:\n%s", b.line, line, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			checked++
		}
	}
	if checked < 5 {
		t.Errorf("only %d README outputs checked", checked)
	}
}

// TestReadmeExamples runs every smarthook line of the README's sh blocks in a folder
// that holds the files the examples name (hooks/, chat.json, chats.ndjson, archives):
// each must be understood (exit 0, or 1 when the example data has problems), never a
// usage error. Replays go to a local receiver, listen examples start on a free
// loopback port and are interrupted; installs and go commands are left out.
func TestReadmeExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildSmarthook(t)
	dir := readmeFixture(t, bin)
	var received atomic.Int64
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer sink.Close()
	checked := 0
	for _, b := range readmeBlocks(t) {
		if b.lang != "sh" {
			continue
		}
		for _, raw := range b.lines {
			line := strings.TrimSpace(raw)
			if i := strings.Index(line, "  #"); i >= 0 {
				line = strings.TrimSpace(line[:i]) // a comment after the command
			}
			line = strings.ReplaceAll(line, "go run ./cmd/smarthook", "smarthook")
			if !runnableExample(line) {
				continue
			}
			if strings.Contains(line, "smarthook listen") {
				checkListenExample(t, bin, dir, b.line, line)
				checked++
				continue
			}
			// Replays go to a local receiver instead of the example's hosts.
			for _, url := range []string{"https://staging.example/hook", "http://localhost:8080/hook"} {
				line = strings.ReplaceAll(line, url, sink.URL+"/hook")
			}
			_, errOut, code := readmeShell(t, bin, dir, line)
			if code != 0 && code != 1 {
				t.Errorf("README.md:%d: %s: exit %d\n%s", b.line, line, code, errOut)
			}
			checked++
		}
	}
	if checked < 15 {
		t.Errorf("only %d README examples run", checked)
	}
	if received.Load() == 0 {
		t.Error("no README replay example reached the receiver")
	}
}

// checkListenExample starts a README listen example on a free loopback port (a later
// --addr wins), waits until it listens, interrupts it and expects the exit status of
// an interrupted run.
func checkListenExample(t *testing.T, bin, dir string, readmeLine int, line string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", "exec env "+line+" --addr 127.0.0.1:0")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	listening := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "listening on http://127.0.0.1:") {
			listening = true
			break
		}
	}
	cmd.Process.Signal(os.Interrupt)
	go func() {
		for sc.Scan() {
		}
	}()
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	if !listening || code != 130 {
		t.Errorf("README.md:%d: %s: listening %v, exit %d", readmeLine, line, listening, code)
	}
}

func runnableExample(line string) bool {
	switch {
	case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "export "):
		return false
	case !strings.Contains(line, "smarthook "):
		return false // go test, go install, bash .ci/run, apt-get: not examples of the tool
	}
	return true
}

// readmeFixture makes the files the README's examples read.
func readmeFixture(t *testing.T, bin string) string {
	t.Helper()
	dir := t.TempDir()
	samples, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "samples"))
	// The examples write into hooks/ with fake --out too, so the stored payloads here
	// are the samples (no date tree), and testdata/samples is where the quick start
	// looks.
	script := strings.Join([]string{
		"mkdir -p testdata hooks/2025-11",
		"cp -r " + samples + " testdata/samples",
		"cp " + samples + "/doc-example.json chat.json",
		"cp " + samples + "/doc-example.json " + samples + "/stats.json hooks/2025-11/",
		"cp " + samples + "/chats.ndjson " + samples + "/webhooks.ndjson hooks/",
		"smarthook fake -n 200 --seed 4 > chats.ndjson",
		"tar czf archive.tar.gz hooks chats.ndjson",
		"cp archive.tar.gz a.tar.gz",
	}, " && ")
	if _, errOut, code := readmeShell(t, bin, dir, script); code != 0 {
		t.Fatalf("fixture: exit %d: %s", code, errOut)
	}
	return dir
}
