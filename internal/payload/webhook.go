package payload

// Webhook is a REST API webhook: the envelope and the members of its data. Events
// carry different members (SMARTSUPP.md §4): data.conversation, data.message and
// data.contact, plus per-event fields (closed: close_type, agent_id; rated:
// rating_value, rating_text or a rating object; agent_assigned: assigned; agent_joined
// and agent_left: conversation_id, agent_id). Data is the whole data member as written.
type Webhook struct {
	Type, Event, Timestamp, AccountID, AppID, Data Value

	Conversation Conversation     // data.conversation
	Message      WebhookMessage   // data.message (the documented shape)
	Messages     []WebhookMessage // data.conversation.messages (the nested shape)
	Contact      Contact          // data.contact, or data.conversation.contact

	// Per-event members of data.
	CloseType, AgentID, ConversationID, Assigned Value
	RatingValue, RatingText                      Value // rating_value and rating_text, or rating.value and rating.text
	RatingObject                                 Value // data.rating when it is an object
	AgentValue, AgentName                        Value // data.agent and its name (older generated data)
}

// Conversation is data.conversation: the chat a webhook is about.
type Conversation struct {
	Self             Value
	ID               Value `json:"id"`
	ExtID            Value `json:"ext_id"`
	Subject          Value `json:"subject"`
	Status           Value `json:"status"`
	Unread           Value `json:"unread"`
	IsOffline        Value `json:"is_offline"`
	IsServed         Value `json:"is_served"`
	ContactID        Value `json:"contact_id"`
	VisitorID        Value `json:"visitor_id"`
	Domain           Value `json:"domain"`
	Referer          Value `json:"referer"`
	ChannelValue     Value // channel{type, id}
	ChannelType      Value // channel.type
	ChannelID        Value // channel.id
	Tags             Value `json:"tags"`
	Variables        Value `json:"variables"`
	AssignedAgentIDs Value `json:"assigned_agent_ids"`
	RatingValue      Value `json:"rating_value"`
	RatingText       Value `json:"rating_text"`
	CloseType        Value `json:"close_type"`
	ClosedByAgentID  Value `json:"closed_by_agent_id"`
	LastMessageAt    Value `json:"last_message_at"`
	LastMessageText  Value `json:"last_message_text"`
	ContactName      Value `json:"contact_name"`
	ContactEmail     Value `json:"contact_email"`
	ContactAvatarURL Value `json:"contact_avatar_url"`
	LocationCountry  Value `json:"location_country"`
	LocationCity     Value `json:"location_city"`
	LocationIP       Value `json:"location_ip"`
	LocationCode     Value `json:"location_code"`
	CreatedAt        Value `json:"created_at"`
	UpdatedAt        Value `json:"updated_at"`
	FinishedAt       Value `json:"finished_at"`
	LastClosedAt     Value `json:"last_closed_at"`
	MessagesValue    Value
}

// WebhookMessage is one message of a webhook: data.message, or an element of
// data.conversation.messages. Content is a string for agent and contact messages, an
// object {text} or {html} (also {type, text, data}) for bot and trigger messages; Text
// is the string, or the object's text (else its html).
type WebhookMessage struct {
	Self           Value
	ID             Value `json:"id"`
	ConversationID Value `json:"conversation_id"`
	Type           Value `json:"type"`
	SubType        Value `json:"sub_type"`
	Content        Value
	Text           Value
	AuthorName     Value `json:"author_name"`
	AgentID        Value `json:"agent_id"`
	VisitorID      Value `json:"visitor_id"`
	TriggerID      Value `json:"trigger_id"`
	TriggerName    Value `json:"trigger_name"`
	PageURL        Value `json:"page_url"`
	DeliveryStatus Value `json:"delivery_status"`
	DeliveredAt    Value `json:"delivered_at"`
	IsOffline      Value `json:"is_offline"`
	IsReply        Value `json:"is_reply"`
	IsFirstReply   Value `json:"is_first_reply"`
	ResponseTime   Value `json:"response_time"`
	Attachments    Value `json:"attachments"`
	CreatedAt      Value `json:"created_at"`
}

// Contact is the person behind a conversation: data.contact.
type Contact struct {
	Self            Value
	ID              Value `json:"id"`
	Name            Value `json:"name"`
	Email           Value `json:"email"`
	Phone           Value `json:"phone"`
	BannedAt        Value `json:"banned_at"`
	BannedBy        Value `json:"banned_by"`
	GDPRApproved    Value `json:"gdpr_approved"`
	Tags            Value `json:"tags"`
	Properties      Value `json:"properties"`
	CreatedAt       Value `json:"created_at"`
	UpdatedAt       Value `json:"updated_at"`
	AvatarURL       Value `json:"avatar_url"`
	LocationCountry Value `json:"location_country"`
	LocationCity    Value `json:"location_city"`
	LocationIP      Value `json:"location_ip"`
}

// WebhookEvents lists the event names the REST API documents (SMARTSUPP.md §2 and §4),
// plus visitor.replied seen in a consumer. Others are reported as warnings only.
var WebhookEvents = []string{
	"conversation.opened", "conversation.closed", "conversation.closed_by_contact",
	"conversation.rated", "conversation.agent_assigned", "conversation.agent_unassigned",
	"conversation.agent_joined", "conversation.agent_left", "conversation.agent_replied",
	"conversation.contact_replied", "conversation.bot_replied",
	"conversation.message_delivered", "conversation.message_delivery_failed",
	"contact.created", "contact.updated", "contact.acquired", "contact.banned", "contact.unbanned",
	"visitor.connected", "visitor.updated", "visitor.triggered", "visitor.disconnected",
	"visitor.typing", "visitor.replied",
}

// KnownEvent reports whether name is in WebhookEvents.
func KnownEvent(name string) bool {
	for _, e := range WebhookEvents {
		if e == name {
			return true
		}
	}
	return false
}

// MessageOf returns the message a webhook is about: data.message when present, else the
// last of data.conversation.messages; nil when it has none.
func (w *Webhook) MessageOf() *WebhookMessage {
	if w.Message.Self.Present() {
		return &w.Message
	}
	if n := len(w.Messages); n > 0 {
		return &w.Messages[n-1]
	}
	return nil
}
