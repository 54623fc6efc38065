// Package query is `smarthook query`: Run runs a jq filter (through the gojq library)
// over the inputs as the jq and gojq commands do, with their flags, output, error
// texts and exit codes. Small inputs and the modes that need the text in order are
// read exactly as gojq reads them; large inputs are read by the input core and decoded
// on every core straight into the values gojq works on (with our strict scanner,
// optionally only the top-level members a filter can touch), and results are written
// by an encoder whose output is byte for byte that of the gojq command. It also holds
// the Smartsupp helper functions added to the language.
package query

import (
	"bytes"
	"encoding/json"
	"math"

	"github.com/smarthook/smarthook/internal/jsontext"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// Decoder turns JSON text into the values gojq works on: nil, bool, int, json.Number,
// string, []any and map[string]any. Integers that fit in an int become int; every
// other number (fractions, exponents, -0, integers beyond int) stays a json.Number
// holding its literal text, which is what the gojq command does (it decodes with
// UseNumber), so that output keeps 1.0, 1e2 and 100000000000000000000 as written
// while arithmetic still sees their values.
//
// A Decoder reuses its scratch memory between documents. The values it returns never
// share memory with the input, so they outlive it; member names and short strings are
// shared between the documents one Decoder reads (strings are immutable). It is not
// safe for concurrent use: give each worker its own.
type Decoder struct {
	s       jsontext.Scanner
	vals    []any           // values of the arrays and objects being read, innermost last
	keys    []string        // member names of the objects being read
	buf     []byte          // unescaped text
	interns [1024]string    // member names seen lately (see key)
	texts   [512]any        // short string values seen lately, boxed (see shared)
	project map[string]bool // top-level members to decode; nil decodes all
}

// NewDecoder returns a decoder that decodes everything.
func NewDecoder() *Decoder {
	return &Decoder{}
}

// Project limits decoding to the named members of a top-level object; the others are
// still checked for syntax but left out of the value. nil restores full decoding.
// Documents whose top level is not an object are always decoded in full.
func (d *Decoder) Project(keys []string) {
	if keys == nil {
		d.project = nil
		return
	}
	d.project = make(map[string]bool, len(keys))
	for _, k := range keys {
		d.project[k] = true
	}
}

// Decode reads raw as exactly one JSON document (a leading UTF-8 byte-order mark is
// skipped) and returns its value, or a *jsontext.SyntaxError whose offset counts from
// the start of raw.
func (d *Decoder) Decode(raw []byte) (v any, err error) {
	skip := 0
	if bytes.HasPrefix(raw, bom) {
		skip = len(bom)
	}
	defer func() {
		d.clear()
		if err != nil {
			if se, ok := err.(*jsontext.SyntaxError); ok {
				se.Offset += skip
			}
		}
	}()
	defer jsontext.Catch(&err)
	d.s.Reset(raw[skip:])
	if d.project != nil && d.s.Peek() == jsontext.Object {
		v = d.projected()
	} else {
		v = d.value()
	}
	d.s.End()
	return v, nil
}

// clear drops the scratch references left by a document that failed half way (the
// others pop and clear their own), so that they do not keep its values alive.
func (d *Decoder) clear() {
	clear(d.vals)
	clear(d.keys)
	d.vals = d.vals[:0]
	d.keys = d.keys[:0]
	if cap(d.buf) > 1<<20 {
		d.buf = nil
	}
}

func (d *Decoder) value() any {
	s := &d.s
	switch s.Peek() {
	case jsontext.Object:
		return d.object()
	case jsontext.Array:
		return d.array()
	case jsontext.String:
		raw, escaped := s.String()
		if !escaped && len(raw) <= maxSharedText {
			return d.shared(raw)
		}
		return d.text(raw, escaped)
	case jsontext.Number:
		return number(s.Number())
	case jsontext.True:
		s.Skip()
		return true
	case jsontext.False:
		s.Skip()
		return false
	default:
		s.Skip()
		return nil
	}
}

// number converts a checked number literal the way gojq's command line sees it.
func number(text []byte) any {
	if n, ok := jsontext.ParseInt(text); ok && n >= math.MinInt && n <= math.MaxInt {
		// -0 is an integer of value 0, but gojq prints it as written: keep the text.
		if n != 0 || text[0] != '-' {
			return int(n)
		}
	}
	return json.Number(string(text))
}

func (d *Decoder) text(raw []byte, escaped bool) string {
	if !escaped {
		return string(raw)
	}
	d.buf = jsontext.AppendUnquoted(d.buf[:0], raw)
	return string(d.buf)
}

// key returns a member name, shared between documents when it has no escapes: the
// same few names come back in every payload, and sharing saves an allocation each.
func (d *Decoder) key(raw []byte, escaped bool) string {
	if escaped {
		return d.text(raw, true)
	}
	if len(raw) == 0 {
		return ""
	}
	// A direct-mapped cache indexed by a cheap hash of the length and two bytes: a
	// hit costs one string comparison, a miss replaces the slot.
	slot := &d.interns[(len(raw)*31+int(raw[0])*7+int(raw[len(raw)-1]))&(len(d.interns)-1)]
	if *slot == string(raw) {
		return *slot
	}
	*slot = string(raw)
	return *slot
}

// maxSharedText is the length up to which string values are shared between documents
// (message types, system codes, country codes, "" come back all the time).
const maxSharedText = 16

// shared returns a short string value boxed, from a direct-mapped cache like key's:
// a hit saves both the string's and the interface's allocation.
func (d *Decoder) shared(raw []byte) any {
	if len(raw) == 0 {
		return ""
	}
	slot := &d.texts[(len(raw)*31+int(raw[0])*7+int(raw[len(raw)-1]))&(len(d.texts)-1)]
	if s, ok := (*slot).(string); ok && s == string(raw) {
		return *slot
	}
	*slot = string(raw)
	return *slot
}

func (d *Decoder) array() any {
	s := &d.s
	base := len(d.vals)
	first := true
	s.BeginArray()
	for s.More(']', &first) {
		v := d.value()
		d.vals = append(d.vals, v)
	}
	// Elements gather on the shared stack first so the array is allocated once, at
	// its final size.
	arr := make([]any, len(d.vals)-base)
	copy(arr, d.vals[base:])
	clear(d.vals[base:])
	d.vals = d.vals[:base]
	return arr
}

func (d *Decoder) object() any {
	s := &d.s
	base, kbase := len(d.vals), len(d.keys)
	first := true
	s.BeginObject()
	for s.More('}', &first) {
		d.keys = append(d.keys, d.key(s.Key()))
		v := d.value()
		d.vals = append(d.vals, v)
	}
	return d.build(base, kbase)
}

// projected reads a top-level object, decoding only the members in d.project.
func (d *Decoder) projected() any {
	s := &d.s
	first := true
	s.BeginObject()
	for s.More('}', &first) {
		raw, escaped := s.Key()
		var wanted bool
		if escaped {
			wanted = d.project[d.text(raw, true)]
		} else {
			wanted = d.project[string(raw)] // a lookup: the conversion does not allocate
		}
		if !wanted {
			s.Skip() // still checked: a broken document must not pass
			continue
		}
		d.keys = append(d.keys, d.key(raw, escaped))
		v := d.value()
		d.vals = append(d.vals, v)
	}
	return d.build(0, 0)
}

// build makes the object whose members are on the stacks from base and kbase.
func (d *Decoder) build(base, kbase int) map[string]any {
	keys := d.keys[kbase:]
	m := make(map[string]any, len(keys))
	for i, k := range keys {
		m[k] = d.vals[base+i] // a repeated name keeps its last value, as in encoding/json
	}
	clear(d.vals[base:])
	d.vals = d.vals[:base]
	d.keys = d.keys[:kbase]
	return m
}
