package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fiftyChats writes fifty.ndjson (50 chats) in a fresh folder, makes that folder the
// working directory, and returns its absolute path.
func fiftyChats(t *testing.T) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range 50 {
		b.WriteString(chatLine(strconv.Itoa(i + 1)))
	}
	if err := os.WriteFile(filepath.Join(dir, "fifty.ndjson"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return dir
}

func TestReplayResumeAnySpellingSendsNothingMore(t *testing.T) {
	dir := fiftyChats(t)
	if err := os.Symlink(filepath.Join(dir, "fifty.ndjson"), filepath.Join(dir, "link.ndjson")); err != nil {
		t.Fatal(err)
	}
	s := newReplayServer(t, nil)
	if _, errOut, code := replayCLI(t, nil, "", "replay", "--journal", "run.jnl", s.URL, "fifty.ndjson"); code != 0 || s.count() != 50 {
		t.Fatalf("first run: exit %d, %d requests: %s", code, s.count(), errOut)
	}
	for _, spelling := range []string{"./fifty.ndjson", filepath.Join(dir, "fifty.ndjson"), "link.ndjson", "../" + filepath.Base(dir) + "/fifty.ndjson"} {
		out, errOut, code := replayCLI(t, nil, "", "replay", "--journal", "run.jnl", "--resume", "--report", "json", s.URL, spelling)
		if code != 0 || s.count() != 50 {
			t.Fatalf("resume with %s: exit %d, %d requests in all: %s", spelling, code, s.count(), errOut)
		}
		if !strings.Contains(out, `"already_delivered":50`) || !strings.Contains(errOut, "50 document(s) already delivered") {
			t.Errorf("resume with %s: report %s, stderr %s", spelling, out, errOut)
		}
	}
	raw, _ := os.ReadFile("run.jnl")
	first, _, _ := strings.Cut(string(raw), "\n")
	if !strings.Contains(first, `"journal":"smarthook replay journal 1"`) || !strings.Contains(first, `"url":"`+s.URL+`"`) ||
		!strings.Contains(first, filepath.Join(dir, "fifty.ndjson")) {
		t.Errorf("journal header: %s", first)
	}
	if !strings.Contains(string(raw), `"sha256":"`) {
		t.Errorf("journal lines carry no content hash:\n%.400s", raw)
	}
}

func TestReplayResumeRefusesAnotherTargetOrInputs(t *testing.T) {
	fiftyChats(t)
	os.WriteFile("other.ndjson", []byte(chatLine("99")), 0o644)
	s := newReplayServer(t, nil)
	other := newReplayServer(t, nil)
	if _, errOut, code := replayCLI(t, nil, "", "replay", "--journal", "run.jnl", s.URL, "fifty.ndjson"); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errOut)
	}
	_, errOut, code := replayCLI(t, nil, "", "replay", "--journal", "run.jnl", "--resume", other.URL+"/hook", "fifty.ndjson")
	if code != ExitUsage || other.count() != 0 || !strings.Contains(errOut, "made for POST "+s.URL) || !strings.Contains(errOut, "--force") {
		t.Errorf("another URL: exit %d, %d sent: %s", code, other.count(), errOut)
	}
	_, errOut, code = replayCLI(t, nil, "", "replay", "--journal", "run.jnl", "--resume", "-X", "PUT", s.URL, "fifty.ndjson")
	if code != ExitUsage || s.count() != 50 {
		t.Errorf("another method: exit %d: %s", code, errOut)
	}
	_, errOut, code = replayCLI(t, nil, "", "replay", "--journal", "run.jnl", "--resume", s.URL, "other.ndjson")
	if code != ExitUsage || s.count() != 50 || !strings.Contains(errOut, "other inputs") {
		t.Errorf("other inputs: exit %d, %d sent: %s", code, s.count(), errOut)
	}
	_, errOut, code = replayCLI(t, nil, "", "replay", "--journal", "run.jnl", "--resume", "--force", other.URL+"/hook", "fifty.ndjson")
	if code != 0 || other.count() != 0 || !strings.Contains(errOut, "anyway (--force)") {
		t.Errorf("--force: exit %d, %d sent to the other URL: %s", code, other.count(), errOut)
	}
}

func TestReplayOldJournalWithoutHeaderIsAcceptedWithWarning(t *testing.T) {
	fiftyChats(t)
	s := newReplayServer(t, nil)
	os.WriteFile("old.jnl", []byte(`{"time":"2026-01-05T10:00:00.000Z","origin":"x:1:1","id":"0011223344556677","status":204,"latency_ms":1.000,"attempt":1,"error":"","final":true}`+"\n"), 0o644)
	_, errOut, code := replayCLI(t, nil, "", "replay", "--journal", "old.jnl", "--resume", s.URL, "fifty.ndjson")
	if code != 0 || s.count() != 50 || !strings.Contains(errOut, "has no header") {
		t.Errorf("exit %d, %d sent: %s", code, s.count(), errOut)
	}
}

func TestReplayNeverWritesOntoAnInput(t *testing.T) {
	dir := fiftyChats(t)
	os.Symlink(filepath.Join(dir, "fifty.ndjson"), filepath.Join(dir, "link.ndjson"))
	os.Mkdir("hooks", 0o755)
	os.WriteFile("hooks/a.json", []byte(chatLine("7")), 0o644)
	before, _ := os.ReadFile("fifty.ndjson")
	s := newReplayServer(t, nil)
	for _, args := range [][]string{
		{"--failed-out", "fifty.ndjson", "--force", s.URL, "fifty.ndjson"},
		{"--failed-out", "link.ndjson", "--force", s.URL, "./fifty.ndjson"},
		{"--failed-out", "fifty.ndjson", "--force", s.URL, "f*.ndjson"},
		{"--journal", "link.ndjson", s.URL, "fifty.ndjson"},
		{"--journal", "fifty.ndjson", "--resume", s.URL, "fifty.ndjson"},
		{"--failed-out", "hooks/failed.ndjson", s.URL, "hooks"},
		{"--journal", "hooks/run.json", s.URL, "hooks"},
		{"--journal", "same.out", "--failed-out", "same.out", s.URL, "hooks"},
	} {
		_, errOut, code := replayCLI(t, nil, "", append([]string{"replay"}, args...)...)
		if code != ExitUsage || s.count() != 0 || !strings.Contains(errOut, "smarthook: ") {
			t.Errorf("%v: exit %d, %d sent: %s", args, code, s.count(), errOut)
		}
	}
	if after, _ := os.ReadFile("fifty.ndjson"); string(after) != string(before) {
		t.Error("an input was changed")
	}
	if _, err := os.Stat("hooks/run.json"); err == nil {
		t.Error("a journal was created inside an input folder")
	}
	// A journal the folder's reading skips may live there.
	_, errOut, code := replayCLI(t, nil, "", "replay", "--journal", "hooks/run.jnl", s.URL, "hooks")
	if code != 0 || s.count() != 1 {
		t.Errorf("--journal hooks/run.jnl: exit %d, %d sent: %s", code, s.count(), errOut)
	}
}

func TestReplayExistingFailedOutNeedsForce(t *testing.T) {
	fiftyChats(t)
	os.WriteFile("failed.ndjson", []byte("keep me\n"), 0o644)
	s := newReplayServer(t, nil)
	_, errOut, code := replayCLI(t, nil, "", "replay", "--failed-out", "failed.ndjson", s.URL, "fifty.ndjson")
	if got, _ := os.ReadFile("failed.ndjson"); code != ExitUsage || string(got) != "keep me\n" || s.count() != 0 || !strings.Contains(errOut, "--force") {
		t.Errorf("exit %d, file %q, %d sent: %s", code, got, s.count(), errOut)
	}
	_, errOut, code = replayCLI(t, nil, "", "replay", "--failed-out", "failed.ndjson", "--force", s.URL, "fifty.ndjson")
	if got, _ := os.ReadFile("failed.ndjson"); code != 0 || len(got) != 0 || s.count() != 50 {
		t.Errorf("--force: exit %d, file %q: %s", code, got, errOut)
	}
}
