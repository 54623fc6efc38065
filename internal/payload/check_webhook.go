package payload

import (
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/rules"
)

// named is a member to check: its name in its object, and its value.
type named struct {
	name string
	v    Value
}

func (d *Decoder) checkWebhook() {
	w := &d.doc.Webhook
	if w.Type.Present() && !(w.Type.Kind == jsontext.String && string(w.Type.Raw) == "event_callback") {
		d.add(rules.Type, int(w.Type.Off), "/type", "/type is %s, expected \"event_callback\"", describeValue(w.Type))
	}
	if d.required(w.Event, 0, p("/event")) && d.want(w.Event, jsontext.String, false, rules.Type, p("/event")) {
		if ev := w.Event.Text(); !KnownEvent(ev) {
			d.add(rules.WebhookEvent, int(w.Event.Off), "/event", "/event %q is not an event the REST API documents; its data is read as far as it is known", ev)
		}
	}
	if d.required(w.Data, 0, p("/data")) {
		d.want(w.Data, jsontext.Object, false, rules.Type, p("/data"))
	}
	d.wantTime(w.Timestamp, false, rules.Type, p("/timestamp"))
	d.want(w.AccountID, jsontext.String, false, rules.FieldType, p("/account_id"))
	d.want(w.AppID, jsontext.String, false, rules.FieldType, p("/app_id"))
	if w.Data.Kind != jsontext.Object {
		return
	}
	d.strings("/data", named{"close_type", w.CloseType}, named{"conversation_id", w.ConversationID})
	d.ids("/data", named{"agent_id", w.AgentID})
	ratingAt, textAt := "/data/rating_value", "/data/rating_text"
	if w.RatingObject.Present() {
		ratingAt, textAt = "/data/rating/value", "/data/rating/text"
	}
	d.want(w.RatingText, jsontext.String, true, rules.FieldType, p(textAt))
	d.checkRating(w.RatingValue, ratingAt)
	d.checkConversation(&w.Conversation)
	if d.want(w.Message.Self, jsontext.Object, false, rules.Type, p("/data/message")) {
		d.checkWebhookMessage(&w.Message, p("/data/message"))
	}
	d.checkContact(&w.Contact)
}

// wantTime checks an ISO 8601 time string (null allowed when nullOK); id is the rule
// of a value that is not a string.
func (d *Decoder) wantTime(v Value, nullOK bool, id rules.ID, at ref) {
	if !d.want(v, jsontext.String, nullOK, id, at) {
		return
	}
	if _, ok := ParseISOTime(v.Text()); !ok {
		d.add(rules.TimeFormat, int(v.Off), at.String(), "%s %q is not an RFC 3339 time", at.String(), v.Text())
	}
}

// strings checks members that are strings or null.
func (d *Decoder) strings(base string, fs ...named) {
	for _, f := range fs {
		d.want(f.v, jsontext.String, true, rules.FieldType, ref{base: base, index: -1, member: f.name})
	}
}

// ids checks ids: strings in the REST API, integers accepted, or null.
func (d *Decoder) ids(base string, fs ...named) {
	for _, f := range fs {
		if f.v.Kind != jsontext.Number || !jsontext.IsInteger(f.v.Raw) {
			d.wantNamed(f.v, jsontext.String, "a string", true, rules.FieldType, ref{base: base, index: -1, member: f.name})
		}
	}
}

// bools checks members that are booleans or null.
func (d *Decoder) bools(base string, fs ...named) {
	for _, f := range fs {
		d.want(f.v, jsontext.True, true, rules.FieldType, ref{base: base, index: -1, member: f.name})
	}
}

// times checks members that are ISO 8601 times or null.
func (d *Decoder) times(base string, fs ...named) {
	for _, f := range fs {
		d.wantTime(f.v, true, rules.FieldType, ref{base: base, index: -1, member: f.name})
	}
}

// checkRating checks a rating: an integer 1 to 5, or null.
func (d *Decoder) checkRating(v Value, at string) {
	if d.wantInt(v, true, rules.FieldType, p(at)) {
		if n, _ := v.Int(); n < 1 || n > 5 {
			d.add(rules.RatingRange, int(v.Off), at, "%s is %s, expected 1 to 5 or null", at, v.Raw)
		}
	}
}

// conversationStatuses are the documented values of a conversation's status.
var conversationStatuses = []string{"pending", "open", "served", "closed"}

func (d *Decoder) checkConversation(c *Conversation) {
	const base = "/data/conversation"
	if !d.want(c.Self, jsontext.Object, false, rules.Type, p(base)) {
		return
	}
	d.ids(base, named{"id", c.ID}, named{"contact_id", c.ContactID}, named{"visitor_id", c.VisitorID}, named{"closed_by_agent_id", c.ClosedByAgentID})
	d.strings(base, named{"ext_id", c.ExtID}, named{"subject", c.Subject}, named{"domain", c.Domain}, named{"referer", c.Referer},
		named{"rating_text", c.RatingText}, named{"close_type", c.CloseType}, named{"last_message_text", c.LastMessageText},
		named{"contact_name", c.ContactName}, named{"contact_email", c.ContactEmail}, named{"contact_avatar_url", c.ContactAvatarURL},
		named{"location_country", c.LocationCountry}, named{"location_city", c.LocationCity}, named{"location_ip", c.LocationIP},
		named{"location_code", c.LocationCode})
	if d.want(c.Status, jsontext.String, true, rules.FieldType, p(base+"/status")) && !oneOf(c.Status, conversationStatuses) {
		d.add(rules.FieldType, int(c.Status.Off), base+"/status", "%s/status is %q, expected pending, open, served or closed", base, c.Status.Text())
	}
	d.bools(base, named{"is_offline", c.IsOffline}, named{"is_served", c.IsServed})
	if c.Unread.Kind != jsontext.Number {
		d.want(c.Unread, jsontext.True, true, rules.FieldType, p(base+"/unread"))
	}
	d.times(base, named{"last_message_at", c.LastMessageAt}, named{"created_at", c.CreatedAt}, named{"updated_at", c.UpdatedAt},
		named{"finished_at", c.FinishedAt}, named{"last_closed_at", c.LastClosedAt})
	d.checkRating(c.RatingValue, base+"/rating_value")
	d.checkStringArray(c.Tags, base+"/tags")
	d.want(c.Variables, jsontext.Object, true, rules.FieldType, p(base+"/variables"))
	d.want(c.AssignedAgentIDs, jsontext.Array, true, rules.FieldType, p(base+"/assigned_agent_ids"))
	if d.want(c.ChannelValue, jsontext.Object, true, rules.FieldType, p(base+"/channel")) {
		d.want(c.ChannelType, jsontext.String, true, rules.FieldType, p(base+"/channel/type"))
		d.ids(base+"/channel", named{"id", c.ChannelID})
	}
	if d.want(c.MessagesValue, jsontext.Array, false, rules.Type, p(base+"/messages")) {
		for i := range d.doc.Webhook.Messages {
			m := &d.doc.Webhook.Messages[i]
			if d.want(m.Self, jsontext.Object, false, rules.Type, pi(base+"/messages", i, "")) {
				d.checkWebhookMessage(m, pi(base+"/messages", i, ""))
			}
		}
	}
}

// checkStringArray checks an array of strings (tags), null allowed.
func (d *Decoder) checkStringArray(v Value, at string) {
	if !d.want(v, jsontext.Array, true, rules.FieldType, p(at)) {
		return
	}
	var s jsontext.Scanner
	s.Reset(v.Raw)
	ok := true
	func() {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		s.BeginArray()
		first := true
		for s.More(']', &first) {
			if s.Peek() != jsontext.String {
				ok = false
			}
			s.Skip()
		}
	}()
	if !ok {
		d.add(rules.FieldType, int(v.Off), at, "%s holds a value that is not a string, expected an array of strings", at)
	}
}

func oneOf(v Value, set []string) bool {
	t := v.Text()
	for _, s := range set {
		if s == t {
			return true
		}
	}
	return false
}

var (
	messageTypes    = []string{"message", "note", "event"}
	messageSubTypes = []string{"agent", "contact", "system", "trigger", "bot"}
)

// checkWebhookMessage checks a message at at (its own pointer).
func (d *Decoder) checkWebhookMessage(m *WebhookMessage, at ref) {
	base := at.String()
	if d.want(m.Type, jsontext.String, true, rules.FieldType, p(base+"/type")) && !oneOf(m.Type, messageTypes) {
		d.add(rules.MessageType, int(m.Type.Off), base+"/type", "%s/type is %q, expected message, note or event", base, m.Type.Text())
	}
	if d.want(m.SubType, jsontext.String, true, rules.FieldType, p(base+"/sub_type")) && !oneOf(m.SubType, messageSubTypes) {
		d.add(rules.MessageType, int(m.SubType.Off), base+"/sub_type", "%s/sub_type is %q, expected agent, contact, system, trigger or bot", base, m.SubType.Text())
	}
	if m.Content.Present() && m.Content.Kind != jsontext.String && m.Content.Kind != jsontext.Object && !m.Content.IsNull() {
		d.add(rules.Type, int(m.Content.Off), base+"/content", "%s/content is %s, expected a string or an object {text} or {html}", base, describeValue(m.Content))
	}
	if m.Content.Kind == jsontext.Object {
		d.want(m.Text, jsontext.String, true, rules.FieldType, p(base+"/content/text"))
	}
	d.ids(base, named{"id", m.ID}, named{"conversation_id", m.ConversationID}, named{"agent_id", m.AgentID},
		named{"visitor_id", m.VisitorID}, named{"trigger_id", m.TriggerID})
	d.strings(base, named{"author_name", m.AuthorName}, named{"trigger_name", m.TriggerName}, named{"page_url", m.PageURL},
		named{"delivery_status", m.DeliveryStatus})
	d.bools(base, named{"is_offline", m.IsOffline}, named{"is_reply", m.IsReply}, named{"is_first_reply", m.IsFirstReply})
	d.want(m.ResponseTime, jsontext.Number, true, rules.FieldType, p(base+"/response_time"))
	d.want(m.Attachments, jsontext.Array, true, rules.FieldType, p(base+"/attachments"))
	d.times(base, named{"created_at", m.CreatedAt}, named{"delivered_at", m.DeliveredAt})
}

func (d *Decoder) checkContact(c *Contact) {
	base := "/data/contact"
	if d.doc.Webhook.Conversation.Self.Kind == jsontext.Object && c.Self.Present() && c.Self.Off > d.doc.Webhook.Conversation.Self.Off &&
		int(c.Self.Off) < int(d.doc.Webhook.Conversation.Self.Off)+len(d.doc.Webhook.Conversation.Self.Raw) {
		base = "/data/conversation/contact" // the nested shape
	}
	if !d.want(c.Self, jsontext.Object, true, rules.Type, p(base)) {
		return
	}
	d.ids(base, named{"id", c.ID}, named{"banned_by", c.BannedBy})
	d.strings(base, named{"name", c.Name}, named{"email", c.Email}, named{"phone", c.Phone}, named{"avatar_url", c.AvatarURL},
		named{"location_country", c.LocationCountry}, named{"location_city", c.LocationCity}, named{"location_ip", c.LocationIP})
	d.bools(base, named{"gdpr_approved", c.GDPRApproved})
	d.checkStringArray(c.Tags, base+"/tags")
	d.want(c.Properties, jsontext.Object, true, rules.FieldType, p(base+"/properties"))
	d.times(base, named{"banned_at", c.BannedAt}, named{"created_at", c.CreatedAt}, named{"updated_at", c.UpdatedAt})
}
