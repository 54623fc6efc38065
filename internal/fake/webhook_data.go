package fake

import (
	"strconv"
	"strings"
)

// webhookWriter writes the data of one webhook in the documented shape.
type webhookWriter struct {
	c    *chat
	r    *rng
	seed uint64
	i    int
	ev   *webhookEvent
}

// appendID writes prefix and a 13-digit base-36 id that depends on the seed, the
// document and salt (so the contact and the visitor of a chat differ).
func (w *webhookWriter) appendID(dst []byte, prefix string, salt uint64) []byte {
	dst = append(dst, prefix...)
	return appendBase36(dst, mix64(w.seed^mix64(uint64(w.i)^salt)))
}

const (
	saltContact = 0x636f6e74616374
	saltVisitor = 0x76697369746f72
)

// appendContact writes data.contact: who the conversation is with.
func (w *webhookWriter) appendContact(dst []byte) []byte {
	c, r := w.c, w.r
	dst = append(w.appendID(append(dst, `{"id":"`...), "ct_", saltContact), `","name":`...)
	dst = c.appendVisitorName(dst)
	dst = c.appendContactEmail(append(dst, `,"email":`...), r)
	dst = append(dst, `,"phone":`...)
	if c.who != nil && r.pct(30) {
		dst = append(dst, `"+420 `...)
		dst = strconv.AppendInt(dst, int64(r.between(601, 799)), 10)
		dst = append(dst, ' ')
		dst = strconv.AppendInt(dst, int64(r.between(100, 999)), 10)
		dst = append(dst, ' ')
		dst = strconv.AppendInt(dst, int64(r.between(100, 999)), 10)
		dst = append(dst, '"')
	} else {
		dst = append(dst, "null"...)
	}
	if w.ev.name == "contact.banned" {
		dst = append(dst, `,"banned_at":"`...)
		dst = appendISO(dst, w.ev.at)
		dst = append(dst, `","banned_by":"`...)
		dst = strconv.AppendInt(dst, c.acc.agents[0].id, 10)
		dst = append(dst, '"')
	} else {
		dst = append(dst, `,"banned_at":null,"banned_by":null`...)
	}
	dst = append(dst, `,"gdpr_approved":`...)
	dst = appendBool(dst, r.pct(40))
	dst = append(dst, `,"tags":[],"properties":{`...)
	if r.pct(30) {
		dst = append(dst, `"customer_id":"`...)
		dst = strconv.AppendInt(dst, int64(r.between(1000, 999999)), 10)
		dst = append(dst, '"')
	}
	dst = append(dst, `},"created_at":"`...)
	dst = appendISO(dst, c.begin-int64(r.between(0, 90*24*3600))*1000)
	dst = append(dst, `","updated_at":"`...)
	dst = appendISO(dst, w.ev.at)
	return append(dst, `"}`...)
}

// appendVisitorData writes the data of a visitor.* event: the visitor on the site,
// and the trigger's message for visitor.triggered.
func (w *webhookWriter) appendVisitorData(dst []byte) []byte {
	c := w.c
	dst = w.appendID(append(dst, `"visitor":{"id":"`...), "v_", saltVisitor)
	dst = w.appendID(append(dst, `","contact_id":"`...), "ct_", saltContact)
	dst = append(dst, `","domain":"`...)
	dst = append(dst, c.acc.domain...)
	dst = append(dst, `","page_url":`...)
	dst = appendText(dst, &c.acc.pages[w.r.intn(len(c.acc.pages))].url)
	dst = append(dst, '}')
	if w.ev.cause >= 0 {
		dst = w.appendMessage(append(dst, `,"message":`...), w.ev.cause)
	}
	return dst
}

// appendConversationData writes data.conversation, data.contact, the event's own
// members and data.message for the events about one message.
func (w *webhookWriter) appendConversationData(dst []byte) []byte {
	c, ev := w.c, w.ev
	dst = w.appendConversation(append(dst, `"conversation":`...))
	dst = w.appendContact(append(dst, `,"contact":`...))
	switch ev.name {
	case evClosed, evClosedByContact:
		dst = append(dst, `,"close_type":"`...)
		dst = append(dst, w.closeType()...)
		dst = append(dst, '"')
		if j := c.indexOf(mJoin, 0); j >= 0 {
			dst = append(dst, `,"agent_id":"`...)
			dst = strconv.AppendInt(dst, c.acc.agents[c.msgs[j].agent].id, 10)
			dst = append(dst, '"')
		}
	case evRated:
		dst = append(dst, `,"rating_value":`...)
		dst = strconv.AppendInt(dst, int64(c.rating), 10)
		dst = append(dst, `,"rating_text":`...)
		dst = w.appendComment(dst)
	case evAgentAssigned, evAgentUnassigned:
		dst = append(dst, `,"assigned":{"agent_id":"`...)
		dst = strconv.AppendInt(dst, c.acc.agents[c.msgs[ev.cause].agent].id, 10)
		dst = append(dst, `"}`...)
	}
	if ev.cause >= 0 && ev.name != evAgentAssigned && ev.name != evAgentUnassigned {
		dst = w.appendMessage(append(dst, `,"message":`...), ev.cause)
	}
	return dst
}

// appendComment writes the rating comment, "" when rated without one.
func (w *webhookWriter) appendComment(dst []byte) []byte {
	if w.c.comment != nil {
		return appendText(dst, w.c.comment)
	}
	return append(dst, `""`...)
}

// closeType is who closed the chat.
func (w *webhookWriter) closeType() string {
	switch {
	case w.c.n > 0 && w.c.msgs[w.c.n-1].kind == mCloseVisitor:
		return "contact"
	case w.c.n > 0 && w.c.msgs[w.c.n-1].kind == mCloseAgent:
		return "agent"
	}
	return "timeout"
}

// appendConversation writes data.conversation in the documented shape: no messages,
// the contact by id.
func (w *webhookWriter) appendConversation(dst []byte) []byte {
	c, r, ev := w.c, w.r, w.ev
	dst = appendConvID(append(dst, `{"id":"`...), w.seed, w.i)
	dst = append(dst, `","status":"`...)
	dst = append(dst, ev.status...)
	dst = append(dst, `","channel":{"type":"web","id":"`...)
	dst = append(dst, c.acc.domain...)
	dst = append(dst, `"},"domain":"`...)
	dst = append(dst, c.acc.domain...)
	dst = w.appendID(append(dst, `","contact_id":"`...), "ct_", saltContact)
	dst = w.appendID(append(dst, `","visitor_id":"`...), "v_", saltVisitor)
	dst = append(dst, `","is_offline":`...)
	dst = appendBool(dst, c.kind == chatOffline)
	dst = append(dst, `,"is_served":`...)
	dst = appendBool(dst, c.indexOf(mJoin, 0) >= 0 && ev.status != "pending")
	dst = append(dst, `,"unread":0,"assigned_agent_ids":[`...)
	dst = c.appendAgentsAndTags(dst, r, ev)
	dst = append(dst, `]`...)
	if ev.name == evRated {
		dst = append(dst, `,"rating_value":`...)
		dst = strconv.AppendInt(dst, int64(c.rating), 10)
		dst = append(dst, `,"rating_text":`...)
		dst = w.appendComment(dst)
	}
	if ev.status == "closed" {
		dst = append(dst, `,"close_type":"`...)
		dst = append(dst, w.closeType()...)
		dst = append(dst, `","finished_at":"`...)
		dst = appendISO(dst, c.end)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"created_at":"`...)
	dst = appendISO(dst, c.begin)
	dst = append(dst, `","updated_at":"`...)
	dst = appendISO(dst, ev.at)
	return append(dst, `"}`...)
}

// appendMessage writes message k of the plan in the documented shape: content a
// string for the contact's and agents' messages, {type, text} for bots and triggers.
func (w *webhookWriter) appendMessage(dst []byte, k int) []byte {
	c := w.c
	m := &c.msgs[k]
	dst = append(dst, `{"id":"msg_`...)
	dst = appendBase36(dst, mix64(^w.seed^(uint64(w.i)<<6|uint64(k))))
	dst = appendConvID(append(dst, `","conversation_id":"`...), w.seed, w.i)
	dst = append(dst, `","type":"message","sub_type":"`...)
	sub := v2SubType[m.kind]
	if m.kind == mTrigger && (w.i%3 == 0 || w.ev.name == evBotReplied) {
		sub = "bot"
	}
	dst = append(dst, sub...)
	dst = append(dst, `","content":`...)
	switch m.kind {
	case mVisitor, mAgent:
		dst = appendBodyString(dst, &m.body)
	case mTrigger:
		dst = appendText(append(dst, `{"type":"text","text":`...), &c.trig.content)
		dst = append(dst, '}')
	default:
		dst = append(dst, '"')
		dst = append(dst, v2SystemText[m.kind]...)
		dst = append(dst, '"')
	}
	switch m.kind {
	case mAgent, mJoin, mLeave:
		ag := &c.acc.agents[m.agent]
		dst = strconv.AppendInt(append(dst, `,"agent_id":"`...), ag.id, 10)
		dst = appendText(append(dst, `","author_name":`...), &ag.name)
	case mVisitor:
		dst = w.appendID(append(dst, `,"visitor_id":"`...), "v_", saltVisitor)
		dst = append(dst, '"')
	case mTrigger:
		dst = appendText(append(dst, `,"trigger_name":`...), &c.trig.name)
	}
	if name := w.ev.name; name == evDelivered || name == evDeliveryFailed {
		status := strings.TrimPrefix(name, "conversation.message_")
		if status == "delivery_failed" {
			status = "failed"
		}
		dst = append(append(append(dst, `,"delivery_status":"`...), status...), '"')
		if status == "delivered" {
			dst = appendISO(append(dst, `,"delivered_at":"`...), w.ev.at)
			dst = append(dst, '"')
		}
	}
	dst = appendISO(append(dst, `,"created_at":"`...), m.at)
	return append(dst, `"}`...)
}

// appendNestedExtras writes the members that follow data.conversation in the nested
// shape (the one fake made before the documented one): a rating object, the agent,
// the message.
func (w *webhookWriter) appendNestedExtras(dst []byte) []byte {
	c, ev := w.c, w.ev
	switch ev.name {
	case evRated:
		dst = append(dst, `,"rating":{"value":`...)
		dst = strconv.AppendInt(dst, int64(c.rating), 10)
		dst = w.appendComment(append(dst, `,"text":`...))
		dst = append(dst, '}')
	case evAgentAssigned, evAgentUnassigned:
		ag := &c.acc.agents[c.msgs[ev.cause].agent]
		dst = strconv.AppendInt(append(dst, `,"agent":{"id":"`...), ag.id, 10)
		dst = appendText(append(dst, `","name":`...), &ag.name)
		dst = append(dst, '}')
	case evContactReply, evAgentReplied, evBotReplied, evDelivered, evDeliveryFailed:
		dst = c.appendV2Message(append(dst, `,"message":`...), w.seed, w.i, ev.cause)
	}
	return dst
}

// appendContactEmail writes the contact's e-mail address (70% of named visitors
// give one), or null.
func (c *chat) appendContactEmail(dst []byte, r *rng) []byte {
	if c.who == nil || !r.pct(70) {
		return append(dst, "null"...)
	}
	dst = append(dst, '"')
	dst = append(dst, c.who.slug...)
	dst = append(dst, '@')
	dst = append(dst, emailDomains[r.intn(len(emailDomains))]...)
	return append(dst, '"')
}

// appendAgentsAndTags writes the assigned agent ids and the tags, up to the opening of
// the tags' closing bracket. An assignment precedes the join message but already
// names the agent.
func (c *chat) appendAgentsAndTags(dst []byte, r *rng, ev *webhookEvent) []byte {
	if j := c.indexOf(mJoin, 0); j >= 0 && (j < ev.shown || ev.name == evAgentAssigned) && ev.name != evAgentUnassigned {
		dst = append(dst, '"')
		dst = strconv.AppendInt(dst, c.acc.agents[c.msgs[j].agent].id, 10)
		dst = append(dst, '"')
	}
	dst = append(dst, `],"tags":[`...)
	for k, n := 0, r.between(0, 3); k < n; k++ {
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = appendText(dst, &tags[r.intn(len(tags))])
	}
	return dst
}
