package payload

import (
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/rules"
)

// check classifies the scanned document and applies its kind's rules.
func (d *Decoder) check() {
	doc := &d.doc
	if doc.Top != jsontext.Object {
		top := article(doc.Top) + " " + doc.Top.String()
		if doc.Top == jsontext.Null {
			top = "null"
		}
		d.add(rules.Type, 0, "", "the document is %s, expected an object", top)
		return
	}
	switch {
	case d.seen.hook:
		doc.Kind = KindHook
		d.checkHook()
	case d.seen.webhook:
		doc.Kind = KindWebhook
		d.checkWebhook()
	case d.seen.stats:
		doc.Kind = KindStats
		d.checkStats()
	default:
		d.add(rules.Kind, 0, "", "not a Smartsupp payload: expected a POST hook (accountId, channel, messages), a webhook (\"type\": \"event_callback\") or a stats report (domains)")
	}
}

func article(k jsontext.Kind) string {
	if k == jsontext.Array || k == jsontext.Object {
		return "an"
	}
	return "a"
}

func (d *Decoder) add(id rules.ID, off int, pointer, format string, args ...any) {
	d.findings = append(d.findings, rules.New(id, off, pointer, format, args...))
}

// want checks a value's kind; it reports rule id when the value is present and of
// another kind (null allowed when nullOK), and reports whether it was of the kind.
func (d *Decoder) want(v Value, k jsontext.Kind, nullOK bool, id rules.ID, at ref) bool {
	if v.Kind == k {
		return true // the common case, kept small enough to inline
	}
	return d.wantNamed(v, k, "", nullOK, id, at)
}

func (d *Decoder) wantNamed(v Value, k jsontext.Kind, name string, nullOK bool, id rules.ID, at ref) bool {
	if !v.Present() || (nullOK && v.IsNull()) {
		return false
	}
	switch {
	case k == jsontext.Number && v.Kind == jsontext.Number:
		return true
	case k == jsontext.True && v.IsBool():
		return true
	case v.Kind == k:
		return true
	}
	expect := name
	if expect == "" {
		expect = article(k) + " " + k.String()
	}
	if nullOK {
		expect += " or null"
	}
	d.add(id, int(v.Off), at.String(), "%s is %s, expected %s", at.String(), describeValue(v), expect)
	return false
}

// wantInt checks for an integer number (null allowed when nullOK).
func (d *Decoder) wantInt(v Value, nullOK bool, id rules.ID, at ref) bool {
	if !d.wantNamed(v, jsontext.Number, "an integer", nullOK, id, at) {
		return false
	}
	if !jsontext.IsInteger(v.Raw) {
		d.add(id, int(v.Off), at.String(), "%s is %s, expected an integer", at.String(), v.Raw)
		return false
	}
	return true
}

// describeValue names a value's kind with its article, quoting short scalars so the
// user sees them: `a string "x"`, `a number 4.5`, `null`, `an object`.
func describeValue(v Value) string {
	switch v.Kind {
	case jsontext.Null:
		return "null"
	case jsontext.String:
		if len(v.Raw) <= 24 {
			return "a string " + strconv.Quote(v.Text())
		}
	case jsontext.Number, jsontext.True, jsontext.False:
		if len(v.Raw) <= 24 {
			return article(v.Kind) + " " + v.Kind.String() + " " + string(v.Raw)
		}
	}
	return article(v.Kind) + " " + v.Kind.String()
}

// ref is a JSON pointer not yet written out: base, then an array index when index >= 0,
// then member. Checks pass refs by value and render them only for a finding, so the
// happy path builds no strings.
type ref struct {
	base   string
	index  int
	key    *Value // a member name taken from the document, after base
	member string
}

// p is the ref of a fixed pointer.
func p(ptr string) ref { return ref{base: ptr, index: -1} }

// pi is the ref of member of element i of the array at base ("" for the element).
func pi(base string, i int, member string) ref { return ref{base: base, index: i, member: member} }

func (r ref) String() string {
	s := r.base
	if r.index >= 0 {
		s += "/" + strconv.Itoa(r.index)
	}
	if r.key != nil {
		s += "/" + jsontext.EscapePointerToken(r.key.Text())
	}
	if r.member != "" {
		s += "/" + r.member
	}
	return s
}

// pk is the ref of member of the object named key inside the object at base.
func pk(base string, key *Value, member string) ref {
	return ref{base: base, index: -1, key: key, member: member}
}

// parent is the ref of the object holding the member r names.
func (r ref) parent() string {
	s := r.String()
	return s[:strings.LastIndexByte(s, '/')]
}

func (d *Decoder) required(v Value, parentOff int, at ref) bool {
	if v.Present() {
		return true
	}
	parent := at.parent()
	where := "the document"
	if parent != "" {
		where = parent
	}
	name := at.member
	if name == "" {
		name = at.base[strings.LastIndexByte(at.base, '/')+1:]
	}
	d.add(rules.Required, parentOff, parent, "%s has no %s (required)", where, name)
	return false
}

func (d *Decoder) checkStats() {
	st := &d.doc.Stats
	if !d.want(st.DomainsValue, jsontext.Object, false, rules.Type, p("/domains")) {
		return
	}
	for i := range st.Domains {
		ds := &st.Domains[i]
		if !d.want(ds.Self, jsontext.Object, false, rules.Type, pk("/domains", &ds.Domain, "")) {
			continue
		}
		for _, f := range [...]struct {
			name string
			v    Value
		}{{"visits", ds.Visits}, {"conversations", ds.Conversations}, {"autoMessages", ds.AutoMessages}, {"autoMessagesReply", ds.AutoMessagesReply}} {
			d.wantInt(f.v, false, rules.Type, pk("/domains", &ds.Domain, f.name))
		}
	}
}
