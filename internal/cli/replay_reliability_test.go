package cli

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/replay"
	"github.com/smarthook/smarthook/internal/replay/replaytest"
)

// TestReplayHelperProcess is smarthook itself when the reliability test starts it as a
// process of its own, to kill it with SIGKILL (see os/exec's tests for the pattern).
func TestReplayHelperProcess(t *testing.T) {
	if os.Getenv("SMARTHOOK_REPLAY_HELPER") != "1" {
		t.Skip("run by the reliability tests as a child process")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(Main(args, SystemIO()))
}

// TestReplayReliability replays 300 chats to a receiver that fails 30% of requests
// (500, 429 with Retry-After, dropped connections, answers past the timeout), kills
// the run with SIGKILL a third of the way, resumes it, and checks that nothing is lost.
func TestReplayReliability(t *testing.T) {
	checkReliability(t, 300, 100, 16)
}

// TestReplayReliabilityLong is the same with 10,000 chats. It takes about a minute, so
// it runs only with SMARTHOOK_LONG_TESTS=1 (and never with -short):
// bench/replay-reliability.sh runs it.
func TestReplayReliabilityLong(t *testing.T) {
	if testing.Short() || os.Getenv("SMARTHOOK_LONG_TESTS") != "1" {
		t.Skip("long: set SMARTHOOK_LONG_TESTS=1 (bench/replay-reliability.sh does)")
	}
	checkReliability(t, 10000, 3000, 64)
}

func checkReliability(t *testing.T, docs, killAfter, conc int) {
	sink := replaytest.New(replaytest.Config{FailRate: 0.3, Slow: 500 * time.Millisecond, RetryAfter: "1", Seed: 7, Record: true})
	srv := httptest.NewServer(sink)
	srv.Config.ErrorLog = quietLog
	defer srv.Close()
	dir := t.TempDir()
	input, journal, failed := filepath.Join(dir, "chats.ndjson"), filepath.Join(dir, "run.jnl"), filepath.Join(dir, "failed.ndjson")
	chats, errOut, code := replayCLI(t, nil, "", "fake", "-n", strconv.Itoa(docs), "--seed", "11")
	if code != 0 || os.WriteFile(input, []byte(chats), 0o644) != nil {
		t.Fatalf("fake: %d %s", code, errOut)
	}
	args := []string{"replay", "-c", strconv.Itoa(conc), "--timeout", "200ms", "--retries", "3", "--max-wait", "2s", "--journal", journal, "--failed-out", failed, srv.URL + "/hook", input}

	killed := runAndKill(t, args, sink, killAfter)
	// Whatever the kill cut, also leave half a line at the end, as a kill while writing would.
	f, _ := os.OpenFile(journal, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"time":"2026-01-05T10:00:00.000Z","origin":"`)
	f.Close()
	_, errOut, code = replayCLI(t, nil, "", append(args, "--resume")...)
	if code != 0 && code != ExitProblems {
		t.Fatalf("resumed run: exit %d:\n%s", code, errOut)
	}
	t.Logf("killed after %d accepted requests: %v; sink: %d requests, %d accepted; resumed run:\n%s",
		killAfter, killed, sink.Requests(), sink.Accepted(), errOut)
	verifyNothingLost(t, chats, input, journal, failed, sink, docs, conc)

	// What finally failed goes through on a healthy receiver.
	ok := httptest.NewServer(replaytest.New(replaytest.Config{}))
	defer ok.Close()
	if _, errOut, code := replayCLI(t, nil, "", "replay", ok.URL, failed); code != 0 {
		t.Errorf("replaying --failed-out: exit %d:\n%s", code, errOut)
	}
}

// runAndKill starts a replay as a child process and kills it with SIGKILL once the
// sink has accepted killAfter requests. It reports whether the kill came first.
func runAndKill(t *testing.T, args []string, sink *replaytest.Sink, killAfter int) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestReplayHelperProcess$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "SMARTHOOK_REPLAY_HELPER=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for sink.Accepted() < int64(killAfter) {
		select {
		case err := <-exited:
			t.Logf("the first run ended before the kill: %v", err)
			return false
		case <-time.After(time.Millisecond):
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	var ee *exec.ExitError
	return errors.As(err, &ee) && !ee.Exited()
}

// verifyNothingLost checks every chat: the sink accepted it or it is in --failed-out,
// and the journal has a final line for it; a final 2xx in the journal is one the sink
// really accepted.
func verifyNothingLost(t *testing.T, chats, inputFile, journal, failed string, sink *replaytest.Sink, docs, conc int) {
	t.Helper()
	delivered := sink.Delivered()
	failedSet := map[[32]byte]bool{}
	fb, _ := os.ReadFile(failed)
	for _, line := range bytes.Split(bytes.TrimSpace(fb), []byte("\n")) {
		if len(line) > 0 {
			failedSet[sha256.Sum256(line)] = true
		}
	}
	finals := journalFinals(t, journal)
	lost, twice, n := 0, 0, 0
	sc := bufio.NewScanner(bytes.NewReader([]byte(chats)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		n++
		raw := sc.Bytes()
		sum := sha256.Sum256(raw)
		if delivered[sum] == 0 && !failedSet[sum] {
			lost++
		}
		if delivered[sum] > 1 {
			twice++
		}
		id := replay.NewDocID(replay.Identity(input.Origin{Path: inputFile, Line: n, Col: 1}), raw).String()
		status, ok := finals[id]
		switch {
		case !ok:
			t.Errorf("line %d: no final journal line", n)
		case status/100 == 2 && delivered[sum] == 0:
			t.Errorf("line %d: the journal says delivered, the receiver never accepted it", n)
		case status/100 == 2 && failedSet[sum]:
			t.Errorf("line %d: delivered and in --failed-out", n)
		}
	}
	if n != docs || lost > 0 {
		t.Errorf("%d chats read, %d lost (neither accepted nor in --failed-out)", n, lost)
	}
	t.Logf("%d chats: %d in --failed-out, %d accepted twice (in flight or not yet journaled at the kill)", n, len(failedSet), twice)
	// Sent twice can be what was in flight at the kill, and the few milliseconds of
	// finished requests whose journal lines were not written yet.
	if twice > 2*conc {
		t.Errorf("%d chats sent twice: far more than the %d requests in flight at a kill", twice, conc)
	}
}

// journalFinals maps each document id to the status of its last final line.
func journalFinals(t *testing.T, name string) map[string]int {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	finals := map[string]int{}
	for _, line := range bytes.Split(b, []byte("\n")) {
		var l replay.JournalLine
		if len(line) == 0 || json.Unmarshal(line, &l) != nil {
			continue
		}
		if l.Final {
			finals[l.ID] = l.Status
		}
	}
	return finals
}
