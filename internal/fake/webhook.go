package fake

import (
	"strconv"
	"strings"
)

// webhook event names (SMARTSUPP.md §4). The chat plan decides which ones fit: a
// missed chat cannot be rated or have an agent join.
const (
	evOpened          = "conversation.opened"
	evClosed          = "conversation.closed"
	evClosedByContact = "conversation.closed_by_contact"
	evRated           = "conversation.rated"
	evAgentAssigned   = "conversation.agent_assigned"
	evAgentUnassigned = "conversation.agent_unassigned"
	evAgentJoined     = "conversation.agent_joined"
	evAgentLeft       = "conversation.agent_left"
	evAgentReplied    = "conversation.agent_replied"
	evContactReply    = "conversation.contact_replied"
	evBotReplied      = "conversation.bot_replied"
	evDelivered       = "conversation.message_delivered"
	evDeliveryFailed  = "conversation.message_delivery_failed"
)

// contactEvents and visitorEvents carry no conversation.
var (
	contactEvents = []string{"contact.created", "contact.updated", "contact.acquired", "contact.banned", "contact.unbanned"}
	visitorEvents = []string{"visitor.connected", "visitor.updated", "visitor.triggered", "visitor.disconnected", "visitor.typing"}
)

// tags are conversation labels agents attach.
var tags = mkTexts("vip", "order", "shipping", "billing", "reklamace", "Rückgabe", "lead", "b2b", "spam?")

// webhookEvent is what one webhook reports: the event, the message that
// caused it (index into the plan, or -1) and how many messages it shows.
type webhookEvent struct {
	name   string
	cause  int
	shown  int
	status string
	at     int64
}

// appendWebhook appends REST API webhook i. It plans a chat exactly like a hook and
// then reports one moment of it, so the data stays coherent. The shape is the
// documented one (data.conversation, data.message and data.contact side by side)
// unless the generator makes the nested one (messages and contact inside
// data.conversation).
func (g *Generator) appendWebhook(dst []byte, i int) []byte {
	r := g.rng(i)
	var c chat
	// The account must be the first draw: Key relies on it.
	c.acc = &accounts[r.intn(len(accounts))]
	c.begin = g.beginMs(i)
	c.plan(&r)
	ev := c.pickEvent(&r)

	dst = append(dst, `{"type":"event_callback","event":"`...)
	dst = append(dst, ev.name...)
	dst = append(dst, `","timestamp":"`...)
	// Delivery happens a moment after the event itself.
	dst = appendISO(dst, ev.at+r.gap(0, 2))
	dst = append(dst, `","account_id":"`...)
	dst = strconv.AppendInt(dst, c.acc.id, 10)
	dst = append(dst, `","app_id":"`...)
	dst = append(dst, c.acc.appID...)
	dst = append(dst, `","data":{`...)
	w := webhookWriter{c: &c, r: &r, seed: g.seed, i: i, ev: &ev}
	switch {
	case strings.HasPrefix(ev.name, "contact."):
		dst = w.appendContact(append(dst, `"contact":`...))
	case strings.HasPrefix(ev.name, "visitor."):
		dst = w.appendVisitorData(dst)
	case ev.name == evAgentJoined || ev.name == evAgentLeft:
		dst = append(dst, `"conversation_id":"`...)
		dst = appendConvID(dst, g.seed, i)
		dst = append(dst, `","agent_id":"`...)
		dst = strconv.AppendInt(dst, c.acc.agents[c.msgs[ev.cause].agent].id, 10)
		dst = append(dst, '"')
	case g.nested:
		dst = append(dst, `"conversation":`...)
		dst = c.appendConversation(dst, &r, g.seed, i, &ev)
		dst = w.appendNestedExtras(dst)
	default:
		dst = w.appendConversationData(dst)
	}
	return append(dst, "}}"...)
}

// pickEvent chooses the reported event among those the chat supports.
func (c *chat) pickEvent(r *rng) webhookEvent {
	first := c.indexOf(mVisitor, 0)
	join := c.indexOf(mJoin, 0)
	roll := r.intn(100)
	at := c.msgs[max(first, 0)].at
	switch {
	case roll < 6:
		return webhookEvent{name: contactEvents[r.intn(len(contactEvents))], cause: -1, status: "open", at: at}
	case roll < 16:
		name := visitorEvents[r.intn(len(visitorEvents))]
		cause := -1
		if name == "visitor.triggered" {
			cause = c.indexOf(mTrigger, 0)
		}
		return webhookEvent{name: name, cause: cause, status: "open", at: at - r.gap(1, 30)}
	case roll < 26 || first < 0:
		return webhookEvent{name: evOpened, cause: -1, shown: first + 1, status: "pending", at: at}
	case roll < 31 && c.indexOf(mTrigger, 0) >= 0:
		k := c.indexOf(mTrigger, 0)
		return webhookEvent{name: evBotReplied, cause: k, shown: k + 1, status: "pending", at: c.msgs[k].at}
	case roll < 44 || join < 0:
		name := evClosed
		if c.n > 0 && c.msgs[c.n-1].kind == mCloseVisitor {
			name = evClosedByContact
		}
		return webhookEvent{name: name, cause: -1, shown: c.n, status: "closed", at: c.end}
	}
	return c.pickServedEvent(r, roll, first, join)
}

// pickServedEvent chooses among the events of a chat an agent joined.
func (c *chat) pickServedEvent(r *rng, roll, first, join int) webhookEvent {
	reply := c.indexOf(mAgent, join)
	switch {
	case roll < 52 && c.rating > 0:
		return webhookEvent{name: evRated, cause: -1, shown: c.n, status: "closed", at: c.end + r.gap(2, 120)}
	case roll < 58:
		return webhookEvent{name: evAgentAssigned, cause: join, shown: join, status: "open", at: c.msgs[join].at - r.gap(0, 1)}
	case roll < 60:
		return webhookEvent{name: evAgentUnassigned, cause: join, shown: join, status: "open", at: c.msgs[join].at + r.gap(1, 5)}
	case roll < 66:
		return webhookEvent{name: evAgentJoined, cause: join, shown: join + 1, status: "served", at: c.msgs[join].at}
	case roll < 69:
		return webhookEvent{name: evAgentLeft, cause: join, shown: c.n, status: "served", at: c.end}
	case roll < 78 && reply >= 0:
		return webhookEvent{name: evAgentReplied, cause: reply, shown: reply + 1, status: "served", at: c.msgs[reply].at}
	case roll < 83 && reply >= 0:
		return webhookEvent{name: evDelivered, cause: reply, shown: reply + 1, status: "served", at: c.msgs[reply].at + r.gap(0, 2)}
	case roll < 85 && reply >= 0:
		return webhookEvent{name: evDeliveryFailed, cause: reply, shown: reply + 1, status: "served", at: c.msgs[reply].at + r.gap(5, 30)}
	default:
		k := c.indexOf(mVisitor, first+1+r.intn(c.n-first))
		if k < 0 {
			k = first
		}
		return webhookEvent{name: evContactReply, cause: k, shown: k + 1, status: "served", at: c.msgs[k].at}
	}
}

// indexOf returns the first message of kind at or after from, or -1.
func (c *chat) indexOf(kind msgKind, from int) int {
	for k := from; k < c.n; k++ {
		if c.msgs[k].kind == kind {
			return k
		}
	}
	return -1
}

// appendConversation writes the conversation object showing the first
// ev.shown messages of the plan.
func (c *chat) appendConversation(dst []byte, r *rng, seed uint64, i int, ev *webhookEvent) []byte {
	dst = append(dst, `{"id":"`...)
	dst = appendConvID(dst, seed, i)
	dst = append(dst, `","status":"`...)
	dst = append(dst, ev.status...)
	dst = append(dst, `","channel":{"type":"web","domain":"`...)
	dst = append(dst, c.acc.domain...)
	dst = append(dst, `"},"created_at":"`...)
	dst = appendISO(dst, c.begin)
	dst = append(dst, `","updated_at":"`...)
	dst = appendISO(dst, ev.at)
	dst = append(dst, `","contact":{"id":"ct_`...)
	dst = strconv.AppendInt(dst, int64(r.between(100_000, 99_999_999)), 10)
	dst = append(dst, `","name":`...)
	dst = c.appendVisitorName(dst)
	dst = c.appendContactEmail(append(dst, `,"email":`...), r)
	dst = append(dst, `},"assigned_agent_ids":[`...)
	dst = c.appendAgentsAndTags(dst, r, ev)
	dst = append(dst, `],"messages":[`...)
	for k := 0; k < ev.shown; k++ {
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = c.appendV2Message(dst, seed, i, k)
	}
	return append(dst, "]}"...)
}

// v2SubType maps planned message kinds to REST API sub_type values.
var v2SubType = [...]string{
	mVisitor: "contact", mAgent: "agent", mTrigger: "trigger",
	mJoin: "system", mLeave: "system", mCloseVisitor: "system", mCloseAgent: "system",
}

// v2SystemText is the text of system messages, reusing the hook codes.
var v2SystemText = [...]string{
	mJoin: "agent.join", mLeave: "agent.leave",
	mCloseVisitor: "close.visitorClose", mCloseAgent: "close.agentClose",
}

// appendV2Message writes message k of the plan in REST API v2 shape.
func (c *chat) appendV2Message(dst []byte, seed uint64, i, k int) []byte {
	m := &c.msgs[k]
	dst = append(dst, `{"id":"msg_`...)
	// Message ids only need to look random and differ within a document.
	dst = appendBase36(dst, mix64(^seed^(uint64(i)<<6|uint64(k))))
	dst = append(dst, `","type":"message","sub_type":"`...)
	sub := v2SubType[m.kind]
	// Some automatic messages come from the chatbot rather than a trigger.
	if m.kind == mTrigger && i%3 == 0 {
		sub = "bot"
	}
	dst = append(dst, sub...)
	dst = append(dst, '"')
	if m.kind == mAgent || m.kind == mJoin || m.kind == mLeave {
		dst = append(dst, `,"agent_id":"`...)
		dst = strconv.AppendInt(dst, c.acc.agents[m.agent].id, 10)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"content":{"type":"text","text":`...)
	switch m.kind {
	case mVisitor, mAgent:
		dst = appendBodyString(dst, &m.body)
	case mTrigger:
		dst = appendText(dst, &c.trig.content)
	default:
		dst = append(dst, '"')
		dst = append(dst, v2SystemText[m.kind]...)
		dst = append(dst, '"')
	}
	dst = append(dst, `},"created_at":"`...)
	dst = appendISO(dst, m.at)
	return append(dst, `"}`...)
}

// appendConvID writes the conversation id of document i: 13 base-36 digits
// of a bijective mix of i, so ids never repeat within a seed yet look random.
func appendConvID(dst []byte, seed uint64, i int) []byte {
	return appendBase36(dst, mix64(seed^uint64(i)))
}

// appendBase36 writes v as exactly 13 lowercase base-36 digits (36^13 > 2^64).
func appendBase36(dst []byte, v uint64) []byte {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var buf [13]byte
	for k := len(buf) - 1; k >= 0; k-- {
		buf[k] = digits[v%36]
		v /= 36
	}
	return append(dst, buf[:]...)
}
