package cli

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/replay"
)

func TestReplayRateReportsBothLatencies(t *testing.T) {
	s := newReplayServer(t, nil)
	var in strings.Builder
	for i := range 20 {
		in.WriteString(chatLine(strconv.Itoa(i)))
	}
	for _, rate := range []string{"400", "100:400/0.05s", "200,400/50ms"} {
		out, errOut, code := replayCLI(t, nil, in.String(), "replay", "--rate", rate, "--report", "json", s.URL)
		var rep replay.Report
		if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
			t.Fatalf("--rate %s: exit %d: %s %s", rate, code, out, errOut)
		}
		if rep.RateAsked != rate || rep.LatencyFromSchedule == nil || rep.LatencyFromSchedule.Max <= 0 || rep.Delivered != 20 {
			t.Errorf("--rate %s: report %s", rate, out)
		}
	}
	_, errOut, _ := replayCLI(t, nil, chatLine("1"), "replay", "--rate", "300", s.URL)
	if !strings.Contains(errOut, "latency from schedule p50 / p90 / p99") || !strings.Contains(errOut, "(asked 300)") ||
		strings.Contains(errOut, "\r") || strings.Contains(errOut, "docs/") {
		// stderr is not a terminal here: no progress bar.
		t.Errorf("table:\n%s", errOut)
	}
	out, _, _ := replayCLI(t, nil, chatLine("1"), "replay", "--report", "json", s.URL)
	if strings.Contains(out, "latency_from_schedule_ms") {
		t.Errorf("no --rate, yet a latency from schedule: %s", out)
	}
	for _, bad := range []string{"-1", "10:500", "fast", "10,20"} {
		_, errOut, code := replayCLI(t, nil, chatLine("1"), "replay", "--rate", bad, s.URL)
		if code != ExitUsage || !strings.Contains(errOut, "bad --rate") {
			t.Errorf("--rate %s: exit %d: %s", bad, code, errOut)
		}
	}
}
