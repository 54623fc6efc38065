package stats

import (
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// webhookScan reads the few members of a REST webhook's data that stats needs.
type webhookScan struct {
	s         jsontext.Scanner
	closeType []byte
}

// addWebhook counts a REST webhook by event and, for conversation.closed, by close type
// (data.close_type, else data.conversation.close_type).
func (a *acc) addWebhook(w *payload.Webhook) {
	if ts, ok := payload.ParseISOTime(w.Timestamp.Text()); ok {
		if !a.cfg.inRange(ts.UnixMilli()) {
			a.outside++
			return
		}
	} else if a.cfg.bounded() {
		// Without a time it cannot be placed in the range.
		a.outside++
		return
	}
	a.webhooks++
	event := a.textOf(w.Event)
	if len(event) == 0 {
		event = []byte("(none)")
	}
	count(a.events, event)
	if string(event) != "conversation.closed" {
		return
	}
	ct := a.wh.closeTypeOf(w.Data.Raw)
	if len(ct) == 0 {
		ct = []byte("(not given)")
	}
	count(a.closeTypes, ct)
}

// closeTypeOf finds the close type in a webhook's data; nil when there is none.
func (ws *webhookScan) closeTypeOf(data []byte) (ct []byte) {
	if len(data) == 0 || data[0] != '{' {
		return nil
	}
	ws.closeType = ws.closeType[:0]
	var err error
	func() {
		defer jsontext.Catch(&err)
		s := &ws.s
		s.Reset(data)
		ws.members(s, true)
	}()
	if err != nil || len(ws.closeType) == 0 {
		return nil
	}
	return ws.closeType
}

// members walks an object for close_type, and into conversation when top is set. A
// top-level close_type wins over the conversation's.
func (ws *webhookScan) members(s *jsontext.Scanner, top bool) {
	s.BeginObject()
	first := true
	for s.More('}', &first) {
		raw, esc := s.Key()
		switch {
		case string(raw) == "close_type" && s.Peek() == jsontext.String:
			v, vesc := s.String()
			if top || len(ws.closeType) == 0 {
				ws.closeType = append(ws.closeType[:0], jsontext.Text(v, vesc)...)
			}
		case top && !esc && string(raw) == "conversation" && s.Peek() == jsontext.Object:
			ws.members(s, false)
		default:
			s.Skip()
		}
	}
}
