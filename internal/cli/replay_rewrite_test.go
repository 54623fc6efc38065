package cli

import (
	"os"
	"strings"
	"testing"
)

func TestReplaySetOnArraysAndQuotedKeys(t *testing.T) {
	s := newReplayServer(t, nil)
	_, errOut, code := replayCLI(t, nil, chatLine("1")+chatLine("2"), "replay", "-c", "1",
		"--set", "messages.0.content=bonjour", "--set", `visitor."utm.source"=mail`, "--set", "channel.meta.tier=1", s.URL)
	if code != 0 || s.count() != 2 {
		t.Fatalf("exit %d, %d sent: %s", code, s.count(), errOut)
	}
	for _, b := range s.bodies {
		if !strings.Contains(b, `"content":"bonjour"`) || !strings.Contains(b, `"visitor":{"utm.source":"mail"}`) ||
			!strings.Contains(b, `"meta":{"tier":1}`) {
			t.Errorf("body %s", b)
		}
	}
}

func TestReplayImpossibleSetSendsNothing(t *testing.T) {
	dir := t.TempDir()
	in := dir + "/chats.ndjson"
	// The third chat has no second message: messages.1.content cannot be set in it.
	two := `{"accountId":208,"beginAt":1000,"channel":{"id":9},"messages":[{"content":"a","sentAt":1},{"content":"b","sentAt":2}]}` + "\n"
	os.WriteFile(in, []byte(two+two+chatLine("3")), 0o644)
	s := newReplayServer(t, nil)
	for _, tt := range []struct{ set, want string }{
		{"messages.1.content=x", in + ":3:1: --set messages.1.content: index 1 is out of range: messages has 1 element(s)"},
		{"accountId.x=1", in + ":1:1: --set accountId.x: accountId is a number, not an object or array"},
		{"channel.id.x=1", "cannot rewrite 3 document(s) as asked, so nothing was sent"},
	} {
		_, errOut, code := replayCLI(t, nil, "", "replay", "--set", tt.set, s.URL, in)
		if code != ExitUsage || s.count() != 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("--set %s: exit %d, %d sent: %s", tt.set, code, s.count(), errOut)
		}
	}
	// The same with --order time, which reads everything first another way.
	_, errOut, code := replayCLI(t, nil, "", "replay", "--order", "time", "--set", "messages.1.content=x", s.URL, in)
	if code != ExitUsage || s.count() != 0 || !strings.Contains(errOut, ":3:1: --set messages.1.content") {
		t.Errorf("--order time: exit %d, %d sent: %s", code, s.count(), errOut)
	}
}

func TestReplayShiftTimeMovesWebhooksAndSaysWhatItDidNot(t *testing.T) {
	s := newReplayServer(t, nil)
	hook := `{"type":"event_callback","event":"conversation.closed","timestamp":"2026-01-05T10:00:00.000Z","account_id":"1",` +
		`"data":{"conversation":{"id":"c","created_at":"2026-01-05T09:00:00.000Z"}}}` + "\n"
	stats := `{"domains":{"example.com":{"visits":1,"conversations":0,"autoMessages":0,"autoMessagesReply":0}}}` + "\n"
	_, errOut, code := replayCLI(t, nil, hook+stats, "replay", "-c", "1", "--shift-to", "2026-01-06T10:00:00Z", s.URL)
	if code != 0 || s.count() != 2 {
		t.Fatalf("exit %d, %d sent: %s", code, s.count(), errOut)
	}
	if !strings.Contains(s.bodies[0], `"timestamp":"2026-01-06T10:00:00.000Z"`) || !strings.Contains(s.bodies[0], `"created_at":"2026-01-06T09:00:00.000Z"`) {
		t.Errorf("webhook not shifted: %s", s.bodies[0])
	}
	if !strings.Contains(errOut, "-:2:1: --shift-time: no timestamp to move") {
		t.Errorf("no word about the stats document: %s", errOut)
	}
	_, errOut, code = replayCLI(t, nil, stats, "replay", "--shift-time", s.URL)
	if code != 0 || !strings.Contains(errOut, "--shift-time: no document has a timestamp to move") {
		t.Errorf("only stats: exit %d: %s", code, errOut)
	}
}

func TestReplayShiftOverflowIsRefused(t *testing.T) {
	s := newReplayServer(t, nil)
	// The newest chat ends far in the future: the shift back is so large that the
	// old chat's beginAt would pass the smallest 64-bit number.
	old := `{"accountId":1,"beginAt":-9223372036854775000,"channel":{"id":1},"messages":[]}` + "\n"
	future := `{"accountId":1,"beginAt":9223372036854775000,"channel":{"id":2},"messages":[]}` + "\n"
	_, errOut, code := replayCLI(t, nil, old+future, "replay", "--shift-to", "2026-01-05T10:00:00Z", s.URL)
	if code != ExitUsage || s.count() != 0 || !strings.Contains(errOut, "-:1:1: --shift-time: /beginAt -9223372036854775000 moved by") {
		t.Errorf("exit %d, %d sent: %s", code, s.count(), errOut)
	}
}
