package stats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/input"
)

// generateWebhooks makes n fake REST webhooks, plus for every conversation.rated event
// another a minute later with another rating (it replaces the first) and another an
// hour earlier with a third one (too old to replace), and after every tenth
// conversation.closed event a rated event that names no conversation.
func generateWebhooks(t *testing.T, n int, seed int64) (string, [][]byte) {
	t.Helper()
	g := fake.New(fake.Options{Seed: seed, Kind: fake.KindWebhook})
	var docs [][]byte
	closed := 0
	for i := range n {
		doc := g.Append(nil, i)
		docs = append(docs, doc)
		var w map[string]any
		if err := json.Unmarshal(doc, &w); err != nil {
			t.Fatal(err)
		}
		data := w["data"].(map[string]any)
		switch w["event"] {
		case "conversation.closed":
			if closed++; closed%10 == 0 {
				w["event"], w["data"] = "conversation.rated", map[string]any{"rating_value": 2, "rating_text": "slow"}
				docs = append(docs, marshal(t, w))
			}
		case "conversation.rated":
			at, err := time.Parse(time.RFC3339Nano, w["timestamp"].(string))
			if err != nil {
				t.Fatal(err)
			}
			v := data["rating_value"].(float64)
			for _, re := range []struct {
				shift time.Duration
				value float64
				text  string
			}{{time.Minute, 6 - v, "changed my mind"}, {-time.Hour, 3, ""}} {
				w["timestamp"] = at.Add(re.shift).Format(time.RFC3339Nano)
				data["rating_value"], data["rating_text"] = re.value, re.text
				docs = append(docs, marshal(t, w))
			}
		}
	}
	return writeNDJSON(t, docs), docs
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// redeliver is webhooks with every fourth delivered again as it was and every fifth
// again with white space added, the copies after all the originals.
func redeliver(webhooks [][]byte) [][]byte {
	out := append([][]byte(nil), webhooks...)
	for i, w := range webhooks {
		if i%4 == 0 {
			out = append(out, w)
		}
		if i%5 == 0 {
			out = append(out, bytes.ReplaceAll(w, []byte(`":`), []byte(`": `)))
		}
	}
	return out
}

// refWebhooks is the reference's reading of REST webhooks, with encoding/json.
type refWebhooks struct {
	deliveries, duplicates int64
	events                 map[string]int64
	conversations, loose   int64 // distinct conversations; rated webhooks naming none
	ratings                [5]int64
	commented              int64
}

func computeWebhookReference(t *testing.T, docs [][]byte) *refWebhooks {
	t.Helper()
	type rating struct {
		at      time.Time
		value   int
		comment bool
	}
	r := &refWebhooks{events: map[string]int64{}}
	seen := map[string]bool{}
	convs := map[string]*rating{}
	for _, doc := range docs {
		var w struct {
			Event     string         `json:"event"`
			Timestamp string         `json:"timestamp"`
			AccountID string         `json:"account_id"`
			Data      map[string]any `json:"data"`
		}
		if err := json.Unmarshal(doc, &w); err != nil {
			t.Fatal(err)
		}
		// Identical deliveries: the same account, event, timestamp and data
		// (encoding/json writes maps with sorted keys, so the order is its own).
		id := w.AccountID + "\x00" + w.Event + "\x00" + w.Timestamp + "\x00" + string(marshal(t, w.Data))
		if seen[id] {
			r.duplicates++
			continue
		}
		seen[id] = true
		r.deliveries++
		r.events[w.Event]++
		value, text := w.Data["rating_value"], w.Data["rating_text"]
		conv, _ := w.Data["conversation"].(map[string]any)
		if value == nil && conv != nil {
			value, text = conv["rating_value"], conv["rating_text"]
		}
		v, _ := value.(float64)
		s, _ := text.(string)
		at, _ := time.Parse(time.RFC3339Nano, w.Timestamp)
		this := &rating{at: at, value: int(v), comment: strings.TrimSpace(s) != ""}
		if conversationID(w.Data, conv) == "" {
			if this.value > 0 {
				r.loose++ // a rating of its own
				r.ratings[this.value-1]++
				if this.comment {
					r.commented++
				}
			}
			continue
		}
		key := w.AccountID + "\x00" + conversationID(w.Data, conv)
		old := convs[key]
		if old == nil {
			convs[key] = &rating{}
			old = convs[key]
		}
		if this.value > 0 && (old.value == 0 || !this.at.Before(old.at)) {
			*old = *this
		}
	}
	for _, c := range convs {
		r.conversations++
		if c.value > 0 {
			r.ratings[c.value-1]++
			if c.comment {
				r.commented++
			}
		}
	}
	return r
}

// TestWebhookRatingsJoinTheRatings checks the ratings of POST hooks and REST webhooks
// together, the webhooks' events and conversations and the duplicates against the
// references, over hooks and webhooks both delivered more than once.
func TestWebhookRatingsJoinTheRatings(t *testing.T) {
	_, hooks := generate(t, 500, 47)
	_, webhooks := generateWebhooks(t, 1500, 53)
	hookStream, whStream := deliveries(t, hooks, 7), redeliver(webhooks)
	path := writeNDJSON(t, append(append([][]byte(nil), hookStream...), whStream...))
	ref := computeReference(t, firstOfEachChat(t, hookStream), time.UTC, math.MinInt64, math.MaxInt64)
	wref := computeWebhookReference(t, whStream)
	var fromWebhooks int64
	for _, n := range wref.ratings {
		fromWebhooks += n
	}
	if fromWebhooks < 10 || wref.duplicates == 0 {
		t.Fatalf("the generated webhooks hold %d ratings and %d duplicates: too few to test", fromWebhooks, wref.duplicates)
	}
	rep := collect(t, Options{Paths: []string{path}, TZ: time.UTC, Input: input.Options{BlockSize: 4 << 10}})

	want := Ratings{Of: ref.chats + wref.conversations + wref.loose, WithComment: ref.commented + wref.commented, FromWebhooks: fromWebhooks}
	var sum int64
	for i := range want.Distribution {
		want.Distribution[i] = ref.ratings[i] + wref.ratings[i]
		want.Rated += want.Distribution[i]
		sum += int64(i+1) * want.Distribution[i]
	}
	want.Share = round(float64(want.Rated)/float64(want.Of), 4)
	want.Mean = round(float64(sum)/float64(want.Rated), 4)
	if rep.Chats.Ratings != want {
		t.Errorf("ratings\n got %+v\nwant %+v", rep.Chats.Ratings, want)
	}
	// The share is of chats and conversations together: the summary table says of how
	// many (rated_of), and so does the HTML report's note.
	var ratedOf string
	for _, row := range summaryTable(rep).Rows {
		if row[0] == "rated_of" {
			ratedOf = row[1]
		}
	}
	if ratedOf != itoa(want.Of) {
		t.Errorf("summary table: rated_of %q, want %d", ratedOf, want.Of)
	}
	if note := ratingsChart(&rep.Chats.Ratings, rep.Chats.Chats).Note; !strings.Contains(note, fmt.Sprintf("of %d chats and webhook conversations", want.Of)) {
		t.Errorf("the ratings note says %q", note)
	}
	d := rep.Documents
	if d.Webhooks != wref.deliveries || d.Hooks != 500 || d.Duplicates != wref.duplicates+int64(len(hookStream)-500) ||
		rep.Webhooks.Conversations != wref.conversations || wref.loose == 0 {
		t.Errorf("documents %+v, %d conversations; reference %d webhooks, %d webhook duplicates, %d conversations",
			d, rep.Webhooks.Conversations, wref.deliveries, wref.duplicates, wref.conversations)
	}
	checkCounts(t, "events", rep.Webhooks.Events, wref.events)
}

// conversationID is the conversation a webhook names: data.conversation.id, else
// data.conversation_id, else data.message.conversation_id.
func conversationID(data, conv map[string]any) string {
	if id, ok := conv["id"].(string); ok {
		return id
	}
	if id, ok := data["conversation_id"].(string); ok {
		return id
	}
	msg, _ := data["message"].(map[string]any)
	id, _ := msg["conversation_id"].(string)
	return id
}

// TestMemoryLimitMakesRoom: with a soft memory limit set, a run raises it by what it
// keeps of every distinct delivery and conversation, so that the collector does not
// run without pause once those alone fill it.
func TestMemoryLimitMakesRoom(t *testing.T) {
	_, webhooks := generateWebhooks(t, 3000, 61)
	path := writeNDJSON(t, webhooks)
	const base = 1 << 10
	old := debug.SetMemoryLimit(base)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	rep := collect(t, Options{Paths: []string{path}, TZ: time.UTC, MemoryLimit: base})
	kept := int64(8*4096) + 56*rep.Webhooks.Conversations // 3,000 fingerprints take 4,096 slots
	if got := debug.SetMemoryLimit(-1); got < base+kept {
		t.Errorf("the limit is %d after keeping about %d bytes over a limit of %d", got, kept, base)
	}
}
