package jsontext

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// plain marks the bytes that may stand in a string as they are: printable ASCII other
// than '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special marks, with the high bit of its byte, each byte of x that is not plain (see
// plain), using the classic "has a zero byte" bit tricks: a byte below 0x20, a '"', a
// '\\' or a byte with the high bit set. Borrows only run towards later bytes, so the
// lowest marked byte is always a real one: bits.TrailingZeros64 finds the first special
// byte exactly (bytes after it may be false alarms, which no caller looks at).
func special(x uint64) uint64 {
	quote := x ^ (ones * '"')
	slash := x ^ (ones * '\\')
	return (((x - ones*0x20) & ^x) | ((quote - ones) & ^quote) | ((slash - ones) & ^slash) | x) & highs
}

// plainRun returns the offset of the first byte at or after i that is not plain, or
// len(data). Eight bytes a step, then one word check jumps to the special byte.
func plainRun(data []byte, i int) int {
	for i+8 <= len(data) {
		if m := special(binary.LittleEndian.Uint64(data[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(data) && plain[data[i]] {
		i++
	}
	return i
}

// shortKey returns the name starting at data[i] when it is plain and its closing quote
// stands within sixteen bytes, as for almost every member name; otherwise nil, and
// String reads the name.
func shortKey(data []byte, i int) []byte {
	if i+16 > len(data) {
		return nil
	}
	n := 0
	m := special(binary.LittleEndian.Uint64(data[i:]))
	if m == 0 {
		n = 8
		m = special(binary.LittleEndian.Uint64(data[i+8:]))
	}
	if m != 0 {
		n += bits.TrailingZeros64(m) >> 3
		if data[i+n] == '"' {
			return data[i : i+n]
		}
	}
	return nil
}

// String reads a string at Pos (which must hold '"') and returns its raw content without
// the quotes, and whether it holds escapes (then use AppendUnquoted to decode it).
func (s *Scanner) String() ([]byte, bool) {
	data := s.Data
	start := s.Pos + 1
	i := start
	escaped := false
	for {
		i = plainRun(data, i)
		if i >= len(data) {
			s.failEOF(s.Pos, "unterminated string")
		}
		switch c := data[i]; {
		case c == '"':
			s.Pos = i + 1
			return data[start:i], escaped
		case c == '\\':
			escaped = true
			i = s.escape(i)
		case c < 0x20:
			s.Fail(i, "%s in string (escape it)", describe(data, i))
		default:
			i = s.utf8Run(i)
		}
	}
}

// utf8Run checks the run of non-ASCII bytes at data[i] as UTF-8 and returns the offset
// after it. A whole run is checked at once; only a broken one is walked rune by rune to
// tell where it breaks.
func (s *Scanner) utf8Run(i int) int {
	data := s.Data
	j := i + 1
	for j+8 <= len(data) {
		if m := ^binary.LittleEndian.Uint64(data[j:]) & highs; m != 0 {
			j += bits.TrailingZeros64(m) >> 3
			break
		}
		j += 8
	}
	for j < len(data) && data[j] >= 0x80 {
		j++
	}
	if utf8.Valid(data[i:j]) {
		return j
	}
	for i < j {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(data[i:]) {
				s.failEOF(i, "unexpected end of input inside a UTF-8 character")
			}
			s.Fail(i, "invalid UTF-8 byte 0x%02x in string", data[i])
		}
		i += size
	}
	return i
}

// escape checks the escape sequence at data[i] == '\\' and returns the offset after it.
func (s *Scanner) escape(i int) int {
	data := s.Data
	if i+1 >= len(data) {
		s.failEOF(s.Pos, "unterminated string")
	}
	switch data[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i + 2
	case 'u':
		end := min(i+6, len(data))
		for _, h := range data[i+2 : end] {
			if hexVal(h) < 0 {
				s.Fail(i, "invalid \\u escape, expected four hex digits")
			}
		}
		if end < i+6 {
			s.failEOF(i, "incomplete \\u escape")
		}
		return i + 6
	default:
		s.Fail(i, "invalid escape %s in string", describe(data, i+1))
		return 0
	}
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
