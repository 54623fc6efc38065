package replay

import (
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/payload"
)

func TestParseSetPaths(t *testing.T) {
	tests := []struct{ in, path string }{
		{"messages.0.content=x", "messages.0.content"},
		{"messages[1].content=x", "messages[1].content"},
		{`visitor."a.b"=x`, `visitor."a.b"`},
		{`visitor["a.b"]=x`, `visitor."a.b"`},
		{`variables."k=v".x=1`, `variables."k=v".x`},
		{"a[0][2]=1", "a[0][2]"},
	}
	for _, tt := range tests {
		s, err := ParseSet(tt.in)
		if err != nil || s.PathText() != tt.path {
			t.Errorf("%s: path %q, %v; want %q", tt.in, s.PathText(), err, tt.path)
		}
	}
	s, _ := ParseSet(`visitor."a.b"=x`)
	if len(s.Path) != 2 || s.Path[1].Key != "a.b" || s.Path[1].Index != -1 {
		t.Errorf("quoted step: %+v", s.Path)
	}
	for _, bad := range []string{`a."b=1`, "a[x]=1", "a[1=1", `a["b"=1`, "a[-1]=1", "[]=1"} {
		if _, err := ParseSet(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestSetOnArraysQuotedKeysAndNewMembers(t *testing.T) {
	tests := []struct{ set, want string }{
		{"messages.1.content=bye", `"content": "bye"`},
		{"messages[0].content=yo", `{"type": "visitor", "content": "yo"`},
		{"messages.1.extra.sentAt=6", `"extra": {"sentAt": 6}`},
		{`visitor."a.b"=1`, `"note": "beginAt 1427470439703","a.b":1}`},
		{`visitor["x"]="y"`, `"note": "beginAt 1427470439703","x":"y"}`},
		{"visitor.geo.city.name=Brno", `"geo":{"city":{"name":"Brno"}}}`},
		{"channel.rating=5", `"rating": 5,`},
	}
	for _, tt := range tests {
		got, err := (&Rewriter{Sets: mustSets(t, tt.set)}).Apply(nil, []byte(hookDoc), payload.KindHook)
		if err != nil || !strings.Contains(string(got), tt.want) {
			t.Errorf("%s: %v\n%s", tt.set, err, got)
		}
	}
	got, err := (&Rewriter{Sets: mustSets(t, "a.b=1")}).Apply(nil, []byte(`{}`), payload.KindUnknown)
	if err != nil || string(got) != `{"a":{"b":1}}` {
		t.Errorf("into an empty object: %s, %v", got, err)
	}
}

func TestSetImpossiblePathsAreErrors(t *testing.T) {
	tests := []struct{ set, want string }{
		{"messages.5.content=x", "index 5 is out of range: messages has 2 element(s)"},
		{"accountId.x=1", "accountId is a number, not an object or array"},
		{"visitor.name.first=x", "visitor.name is a string"},
		{"messages.type=x", `messages is an array: "type" is not an index`},
		{"channel[0]=x", "channel is an object, not an array"},
		{"missing[0]=x", "has no member missing"},
		{"channel.rating.x=1", "channel.rating is null"},
	}
	for _, tt := range tests {
		_, err := (&Rewriter{Sets: mustSets(t, tt.set)}).Apply(nil, []byte(hookDoc), payload.KindHook)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.set, err, tt.want)
		}
	}
}

const webhookDoc = `{"type":"event_callback","event":"conversation.closed","timestamp":"2026-01-05T10:00:00.123Z",` +
	`"data":{"conversation":{"id":"c1","created_at":"2026-01-05T09:00:00+02:00","last_message_at":null,"subject":"2026-01-05T09:00:00Z"}}}`

func TestShiftMovesWebhookTimes(t *testing.T) {
	got, err := (&Rewriter{Shift: 3_600_000}).Apply(nil, []byte(webhookDoc), payload.KindWebhook)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"timestamp":"2026-01-05T11:00:00.123Z"`, `"created_at":"2026-01-05T10:00:00+02:00"`, `"last_message_at":null`, `"subject":"2026-01-05T09:00:00Z"`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("want %s in\n%s", want, got)
		}
	}
	_, err = (&Rewriter{Shift: 3_600_000}).Apply(nil, []byte(`{"domains":{}}`), payload.KindStats)
	if err != errNothingShifted {
		t.Errorf("a document with no time: %v, want errNothingShifted", err)
	}
}

func TestShiftOverflowIsRefused(t *testing.T) {
	_, err := (&Rewriter{Shift: 9_223_372_000_000_000_000}).Apply(nil, []byte(hookDoc), payload.KindHook)
	if err == nil || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("hook: %v", err)
	}
	late := strings.Replace(webhookDoc, "2026-01-05T10", "9990-01-05T10", 1)
	_, err = (&Rewriter{Shift: 400 * 365 * 86_400_000}).Apply(nil, []byte(late), payload.KindWebhook)
	if err == nil || !strings.Contains(err.Error(), "0000-9999") {
		t.Errorf("webhook: %v", err)
	}
}
