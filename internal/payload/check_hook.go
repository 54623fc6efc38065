package payload

import (
	"bytes"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/rules"
)

// secondsLimit: a Unix time below it in milliseconds is before 1973, so a timestamp
// smaller than this is almost surely in seconds.
const secondsLimit = 100_000_000_000

// knownCloseCodes are the close.* system codes Smartsupp is known or likely to send.
var knownCloseCodes = map[string]bool{
	"close.visitorClose": true,
	"close.agentClose":   true,
	"close.systemClose":  true,
}

func (d *Decoder) checkHook() {
	h := &d.doc.Hook
	if d.required(h.AccountID, 0, p("/accountId")) {
		d.wantInt(h.AccountID, false, rules.Type, p("/accountId"))
	}
	// beginAt and endAt are required (SMARTSUPP.md's table): check presence first.
	d.required(h.BeginAt, 0, p("/beginAt"))
	d.required(h.EndAt, 0, p("/endAt"))
	begin, beginOK := d.timestamp(h.BeginAt, p("/beginAt"))
	end, endOK := d.timestamp(h.EndAt, p("/endAt"))
	if beginOK && endOK && end < begin {
		d.add(rules.TimeOrder, int(h.EndAt.Off), "/endAt", "/endAt is before /beginAt by %s", FormatMillis(begin-end))
	}
	d.checkChannel()
	d.checkVisitor()
	if d.want(h.PathsValue, jsontext.Array, false, rules.Type, p("/paths")) {
		for i, path := range h.Paths {
			if d.want(path.Self, jsontext.Object, false, rules.FieldType, pi("/paths", i, "")) {
				d.want(path.URL, jsontext.String, true, rules.FieldType, pi("/paths", i, "url"))
				d.want(path.Title, jsontext.String, true, rules.FieldType, pi("/paths", i, "title"))
			}
		}
	}
	if d.required(h.MessagesValue, 0, p("/messages")) &&
		d.want(h.MessagesValue, jsontext.Array, false, rules.Type, p("/messages")) {
		d.checkMessages(begin, end, beginOK && endOK)
	}
}

// timestamp checks a millisecond timestamp member and returns its value.
func (d *Decoder) timestamp(v Value, at ref) (int64, bool) {
	if !d.wantInt(v, false, rules.Type, at) {
		return 0, false
	}
	t, ok := v.Int()
	if !ok {
		d.add(rules.Type, int(v.Off), at.String(), "%s %s does not fit in a 64-bit integer", at.String(), v.Raw)
		return 0, false
	}
	if t < 0 || t > MaxMillis {
		d.add(rules.Type, int(v.Off), at.String(), "%s %d is out of range for a time in milliseconds (1970 to year 9999)", at.String(), t)
		return 0, false
	}
	if t < secondsLimit {
		d.add(rules.TimestampUnit, int(v.Off), at.String(), "%s %d looks like seconds (%s), expected milliseconds", at.String(), t, time.Unix(t, 0).UTC().Format(time.RFC3339))
		return t, false
	}
	return t, true
}

func (d *Decoder) checkChannel() {
	h := &d.doc.Hook
	if !d.required(h.ChannelValue, 0, p("/channel")) ||
		!d.want(h.ChannelValue, jsontext.Object, false, rules.Type, p("/channel")) {
		return
	}
	c := &h.Channel
	off := int(h.ChannelValue.Off)
	if d.required(c.ID, off, p("/channel/id")) {
		d.wantInt(c.ID, false, rules.Type, p("/channel/id"))
	}
	flags := [...]struct {
		name string
		v    Value
	}{{"/channel/isChat", c.IsChat}, {"/channel/isMissed", c.IsMissed}, {"/channel/isTriggered", c.IsTriggered},
		{"/channel/isOffline", c.IsOffline}, {"/channel/isCompleted", c.IsCompleted}, {"/channel/isDropped", c.IsDropped}}
	for _, f := range flags {
		d.want(f.v, jsontext.True, false, rules.Type, p(f.name))
	}
	if d.wantInt(c.Rating, true, rules.Type, p("/channel/rating")) {
		if r, _ := c.Rating.Int(); r < 1 || r > 5 {
			d.add(rules.RatingRange, int(c.Rating.Off), "/channel/rating", "/channel/rating is %s, expected 1 to 5 or null", c.Rating.Raw)
		}
	}
	d.want(c.RatingDesc, jsontext.String, true, rules.FieldType, p("/channel/ratingDesc"))
	counts := [...]struct {
		name string
		v    Value
	}{{"/channel/duration", c.Duration}, {"/channel/avgResponse", c.AvgResponse}, {"/channel/firstResponse", c.FirstResponse},
		{"/channel/messagesCount", c.MessagesCount}, {"/channel/wordsCount", c.WordsCount}}
	for _, f := range counts {
		d.wantInt(f.v, true, rules.FieldType, p(f.name))
	}
}

func (d *Decoder) checkVisitor() {
	h := &d.doc.Hook
	if !d.want(h.VisitorValue, jsontext.Object, false, rules.Type, p("/visitor")) {
		return
	}
	v := &h.Visitor
	texts := [...]struct {
		name string
		v    Value
	}{{"/visitor/name", v.Name}, {"/visitor/email", v.Email}, {"/visitor/note", v.Note}, {"/visitor/group", v.Group},
		{"/visitor/groupKey", v.GroupKey}, {"/visitor/ipAddress", v.IPAddress}, {"/visitor/city", v.City},
		{"/visitor/countryCode", v.CountryCode}, {"/visitor/country", v.Country}, {"/visitor/userAgent", v.UserAgent},
		{"/visitor/platform", v.Platform}, {"/visitor/referer", v.Referer}}
	for _, f := range texts {
		d.want(f.v, jsontext.String, true, rules.FieldType, p(f.name))
	}
	if !d.want(v.VariablesValue, jsontext.Object, true, rules.Type, p("/visitor/variables")) {
		return
	}
	for i := range v.Variables {
		vr := &v.Variables[i]
		if d.want(vr.Self, jsontext.Object, false, rules.FieldType, pk("/visitor/variables", &vr.Key, "")) {
			d.want(vr.Label, jsontext.String, true, rules.FieldType, pk("/visitor/variables", &vr.Key, "label"))
		}
	}
}

// leanMessages is how many messages a Lean decoder keeps before checking them.
const leanMessages = 1 << 14

// checkEarly checks the messages decoded so far and drops them (Lean), when beginAt
// and endAt came before them: the checks need them.
func (d *Decoder) checkEarly() {
	h := &d.doc.Hook
	if !h.BeginAt.Present() || !h.EndAt.Present() {
		return
	}
	valid := func(v Value) (int64, bool) {
		t, ok := v.Int()
		return t, ok && jsontext.IsInteger(v.Raw) && t >= secondsLimit && t <= MaxMillis
	}
	begin, okB := valid(h.BeginAt)
	end, okE := valid(h.EndAt)
	d.checkMessages(begin, end, okB && okE)
	d.msgBase += len(h.Messages)
	h.Messages = h.Messages[:0]
}

// checkMessages checks Doc.Hook.Messages, which start at index d.msgBase of the
// document's messages (after the ones a Lean decoder checked early).
func (d *Decoder) checkMessages(begin, end int64, rangeOK bool) {
	h := &d.doc.Hook
	prev := d.msgPrev
	defer func() { d.msgPrev = prev }()
	for j := range h.Messages {
		m := &h.Messages[j]
		i := d.msgBase + j
		if !d.want(m.Self, jsontext.Object, false, rules.Type, pi("/messages", i, "")) {
			continue
		}
		off := int(m.Self.Off)
		if d.required(m.Type, off, pi("/messages", i, "type")) &&
			d.want(m.Type, jsontext.String, false, rules.Type, pi("/messages", i, "type")) {
			d.checkMessageType(i, m)
		}
		if d.required(m.Content, off, pi("/messages", i, "content")) {
			d.want(m.Content, jsontext.String, false, rules.Type, pi("/messages", i, "content"))
		}
		d.want(m.Name, jsontext.String, true, rules.FieldType, pi("/messages", i, "name"))
		d.want(m.TriggeredBy, jsontext.String, true, rules.FieldType, pi("/messages", i, "triggeredBy"))
		if !d.required(m.SentAt, off, pi("/messages", i, "sentAt")) {
			continue
		}
		t, ok := d.timestamp(m.SentAt, pi("/messages", i, "sentAt"))
		if !ok {
			continue
		}
		at := pi("/messages", i, "sentAt")
		switch {
		case rangeOK && (t < begin || t > end):
			d.add(rules.TimeOrder, int(m.SentAt.Off), at.String(), "%s is outside the chat (beginAt to endAt)", at.String())
		case prev != 0 && t < prev:
			d.add(rules.TimeOrder, int(m.SentAt.Off), at.String(), "%s is %s before the message above it", at.String(), FormatMillis(prev-t))
		}
		prev = t
	}
}

func (d *Decoder) checkMessageType(i int, m *Message) {
	switch typ := string(m.Type.Raw); typ {
	case "visitor", "agent":
	case "system":
		if m.Content.Kind != jsontext.String {
			return
		}
		// Look at the raw bytes first: most system messages are not close.* codes.
		if bytes.HasPrefix(m.Content.Raw, []byte("close.")) && !knownCloseCodes[string(m.Content.Raw)] {
			code := m.Content.Text()
			if !knownCloseCodes[code] {
				d.add(rules.SystemCode, int(m.Content.Off), pi("/messages", i, "content").String(), "unknown system code %q", code)
			}
		}
	default:
		d.add(rules.MessageType, int(m.Type.Off), pi("/messages", i, "type").String(), "unknown message type %q, expected visitor, agent or system", m.Type.Text())
	}
}

// ParseISOTime parses the ISO 8601 / RFC 3339 times of the REST webhooks.
func ParseISOTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
