package input

import (
	"encoding/binary"
	"math/bits"
)

// oneDocument reports, cheaply, a plain .json file that holds one object, which is
// what nearly every file holds: it need not be split. It says true exactly when the
// bracket scan of find (depthScan) closes the object at the file's last byte but white
// space, and no line inside the object begins a document (see nextDocumentLine): the
// split would then give the whole file as one document. Any other file goes through
// the split, which decides.
//
// The scan looks at eight bytes at a time for the few that matter (quotes, brackets
// and, inside strings, newlines): a folder of small pretty files spends most of its
// time outside the decoder on this check otherwise.
func oneDocument(raw []byte) bool {
	i := 0
	for i < len(raw) && isSpace(raw[i]) {
		i++
	}
	if i == len(raw) || raw[i] != '{' {
		return false
	}
	end := objectEnd(raw, i)
	if end < 0 {
		return false
	}
	for _, c := range raw[end:] {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// Word-at-a-time byte search: every byte of a uint64 at once.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// zeros marks the zero bytes of w with their high bit. Bytes above the first zero may
// be marked wrongly (a borrow), so only the lowest mark is to be trusted.
func zeros(w uint64) uint64 { return (w - ones) &^ w & highs }

// structural marks the quotes and brackets of w (the lowest mark is exact). Or-ing
// 0x20 turns '[' into '{' and ']' into '}', and no other byte into either.
func structural(w uint64) uint64 {
	l := w | 0x20*ones
	return zeros(w^'"'*ones) | zeros(l^'{'*ones) | zeros(l^'}'*ones)
}

// quoteOrNewline marks the quotes and newlines of w (the lowest mark is exact).
func quoteOrNewline(w uint64) uint64 { return zeros(w^'"'*ones) | zeros(w^'\n'*ones) }

// nextStructural returns the index of the first quote or bracket from i on, or
// len(raw).
func nextStructural(raw []byte, i int) int {
	for ; i+8 <= len(raw); i += 8 {
		if m := structural(binary.LittleEndian.Uint64(raw[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for i < len(raw) && !isStructural(raw[i]) {
		i++
	}
	return i
}

// nextQuoteOrNewline returns the index of the first quote or newline from i on, or
// len(raw).
func nextQuoteOrNewline(raw []byte, i int) int {
	for ; i+8 <= len(raw); i += 8 {
		if m := quoteOrNewline(binary.LittleEndian.Uint64(raw[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for i < len(raw) && raw[i] != '"' && raw[i] != '\n' {
		i++
	}
	return i
}

func isStructural(c byte) bool { return c == '"' || c|0x20 == '{' || c|0x20 == '}' }

// objectEnd returns the offset just past the bracket that closes the value opened at
// raw[from], counting brackets outside strings as depthScan does, or -1 when the value
// does not close or a line inside it begins a document ('{' or '[' in its first
// column, inside a string or not, as nextDocumentLine finds it).
func objectEnd(raw []byte, from int) int {
	depth := 0
	for i := from; ; i++ {
		i = nextStructural(raw, i)
		if i == len(raw) {
			return -1
		}
		switch raw[i] {
		case '"':
			if i = stringEnd(raw, i+1); i < 0 {
				return -1
			}
		case '{', '[':
			if i > from && raw[i-1] == '\n' {
				return -1
			}
			depth++
		default: // '}', ']'
			if depth--; depth <= 0 {
				return i + 1
			}
		}
	}
}

// stringEnd returns the offset of the quote that closes the string whose content
// starts at raw[i], or -1 when it does not close or a line inside it begins a document.
func stringEnd(raw []byte, i int) int {
	for ; ; i++ {
		i = nextQuoteOrNewline(raw, i)
		if i == len(raw) {
			return -1
		}
		if raw[i] == '\n' {
			if i+1 < len(raw) && (raw[i+1] == '{' || raw[i+1] == '[') {
				return -1
			}
			continue
		}
		bs := 0
		for k := i - 1; k >= 0 && raw[k] == '\\'; k-- {
			bs++
		}
		if bs%2 == 0 {
			return i
		}
	}
}
