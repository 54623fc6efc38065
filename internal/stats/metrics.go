package stats

import (
	"bytes"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// Core is the set of figures every group of chats has: the flag counts, the response
// times (as the hooks report them and as recomputed from message times), durations,
// messages per chat and ratings. Cores merge by adding.
type Core struct {
	Chats, IsChat, Missed, Offline, Triggered, Completed, Dropped int64

	FirstResponse, AvgResponse         Sketch // channel.firstResponse / avgResponse, seconds
	FirstResponseMsgs, AvgResponseMsgs Sketch // recomputed from messages[].sentAt, seconds
	Duration                           Sketch // channel.duration, else (endAt−beginAt)/1000
	Messages                           Sketch // visitor and agent messages per chat

	Ratings   [5]int64 // chats rated 1..5
	Commented int64    // rated chats whose ratingDesc is not empty
}

// newCore is a Core whose sketches have precision p (groups use the coarse one).
func newCore(p *precision) *Core {
	c := &Core{}
	for _, s := range c.sketches() {
		s.p = p
	}
	return c
}

func (c *Core) sketches() []*Sketch {
	return []*Sketch{&c.FirstResponse, &c.AvgResponse, &c.FirstResponseMsgs, &c.AvgResponseMsgs, &c.Duration, &c.Messages}
}

// Rated is the number of rated chats.
func (c *Core) Rated() int64 {
	var n int64
	for _, r := range c.Ratings {
		n += r
	}
	return n
}

// RatingMean is the mean rating of rated chats (0 when none is).
func (c *Core) RatingMean() float64 {
	n := c.Rated()
	if n == 0 {
		return 0
	}
	var sum int64
	for i, r := range c.Ratings {
		sum += int64(i+1) * r
	}
	return float64(sum) / float64(n)
}

// chatFacts is what one hook contributes, worked out once and added to every group
// the chat belongs to.
type chatFacts struct {
	flags              [6]bool // isChat, missed, offline, triggered, completed, dropped
	first, avg         float64 // hook fields; <0 when null or absent
	firstMsgs, avgMsgs float64 // recomputed; <0 when no visitor message was answered
	duration           float64
	messages           int
	rating             int // 1..5, 0 when not rated
	comment            bool
	firstAgent         []byte // id of the agent who answered first
}

// factsOf reads a hook's figures. Message-based times are in seconds from the ms times.
func factsOf(h *payload.Hook, f *chatFacts) {
	ch := &h.Channel
	for i, v := range [...]payload.Value{ch.IsChat, ch.IsMissed, ch.IsOffline, ch.IsTriggered, ch.IsCompleted, ch.IsDropped} {
		f.flags[i] = v.Kind == jsontext.True
	}
	f.first, f.avg = seconds(ch.FirstResponse), seconds(ch.AvgResponse)
	if d := seconds(ch.Duration); d >= 0 {
		f.duration = d
	} else {
		b, _ := h.BeginAt.Int()
		e, _ := h.EndAt.Int()
		f.duration = float64(e-b) / 1000
	}
	f.rating, f.comment = 0, false
	if r, ok := ch.Rating.Int(); ok && r >= 1 && r <= 5 {
		f.rating = int(r)
		f.comment = ch.RatingDesc.Kind == jsontext.String && len(bytes.TrimSpace(ch.RatingDesc.Raw)) > 0
	}
	responseTimes(h.Messages, f)
}

// seconds reads an integer-seconds field; -1 when null, absent or not a number.
func seconds(v payload.Value) float64 {
	n, ok := v.Int()
	if !ok {
		return -1
	}
	return float64(n)
}

// responseTimes recomputes the response times from the messages: a response is the
// first agent message after one or more unanswered visitor messages, timed from the
// first of them; the first response is the first such answer, the average response
// the mean of all of them. Trigger messages (from "system" or with triggeredBy) are
// not answers. It also counts the visitor and agent messages.
func responseTimes(msgs []payload.Message, f *chatFacts) {
	f.firstMsgs, f.avgMsgs, f.messages, f.firstAgent = -1, -1, 0, nil
	pending := int64(-1)
	var sum, n int64
	for i := range msgs {
		m := &msgs[i]
		at, okAt := m.SentAt.Int()
		switch string(m.Type.Raw) {
		case "visitor":
			f.messages++
			if okAt && pending < 0 {
				pending = at
			}
		case "agent":
			f.messages++
			if !okAt || pending < 0 || isTrigger(m) {
				continue
			}
			d := max(at-pending, 0)
			if n == 0 {
				f.firstMsgs = float64(d) / 1000
				f.firstAgent = agentID(m.From)
			}
			sum += d
			n++
			pending = -1
		}
	}
	if n > 0 {
		f.avgMsgs = float64(sum) / float64(n) / 1000
	}
}

// isTrigger reports an automatic message: type agent, but from "system" or with a
// trigger name.
func isTrigger(m *payload.Message) bool {
	return (m.From.Kind == jsontext.String && string(m.From.Raw) == "system") ||
		(m.TriggeredBy.Kind == jsontext.String)
}

// agentID is the id of an agent sender: "<id>" of "agent:<id>", or a bare integer id
// (hooks before November 2018); nil when the sender is no agent.
func agentID(from payload.Value) []byte {
	switch from.Kind {
	case jsontext.String:
		if id, ok := bytes.CutPrefix(from.Raw, []byte("agent:")); ok && len(id) > 0 {
			return id
		}
	case jsontext.Number:
		return from.Raw
	}
	return nil
}

// add counts one chat's facts into c.
func (c *Core) add(f *chatFacts) {
	c.Chats++
	counts := [...]*int64{&c.IsChat, &c.Missed, &c.Offline, &c.Triggered, &c.Completed, &c.Dropped}
	for i, set := range f.flags {
		if set {
			*counts[i]++
		}
	}
	addIf(&c.FirstResponse, f.first)
	addIf(&c.AvgResponse, f.avg)
	addIf(&c.FirstResponseMsgs, f.firstMsgs)
	addIf(&c.AvgResponseMsgs, f.avgMsgs)
	c.Duration.Add(max(f.duration, 0))
	c.Messages.Add(float64(f.messages))
	if f.rating > 0 {
		c.Ratings[f.rating-1]++
		if f.comment {
			c.Commented++
		}
	}
}

// addIf adds v when it is a value (>= 0).
func addIf(s *Sketch, v float64) {
	if v >= 0 {
		s.Add(v)
	}
}
