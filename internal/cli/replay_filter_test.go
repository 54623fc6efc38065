package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/replay"
)

func webhookLine(event, id string) string {
	return `{"type":"event_callback","event":"` + event + `","timestamp":"2026-01-05T10:00:00Z","account_id":"1","app_id":"a","data":{"conversation":{"id":"` + id + `"}}}` + "\n"
}

func TestReplayEventsSendsOnlyThoseWebhooks(t *testing.T) {
	s := newReplayServer(t, nil)
	in := webhookLine("conversation.closed", "1") + webhookLine("conversation.opened", "2") +
		webhookLine("conversation.rated", "3") + chatLine("4") + webhookLine("conversation.closed", "5")
	out, errOut, code := replayCLI(t, nil, in, "replay", "-c", "1", "--events", "conversation.closed,conversation.rated", "--report", "json", s.URL)
	var rep replay.Report
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if s.count() != 3 || rep.Filtered != 2 || rep.Delivered != 3 || rep.Documents != 5 {
		t.Errorf("%d sent; report %s", s.count(), out)
	}
	for _, b := range s.bodies {
		if !strings.Contains(b, `"conversation.closed"`) && !strings.Contains(b, `"conversation.rated"`) {
			t.Errorf("sent %s", b)
		}
	}
	_, errOut, _ = replayCLI(t, nil, in, "replay", "--events", "conversation.opened", s.URL)
	if !regexpMatch(`filtered out \(--events, --where\) +│ 4`, errOut) || s.count() != 4 {
		t.Errorf("%d sent, table:\n%s", s.count(), errOut)
	}
	// --order time reads everything first, another way: the same choice.
	_, errOut, code = replayCLI(t, nil, in, "replay", "--order", "time", "--events", "conversation.rated", s.URL)
	if code != 0 || s.count() != 5 || !strings.Contains(s.bodies[4], "conversation.rated") {
		t.Errorf("--order time: exit %d, %d sent: %s", code, s.count(), errOut)
	}
}

func TestReplayWhereFiltersThroughTheQueryEngine(t *testing.T) {
	s := newReplayServer(t, nil)
	in := chatLine("1") + chatLine("2") + chatLine("3") + webhookLine("conversation.closed", "9")
	out, errOut, code := replayCLI(t, nil, in, "replay", "-c", "1", "--where", ".channel.id >= 2", "--report", "json", s.URL)
	if code != 0 || s.count() != 2 || !strings.Contains(out, `"filtered_out":2`) {
		t.Fatalf("exit %d, %d sent: %s %s", code, s.count(), out, errOut)
	}
	if !strings.Contains(s.bodies[0], `"channel":{"id":2}`) || !strings.Contains(s.bodies[1], `"channel":{"id":3}`) {
		t.Errorf("sent %v", s.bodies)
	}
	// Combined with --set, which cannot be applied to the documents left out.
	_, errOut, code = replayCLI(t, nil, in, "replay", "--where", ".type == \"event_callback\"", "--set", "data.conversation.id=x", s.URL)
	if code != 0 || s.count() != 3 || !strings.Contains(s.bodies[2], `"id":"x"`) {
		t.Errorf("--where with --set: exit %d, %d sent: %s", code, s.count(), errOut)
	}
	_, errOut, code = replayCLI(t, nil, in, "replay", "--where", ".channel.id >=", s.URL)
	if code != ExitUsage || !strings.Contains(errOut, "--where") {
		t.Errorf("bad expression: exit %d: %s", code, errOut)
	}
	_, errOut, code = replayCLI(t, nil, chatLine("1"), "replay", "--where", `error("nope")`, s.URL)
	if code != 0 || !strings.Contains(errOut, "-:1:1: --where") || !strings.Contains(errOut, "nope") {
		t.Errorf("failing expression: exit %d: %s", code, errOut)
	}
}

func TestReplayShiftTimeCountsOnlyDocumentsSent(t *testing.T) {
	s := newReplayServer(t, nil)
	later := strings.Replace(webhookLine("conversation.opened", "2"), "2026-01-05T10:00:00Z", "2026-01-05T12:00:00Z", 1)
	in := webhookLine("conversation.closed", "1") + later
	for _, order := range []string{"stored", "time"} {
		_, errOut, code := replayCLI(t, nil, in, "replay", "--order", order, "--events", "conversation.closed", "--shift-to", "2026-01-06T10:00:00Z", s.URL)
		last := s.bodies[len(s.bodies)-1]
		if code != 0 || !strings.Contains(last, `"timestamp":"2026-01-06T10:00:00Z"`) {
			t.Errorf("--order %s: exit %d, sent %s: %s", order, code, last, errOut)
		}
	}
}
