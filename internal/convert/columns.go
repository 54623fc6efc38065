// Package convert flattens Smartsupp documents into rows (one per chat, message, page,
// visitor variable, webhook event or stats domain) and writes them as CSV, TSV or NDJSON.
//
// A Column reads one cell from a row without copying: cells are payload.Values that
// point into the document, turned into text only as they are written. The output
// formats are a registry (format.go), one file each; Run is `smarthook convert`.
package convert

import (
	"strconv"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// Row is one row being written: its document and, for per-message (per-page,
// per-variable, per-domain) rows, the element's index.
type Row struct {
	Doc     *payload.Doc
	Origin  *input.Origin // where Doc was read; nil when not known
	Index   int
	scratch []byte // backing for computed cells
}

// number makes a computed integer cell.
func (r *Row) number(n int64) payload.Value {
	start := len(r.scratch)
	r.scratch = strconv.AppendInt(r.scratch, n, 10)
	return payload.Value{Kind: jsontext.Number, Raw: r.scratch[start:len(r.scratch):len(r.scratch)]}
}

// Column is one named cell of a row kind.
type Column struct {
	Name    string
	Time    bool   // a millisecond timestamp, written as --time says
	Default bool   // part of the row kind's default column set
	Extra   bool   // written only when named (--columns) or by the typed outputs, not by --all-columns
	Type    Type   // what it holds in Parquet, SQLite and the DDL
	SQL     string // its name in databases when not SQLName's snake_case of Name
	Doc     string
	Get     func(r *Row) payload.Value
}

func hook(r *Row) *payload.Hook { return &r.Doc.Hook }

// chatColumns are the columns of --rows chats, in their stable order.
var chatColumns = []Column{
	{Name: "accountId", Type: Int64, SQL: "account_id", Default: true, Doc: "account id", Get: func(r *Row) payload.Value { return hook(r).AccountID }},
	{Name: "channel.id", Type: Int64, SQL: "chat_id", Default: true, Doc: "chat id", Get: func(r *Row) payload.Value { return hook(r).Channel.ID }},
	{Name: "beginAt", Type: Time, Time: true, Default: true, Doc: "chat start", Get: func(r *Row) payload.Value { return hook(r).BeginAt }},
	{Name: "endAt", Type: Time, Time: true, Default: true, Doc: "chat end", Get: func(r *Row) payload.Value { return hook(r).EndAt }},
	{Name: "channel.duration", Type: Int64, Default: true, Doc: "seconds", Get: func(r *Row) payload.Value { return hook(r).Channel.Duration }},
	{Name: "channel.isChat", Type: Bool, Default: true, Get: func(r *Row) payload.Value { return hook(r).Channel.IsChat }},
	{Name: "channel.isMissed", Type: Bool, Default: true, Get: func(r *Row) payload.Value { return hook(r).Channel.IsMissed }},
	{Name: "channel.isTriggered", Type: Bool, Default: true, Get: func(r *Row) payload.Value { return hook(r).Channel.IsTriggered }},
	{Name: "channel.isOffline", Type: Bool, Default: true, Get: func(r *Row) payload.Value { return hook(r).Channel.IsOffline }},
	{Name: "channel.isCompleted", Type: Bool, Get: func(r *Row) payload.Value { return hook(r).Channel.IsCompleted }},
	{Name: "channel.isDropped", Type: Bool, Get: func(r *Row) payload.Value { return hook(r).Channel.IsDropped }},
	{Name: "channel.avgResponse", Type: Int64, Doc: "seconds", Get: func(r *Row) payload.Value { return hook(r).Channel.AvgResponse }},
	{Name: "channel.firstResponse", Type: Int64, Doc: "seconds", Get: func(r *Row) payload.Value { return hook(r).Channel.FirstResponse }},
	{Name: "channel.messagesCount", Type: Int64, Doc: "as Smartsupp counts", Get: func(r *Row) payload.Value { return hook(r).Channel.MessagesCount }},
	{Name: "channel.wordsCount", Type: Int64, Get: func(r *Row) payload.Value { return hook(r).Channel.WordsCount }},
	{Name: "channel.rating", Type: Int32, Default: true, Doc: "1-5, empty when not rated", Get: func(r *Row) payload.Value { return hook(r).Channel.Rating }},
	{Name: "channel.ratingDesc", Default: true, Get: func(r *Row) payload.Value { return hook(r).Channel.RatingDesc }},
	{Name: "visitor.id", Type: Int64, Get: func(r *Row) payload.Value { return hook(r).Visitor.ID }},
	{Name: "visitor.name", Default: true, Get: func(r *Row) payload.Value { return hook(r).Visitor.Name }},
	{Name: "visitor.email", Default: true, Get: func(r *Row) payload.Value { return hook(r).Visitor.Email }},
	{Name: "visitor.note", Get: func(r *Row) payload.Value { return hook(r).Visitor.Note }},
	{Name: "visitor.group", Doc: "groupKey in payloads before Nov 2018", Get: func(r *Row) payload.Value {
		if v := hook(r).Visitor.Group; v.Present() {
			return v
		}
		return hook(r).Visitor.GroupKey
	}},
	{Name: "visitor.ipAddress", Get: func(r *Row) payload.Value { return hook(r).Visitor.IPAddress }},
	{Name: "visitor.city", Get: func(r *Row) payload.Value { return hook(r).Visitor.City }},
	{Name: "visitor.countryCode", Default: true, Get: func(r *Row) payload.Value { return hook(r).Visitor.CountryCode }},
	{Name: "visitor.country", Get: func(r *Row) payload.Value { return hook(r).Visitor.Country }},
	{Name: "visitor.userAgent", Get: func(r *Row) payload.Value { return hook(r).Visitor.UserAgent }},
	{Name: "visitor.platform", Get: func(r *Row) payload.Value { return hook(r).Visitor.Platform }},
	{Name: "visitor.referer", Get: func(r *Row) payload.Value { return hook(r).Visitor.Referer }},
	{Name: "paths.count", Type: Int64, Doc: "pages seen", Get: func(r *Row) payload.Value { return r.number(int64(len(hook(r).Paths))) }},
	{Name: "messages.count", Type: Int64, Default: true, Doc: "messages in the list", Get: func(r *Row) payload.Value { return r.number(int64(len(hook(r).Messages))) }},
}

// chatKeyColumns start every per-element row of a chat so it joins back to its chat.
var chatKeyColumns = []Column{chatColumns[0], chatColumns[1]}

func index(r *Row) payload.Value { return r.number(int64(r.Index)) }

func message(r *Row) *payload.Message { return &r.Doc.Hook.Messages[r.Index] }

var messageColumns = append(defaults(chatKeyColumns), []Column{
	{Name: "index", Type: Int64, Default: true, Doc: "position in the chat, from 0", Get: index},
	{Name: "type", Default: true, Doc: "visitor, agent or system", Get: func(r *Row) payload.Value { return message(r).Type }},
	{Name: "sentAt", Type: Time, Time: true, Default: true, Get: func(r *Row) payload.Value { return message(r).SentAt }},
	{Name: "name", Default: true, Get: func(r *Row) payload.Value { return message(r).Name }},
	{Name: "from", Default: true, Get: func(r *Row) payload.Value { return message(r).From }},
	{Name: "content", Default: true, Doc: "text, or the code of a system message", Get: func(r *Row) payload.Value { return message(r).Content }},
	{Name: "triggeredBy", Default: true, Doc: "trigger name of an automatic message", Get: func(r *Row) payload.Value { return message(r).TriggeredBy }},
}...)

func path(r *Row) *payload.Path { return &r.Doc.Hook.Paths[r.Index] }

var pathColumns = append(defaults(chatKeyColumns), []Column{
	{Name: "index", Type: Int64, Default: true, Doc: "position in the visit, from 0", Get: index},
	{Name: "url", Default: true, Get: func(r *Row) payload.Value { return path(r).URL }},
	{Name: "title", Default: true, Get: func(r *Row) payload.Value { return path(r).Title }},
}...)

func variable(r *Row) *payload.Variable { return &r.Doc.Hook.Visitor.Variables[r.Index] }

var variableColumns = append(defaults(chatKeyColumns), []Column{
	{Name: "key", Default: true, Get: func(r *Row) payload.Value { return variable(r).Key }},
	{Name: "label", Default: true, Get: func(r *Row) payload.Value { return variable(r).Label }},
	{Name: "value", Default: true, Doc: "string or number as stored", Get: func(r *Row) payload.Value { return variable(r).Val }},
}...)

func domain(r *Row) *payload.DomainStats { return &r.Doc.Stats.Domains[r.Index] }

var domainColumns = []Column{
	{Name: "domain", Default: true, Get: func(r *Row) payload.Value { return domain(r).Domain }},
	{Name: "visits", Type: Int64, Default: true, Get: func(r *Row) payload.Value { return domain(r).Visits }},
	{Name: "conversations", Type: Int64, Default: true, Get: func(r *Row) payload.Value { return domain(r).Conversations }},
	{Name: "autoMessages", Type: Int64, Default: true, Get: func(r *Row) payload.Value { return domain(r).AutoMessages }},
	{Name: "autoMessagesReply", Type: Int64, Default: true, Get: func(r *Row) payload.Value { return domain(r).AutoMessagesReply }},
}

func webhook(r *Row) *payload.Webhook { return &r.Doc.Webhook }

var eventColumns = []Column{
	{Name: "timestamp", Type: Time, Default: true, Doc: "as sent (ISO 8601)", Get: func(r *Row) payload.Value { return webhook(r).Timestamp }},
	{Name: "event", Default: true, Get: func(r *Row) payload.Value { return webhook(r).Event }},
	{Name: "account_id", Default: true, Get: func(r *Row) payload.Value { return webhook(r).AccountID }},
	{Name: "app_id", Get: func(r *Row) payload.Value { return webhook(r).AppID }},
	{Name: "data.conversation.id", Default: true, Doc: "or data.conversation_id (agent_joined, agent_left)", Get: conversationID},
	{Name: "data.conversation.status", Default: true, Get: func(r *Row) payload.Value { return webhook(r).Conversation.Status }},
	{Name: "data.conversation.domain", Get: func(r *Row) payload.Value { return webhook(r).Conversation.Domain }},
	{Name: "data.conversation.channel.type", Get: func(r *Row) payload.Value { return webhook(r).Conversation.ChannelType }},
	{Name: "data.conversation.assigned_agent_ids", Type: JSON, Doc: "a JSON array", Get: func(r *Row) payload.Value { return webhook(r).Conversation.AssignedAgentIDs }},
	{Name: "data.conversation.tags", Type: JSON, Doc: "a JSON array", Get: func(r *Row) payload.Value { return webhook(r).Conversation.Tags }},
	{Name: "data.conversation.created_at", Type: Time, Get: func(r *Row) payload.Value { return webhook(r).Conversation.CreatedAt }},
	{Name: "data.close_type", Doc: "closed events", Get: func(r *Row) payload.Value {
		return firstPresent(webhook(r).CloseType, webhook(r).Conversation.CloseType)
	}},
	{Name: "data.agent_id", Doc: "closed, agent_joined and agent_left events", Get: func(r *Row) payload.Value { return webhook(r).AgentID }},
	{Name: "data.rating_value", Type: Int32, Doc: "rated events (also data.rating.value)", Get: func(r *Row) payload.Value { return webhook(r).RatingValue }},
	{Name: "data.rating_text", Doc: "rated events (also data.rating.text)", Get: func(r *Row) payload.Value { return webhook(r).RatingText }},
	{Name: "data.assigned", Type: JSON, Doc: "agent_assigned events, as written", Get: func(r *Row) payload.Value { return webhook(r).Assigned }},
	{Name: "data.contact.id", Get: func(r *Row) payload.Value { return webhook(r).Contact.ID }},
	{Name: "data.contact.name", Get: func(r *Row) payload.Value { return webhook(r).Contact.Name }},
	{Name: "data.contact.email", Get: func(r *Row) payload.Value { return webhook(r).Contact.Email }},
	{Name: "data.message.id", Doc: "data.message, or the last of data.conversation.messages", Get: func(r *Row) payload.Value { return eventMessage(r).ID }},
	{Name: "data.message.sub_type", Get: func(r *Row) payload.Value { return eventMessage(r).SubType }},
	{Name: "data.message.text", Doc: "the content's text (or html)", Get: func(r *Row) payload.Value { return eventMessage(r).Text }},
	{Name: "data", Type: JSON, Doc: "the event's data as compact JSON", Get: func(r *Row) payload.Value { return webhook(r).Data }},
}

// conversationID is data.conversation.id, or data.conversation_id.
func conversationID(r *Row) payload.Value {
	return firstPresent(webhook(r).Conversation.ID, webhook(r).ConversationID)
}

func firstPresent(a, b payload.Value) payload.Value {
	if a.Present() {
		return a
	}
	return b
}

// eventMessage is the message a webhook is about, or an empty one.
func eventMessage(r *Row) *payload.WebhookMessage {
	if m := webhook(r).MessageOf(); m != nil {
		return m
	}
	return &payload.WebhookMessage{}
}

// webhookMessage is message r.Index of a webhook: data.conversation.messages, then
// data.message when it is not one of them.
func webhookMessage(r *Row) *payload.WebhookMessage {
	w := webhook(r)
	if r.Index < len(w.Messages) {
		return &w.Messages[r.Index]
	}
	return &w.Message
}

// WebhookMessageCount is how many message rows a webhook gives: the messages nested
// in data.conversation, and data.message unless it repeats one of them (same id).
func WebhookMessageCount(d *payload.Doc) int {
	w := &d.Webhook
	n := len(w.Messages)
	if !w.Message.Self.Present() {
		return n
	}
	for i := range w.Messages {
		if id := w.Messages[i].ID; id.Present() && string(id.Raw) == string(w.Message.ID.Raw) {
			return n
		}
	}
	return n + 1
}

// webhookKeyColumns say which webhook and conversation a row belongs to.
var webhookKeyColumns = []Column{
	{Name: "timestamp", Type: Time, Default: true, Doc: "the webhook's, as sent", Get: func(r *Row) payload.Value { return webhook(r).Timestamp }},
	{Name: "event", Default: true, Get: func(r *Row) payload.Value { return webhook(r).Event }},
	{Name: "account_id", Default: true, Get: func(r *Row) payload.Value { return webhook(r).AccountID }},
}

var webhookMessageColumns = append(append([]Column(nil), webhookKeyColumns...), []Column{
	{Name: "conversation_id", Default: true, Doc: "the message's, else the conversation's", Get: func(r *Row) payload.Value {
		return firstPresent(webhookMessage(r).ConversationID, conversationID(r))
	}},
	{Name: "index", Type: Int64, Default: true, Doc: "position in the webhook, from 0", Get: index},
	{Name: "id", Default: true, Get: func(r *Row) payload.Value { return webhookMessage(r).ID }},
	{Name: "type", Get: func(r *Row) payload.Value { return webhookMessage(r).Type }},
	{Name: "sub_type", Default: true, Doc: "agent, contact, system, trigger or bot", Get: func(r *Row) payload.Value { return webhookMessage(r).SubType }},
	{Name: "created_at", Type: Time, Default: true, Get: func(r *Row) payload.Value { return webhookMessage(r).CreatedAt }},
	{Name: "author_name", Get: func(r *Row) payload.Value { return webhookMessage(r).AuthorName }},
	{Name: "agent_id", Get: func(r *Row) payload.Value { return webhookMessage(r).AgentID }},
	{Name: "visitor_id", Get: func(r *Row) payload.Value { return webhookMessage(r).VisitorID }},
	{Name: "trigger_name", Get: func(r *Row) payload.Value { return webhookMessage(r).TriggerName }},
	{Name: "delivery_status", Get: func(r *Row) payload.Value { return webhookMessage(r).DeliveryStatus }},
	{Name: "response_time", Type: Int64, Doc: "seconds", Get: func(r *Row) payload.Value { return webhookMessage(r).ResponseTime }},
	{Name: "text", Default: true, Doc: "the content: a string, or the object's text (else its html)", Get: func(r *Row) payload.Value { return webhookMessage(r).Text }},
}...)

func contact(r *Row) *payload.Contact { return &r.Doc.Webhook.Contact }

var contactColumns = append(append([]Column(nil), webhookKeyColumns...), []Column{
	{Name: "conversation_id", Get: conversationID},
	{Name: "id", Default: true, Get: func(r *Row) payload.Value { return contact(r).ID }},
	{Name: "name", Default: true, Get: func(r *Row) payload.Value { return contact(r).Name }},
	{Name: "email", Default: true, Get: func(r *Row) payload.Value { return contact(r).Email }},
	{Name: "phone", Default: true, Get: func(r *Row) payload.Value { return contact(r).Phone }},
	{Name: "banned_at", Type: Time, Get: func(r *Row) payload.Value { return contact(r).BannedAt }},
	{Name: "banned_by", Get: func(r *Row) payload.Value { return contact(r).BannedBy }},
	{Name: "gdpr_approved", Type: Bool, Get: func(r *Row) payload.Value { return contact(r).GDPRApproved }},
	{Name: "tags", Type: JSON, Doc: "a JSON array", Get: func(r *Row) payload.Value { return contact(r).Tags }},
	{Name: "properties", Type: JSON, Doc: "a JSON object", Get: func(r *Row) payload.Value { return contact(r).Properties }},
	{Name: "created_at", Type: Time, Get: func(r *Row) payload.Value { return contact(r).CreatedAt }},
	{Name: "updated_at", Type: Time, Get: func(r *Row) payload.Value { return contact(r).UpdatedAt }},
}...)

// defaults marks copies of columns as part of the default set.
func defaults(cols []Column) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		c.Default = true
		out[i] = c
	}
	return out
}
