package payload

import "github.com/smarthook/smarthook/internal/jsontext"

// members reads the object at the scanner into self (its kind, place and raw text)
// member by member: member decodes the value of key and reports true, or reports
// false to have it skipped. A value that is not an object is read as a scalar.
func (d *Decoder) members(self *Value, member func(key string) bool) {
	start := d.s.Pos
	var ok bool
	if *self, ok = d.object(); !ok {
		return
	}
	first := true
	for d.s.More('}', &first) {
		if !member(string(d.key())) {
			d.s.Skip()
		}
	}
	self.Raw = d.doc.Raw[start:d.s.Pos]
}

// into reads a scalar (or a container, raw) into dst when dst is not nil.
func (d *Decoder) into(dst *Value) bool {
	if dst == nil {
		return false
	}
	*dst = d.scalar()
	return true
}

// webhookData decodes a webhook's data member.
func (d *Decoder) webhookData() {
	w := &d.doc.Webhook
	d.members(&w.Data, func(key string) bool {
		switch key {
		case "conversation":
			d.conversation()
			return true
		case "message":
			d.webhookMessage(&w.Message)
			return true
		case "contact":
			d.contact()
			return true
		case "rating":
			if d.s.Peek() != jsontext.Object {
				return d.into(&w.RatingValue)
			}
			d.members(&w.RatingObject, func(key string) bool {
				switch key {
				case "value":
					return d.into(&w.RatingValue)
				case "text":
					return d.into(&w.RatingText)
				}
				return false
			})
			return true
		case "agent":
			d.members(&w.AgentValue, func(key string) bool {
				if key == "name" {
					return d.into(&w.AgentName)
				}
				return false
			})
			return true
		}
		return d.into(dataField(w, key))
	})
}

// dataField is the per-event member of data named key, nil for others.
func dataField(w *Webhook, key string) *Value {
	switch key {
	case "close_type":
		return &w.CloseType
	case "agent_id":
		return &w.AgentID
	case "conversation_id":
		return &w.ConversationID
	case "assigned":
		return &w.Assigned
	case "rating_value":
		return &w.RatingValue
	case "rating_text":
		return &w.RatingText
	}
	return nil
}

func (d *Decoder) conversation() {
	w := &d.doc.Webhook
	c := &w.Conversation
	d.members(&c.Self, func(key string) bool {
		switch key {
		case "messages":
			d.webhookMessages()
			return true
		case "contact":
			if !w.Contact.Self.Present() {
				d.contact()
				return true
			}
			return false
		case "channel":
			d.members(&c.ChannelValue, func(key string) bool {
				switch key {
				case "type":
					return d.into(&c.ChannelType)
				case "id":
					return d.into(&c.ChannelID)
				}
				return false
			})
			return true
		}
		return d.into(conversationField(c, key))
	})
}

func (d *Decoder) webhookMessages() {
	c := &d.doc.Webhook.Conversation
	var ok bool
	if c.MessagesValue, ok = d.array(); !ok {
		return
	}
	first := true
	for d.s.More(']', &first) {
		w := &d.doc.Webhook
		w.Messages = append(w.Messages, WebhookMessage{})
		d.webhookMessage(&w.Messages[len(w.Messages)-1])
	}
}

func (d *Decoder) webhookMessage(m *WebhookMessage) {
	d.members(&m.Self, func(key string) bool {
		if key != "content" {
			return d.into(messageField(m, key))
		}
		if d.s.Peek() != jsontext.Object {
			m.Content = d.scalar()
			m.Text = m.Content
			return true
		}
		var html Value
		d.members(&m.Content, func(key string) bool {
			switch key {
			case "text":
				return d.into(&m.Text)
			case "html":
				return d.into(&html)
			}
			return false
		})
		if !m.Text.Present() {
			m.Text = html
		}
		return true
	})
}

func (d *Decoder) contact() {
	ct := &d.doc.Webhook.Contact
	d.members(&ct.Self, func(key string) bool { return d.into(contactField(ct, key)) })
}
