package jsontext

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// AppendUnquoted appends the decoded text of a raw string's content (as returned by
// Scanner.String, already checked) to dst. Lone surrogates become U+FFFD.
func AppendUnquoted(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			// Copy the run up to the next escape in one step.
			j := i + 1
			for j < len(raw) && raw[j] != '\\' {
				j++
			}
			dst = append(dst, raw[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(raw) {
			return append(dst, raw[i:]...)
		}
		switch raw[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, n := unicodeEscape(raw[i:])
			dst = utf8.AppendRune(dst, r)
			i += n
			continue
		default: // '"', '\\', '/'
			dst = append(dst, raw[i+1])
		}
		i += 2
	}
	return dst
}

// unicodeEscape decodes \uXXXX (and a following low surrogate) at the start of raw.
func unicodeEscape(raw []byte) (rune, int) {
	r1 := hex4(raw[2:])
	if r1 < 0 {
		return utf8.RuneError, 2
	}
	if utf16.IsSurrogate(rune(r1)) {
		if len(raw) >= 12 && raw[6] == '\\' && raw[7] == 'u' {
			if r2 := hex4(raw[8:]); r2 >= 0 {
				if r := utf16.DecodeRune(rune(r1), rune(r2)); r != utf8.RuneError {
					return r, 12
				}
			}
		}
		return utf8.RuneError, 6
	}
	return rune(r1), 6
}

func hex4(b []byte) int {
	if len(b) < 4 {
		return -1
	}
	v := 0
	for _, c := range b[:4] {
		h := hexVal(c)
		if h < 0 {
			return -1
		}
		v = v<<4 | h
	}
	return v
}

// Text returns the decoded text of a raw string content.
func Text(raw []byte, escaped bool) string {
	if !escaped {
		return string(raw)
	}
	return string(AppendUnquoted(make([]byte, 0, len(raw)), raw))
}

// IsInteger reports whether a number's text has neither fraction nor exponent.
func IsInteger(num []byte) bool {
	for _, c := range num {
		if c == '.' || c == 'e' || c == 'E' {
			return false
		}
	}
	return len(num) > 0
}

// ParseInt returns the value of an integer number's text, and false when the text is
// not an integer or does not fit in an int64.
func ParseInt(num []byte) (int64, bool) {
	if len(num) == 0 || len(num) > 20 {
		return 0, false
	}
	neg := num[0] == '-'
	digits := num
	if neg {
		digits = num[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	if len(digits) >= 19 {
		// Near the edge of int64: let strconv decide about overflow.
		return slowParseInt(num)
	}
	var v int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

func slowParseInt(num []byte) (int64, bool) {
	v, err := strconv.ParseInt(string(num), 10, 64)
	return v, err == nil
}
