package jsontext

import (
	"strconv"
	"strings"
)

// Path is where a value stands in a document: member names and array indexes from the
// top. It is reused while a Rewrite walks; copy it to keep it.
type Path []PathElem

// PathElem is one step of a Path: a member name, or an array index when IsIndex.
type PathElem struct {
	Key     string
	Index   int
	IsIndex bool
}

// Pointer writes the path as a JSON pointer (RFC 6901).
func (p Path) Pointer() string {
	var b strings.Builder
	for _, e := range p {
		b.WriteByte('/')
		if e.IsIndex {
			b.WriteString(strconv.Itoa(e.Index))
		} else {
			b.WriteString(EscapePointerToken(e.Key))
		}
	}
	return b.String()
}

// Edit is asked about every value of a document, containers before their contents
// (with raw nil for a container; scalars get their raw text, strings with quotes).
// It returns the raw JSON to put in the value's place and true, or false to keep the
// value (and go into it, for a container).
type Edit func(path Path, k Kind, raw []byte) (replacement []byte, ok bool)

// Insert adds Value as member Key of the object at Parent when that object lacks it.
type Insert struct {
	Parent []string // member names from the top; empty for the document itself
	Key    string
	Value  []byte // raw JSON
}

// Rewrite appends data to dst with the values edit replaces replaced and the inserts
// made, keeping everything else, white space, key order and number literals included,
// byte for byte. data must be one valid JSON document.
func Rewrite(dst, data []byte, edit Edit, inserts []Insert) (out []byte, err error) {
	defer Catch(&err)
	w := rewriter{s: Scanner{Data: data}, dst: dst, edit: edit, inserts: inserts}
	w.value()
	w.s.End()
	w.dst = append(w.dst, data[w.copied:]...)
	return w.dst, nil
}

type rewriter struct {
	s       Scanner
	dst     []byte
	copied  int // data before this offset is in dst already
	path    Path
	edit    Edit
	inserts []Insert
}

// replace puts raw in place of data[start:end].
func (w *rewriter) replace(start, end int, raw []byte) {
	w.dst = append(w.dst, w.s.Data[w.copied:start]...)
	w.dst = append(w.dst, raw...)
	w.copied = end
}

func (w *rewriter) value() {
	s := &w.s
	k := s.Peek()
	start := s.Pos
	container := k == Object || k == Array
	var raw []byte
	if !container {
		_, raw = s.Value()
	}
	if w.edit != nil {
		// Ask about a container before entering it (raw is nil then): a replaced
		// container is skipped whole.
		if repl, ok := w.edit(w.path, k, raw); ok {
			if container {
				s.Skip()
			}
			w.replace(start, s.Pos, repl)
			return
		}
	}
	if !container {
		return
	}
	switch k {
	case Object:
		w.object()
	case Array:
		s.BeginArray()
		first := true
		for i := 0; s.More(']', &first); i++ {
			w.path = append(w.path, PathElem{Index: i, IsIndex: true})
			w.value()
			w.path = w.path[:len(w.path)-1]
		}
	}
}

func (w *rewriter) object() {
	s := &w.s
	s.BeginObject()
	first := true
	var seen []string
	for {
		s.SkipSpace()
		closeAt := s.Pos
		if !s.More('}', &first) {
			w.insertMissing(closeAt, seen, first)
			return
		}
		name, esc := s.Key()
		key := Text(name, esc)
		seen = append(seen, key)
		w.path = append(w.path, PathElem{Key: key})
		w.value()
		w.path = w.path[:len(w.path)-1]
	}
}

// insertMissing adds, before the closing brace at closeAt, the inserts aimed at this
// object whose key it did not hold. empty says the object had no members.
func (w *rewriter) insertMissing(closeAt int, seen []string, empty bool) {
	for _, in := range w.inserts {
		if !w.at(in.Parent) || contains(seen, in.Key) {
			continue
		}
		var b []byte
		if !empty {
			b = append(b, ',')
		}
		b = AppendQuote(b, in.Key)
		b = append(b, ':')
		b = append(b, in.Value...)
		w.replace(closeAt, closeAt, b)
		seen = append(seen, in.Key)
		empty = false
	}
}

// at reports whether the walk stands in the object at names.
func (w *rewriter) at(names []string) bool {
	if len(names) != len(w.path) {
		return false
	}
	for i, e := range w.path {
		if e.IsIndex || e.Key != names[i] {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
