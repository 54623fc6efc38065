package fake

import "strconv"

// appendMessages writes the "messages" array from the plan.
func (c *chat) appendMessages(dst []byte) []byte {
	dst = append(dst, `,"messages":[`...)
	for k := range c.n {
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = c.appendMessage(dst, &c.msgs[k])
	}
	return append(dst, ']')
}

// appendMessage writes one message with the keys type, name, from, content,
// sentAt, triggeredBy, using the documented conventions for each kind.
func (c *chat) appendMessage(dst []byte, m *msg) []byte {
	ag := &c.acc.agents[m.agent]
	triggeredBy := (*text)(nil)
	switch m.kind {
	case mVisitor:
		dst = append(dst, `{"type":"visitor"`...)
		// Anonymous visitors' messages carry no name at all.
		if !m.noName && c.who != nil {
			dst = append(dst, `,"name":`...)
			dst = appendText(dst, &c.who.name)
		}
		dst = c.appendVisitorFrom(dst)
		dst = appendBody(dst, &m.body)
	case mAgent:
		dst = appendAgentHead(dst, `{"type":"agent","name":`, ag)
		dst = appendBody(dst, &m.body)
	case mTrigger:
		dst = append(dst, `{"type":"agent","name":"","from":"system","content":`...)
		dst = appendText(dst, &c.trig.content)
		triggeredBy = &c.trig.name
	case mJoin:
		dst = appendAgentHead(dst, `{"type":"system","name":`, ag)
		dst = append(dst, `,"content":"agent.join"`...)
	case mLeave:
		dst = appendAgentHead(dst, `{"type":"system","name":`, ag)
		dst = append(dst, `,"content":"agent.leave"`...)
	case mCloseVisitor:
		dst = append(dst, `{"type":"system","name":`...)
		if c.who != nil {
			dst = appendText(dst, &c.who.name)
		} else {
			dst = append(dst, `""`...)
		}
		dst = append(dst, `,"from":"system","content":"close.visitorClose"`...)
	case mCloseAgent:
		dst = append(dst, `{"type":"system","name":`...)
		dst = appendText(dst, &ag.name)
		dst = append(dst, `,"from":"system","content":"close.agentClose"`...)
	}
	dst = append(dst, `,"sentAt":`...)
	dst = strconv.AppendInt(dst, m.at, 10)
	if triggeredBy == nil {
		return append(dst, `,"triggeredBy":null}`...)
	}
	dst = append(dst, `,"triggeredBy":`...)
	dst = appendText(dst, triggeredBy)
	return append(dst, '}')
}

// appendAgentHead writes head, the agent's name and "from":"agent:<id>".
func appendAgentHead(dst []byte, head string, ag *agent) []byte {
	dst = append(dst, head...)
	dst = appendText(dst, &ag.name)
	dst = append(dst, `,"from":"`...)
	dst = append(dst, ag.from...)
	return append(dst, '"')
}

// appendVisitorFrom writes "from":"visitor:<key>".
func (c *chat) appendVisitorFrom(dst []byte) []byte {
	dst = append(dst, `,"from":"visitor:`...)
	dst = append(dst, c.vkey[:]...)
	return append(dst, '"')
}

// appendBody writes "content" from pre-escaped phrases.
func appendBody(dst []byte, b *body) []byte {
	dst = append(dst, `,"content":`...)
	return appendBodyString(dst, b)
}

// appendBodyString writes the text of b as a quoted JSON string.
func appendBodyString(dst []byte, b *body) []byte {
	dst = append(dst, '"')
	dst = append(dst, b.parts[0].esc...)
	if b.n == 2 {
		if b.newline {
			dst = append(dst, '\\', 'n')
		} else {
			dst = append(dst, ' ')
		}
		dst = append(dst, b.parts[1].esc...)
	}
	if b.emoji != nil {
		dst = append(dst, b.emoji.esc...)
	}
	return append(dst, '"')
}
