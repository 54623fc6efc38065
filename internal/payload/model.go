// Package payload is the Smartsupp data model: it classifies a JSON document as a legacy
// POST hook, a REST webhook envelope or a domain-stats-report, decodes the members every
// command needs in one strict pass, and checks them against the rules of package rules.
//
// Decoding does not copy: each Value points into the document's bytes, so a Doc is valid
// only as long as those bytes are, and only until its Decoder decodes the next document.
package payload

import (
	"github.com/smarthook/smarthook/internal/jsontext"
)

// Kind is what a document is.
type Kind uint8

// The kinds of documents.
const (
	KindUnknown Kind = iota // not JSON, not an object, or no known shape
	KindHook                // the legacy POST hook sent after each chat
	KindWebhook             // a REST API webhook envelope ("type":"event_callback")
	KindStats               // the hourly domain-stats-report
)

// Kinds lists the kinds in the order reports print them.
var Kinds = []Kind{KindHook, KindWebhook, KindStats, KindUnknown}

func (k Kind) String() string {
	switch k {
	case KindHook:
		return "hook"
	case KindWebhook:
		return "webhook"
	case KindStats:
		return "stats"
	}
	return "unknown"
}

// Value is one member's value as it stands in the document. For strings Raw is the
// content between the quotes (decode it with Text); for everything else the raw text.
// The zero Value is an absent member.
type Value struct {
	Raw     []byte
	Off     int32 // byte offset of the value in the document (documents stay under 2 GiB)
	Kind    jsontext.Kind
	Escaped bool // a string holding escapes
}

// Present reports whether the member was there (null counts as present).
func (v Value) Present() bool { return v.Kind != jsontext.Invalid }

// IsNull reports an explicit null.
func (v Value) IsNull() bool { return v.Kind == jsontext.Null }

// Int returns the value of an integer number.
func (v Value) Int() (int64, bool) {
	if v.Kind != jsontext.Number {
		return 0, false
	}
	return jsontext.ParseInt(v.Raw)
}

// IsInt reports an integer number (of any size).
func (v Value) IsInt() bool { return v.Kind == jsontext.Number && jsontext.IsInteger(v.Raw) }

// IsBool reports true or false.
func (v Value) IsBool() bool { return v.Kind == jsontext.True || v.Kind == jsontext.False }

// Text returns a string's decoded text, or "" for any other kind.
func (v Value) Text() string {
	if v.Kind != jsontext.String {
		return ""
	}
	return jsontext.Text(v.Raw, v.Escaped)
}

// AppendText appends a string's decoded text to dst.
func (v Value) AppendText(dst []byte) []byte {
	if v.Kind != jsontext.String {
		return dst
	}
	if !v.Escaped {
		return append(dst, v.Raw...)
	}
	return jsontext.AppendUnquoted(dst, v.Raw)
}

// Hook is the legacy POST hook: one finished chat.
type Hook struct {
	AccountID, BeginAt, EndAt Value
	ChannelValue              Value // the channel member itself (its kind and place)
	Channel                   Channel
	VisitorValue              Value
	Visitor                   Visitor
	PathsValue                Value
	Paths                     []Path
	MessagesValue             Value
	Messages                  []Message
}

// Channel is the chat's identity, flags and figures.
type Channel struct {
	ID                                            Value
	IsChat, IsMissed, IsTriggered, IsOffline      Value
	IsCompleted, IsDropped                        Value
	Duration, AvgResponse, FirstResponse          Value
	MessagesCount, WordsCount, Rating, RatingDesc Value
}

// Visitor is who wrote to the site.
type Visitor struct {
	ID, Name, Email, Note, Group, GroupKey Value
	IPAddress, City, CountryCode, Country  Value
	UserAgent, Platform, Referer           Value
	VariablesValue                         Value
	Variables                              []Variable
}

// Variable is one of the site's visitor variables: key → {label, value}.
type Variable struct {
	Key              Value // a string
	Self, Label, Val Value
}

// Path is a page the visitor saw.
type Path struct {
	Self, URL, Title Value
}

// Message is one line of the chat.
type Message struct {
	Self                                           Value
	Type, Name, From, Content, SentAt, TriggeredBy Value
}

// Stats is the hourly domain-stats-report.
type Stats struct {
	DomainsValue Value
	Domains      []DomainStats
}

// DomainStats is one domain's row of a stats report.
type DomainStats struct {
	Domain, Self                                           Value
	Visits, Conversations, AutoMessages, AutoMessagesReply Value
}

// Doc is one decoded document.
type Doc struct {
	Kind    Kind
	Raw     []byte // the document without a leading byte-order mark
	BOM     bool
	Top     jsontext.Kind // the top-level value's kind
	Hook    Hook
	Webhook Webhook
	Stats   Stats
}
