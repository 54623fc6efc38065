package rules

import (
	"fmt"
	"strconv"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// Severity says whether a finding fails validation (Error) or only warns (Warning).
type Severity uint8

// The severities, most serious first.
const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// ID is a rule's stable name, printed in brackets after each finding.
type ID string

// The rules. Their ids are part of the command-line interface: do not rename them.
const (
	Read          ID = "read"
	Syntax        ID = "syntax"
	Type          ID = "type"
	Required      ID = "required"
	Kind          ID = "kind"
	BOM           ID = "bom"
	FieldType     ID = "field-type"
	TimestampUnit ID = "timestamp-unit"
	TimeOrder     ID = "time-order"
	RatingRange   ID = "rating-range"
	MessageType   ID = "message-type"
	SystemCode    ID = "system-code"
	TimeFormat    ID = "time-format"
	DuplicateChat ID = "duplicate-chat"
	SeveralDocs   ID = "several-documents"
	WebhookEvent  ID = "webhook-event"
)

// Rule describes one rule.
type Rule struct {
	ID       ID
	Severity Severity
	Summary  string
}

// Catalog lists every rule in the order --list-rules prints them.
var Catalog = []Rule{
	{Read, Error, "the input could not be read (missing file, permission, broken archive)"},
	{Syntax, Error, "not JSON: bad syntax, trailing comma, truncated or empty body, data after the document, invalid UTF-8"},
	{Type, Error, "a value has the wrong JSON type: top level not an object, messages/paths not arrays, variables not an object, a flag not a boolean, rating not an integer or null, a timestamp not an integer"},
	{Required, Error, "a required member is missing: accountId, beginAt, endAt, channel, channel.id, messages, and each message's type, content and sentAt (event and data for webhooks)"},
	{Kind, Error, "the object is none of the known kinds: POST hook, REST webhook (event_callback), domain-stats-report"},
	{BOM, Warning, "the document starts with a UTF-8 byte-order mark"},
	{FieldType, Warning, "an optional member has an unexpected type (e.g. visitor.name a number, duration a string)"},
	{TimestampUnit, Warning, "a timestamp looks like seconds (10 digits), Smartsupp sends milliseconds"},
	{TimeOrder, Warning, "endAt before beginAt, a message sent outside [beginAt, endAt], or messages going back in time"},
	{RatingRange, Warning, "channel.rating outside 1-5"},
	{MessageType, Warning, "a message type other than visitor, agent or system (webhooks: type other than message, note or event, sub_type other than agent, contact, system, trigger or bot)"},
	{SystemCode, Warning, "a system message with an unknown close.* code"},
	{TimeFormat, Warning, "a webhook timestamp that is not RFC 3339 / ISO 8601"},
	{DuplicateChat, Warning, "the same chat (accountId, channel.id) seen twice in one run"},
	{SeveralDocs, Warning, "a .json file holds several documents (NDJSON under the wrong name): each is read; name it .ndjson"},
	{WebhookEvent, Warning, "a webhook event the REST API does not document (its data is still read)"},
}

// SeverityOf returns the severity of rule id; unknown ids count as errors.
func SeverityOf(id ID) Severity {
	for _, r := range Catalog {
		if r.ID == id {
			return r.Severity
		}
	}
	return Error
}

// Finding is one broken rule at one place of a document.
type Finding struct {
	Rule     ID
	Severity Severity
	Offset   int    // byte offset in the document where the finding points
	Pointer  string // JSON pointer (RFC 6901) of the value concerned; "" is the whole document
	Message  string
}

// New makes a finding of rule id with the rule's severity.
func New(id ID, offset int, pointer, format string, args ...any) Finding {
	return Finding{Rule: id, Severity: SeverityOf(id), Offset: offset, Pointer: pointer, Message: fmt.Sprintf(format, args...)}
}

// AppendJSON appends the members of finding f at line and column of its document, as
// one JSON object's members without the braces, for every command that prints findings
// as JSON: "line", "column", "pointer", "severity", "rule", then "kind" when not
// empty, then "message". The caller adds the members that say where the document came
// from.
func AppendJSON(b []byte, f Finding, line, col int, kind string) []byte {
	b = append(b, `"line":`...)
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, `,"column":`...)
	b = strconv.AppendInt(b, int64(col), 10)
	b = append(b, `,"pointer":`...)
	b = jsontext.AppendQuote(b, f.Pointer)
	b = append(b, `,"severity":`...)
	b = jsontext.AppendQuote(b, f.Severity.String())
	b = append(b, `,"rule":`...)
	b = jsontext.AppendQuote(b, string(f.Rule))
	if kind != "" {
		b = append(b, `,"kind":`...)
		b = jsontext.AppendQuote(b, kind)
	}
	b = append(b, `,"message":`...)
	return jsontext.AppendQuote(b, f.Message)
}

// Errors copies the error-severity findings of fs (decoders reuse their slice); nil
// when there are none.
func Errors(fs []Finding) []Finding {
	var errs []Finding
	for _, f := range fs {
		if f.Severity == Error {
			errs = append(errs, f)
		}
	}
	return errs
}
