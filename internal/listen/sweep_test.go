package listen

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSweepAtStart: what a crash left under --dir is dealt with at start: a whole
// temporary body with its meta is published, the rest removed, all of it reported.
func TestSweepAtStart(t *testing.T) {
	dir := t.TempDir()
	day := filepath.Join(dir, "2026", "01", "02")
	os.MkdirAll(day, 0o755)
	body := []byte(`{"accountId":1}`)
	sum := sha256.Sum256(body)
	meta := `{"received_at":"2026-01-02T03:04:05Z","body_sha256":"` + hex.EncodeToString(sum[:]) + `","body_size":15}`
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(day, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("whole.json.meta", meta)
	write(".whole.json.123.tmp", string(body))
	write("cut.json.meta", meta)
	write(".cut.json.456.tmp", string(body[:7]))
	write(".other.json.meta.789.tmp", "{")
	write("kept.json", "{}") // a body without meta, from an older version: left alone
	errw := &syncBuffer{}
	start(t, Options{Dir: dir, Err: errw})
	var names []string
	entries, _ := os.ReadDir(day)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "kept.json whole.json whole.json.meta" {
		t.Errorf("left: %s", got)
	}
	if b, _ := os.ReadFile(filepath.Join(day, "whole.json")); string(b) != string(body) {
		t.Errorf("published %q", b)
	}
	for _, want := range []string{"completed a hook a crash left unpublished: " + filepath.Join(day, "whole.json"),
		"removed what a crash left half-written: " + filepath.Join(day, ".cut.json.456.tmp"),
		"removed what a crash left half-written: " + filepath.Join(day, "cut.json.meta"),
		"removed what a crash left half-written: " + filepath.Join(day, ".other.json.meta.789.tmp")} {
		if !strings.Contains(errw.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errw.String())
		}
	}
}
