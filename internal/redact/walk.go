package redact

import (
	"bytes"
	"errors"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

var bom = jsontext.BOM

// Message kinds, as flag bits per message index.
const (
	mVisitor uint8 = 1 << iota // type "visitor"
	mAgent                     // type "agent"
	mClose                     // content "close.visitorClose" (its name is the visitor's)
	mContact                   // webhook sub_type "contact"
)

// msgFlags holds the kinds of the messages of one array, by index.
type msgFlags struct{ known, seen []uint8 }

func (m *msgFlags) reset() {
	m.known, m.seen = m.known[:0], m.seen[:0]
}

func (m *msgFlags) get(i int) uint8 {
	if i < len(m.known) {
		return m.known[i]
	}
	return 0
}

func grow(s []uint8, i int) []uint8 {
	for len(s) <= i {
		s = append(s, 0)
	}
	return s
}

func (m *msgFlags) know(i int, f uint8) { m.known = grow(m.known, i); m.known[i] |= f }
func (m *msgFlags) see(i int, f uint8)  { m.seen = grow(m.seen, i); m.seen[i] |= f }

// learn adds what the walk saw to what it knew; it reports whether that was news.
func (m *msgFlags) learn() bool {
	news := false
	for i, f := range m.seen {
		if f&^m.get(i) != 0 {
			m.know(i, f)
			news = true
		}
	}
	m.seen = m.seen[:0]
	return news
}

// apply redacts doc into dst. A message's content may come before the member that
// says whose it is, so the walk needs to know the kinds of messages beforehand: for
// POST hooks the decoder tells; for webhooks a first walk only looks. A walk that sees
// a kind it did not know (duplicate keys) is run again, knowing it.
func (st *state) apply(dst, doc []byte) ([]byte, error) {
	body := doc
	if bytes.HasPrefix(doc, bom) {
		dst = append(dst, bom...)
		body = doc[len(bom):]
	}
	survey := st.prepare(doc)
	start := len(dst)
	for pass := 0; pass < 3; pass++ {
		st.survey = survey && pass == 0
		st.counts = Counts{} // a walk run again counts again
		out, err := jsontext.Rewrite(dst[:start], body, st.edit, nil)
		if err != nil {
			return nil, err
		}
		news := st.hook.learn()
		news = st.conv.learn() || news
		news = st.single.learn() || news
		if st.survey {
			st.keepNoted()
			st.vals.sort()
			st.scanAny = st.scanAny || len(st.vals.pats) > 0
		}
		if !news && !st.survey {
			return out, nil
		}
		dst = out
	}
	// Unreachable: the second walk knows all the first one saw. Never return a
	// document that might hold what it should not.
	return nil, errors.New("redact: message kinds did not settle")
}

// prepare decodes doc for the kinds of its hook messages and reports whether a survey
// walk must come first.
func (st *state) prepare(doc []byte) bool {
	st.hook.reset()
	st.conv.reset()
	st.single.reset()
	st.vals.reset()
	st.keep = st.keep[:0]
	st.scanAny = st.r.fields.has(fEmail | fContactEmail | fContactPhone | fIP)
	d, _ := st.dec.Decode(doc)
	for i := range d.Hook.Messages {
		m := &d.Hook.Messages[i]
		var f uint8
		switch {
		case textIs(m.Type, "visitor"):
			f = mVisitor
		case textIs(m.Type, "agent"):
			f = mAgent
		}
		if textIs(m.Content, "close.visitorClose") {
			f |= mClose
		}
		if f != 0 {
			st.hook.know(i, f)
		}
	}
	if d.Kind != payload.KindHook && d.Kind != payload.KindWebhook {
		st.scanAny = false // not a Smartsupp payload: it comes out as it went in
	}
	if d.Kind == payload.KindHook {
		st.collectHook(&d.Hook)
		st.vals.sort()
		st.scanAny = st.scanAny || len(st.vals.pats) > 0
	}
	// A webhook's values are collected by the survey walk (see edit).
	return d.Kind == payload.KindWebhook
}

// textIs reports whether a decoded string value's text is s.
func textIs(v payload.Value, s string) bool {
	if v.Kind != jsontext.String {
		return false
	}
	if !v.Escaped {
		return string(v.Raw) == s
	}
	return v.Text() == s
}

// rawIs is textIs for a raw string token as Rewrite gives it (quotes included).
func rawIs(raw []byte, s string) bool {
	if len(raw) < 2 {
		return false
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner) == s
	}
	return jsontext.Text(inner, true) == s
}

// edit is the jsontext.Edit of a walk.
func (st *state) edit(p jsontext.Path, k jsontext.Kind, raw []byte) ([]byte, bool) {
	if len(p) == 0 || p[0].IsIndex {
		return nil, false
	}
	if k == jsontext.String {
		st.observe(p, raw)
	}
	if (k != jsontext.String && k != jsontext.Number) || (k == jsontext.String && len(raw) == 2) {
		// Containers are entered; null, booleans and "" stay.
		return nil, false
	}
	sh := st.shapeAt(p)
	if st.survey {
		if sh != shNone && k == jsontext.String && (sh != shPlace || isCityKey(p)) {
			st.collectRaw(sh, raw)
		} else if k == jsontext.String && isAgentName(p) {
			st.keepRaw(raw)
		}
		return nil, false
	}
	if sh == shNone {
		if k == jsontext.String {
			return st.scanText(p, raw)
		}
		return nil, false
	}
	return st.replacement(sh, k, raw)
}

// observe notes the strings that say whose a message is.
func (st *state) observe(p jsontext.Path, raw []byte) {
	switch {
	case len(p) == 3 && p[0].Key == "messages" && p[1].IsIndex && !p[2].IsIndex:
		switch {
		case p[2].Key == "type" && rawIs(raw, "visitor"):
			st.hook.see(p[1].Index, mVisitor)
		case p[2].Key == "type" && rawIs(raw, "agent"):
			st.hook.see(p[1].Index, mAgent)
		case p[2].Key == "content" && rawIs(raw, "close.visitorClose"):
			st.hook.see(p[1].Index, mClose)
		}
	case len(p) == 5 && key(p, 0, "data") && key(p, 1, "conversation") && key(p, 2, "messages") &&
		p[3].IsIndex && key(p, 4, "sub_type") && rawIs(raw, "contact"):
		st.conv.see(p[3].Index, mContact)
	case len(p) == 3 && key(p, 0, "data") && key(p, 1, "message") && key(p, 2, "sub_type") && rawIs(raw, "contact"):
		st.single.see(0, mContact)
	}
}

// key reports whether element i of p is the member name.
func key(p jsontext.Path, i int, name string) bool {
	return i < len(p) && !p[i].IsIndex && p[i].Key == name
}
