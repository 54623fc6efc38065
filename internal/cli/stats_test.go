package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStatsDecoratesOnlyATerminal: bars and sparklines when stdout is a terminal
// (unless TERM=dumb), plain tables on a pipe, and never in CSV.
func TestStatsDecoratesOnlyATerminal(t *testing.T) {
	sample := "../../testdata/samples/chats.ndjson"
	for _, tc := range []struct {
		name   string
		tty    bool
		term   string
		args   []string
		drawn  bool
		header string
	}{
		{"terminal", true, "xterm", nil, true, "metric"},
		{"pipe", false, "xterm", nil, false, "metric"},
		{"dumb terminal", true, "dumb", nil, false, "metric"},
		{"csv on a terminal", true, "xterm", []string{"--format", "csv"}, false, "# summary"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			streams := IO{In: strings.NewReader(""), Out: &out, Err: &errOut, OutTTY: tc.tty,
				Getenv: func(k string) string {
					if k == "TERM" {
						return tc.term
					}
					return ""
				}}
			args := append([]string{"stats", "--tz", "UTC"}, tc.args...)
			if code := Main(append(args, sample), streams); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			s := out.String()
			drawn := strings.Contains(s, "█")
			if drawn != tc.drawn || !strings.Contains(s, tc.header) {
				t.Errorf("bars drawn %v, want %v; output:\n%s", drawn, tc.drawn, s)
			}
		})
	}
}

// TestStatsKeepDuplicates: a chat read twice counts once, and twice with
// --keep-duplicates; the JSON says how many deliveries were duplicates.
func TestStatsKeepDuplicates(t *testing.T) {
	sample, err := os.ReadFile("../../testdata/samples/chats.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "twice.ndjson")
	if err := os.WriteFile(path, append(append([]byte(nil), sample...), sample...), 0o644); err != nil {
		t.Fatal(err)
	}
	var counts [2]struct {
		Documents struct {
			Hooks      int  `json:"hooks"`
			Duplicates int  `json:"duplicates"`
			Counted    bool `json:"duplicates_counted"`
		} `json:"documents"`
	}
	for i, args := range [][]string{nil, {"--keep-duplicates"}} {
		var out, errOut bytes.Buffer
		streams := IO{In: strings.NewReader(""), Out: &out, Err: &errOut}
		if code := Main(append(append([]string{"stats", "--format", "json"}, args...), path), streams); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		if err := json.Unmarshal(out.Bytes(), &counts[i]); err != nil {
			t.Fatal(err)
		}
	}
	once, all := counts[0].Documents, counts[1].Documents
	if once.Hooks == 0 || all.Hooks != 2*once.Hooks || once.Duplicates != once.Hooks || all.Duplicates != once.Hooks ||
		once.Counted || !all.Counted {
		t.Errorf("without --keep-duplicates %+v, with it %+v", once, all)
	}
}
