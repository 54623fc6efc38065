package redact

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// A document's personal values (the visitor's name and its words, e-mail, phone, IP,
// city, key; the contact's) are redacted wherever they stand, not only in their own
// member: an agent greets the visitor by name, a close.timeout message carries it, a
// rating comment or a variable repeats the address. The redactor collects them per
// document with their pseudonyms, then rewrites every free-text string in one pass
// over it with valueSet.replace: no rescan per value, so the cost stays linear in
// the document whatever the number of values.

// maxValues bounds the values collected from one document (a hostile document with
// thousands of contacts must not make the scan of each string slow).
const maxValues = 256

// valueSet is a set of values and their replacements. Matching ignores ASCII case
// and needs a word boundary on both sides.
type valueSet struct {
	pats  []pattern
	first [256]bool // folded first bytes of the patterns matched in text
	buf   []byte    // the replacements, one after another
	text  []byte    // the values, one after another (no allocation per value)
	names nameSet   // the words of names and places, found in any of their forms
	scan  nameScan  // the scratch and mode of scans with names
}

type pattern struct {
	vstart, vend int   // the value in text
	start, end   int   // the replacement in buf
	sh           shape // what the value is; shNone for one kept as it is (an agent's name)
	byWords      bool  // a name or place: found in text by its words (names), not whole
}

func (vs *valueSet) reset() {
	vs.pats = vs.pats[:0]
	vs.buf = vs.buf[:0]
	vs.text = vs.text[:0]
	vs.first = [256]bool{}
	vs.names.reset()
}

// val is the value of p.
func (vs *valueSet) val(p *pattern) []byte { return vs.text[p.vstart:p.vend] }

// repl is the replacement of p.
func (vs *valueSet) repl(p *pattern) []byte { return vs.buf[p.start:p.end] }

// add records that v, a value of shape sh, becomes repl; shNone is a value kept as it
// is. A name or a place is found in text by its words, in any of their forms (see
// nameSet). Values of fewer than two characters are too common to take anywhere.
func (vs *valueSet) add(sh shape, v, repl []byte) {
	v = bytes.TrimSpace(v)
	if len(vs.pats) >= maxValues || utf8.RuneCount(v) < 2 || vs.has(v) {
		return
	}
	start := len(vs.buf)
	vs.buf = append(vs.buf, repl...)
	vs.addOne(v, start, len(vs.buf), sh)
	if sh == shName || sh == shPlace {
		vs.names.addValue(v, repl, sh)
	}
}

// known returns the replacement of v when v is a known personal value, or one run of
// the words of a known name or place ("Petra" for Petr); false for a value kept as it
// is and for others.
func (vs *valueSet) known(v []byte) ([]byte, bool) {
	if p := vs.lookup(v); p != nil {
		if bytes.Equal(vs.repl(p), vs.val(p)) {
			return nil, false
		}
		return vs.repl(p), true
	}
	return vs.names.whole(&vs.scan, v)
}

// has reports whether v (blanks around it aside) is a value of the set.
func (vs *valueSet) has(v []byte) bool { return vs.lookup(v) != nil }

// lookup returns the pattern whose value is v (blanks around it aside), or nil.
func (vs *valueSet) lookup(v []byte) *pattern {
	v = bytes.TrimSpace(v)
	for k := range vs.pats {
		// Same length first: values differing in length (ASCII case aside) differ.
		if p := vs.val(&vs.pats[k]); len(p) == len(v) && bytes.EqualFold(p, v) {
			return &vs.pats[k]
		}
	}
	return nil
}

func (vs *valueSet) addOne(v []byte, start, end int, sh shape) {
	if vs.has(v) {
		return // the first owner of a value keeps it
	}
	// The value is copied: it may point into a buffer the next walk reuses.
	vstart := len(vs.text)
	vs.text = append(vs.text, v...)
	byWords := sh == shName || sh == shPlace
	vs.pats = append(vs.pats, pattern{vstart: vstart, vend: len(vs.text), start: start, end: end, sh: sh, byWords: byWords})
	if !byWords {
		vs.first[fold(v[0])] = true
	}
}

// sort puts longer values first, so "Jana Nováková" wins over "Jana".
func (vs *valueSet) sort() {
	slices.SortStableFunc(vs.pats, func(a, b pattern) int { return (b.vend - b.vstart) - (a.vend - a.vstart) })
}

func fold(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// match returns the pattern that matches s at i, or nil.
func (vs *valueSet) match(s []byte, i int) *pattern {
	if !vs.first[fold(s[i])] || (i > 0 && isWordByte(s[i-1]) && isWordByte(s[i])) {
		return nil
	}
	for k := range vs.pats {
		p := &vs.pats[k]
		if p.byWords {
			continue
		}
		val := vs.val(p)
		end := i + len(val)
		if end > len(s) || !bytes.EqualFold(s[i:end], val) {
			continue
		}
		if end < len(s) && isWordByte(s[end]) && isWordByte(s[end-1]) {
			continue
		}
		return p
	}
	return nil
}

// nameAt finds the words of a name or place at i (ending by limit): their end and
// value, or the end of the word at i (i when none starts there) and -1.
func (vs *valueSet) nameAt(s []byte, i, limit int) (int, int32) {
	if len(vs.names.cjk) > 0 && s[i] >= 0xE0 {
		if end, v := vs.names.matchCJK(&vs.scan, s, i); v >= 0 {
			return end, v
		}
	}
	if wordStart(s, i) {
		return vs.names.match(&vs.scan, s, i, limit)
	}
	return i, -1
}

// replace appends s with every known value, name, e-mail address and phone number in
// it replaced (IP addresses too), and reports whether anything was. At each place the
// known values come first (an agent's name kept whole wins over the visitor's first
// name in it), then an address or number, then the words of a name or place. spans is
// how a found address or number becomes its pseudonym (and counts it); the known
// values replaced are counted in counts (which may be nil).
func (vs *valueSet) replace(dst, s []byte, spans func(dst []byte, k spanKind, v []byte) []byte, counts *Counts) ([]byte, bool) {
	changed := false
	next := -1 // where the next detected span starts, computed lazily
	var nk spanKind
	var nEnd int
	copied := 0
	names := !vs.names.empty()
	cjk := len(vs.names.cjk) > 0
	for i := 0; i < len(s); {
		if next < i {
			nk, next, nEnd = nextSpan(s, i)
			if nk == spanNone {
				next = len(s) + 1
			}
		}
		if len(vs.pats) > 0 {
			if p := vs.match(s, i); p != nil {
				dst = append(dst, s[copied:i]...)
				dst = append(dst, vs.repl(p)...)
				counts.count(p.sh)
				i += p.vend - p.vstart
				copied, changed = i, true
				continue
			}
		} else if !names {
			if next > len(s) {
				break
			}
			i = max(i, next)
		}
		if i == next {
			dst = append(dst, s[copied:i]...)
			dst = spans(dst, nk, s[i:nEnd])
			i = nEnd
			copied, changed = i, true
			continue
		}
		if names {
			end, v := vs.nameAt(s, i, next)
			if v >= 0 {
				dst = append(dst, s[copied:i]...)
				dst = append(dst, vs.names.replOf(v)...)
				counts.count(vs.names.vals[v].sh)
				i = end
				copied, changed = i, true
				continue
			}
			if end > i && !cjk {
				i = min(end, next) // nothing else starts inside a word
				continue
			}
		}
		i++
	}
	if !changed {
		return dst, false
	}
	return append(dst, s[copied:]...), true
}
