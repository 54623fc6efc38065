package jsontext

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// LineCol returns the 1-based line and column (in characters) of byte offset off.
func LineCol(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, 1 + utf8.RuneCount(before[start:])
}

// EscapePointerToken escapes one reference token of a JSON pointer (RFC 6901).
func EscapePointerToken(tok string) string {
	if !strings.ContainsAny(tok, "~/") {
		return tok
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(tok)
}

// stopWalk ends a pointer walk once the target has been passed.
type stopWalk struct{}

// pointerWalk follows the path of the value being read as a stack of escaped tokens;
// best is how many of them make the answer. Building the pointer only once, at the end,
// keeps deep documents linear.
type pointerWalk struct {
	s      Scanner
	target int
	stack  []string
	best   int
}

// PointerAt returns the JSON pointer of the innermost value of data that holds byte
// offset off, or of the value being read when a syntax error stops the walk there.
// It is the slow path: run it only to explain an error.
func PointerAt(data []byte, off int) string {
	w := pointerWalk{s: Scanner{Data: data}, target: off}
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(stopWalk); ok {
					return
				}
				if _, ok := r.(scanPanic); ok {
					return
				}
				panic(r)
			}
		}()
		w.value()
	}()
	var b strings.Builder
	for _, tok := range w.stack[:w.best] {
		b.WriteByte('/')
		b.WriteString(tok)
	}
	return b.String()
}

// value reads the value whose path is the whole stack.
func (w *pointerWalk) value() {
	s := &w.s
	depth := len(w.stack)
	s.SkipSpace()
	if s.Pos > w.target {
		panic(stopWalk{})
	}
	w.best = depth
	switch s.Peek() {
	case Object:
		s.BeginObject()
		first := true
		for s.More('}', &first) {
			s.SkipSpace()
			if s.Pos > w.target {
				panic(stopWalk{})
			}
			w.best = depth
			k, esc := s.Key()
			w.stack = append(w.stack[:depth], EscapePointerToken(Text(k, esc)))
			w.value()
			w.best = depth
		}
	case Array:
		s.BeginArray()
		first := true
		for i := 0; s.More(']', &first); i++ {
			w.stack = append(w.stack[:depth], strconv.Itoa(i))
			w.value()
			w.best = depth
		}
	default:
		s.Skip()
	}
	if s.Pos > w.target {
		// The target lies inside this value but in none of its members.
		w.best = depth
		panic(stopWalk{})
	}
}
