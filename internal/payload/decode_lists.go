package payload

import "github.com/smarthook/smarthook/internal/jsontext"

func (d *Decoder) variables() {
	v := &d.doc.Hook.Visitor
	var ok bool
	if v.VariablesValue, ok = d.object(); !ok {
		return
	}
	s := &d.s
	first := true
	for s.More('}', &first) {
		keyOff := s.Pos
		raw, esc := s.Key()
		vr := Variable{Key: Value{Kind: jsontext.String, Off: int32(keyOff), Raw: raw, Escaped: esc}}
		self, isObj := d.object()
		vr.Self = self
		if isObj {
			inner := true
			for s.More('}', &inner) {
				key := d.key()
				switch string(key) {
				case "label":
					vr.Label = d.scalar()
				case "value":
					vr.Val = d.scalar()
				default:
					s.Skip()
				}
			}
		}
		v.Variables = append(v.Variables, vr)
	}
}

func (d *Decoder) paths() {
	h := &d.doc.Hook
	var ok bool
	if h.PathsValue, ok = d.array(); !ok {
		return
	}
	s := &d.s
	first := true
	for s.More(']', &first) {
		var p Path
		self, isObj := d.object()
		p.Self = self
		if isObj {
			inner := true
			for s.More('}', &inner) {
				key := d.key()
				switch string(key) {
				case "url":
					p.URL = d.scalar()
				case "title":
					p.Title = d.scalar()
				default:
					s.Skip()
				}
			}
		}
		h.Paths = append(h.Paths, p)
	}
}

func (d *Decoder) messages() {
	h := &d.doc.Hook
	var ok bool
	if h.MessagesValue, ok = d.array(); !ok {
		return
	}
	s := &d.s
	first := true
	for s.More(']', &first) {
		if d.Lean && len(h.Messages) >= leanMessages {
			d.checkEarly()
		}
		// Fill the element in place: a Message is too big to copy around per message.
		h.Messages = append(h.Messages, Message{})
		m := &h.Messages[len(h.Messages)-1]
		self, isObj := d.object()
		m.Self = self
		if isObj {
			inner := true
			for s.More('}', &inner) {
				key := d.key()
				var dst *Value
				switch string(key) {
				case "type":
					dst = &m.Type
				case "name":
					dst = &m.Name
				case "from":
					dst = &m.From
				case "content":
					dst = &m.Content
				case "sentAt":
					dst = &m.SentAt
				case "triggeredBy":
					dst = &m.TriggeredBy
				default:
					s.Skip()
					continue
				}
				*dst = d.scalar()
			}
		}
	}
}

func (d *Decoder) domains() {
	st := &d.doc.Stats
	var ok bool
	if st.DomainsValue, ok = d.object(); !ok {
		return
	}
	s := &d.s
	first := true
	for s.More('}', &first) {
		keyOff := s.Pos
		raw, esc := s.Key()
		ds := DomainStats{Domain: Value{Kind: jsontext.String, Off: int32(keyOff), Raw: raw, Escaped: esc}}
		self, isObj := d.object()
		ds.Self = self
		if isObj {
			inner := true
			for s.More('}', &inner) {
				key := d.key()
				var dst *Value
				switch string(key) {
				case "visits":
					dst = &ds.Visits
				case "conversations":
					dst = &ds.Conversations
				case "autoMessages":
					dst = &ds.AutoMessages
				case "autoMessagesReply":
					dst = &ds.AutoMessagesReply
				default:
					s.Skip()
					continue
				}
				*dst = d.scalar()
			}
		}
		st.Domains = append(st.Domains, ds)
	}
}
