package redact

import (
	"bytes"
	"strings"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// collectHook gathers the personal values of a decoded POST hook, so that the walk
// can replace them wherever they stand.
func (st *state) collectHook(h *payload.Hook) {
	on := st.r.fields
	v := &h.Visitor
	for _, f := range [...]struct {
		on bool
		sh shape
		v  payload.Value
	}{
		{on.has(fName), shName, v.Name},
		{on.has(fEmail), shEmail, v.Email},
		{on.has(fIP), shIP, v.IPAddress},
		{on.has(fCity), shPlace, v.City},
	} {
		if f.on && f.v.Kind == jsontext.String {
			st.collect(f.sh, st.text(f.v))
		}
	}
	for i := range h.Messages {
		m := &h.Messages[i]
		if on.has(fName) && textIs(m.Type, "visitor") && m.Name.Kind == jsontext.String {
			st.collect(shName, st.text(m.Name))
		}
		if on.has(fMsgFrom) && m.From.Kind == jsontext.String {
			st.collect(shFromVisitor, st.text(m.From))
		}
	}
	// An agent's full name stays whole even when it shares a word with the visitor's
	// ("Jana Nováková" serving "Jana Dvořáková"): it is a longer value that maps to
	// itself, and the longest value wins.
	for i := range h.Messages {
		m := &h.Messages[i]
		if m.Name.Kind == jsontext.String && (textIs(m.Type, "agent") || bytes.HasPrefix(m.From.Raw, []byte("agent:"))) {
			name := st.text(m.Name)
			st.vals.add(shNone, name, name)
		}
	}
}

// text is a decoded string value's text, in st.txt (valid until its next use).
func (st *state) text(v payload.Value) []byte {
	st.txt = v.AppendText(st.txt[:0])
	return st.txt
}

// collect records the value v of shape sh and its pseudonym.
func (st *state) collect(sh shape, v []byte) {
	vs := &st.vals
	if vs.has(v) {
		return // one visitor's name on each of their messages: one pseudonym
	}
	switch sh {
	case shName, shEmail, shPhone, shPlace:
		// Of places only cities are collected (see isCityKey): a country names
		// millions of people, and "we ship to Germany" should stay.
		repl, ok := st.pseudonym(st.tmp[:0], sh, v)
		if ok {
			st.tmp = repl
			vs.add(sh, v, repl)
		}
	case shIP:
		for _, part := range bytes.Split(v, []byte(",")) {
			part = bytes.TrimSpace(part)
			st.tmp = st.ip(st.tmp[:0], part)
			vs.add(shIP, part, st.tmp)
		}
	case shVisitorKey, shFromVisitor:
		rest, ok := bytes.CutPrefix(v, []byte("visitor:"))
		if (ok || sh == shVisitorKey) && len(rest) >= 6 {
			st.tmp = st.tag(st.tmp[:0], clKey, rest)
			vs.add(shVisitorKey, rest, st.tmp)
		}
	}
}

// isCityKey reports the member of a city: visitor.city, location_city, and city or
// location.city inside a webhook's visitor or contact.
func isCityKey(p jsontext.Path) bool {
	last := p[len(p)-1]
	return !last.IsIndex && (last.Key == "city" || last.Key == "location_city")
}

// isAgentName reports an agent's name in a webhook: data.agent.name, or the
// author_name of a message.
func isAgentName(p jsontext.Path) bool {
	return (len(p) == 3 && key(p, 0, "data") && key(p, 1, "agent") && key(p, 2, "name")) ||
		(len(p) >= 3 && key(p, 0, "data") && key(p, len(p)-1, "author_name"))
}

// keepRaw notes a raw string token as a value that stays itself (an agent's name). The
// values are added once the survey is over (keepNoted), after the personal ones: a
// contact's own name as the author of their message stays personal.
func (st *state) keepRaw(raw []byte) {
	inner := raw[1 : len(raw)-1]
	st.keep = append(st.keep, jsontext.AppendUnquoted(nil, inner))
}

// keepNoted adds the values keepRaw noted.
func (st *state) keepNoted() {
	for _, v := range st.keep {
		st.vals.add(shNone, v, v)
	}
	st.keep = st.keep[:0]
}

// collectRaw is collect for a raw string token (quotes included).
func (st *state) collectRaw(sh shape, raw []byte) {
	inner := raw[1 : len(raw)-1]
	txt := st.txt[:0]
	if bytes.IndexByte(inner, '\\') >= 0 {
		txt = jsontext.AppendUnquoted(txt, inner)
	} else {
		txt = append(txt, inner...)
	}
	st.txt = txt
	st.collect(sh, txt)
}

// scanText rewrites a free-text string (raw, quotes included): the document's personal
// values, and any e-mail address, phone number or IP address, become pseudonyms.
func (st *state) scanText(p jsontext.Path, raw []byte) ([]byte, bool) {
	if !st.scanAny || !freeText(p, raw) {
		return nil, false
	}
	inner := raw[1 : len(raw)-1]
	txt := inner
	if bytes.IndexByte(inner, '\\') >= 0 {
		st.txt = jsontext.AppendUnquoted(st.txt[:0], inner)
		txt = st.txt
	}
	st.inURL = isURLKey(p)
	site := isSiteText(p)
	st.vals.scan.noPlaces, st.vals.scan.exact = st.inURL || site, site
	plain, changed := st.vals.replace(st.plain[:0], txt, st.spanPseudonym, &st.counts)
	st.plain = plain
	if !changed {
		return nil, false
	}
	st.out = appendQuoted(st.out[:0], plain)
	return st.out, true
}

// spanPseudonym appends the pseudonym of an address or number found in free text, and
// counts it; one of a kind the fields leave alone stays as it was.
func (st *state) spanPseudonym(dst []byte, k spanKind, v []byte) []byte {
	on := st.r.fields
	switch {
	case k == spanEmail && on.has(fEmail|fContactEmail):
		dst = st.email(dst, v)
	case k == spanPhone && on.has(fContactPhone) && !st.inURL: // product and order numbers
		dst = st.phone(dst, v)
	case k == spanIP && on.has(fIP) && !isPseudonymIP(v):
		dst = st.ip(dst, v)
	default:
		return append(dst, v...)
	}
	st.counts.count(spanShape(k))
	return dst
}

// isURLKey reports a string that holds a URL: digits in it are product and order
// numbers, not phone numbers.
func isURLKey(p jsontext.Path) bool {
	k := p[len(p)-1].Key
	return k == "url" || k == "referer" || strings.HasSuffix(k, "_url")
}

// isSiteText reports a string the site wrote about itself (a page title, its domain,
// a trigger's name): the visitor's city in it ("Kola Brno") is the shop's, not theirs,
// and a name in it counts only as written ("Jane Austen" is no form of Jana).
func isSiteText(p jsontext.Path) bool {
	switch p[len(p)-1].Key {
	case "title", "domain", "trigger_name", "triggeredBy":
		return true
	}
	return false
}

// freeText reports whether the string at p may hold free text: not an id, a time, a
// type or status, a message code (close.timeout) or a from.
func freeText(p jsontext.Path, raw []byte) bool {
	last := p[len(p)-1]
	if last.IsIndex {
		return true // tags and other lists of words
	}
	switch k := last.Key; k {
	case "type", "sub_type", "status", "event", "from", "timestamp", "id", "close_type",
		"delivery_status", "countryCode", "platform", "triggeredBy", "label":
		return false
	case "content":
		return !isCode(raw)
	default:
		return !strings.HasSuffix(k, "_id") && !strings.HasSuffix(k, "Id") &&
			!strings.HasSuffix(k, "_at") && !strings.HasSuffix(k, "At")
	}
}

// isCode reports a system message code such as "close.visitorClose" (raw, quoted).
func isCode(raw []byte) bool {
	inner := raw[1 : len(raw)-1]
	dot := false
	for _, c := range inner {
		switch {
		case c == '.':
			dot = true
		case c|0x20 >= 'a' && c|0x20 <= 'z', c == '_':
		default:
			return false
		}
	}
	return dot && len(inner) > 0 && inner[len(inner)-1] != '.'
}
