// Package jsontext reads JSON text strictly (RFC 8259, UTF-8 only) and fast, straight
// from a byte slice, without building values it is not asked for.
//
// A Scanner walks one document. Its methods report syntax errors by panicking with a
// *SyntaxError that Catch turns back into an error at the document's edge; this keeps
// the callers, which follow a schema field by field, free of error plumbing on the
// happy path. No panic ever leaves the package's callers: every entry point defers Catch.
package jsontext

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode/utf8"
)

// MaxDepth is how deeply arrays and objects may nest before the document is refused:
// far beyond any payload, and low enough that rendering a document (whose indented
// output grows with the square of its depth) or walking it recursively stays cheap.
const MaxDepth = 1000

// Kind is the type of a JSON value, read from its first byte.
type Kind byte

// The kinds of JSON values.
const (
	Invalid Kind = iota
	Null
	False
	True
	Number
	String
	Object
	Array
)

var kindNames = [...]string{"invalid", "null", "boolean", "boolean", "number", "string", "object", "array"}

// String names the kind as a person would ("boolean" for both true and false).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// SyntaxError is a place where the text is not JSON.
type SyntaxError struct {
	Offset int    // byte offset in the document
	Msg    string // what was wrong, lower case
	EOF    bool   // the data ended inside a value: more data might complete it
	Stop   int    // how far the scanner had read when it stopped (>= Offset)
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s (at byte %d)", e.Msg, e.Offset) }

// scanPanic carries a *SyntaxError through a panic so Catch can tell it from others.
type scanPanic struct{ err *SyntaxError }

// Catch turns a syntax panic raised by a Scanner into *err. Use it as
// `defer jsontext.Catch(&err)` at every place that starts scanning a document.
// Panics that are not syntax errors go on unchanged.
func Catch(err *error) {
	if r := recover(); r != nil {
		p, ok := r.(scanPanic)
		if !ok {
			panic(r)
		}
		*err = p.err
	}
}

// Scanner reads JSON from Data, starting at Pos.
type Scanner struct {
	Data  []byte
	Pos   int
	depth int
}

// Reset makes the scanner read data from its start.
func (s *Scanner) Reset(data []byte) {
	s.Data, s.Pos, s.depth = data, 0, 0
}

// Fail stops the scan with a syntax error at offset off.
func (s *Scanner) Fail(off int, format string, args ...any) {
	panic(scanPanic{&SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...), EOF: off >= len(s.Data), Stop: max(off, s.Pos)}})
}

// failEOF stops the scan because the data ended inside a value.
func (s *Scanner) failEOF(off int, format string, args ...any) {
	panic(scanPanic{&SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...), EOF: true, Stop: len(s.Data)}})
}

// SkipSpace moves past JSON white space.
func (s *Scanner) SkipSpace() {
	// Compact JSON has no white space: one comparison, inlined at every call.
	if s.Pos < len(s.Data) && s.Data[s.Pos] > ' ' {
		return
	}
	s.skipSpace()
}

// skipSpace is kept out of line so that SkipSpace stays small enough to inline.
//
//go:noinline
func (s *Scanner) skipSpace() {
	data, i := s.Data, s.Pos
	for i < len(data) {
		switch data[i] {
		case ' ', '\n', '\t', '\r':
		default:
			// Compact JSON has no white space: this is the common exit.
			s.Pos = i
			return
		}
		i++
		// Indentation in pretty-printed documents: jump over up to eight spaces at once.
		if i+8 <= len(data) {
			x := binary.LittleEndian.Uint64(data[i:]) ^ (ones * ' ')
			i += bits.TrailingZeros64(x) >> 3
		}
	}
	s.Pos = i
}

// Peek skips white space and returns the kind of the next value without reading it.
// At the end of the data it fails with "unexpected end".
func (s *Scanner) Peek() Kind {
	s.SkipSpace()
	if s.Pos >= len(s.Data) {
		s.failEOF(s.Pos, "unexpected end of input, expected a value")
	}
	switch c := s.Data[s.Pos]; c {
	case '{':
		return Object
	case '[':
		return Array
	case '"':
		return String
	case 't':
		return True
	case 'f':
		return False
	case 'n':
		return Null
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return Number
		}
		s.Fail(s.Pos, "unexpected %s, expected a value", describe(s.Data, s.Pos))
		return Invalid
	}
}

// Value reads any value and returns its kind and raw text.
func (s *Scanner) Value() (Kind, []byte) {
	k := s.Peek()
	return k, s.Read(k)
}

// Read reads the value at Pos, of kind k as Peek just returned it, and returns its raw
// text: Value without peeking twice.
func (s *Scanner) Read(k Kind) []byte {
	start := s.Pos
	switch k {
	case Object:
		s.skipObject()
	case Array:
		s.skipArray()
	case String:
		s.String()
	case Number:
		s.Number()
	default:
		s.literal(k)
	}
	return s.Data[start:s.Pos]
}

// Skip reads and discards one value.
func (s *Scanner) Skip() { s.Value() }

func (s *Scanner) literal(k Kind) {
	var word string
	switch k {
	case Null:
		word = "null"
	case True:
		word = "true"
	default:
		word = "false"
	}
	if rest := s.Data[s.Pos:]; len(rest) < len(word) && string(rest) == word[:len(rest)] {
		s.failEOF(s.Pos, "unexpected end of input in %s", word)
	}
	if len(s.Data)-s.Pos < len(word) || string(s.Data[s.Pos:s.Pos+len(word)]) != word {
		s.Fail(s.Pos, "invalid literal, expected %s", word)
	}
	s.Pos += len(word)
}

func (s *Scanner) skipObject() {
	first := true
	s.BeginObject()
	for s.More('}', &first) {
		s.Key()
		s.Skip()
	}
}

func (s *Scanner) skipArray() {
	first := true
	s.BeginArray()
	for s.More(']', &first) {
		s.Skip()
	}
}

// BeginObject reads '{' (after white space). Iterate the members with More('}', &first).
func (s *Scanner) BeginObject() { s.begin('{') }

// BeginArray reads '[' (after white space). Iterate the elements with More(']', &first).
func (s *Scanner) BeginArray() { s.begin('[') }

func (s *Scanner) begin(open byte) {
	s.SkipSpace()
	if s.Pos >= len(s.Data) || s.Data[s.Pos] != open {
		s.Fail(s.Pos, "expected '%c', found %s", open, describe(s.Data, s.Pos))
	}
	s.depth++
	if s.depth > MaxDepth {
		s.Fail(s.Pos, "nested more than %d levels deep", MaxDepth)
	}
	s.Pos++
}

// More reports whether another member or element follows in the object or array being
// read, consuming the separating comma; at the closing byte it consumes it and returns
// false. first must start true for each container.
func (s *Scanner) More(closer byte, first *bool) bool {
	data, i := s.Data, s.Pos
	if i < len(data) && data[i] <= ' ' {
		s.skipSpace()
		i = s.Pos
	}
	if i >= len(data) {
		s.failEOF(i, "unexpected end of input, expected ',' or '%c'", closer)
	}
	c := data[i]
	if c == closer {
		s.Pos = i + 1
		s.depth--
		return false
	}
	if *first {
		*first = false
		return true
	}
	if c != ',' {
		s.Fail(i, "unexpected %s, expected ',' or '%c'", describe(data, i), closer)
	}
	s.Pos = i + 1
	// Compact JSON: the next member or element follows the comma at once.
	if i+1 < len(data) && data[i+1] > ' ' && data[i+1] != closer {
		return true
	}
	// Indented JSON: a newline and up to seven spaces.
	if i+10 <= len(data) && data[i+1] == '\n' {
		x := binary.LittleEndian.Uint64(data[i+2:]) ^ (ones * ' ')
		if j := i + 2 + bits.TrailingZeros64(x)>>3; j < i+10 && data[j] > ' ' && data[j] != closer {
			s.Pos = j
			return true
		}
	}
	s.SkipSpace()
	if s.Pos < len(data) && data[s.Pos] == closer {
		s.Fail(i, "trailing comma before '%c'", closer)
	}
	return true
}

// Key reads an object member's name and the colon after it. It returns the raw name
// (without quotes) and whether it holds escapes.
func (s *Scanner) Key() ([]byte, bool) {
	s.SkipSpace()
	data, i := s.Data, s.Pos
	if i >= len(data) || data[i] != '"' {
		s.Fail(i, "unexpected %s, expected a member name in double quotes", describe(data, i))
	}
	key, esc := shortKey(data, i+1), false
	if key != nil {
		s.Pos = i + 2 + len(key)
	} else {
		key, esc = s.String()
	}
	// Compact JSON: the colon follows at once; indented JSON puts one space after it.
	if i := s.Pos; i < len(data) && data[i] == ':' {
		if i+2 < len(data) && data[i+1] == ' ' && data[i+2] > ' ' {
			i++
		}
		s.Pos = i + 1
		return key, esc
	}
	s.SkipSpace()
	if s.Pos >= len(data) || data[s.Pos] != ':' {
		s.Fail(s.Pos, "unexpected %s, expected ':' after member name", describe(data, s.Pos))
	}
	s.Pos++
	return key, esc
}

// Number reads a number at Pos and returns its text, checked against JSON's grammar.
func (s *Scanner) Number() []byte {
	data := s.Data
	start := s.Pos
	i := start
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
		if i < len(data) && data[i] >= '0' && data[i] <= '9' {
			s.Fail(i-1, "number with a leading zero")
		}
	case i < len(data) && data[i] >= '1' && data[i] <= '9':
		i = digits(data, i)
	default:
		s.Fail(i, "invalid number: expected a digit, found %s", describe(data, i))
	}
	if i < len(data) && data[i] == '.' {
		i++
		j := digits(data, i)
		if j == i {
			s.Fail(i, "invalid number: expected a digit after '.', found %s", describe(data, i))
		}
		i = j
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j := digits(data, i)
		if j == i {
			s.Fail(i, "invalid number: expected a digit in the exponent, found %s", describe(data, i))
		}
		i = j
	}
	s.Pos = i
	return data[start:i]
}

func digits(data []byte, i int) int {
	for i < len(data) && data[i] >= '0' && data[i] <= '9' {
		i++
	}
	return i
}

// End checks that nothing but white space follows the document.
func (s *Scanner) End() {
	s.SkipSpace()
	if s.Pos < len(s.Data) {
		s.Fail(s.Pos, "unexpected %s after the end of the document", describe(s.Data, s.Pos))
	}
}

// describe names the byte at data[i] for an error message.
func describe(data []byte, i int) string {
	if i >= len(data) {
		return "end of input"
	}
	c := data[i]
	switch {
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf("control character 0x%02x", c)
	case c >= 0x80:
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return fmt.Sprintf("invalid UTF-8 byte 0x%02x", c)
		}
		return fmt.Sprintf("character %q", r)
	default:
		return fmt.Sprintf("character '%c'", c)
	}
}

// Valid reports the first syntax error of data as one complete JSON document, or nil.
func Valid(data []byte) (err error) {
	defer Catch(&err)
	s := Scanner{Data: data}
	s.Skip()
	s.End()
	return nil
}
