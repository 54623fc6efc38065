package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// webhookData decodes a webhook's data member. Webhooks are rare and small, so the
// view reads them with encoding/json rather than a typed fast path.
func webhookData(w *payload.Webhook) map[string]any {
	var data map[string]any
	dec := json.NewDecoder(bytes.NewReader(w.Data.Raw))
	dec.UseNumber()
	if dec.Decode(&data) != nil {
		return nil
	}
	return data
}

// str is a member of a decoded object as text: strings as they are, numbers and
// booleans as written, "" for anything else.
func str(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case string:
		return cleanText(v)
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	return ""
}

// obj is a member of a decoded object that is itself an object, or nil.
func obj(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}

// appendWebhook writes a REST webhook: its event, time and account, then the
// conversation, contact and messages of its data when it has them.
func (t *Transcriber) appendWebhook(dst []byte, w *payload.Webhook) []byte {
	dst = appendStyled(dst, t.opts.Color, styleTitle, "Webhook "+textOf(w.Event))
	dst = append(dst, '\n')
	day := ""
	if at, ok := payload.ParseISOTime(textOf(w.Timestamp)); ok {
		day = at.In(t.opts.Location).Format(time.DateOnly)
	}
	dst = t.appendField(dst, "Time", t.isoTime(textOf(w.Timestamp)))
	account := textOf(w.AccountID)
	if app := textOf(w.AppID); app != "" {
		account += " (app " + app + ")"
	}
	dst = t.appendField(dst, "Account", account)
	data := webhookData(w)
	conv := obj(data, "conversation")
	if conv != nil {
		dst = t.appendField(dst, "Chat", conversationLine(conv))
	} else if id := textOf(w.ConversationID); id != "" {
		dst = t.appendField(dst, "Chat", id)
	}
	contact := firstObj(obj(conv, "contact"), obj(data, "contact"))
	if contact != nil {
		dst = t.appendField(dst, "Contact", contactLine(contact))
	}
	if tags := strings.Join(strs(conv, "tags"), ", "); tags != "" {
		dst = t.appendField(dst, "Tags", tags)
	}
	agent := obj(data, "agent")
	if agent != nil {
		dst = t.appendField(dst, "Agent", firstOf(str(agent, "name"), "agent")+" (id "+str(agent, "id")+")")
	} else if id := raw(w.AgentID); id != "" {
		dst = t.appendField(dst, "Agent", "agent "+id)
	}
	if a := w.Assigned; a.Present() && !a.IsNull() {
		dst = t.appendField(dst, "Assigned", compactJSON(a))
	}
	if ct := firstOf(textOf(w.CloseType), str(conv, "close_type")); ct != "" {
		dst = t.appendField(dst, "Closed", ct)
	}
	if v := firstOf(present(w.RatingValue), str(conv, "rating_value")); v != "" {
		dst = t.appendField(dst, "Rating", ratingText(v, firstOf(textOf(w.RatingText), str(conv, "rating_text"))))
	}
	msgs, _ := conv["messages"].([]any)
	if msgs == nil {
		msgs, _ = data["messages"].([]any)
	}
	if m := obj(data, "message"); m != nil && !containsMessage(msgs, str(m, "id")) {
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		return dst
	}
	dst = append(dst, '\n')
	t.lines = t.lines[:0]
	for _, m := range msgs {
		if mo, ok := m.(map[string]any); ok {
			t.lines = append(t.lines, webhookLine(mo, contact, agent))
		}
	}
	return t.appendLines(dst, t.lines, day)
}

// isoTime shows a webhook time in the view's zone, or as written when it is not one.
func (t *Transcriber) isoTime(s string) string {
	if at, ok := payload.ParseISOTime(s); ok {
		return at.In(t.opts.Location).Format(time.RFC3339)
	}
	return s
}

func firstObj(a, b map[string]any) map[string]any {
	if a != nil {
		return a
	}
	return b
}

// strs is a member holding an array of strings.
func strs(m map[string]any, key string) []string {
	arr, _ := m[key].([]any)
	var out []string
	for _, v := range arr {
		if s, ok := v.(string); ok {
			out = append(out, cleanText(s))
		}
	}
	return out
}

// conversationLine is "id, status, channel domain".
func conversationLine(conv map[string]any) string {
	parts := []string{firstOf(str(conv, "id"), "(no id)")}
	if s := str(conv, "status"); s != "" {
		parts = append(parts, s)
	}
	if ch := obj(conv, "channel"); ch != nil {
		parts = append(parts, strings.TrimSpace(str(ch, "type")+" "+firstOf(str(ch, "domain"), str(ch, "id"))))
	}
	return strings.Join(parts, ", ")
}

// contactLine is "name <email>, phone".
func contactLine(c map[string]any) string {
	s := firstOf(str(c, "name"), "(no name)")
	if e := str(c, "email"); e != "" {
		s += " <" + e + ">"
	}
	if p := str(c, "phone"); p != "" {
		s += ", " + p
	}
	return s
}

// compactJSON is a value as written: strings as text, containers as compact JSON.
func compactJSON(v payload.Value) string {
	if v.Kind == jsontext.String {
		return textOf(v)
	}
	return cleanText(string(jsontext.AppendCompact(nil, v.Raw)))
}

// ratingText is a rating and its comment.
func ratingText(value, comment string) string {
	if comment == "" {
		return value
	}
	return value + " \"" + comment + "\""
}

func containsMessage(msgs []any, id string) bool {
	for _, m := range msgs {
		if mo, ok := m.(map[string]any); ok && id != "" && str(mo, "id") == id {
			return true
		}
	}
	return false
}

// webhookLine turns a message of a webhook's data into a line of the view.
func webhookLine(m, contact, agent map[string]any) line {
	l := line{}
	if at, ok := payload.ParseISOTime(str(m, "created_at")); ok {
		l.at = at
	}
	if c, ok := m["content"].(map[string]any); ok {
		l.text = firstOf(str(c, "text"), str(c, "html"))
	} else {
		l.text = str(m, "content")
	}
	agentName := str(m, "author_name")
	if id := str(m, "agent_id"); id != "" && agentName == "" {
		agentName = "agent " + id
		if agent != nil && str(agent, "id") == id && str(agent, "name") != "" {
			agentName = str(agent, "name")
		}
	}
	switch sub := str(m, "sub_type"); sub {
	case "contact":
		l.role, l.who = roleVisitor, firstOf(str(contact, "name"), "contact")
	case "agent":
		l.role, l.who = roleAgent, firstOf(agentName, "agent")
	case "trigger", "bot":
		l.role, l.who = roleTrigger, sub
	default:
		l.role, l.who = roleSystem, firstOf(sub, str(m, "type"), "system")
		l.text = systemText(l.text, agentName)
	}
	if str(m, "type") == "note" {
		l.who += " (note)"
	}
	return l
}

// appendStats writes a stats report as a table of its domains.
func (t *Transcriber) appendStats(dst []byte, st *payload.Stats) []byte {
	dst = appendStyled(dst, t.opts.Color, styleTitle, "Stats report")
	dst = append(dst, '\n')
	var buf bytes.Buffer
	tw := tablewriter.NewWriter(&buf)
	tw.Header("domain", "visits", "conversations", "auto messages", "replies to auto messages")
	for i := range st.Domains {
		d := &st.Domains[i]
		if err := tw.Append(textOf(d.Domain), raw(d.Visits), raw(d.Conversations), raw(d.AutoMessages), raw(d.AutoMessagesReply)); err != nil {
			return append(dst, err.Error()+"\n"...)
		}
	}
	if err := tw.Render(); err != nil {
		return append(dst, err.Error()+"\n"...)
	}
	return append(dst, buf.Bytes()...)
}
