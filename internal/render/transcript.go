package render

import (
	"strconv"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/payload"
)

// TranscriptOptions say how a Transcriber writes.
type TranscriptOptions struct {
	Location *time.Location // the time zone of the times shown; nil means time.Local
	Color    bool           // distinguish visitor, agent and system lines with ANSI colours
}

// Transcriber writes documents as people read them: a POST hook as a chat transcript
// (a header, then one line per message), a REST webhook as its event and the
// conversation it carries, and a stats report as a table of domains. It reuses its
// memory and is not safe for concurrent use.
type Transcriber struct {
	opts  TranscriptOptions
	lines []line
}

// NewTranscriber returns a Transcriber for opts.
func NewTranscriber(opts TranscriptOptions) *Transcriber {
	if opts.Location == nil {
		opts.Location = time.Local
	}
	return &Transcriber{opts: opts}
}

// Append appends the view of doc to dst; every line ends with a newline.
func (t *Transcriber) Append(dst []byte, doc *payload.Doc) []byte {
	switch doc.Kind {
	case payload.KindHook:
		return t.appendHook(dst, &doc.Hook)
	case payload.KindWebhook:
		return t.appendWebhook(dst, &doc.Webhook)
	case payload.KindStats:
		return t.appendStats(dst, &doc.Stats)
	}
	return append(dst, "(not a Smartsupp payload)\n"...)
}

// role is who wrote a line of a conversation; it picks the line's colour.
type role uint8

const (
	roleVisitor role = iota
	roleAgent
	roleTrigger
	roleSystem
)

func (r role) style() string {
	switch r {
	case roleVisitor:
		return styleVisitor
	case roleAgent:
		return styleAgent
	case roleTrigger:
		return styleTrigger
	}
	return styleSystem
}

// line is one message of a conversation, ready to lay out.
type line struct {
	at   time.Time // zero when unknown
	who  string
	role role
	text string
}

// maxWho is the widest the "who" column gets; longer names are cut with "…".
const maxWho = 24

// appendField appends "Label:   value" with the labels of a view aligned.
func (t *Transcriber) appendField(dst []byte, label, value string) []byte {
	dst = appendStyled(dst, t.opts.Color, styleLabel, label+":")
	dst = pad(dst, len(label)+1, 10)
	return appendIndented(dst, value, 10, false, "")
}

// appendIndented appends text and a newline, indenting its continuation lines by
// indent columns so that they stand under its first line. With color, each line is in
// style, so that a pager showing part of the text still colours it.
func appendIndented(dst []byte, text string, indent int, color bool, style string) []byte {
	for {
		i := strings.IndexByte(text, '\n')
		seg := text
		if i >= 0 {
			seg = text[:i]
		}
		dst = appendStyled(dst, color, style, seg)
		dst = append(dst, '\n')
		if i < 0 {
			return dst
		}
		dst = pad(dst, 0, indent)
		text = text[i+1:]
	}
}

// appendLines lays out a conversation: time, who and text in columns, and a line with
// the date whenever it differs from the one before (day is the date already shown).
func (t *Transcriber) appendLines(dst []byte, lines []line, day string) []byte {
	whoWidth := 0
	for i := range lines {
		lines[i].who = truncate(lines[i].who, maxWho)
		whoWidth = max(whoWidth, width(lines[i].who))
	}
	color := t.opts.Color
	for _, l := range lines {
		clock := "--:--:--"
		if !l.at.IsZero() {
			at := l.at.In(t.opts.Location)
			if d := at.Format(time.DateOnly); d != day {
				dst = appendStyled(dst, color, styleTime, "--- "+d+" ---")
				dst = append(dst, '\n')
				day = d
			}
			clock = at.Format(time.TimeOnly)
		}
		dst = appendStyled(dst, color, styleTime, clock)
		dst = append(dst, "  "...)
		dst = appendStyled(dst, color, l.role.style(), l.who)
		dst = pad(dst, width(l.who), whoWidth)
		dst = append(dst, "  "...)
		style := ""
		if l.role == roleSystem {
			style = styleSystem
		}
		dst = appendIndented(dst, l.text, 12+whoWidth, color, style)
	}
	return dst
}

// appendHook writes a POST hook as a transcript.
func (t *Transcriber) appendHook(dst []byte, h *payload.Hook) []byte {
	dst = appendStyled(dst, t.opts.Color, styleTitle, "Chat "+raw(h.Channel.ID)+", account "+raw(h.AccountID))
	dst = append(dst, '\n')
	dst = t.appendField(dst, "Visitor", visitorLine(&h.Visitor))
	day := ""
	if ms, ok := h.BeginAt.Int(); ok {
		dst = t.appendField(dst, "Begin", formatTime(ms, t.opts.Location))
		day = time.UnixMilli(ms).In(t.opts.Location).Format(time.DateOnly)
	}
	if ms, ok := h.EndAt.Int(); ok {
		dst = t.appendField(dst, "End", formatTime(ms, t.opts.Location))
	}
	if d, ok := duration(h); ok {
		dst = t.appendField(dst, "Duration", formatDuration(d))
	}
	if fs := flags(&h.Channel); len(fs) > 0 {
		dst = t.appendField(dst, "Flags", strings.Join(fs, ", "))
	}
	dst = t.appendField(dst, "Rating", ratingLine(&h.Channel))
	if len(h.Messages) == 0 {
		return append(dst, "(no messages)\n"...)
	}
	dst = append(dst, '\n')
	t.lines = t.lines[:0]
	for i := range h.Messages {
		t.lines = append(t.lines, hookLine(&h.Messages[i], &h.Visitor))
	}
	return t.appendLines(dst, t.lines, day)
}

// visitorLine is "name <email>, country (CC)", with what the visitor has of these.
func visitorLine(v *payload.Visitor) string {
	var b strings.Builder
	name := visitorName(v)
	if name == "" {
		name = "(no name)"
	}
	b.WriteString(name)
	if email := textOf(v.Email); email != "" {
		b.WriteString(" <" + email + ">")
	}
	country, code := textOf(v.Country), textOf(v.CountryCode)
	switch {
	case country != "" && code != "":
		b.WriteString(", " + country + " (" + code + ")")
	case country != "" || code != "":
		b.WriteString(", " + country + code)
	}
	return b.String()
}

// ratingLine is the rating and its comment, or "not rated".
func ratingLine(c *payload.Channel) string {
	r, comment := rating(c)
	switch {
	case r == "":
		return "not rated"
	case comment == "":
		return r
	}
	return r + " \"" + comment + "\""
}

// hookLine turns a message of a POST hook into a line of the transcript.
func hookLine(m *payload.Message, v *payload.Visitor) line {
	l := line{text: textOf(m.Content)}
	if ms, ok := m.SentAt.Int(); ok {
		l.at = time.UnixMilli(ms)
	}
	name := textOf(m.Name)
	switch typ := textOf(m.Type); {
	case typ == "visitor":
		l.role, l.who = roleVisitor, firstOf(name, visitorName(v), "visitor")
	case typ == "agent" && m.TriggeredBy.Text() != "":
		l.role, l.who = roleTrigger, "trigger "+textOf(m.TriggeredBy)
	case typ == "agent":
		l.role, l.who = roleAgent, firstOf(name, agentFrom(m.From), "agent")
	case typ == "system":
		l.role, l.who = roleSystem, "system"
		l.text = systemText(l.text, name)
	default:
		l.role, l.who = roleSystem, firstOf(typ, "?")
	}
	return l
}

// agentFrom is "agent 3" for a message from "agent:3" (or the old bare id 3).
func agentFrom(from payload.Value) string {
	id := raw(from)
	if rest, ok := strings.CutPrefix(id, "agent:"); ok {
		return "agent " + rest
	}
	if _, err := strconv.Atoi(id); err == nil {
		return "agent " + id
	}
	return ""
}

// systemText puts a system message's code in words; name is who acted.
func systemText(code, name string) string {
	switch code {
	case "agent.join":
		return firstOf(name, "an agent") + " joined the chat"
	case "agent.leave":
		return firstOf(name, "an agent") + " left the chat"
	case "close.visitorClose":
		return "the visitor closed the chat"
	case "close.agentClose":
		return firstOf(name, "the agent") + " closed the chat"
	case "close.systemClose":
		return "the chat was closed automatically"
	}
	return code
}

// firstOf returns the first non-empty string.
func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
