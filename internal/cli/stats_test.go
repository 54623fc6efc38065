package cli

import (
	"bytes"
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
