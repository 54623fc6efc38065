package fake

import (
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/payload"
)

// TestTrafficProfile spreads chats over four weeks and checks that they stay inside
// the days asked for and vary by hour and weekday as real traffic does.
func TestTrafficProfile(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday
	const n, days = 40_000, 28
	g := New(Options{Seed: 3, Start: start, Days: days, Count: n})
	var byHour [24]int
	var byDay [7]int
	perDate := map[string]int{}
	for i := range n {
		at := g.Time(i)
		if at.Before(start) || !at.Before(start.AddDate(0, 0, days)) {
			t.Fatalf("chat %d at %v, outside the %d days from %v", i, at, days, start)
		}
		byHour[at.Hour()]++
		byDay[(int(at.Weekday())+6)%7]++
		perDate[at.Format(time.DateOnly)]++
	}
	if len(perDate) != days {
		t.Errorf("chats on %d dates, want %d", len(perDate), days)
	}
	if byHour[10] < 8*byHour[3] {
		t.Errorf("10:00 has %d chats, 03:00 %d: the day should be far busier than the night", byHour[10], byHour[3])
	}
	if byDay[1] < byDay[6]*3/2 {
		t.Errorf("Tuesdays %d chats, Sundays %d: weekdays should be busier", byDay[1], byDay[6])
	}
	// The last chat comes late in the last day: the days are filled, not just begun.
	if last := g.Time(n - 1); last.Before(start.AddDate(0, 0, days).Add(-6 * time.Hour)) {
		t.Errorf("the last chat is at %v", last)
	}
}

// TestChannelIDsPerSeed: ids depend on the seed, and two seeds never share one.
func TestChannelIDsPerSeed(t *testing.T) {
	seen := map[int64]int64{}
	for _, seed := range []int64{0, 1, 2, 7, 42, 1 << 20, -1} {
		g := New(Options{Seed: seed})
		for _, i := range []int{0, 1, 999, 99_999_999} {
			id := g.channelID(i)
			if other, ok := seen[id]; ok {
				t.Fatalf("seed %d chat %d has id %d, as seed %d does", seed, i, id, other)
			}
			seen[id] = seed
		}
	}
	if New(Options{Seed: 1}).Key(0) == New(Options{Seed: 2}).Key(0) {
		t.Error("two seeds give the same key to chat 0")
	}
}

// TestWebhookEvents: a few thousand webhooks hold every documented event, in both
// shapes, and the payload decoder finds nothing wrong with any of them.
func TestWebhookEvents(t *testing.T) {
	for _, nested := range []bool{false, true} {
		g := New(Options{Seed: 5, Kind: KindWebhook, NestedWebhooks: nested})
		seen := map[string]int{}
		var d payload.Decoder
		for i := range 3000 {
			doc, fs := d.Decode(g.Append(nil, i))
			if len(fs) > 0 {
				t.Fatalf("nested %v doc %d: %+v\n%s", nested, i, fs, g.Append(nil, i))
			}
			seen[doc.Webhook.Event.Text()]++
			if !nested && len(doc.Webhook.Messages) > 0 {
				t.Fatalf("doc %d: messages inside data.conversation in the documented shape", i)
			}
		}
		for _, e := range payload.WebhookEvents {
			if e != "visitor.replied" && seen[e] == 0 {
				t.Errorf("nested %v: no %s in 3000 webhooks (%v)", nested, e, seen)
			}
		}
	}
	a := New(Options{Seed: 1, Kind: KindWebhook}).Append(nil, 0)
	b := New(Options{Seed: 2, Kind: KindWebhook}).Append(nil, 0)
	idOf := func(doc []byte) string {
		var d payload.Decoder
		dd, _ := d.Decode(doc)
		return dd.Webhook.Conversation.ID.Text() + dd.Webhook.ConversationID.Text() + dd.Webhook.Contact.ID.Text()
	}
	if idOf(a) == idOf(b) {
		t.Error("two seeds give the same ids")
	}
}
