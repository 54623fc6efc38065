package render

import (
	"bytes"
	"slices"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// member is one member of an object being sorted: where its name and value stand.
type member struct {
	name    []byte // the name's raw content, between the quotes
	escaped bool   // the name holds escapes
	quoted  []byte // the name with its quotes, as written
	value   int    // offset of the value in the document
}

// sortedObject writes an object whose '{' has been read with its members ordered by
// name. It reads the members once to find them, sorts them (stably, so duplicate names
// keep their order), then writes each value from its place. Nested objects are thus
// read once more per level above them, which costs little at JSON's usual depths.
func (f *Formatter) sortedObject(depth int) {
	s := &f.s
	base := len(f.members)
	first := true
	for s.More('}', &first) {
		s.SkipSpace()
		start := s.Pos
		name, esc := s.Key()
		s.SkipSpace()
		f.members = append(f.members, member{name: name, escaped: esc, quoted: s.Data[start : start+len(name)+2], value: s.Pos})
		s.Skip()
	}
	end := s.Pos
	count := len(f.members) - base
	slices.SortStableFunc(f.members[base:], compareNames)

	col := f.color(jsontext.Object)
	f.punct(col, '{')
	for i := range count {
		// Index afresh each time: nested objects append to f.members and may move it.
		m := f.members[base+i]
		if i > 0 {
			f.punct(col, ',')
		}
		f.newline(depth + 1)
		f.key(col, m.quoted)
		s.Pos = m.value
		f.value(depth + 1)
	}
	if count > 0 {
		f.newline(depth)
	}
	f.punct(col, '}')
	f.members = f.members[:base]
	s.Pos = end
}

// compareNames orders member names by their decoded text, byte by byte, which for
// UTF-8 is the order of code points (jq's order too).
func compareNames(a, b member) int {
	if !a.escaped && !b.escaped {
		return bytes.Compare(a.name, b.name)
	}
	return bytes.Compare(decodedName(a), decodedName(b))
}

func decodedName(m member) []byte {
	if !m.escaped {
		return m.name
	}
	return jsontext.AppendUnquoted(nil, m.name)
}
