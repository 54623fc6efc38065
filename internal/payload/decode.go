package payload

import (
	"bytes"
	"errors"
	"slices"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/rules"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// Decoder decodes documents one after another, reusing its memory. It is not safe for
// concurrent use: give each worker its own.
type Decoder struct {
	// Lean checks the messages of a long messages array as they are decoded and keeps
	// only the last of them in Doc.Hook.Messages: for validate, which needs findings,
	// not messages; a chat of millions of messages then takes little memory.
	Lean bool

	s        jsontext.Scanner
	doc      Doc
	findings []rules.Finding
	seen     seenKeys
	keyBuf   []byte
	msgBase  int   // index in the document of Doc.Hook.Messages[0] (Lean)
	msgPrev  int64 // sentAt of the last message checked
}

// seenKeys records which top-level members named the document's kind.
type seenKeys struct{ hook, webhook, stats bool }

// Decode reads raw as one document, classifies and decodes it, and checks it. It returns
// the decoded document and its findings; both are valid until the next call. A syntax
// error gives a single finding of rule syntax and a Doc of KindUnknown.
func (d *Decoder) Decode(raw []byte) (*Doc, []rules.Finding) {
	d.findings = d.findings[:0]
	doc := &d.doc
	d.reset(raw)
	if bytes.HasPrefix(raw, bom) {
		doc.BOM = true
		doc.Raw = raw[len(bom):]
		d.findings = append(d.findings, rules.New(rules.BOM, 0, "", "the document starts with a UTF-8 byte-order mark"))
	}
	if err := d.scan(); err != nil {
		doc.Kind = KindUnknown
		if len(d.findings) > 0 && d.findings[0].Rule == rules.BOM {
			d.findings = d.findings[:1] // messages checked early (Lean) do not count
		} else {
			d.findings = d.findings[:0]
		}
		d.findings = append(d.findings, SyntaxFinding(doc.Raw, err))
	} else {
		d.check()
		// Checks run member by member; users read findings in document order.
		slices.SortStableFunc(d.findings, func(a, b rules.Finding) int { return a.Offset - b.Offset })
	}
	if doc.BOM {
		// Offsets were taken in doc.Raw; the caller counts them in raw, BOM included.
		for i := 1; i < len(d.findings); i++ {
			d.findings[i].Offset += len(bom)
		}
	}
	return doc, d.findings
}

func (d *Decoder) reset(raw []byte) {
	doc := &d.doc
	h := &doc.Hook
	*h = Hook{Paths: h.Paths[:0], Messages: h.Messages[:0], Visitor: Visitor{Variables: h.Visitor.Variables[:0]}}
	doc.Webhook = Webhook{Messages: doc.Webhook.Messages[:0]}
	doc.Stats = Stats{Domains: doc.Stats.Domains[:0]}
	doc.Kind, doc.Raw, doc.BOM, doc.Top = KindUnknown, raw, false, jsontext.Invalid
	d.seen = seenKeys{}
	d.msgBase, d.msgPrev = 0, 0
}

// SyntaxFinding explains a syntax error of raw (from jsontext), running the slow path
// for its JSON pointer. Every command that reads JSON reports broken documents with it.
func SyntaxFinding(raw []byte, err error) rules.Finding {
	var se *jsontext.SyntaxError
	if !errors.As(err, &se) {
		return rules.New(rules.Syntax, 0, "", "%v", err)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return rules.New(rules.Syntax, 0, "", "empty document")
	}
	return rules.New(rules.Syntax, se.Offset, jsontext.PointerAt(raw, se.Offset), "%s", se.Msg)
}

// scan walks the document once, filling d.doc.
func (d *Decoder) scan() (err error) {
	defer jsontext.Catch(&err)
	s := &d.s
	s.Reset(d.doc.Raw)
	d.doc.Top = s.Peek()
	if d.doc.Top != jsontext.Object {
		s.Skip()
		s.End()
		return nil
	}
	s.BeginObject()
	first := true
	for s.More('}', &first) {
		d.member(d.key())
	}
	s.End()
	return nil
}

// key reads a member name, decoded when it holds escapes ("\u0061ccountId").
func (d *Decoder) key() []byte {
	raw, esc := d.s.Key()
	if !esc {
		return raw
	}
	d.keyBuf = jsontext.AppendUnquoted(d.keyBuf[:0], raw)
	return d.keyBuf
}

// member decodes one top-level member of any known kind.
func (d *Decoder) member(key []byte) {
	h, w := &d.doc.Hook, &d.doc.Webhook
	switch string(key) {
	case "accountId":
		h.AccountID = d.scalar()
		d.seen.hook = true
	case "beginAt":
		h.BeginAt = d.scalar()
	case "endAt":
		h.EndAt = d.scalar()
	case "channel":
		d.seen.hook = true
		d.channel()
	case "visitor":
		d.visitor()
	case "paths":
		d.paths()
	case "messages":
		d.seen.hook = true
		d.messages()
	case "type":
		w.Type = d.scalar()
		if w.Type.Kind == jsontext.String && string(w.Type.Raw) == "event_callback" {
			d.seen.webhook = true
		}
	case "event":
		w.Event = d.scalar()
		d.seen.webhook = true
	case "timestamp":
		w.Timestamp = d.scalar()
	case "account_id":
		w.AccountID = d.scalar()
	case "app_id":
		w.AppID = d.scalar()
	case "data":
		d.webhookData()
	case "domains":
		d.seen.stats = true
		d.domains()
	default:
		d.s.Skip()
	}
}

// scalar reads any value as a Value (containers are skipped and kept raw).
func (d *Decoder) scalar() Value {
	s := &d.s
	k := s.Peek()
	v := Value{Kind: k, Off: int32(s.Pos)}
	if k == jsontext.String {
		v.Raw, v.Escaped = s.String()
		return v
	}
	v.Raw = s.Read(k)
	return v
}

// object starts reading an object member; when the value is not an object it is read as
// a scalar and ok is false.
func (d *Decoder) object() (self Value, ok bool) {
	if d.s.Peek() != jsontext.Object {
		return d.scalar(), false
	}
	self = Value{Kind: jsontext.Object, Off: int32(d.s.Pos)}
	d.s.BeginObject()
	return self, true
}

// array is object's twin for arrays.
func (d *Decoder) array() (self Value, ok bool) {
	if d.s.Peek() != jsontext.Array {
		return d.scalar(), false
	}
	self = Value{Kind: jsontext.Array, Off: int32(d.s.Pos)}
	d.s.BeginArray()
	return self, true
}

func (d *Decoder) channel() {
	h := &d.doc.Hook
	var ok bool
	if h.ChannelValue, ok = d.object(); !ok {
		return
	}
	c := &h.Channel
	s := &d.s
	first := true
	for s.More('}', &first) {
		key := d.key()
		var dst *Value
		switch string(key) {
		case "id":
			dst = &c.ID
		case "isChat":
			dst = &c.IsChat
		case "isMissed":
			dst = &c.IsMissed
		case "isTriggered":
			dst = &c.IsTriggered
		case "isOffline":
			dst = &c.IsOffline
		case "isCompleted":
			dst = &c.IsCompleted
		case "isDropped":
			dst = &c.IsDropped
		case "duration":
			dst = &c.Duration
		case "avgResponse":
			dst = &c.AvgResponse
		case "firstResponse":
			dst = &c.FirstResponse
		case "messagesCount":
			dst = &c.MessagesCount
		case "wordsCount":
			dst = &c.WordsCount
		case "rating":
			dst = &c.Rating
		case "ratingDesc":
			dst = &c.RatingDesc
		default:
			s.Skip()
			continue
		}
		*dst = d.scalar()
	}
}

func (d *Decoder) visitor() {
	h := &d.doc.Hook
	var ok bool
	if h.VisitorValue, ok = d.object(); !ok {
		return
	}
	v := &h.Visitor
	s := &d.s
	first := true
	for s.More('}', &first) {
		key := d.key()
		var dst *Value
		switch string(key) {
		case "id":
			dst = &v.ID
		case "name":
			dst = &v.Name
		case "email":
			dst = &v.Email
		case "note":
			dst = &v.Note
		case "group":
			dst = &v.Group
		case "groupKey":
			dst = &v.GroupKey
		case "ipAddress":
			dst = &v.IPAddress
		case "city":
			dst = &v.City
		case "countryCode":
			dst = &v.CountryCode
		case "country":
			dst = &v.Country
		case "userAgent":
			dst = &v.UserAgent
		case "platform":
			dst = &v.Platform
		case "referer":
			dst = &v.Referer
		case "variables":
			d.variables()
			continue
		default:
			s.Skip()
			continue
		}
		*dst = d.scalar()
	}
}
