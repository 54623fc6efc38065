package fake

import (
	"strconv"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// text is a string from the fixed vocabularies, escaped once at start-up so
// the hot path only copies bytes. words feeds channel.wordsCount.
type text struct {
	esc   string // JSON-escaped, without quotes
	words int
}

// mkText prepares s for repeated output.
func mkText(s string) text {
	q := jsontext.AppendQuote(nil, s)
	return text{esc: string(q[1 : len(q)-1]), words: countWords(s)}
}

// mkTexts prepares a whole vocabulary.
func mkTexts(ss ...string) []text {
	out := make([]text, len(ss))
	for i, s := range ss {
		out[i] = mkText(s)
	}
	return out
}

// countWords counts runs of non-space characters; CJK without spaces counts
// as one word, which is as good as any rule since Smartsupp's is unknown.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		space := r == ' ' || r == '\n' || r == '\t' || r == '\r'
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// appendText appends t as a quoted JSON string.
func appendText(dst []byte, t *text) []byte {
	dst = append(dst, '"')
	dst = append(dst, t.esc...)
	return append(dst, '"')
}

// appendBool appends true or false.
func appendBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

// appendPad2 appends v as at least two digits.
func appendPad2(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/10%10), byte('0'+v%10))
}

// appendISO appends ms as RFC 3339 UTC with milliseconds, unquoted, e.g.
// 2026-01-05T08:00:00.000Z. Hand-formatting is several times faster than
// time.Time.AppendFormat and the layout never varies.
func appendISO(dst []byte, ms int64) []byte {
	t := time.UnixMilli(ms).UTC()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	dst = strconv.AppendInt(dst, int64(y), 10)
	dst = append(dst, '-')
	dst = appendPad2(dst, int(mo))
	dst = append(dst, '-')
	dst = appendPad2(dst, d)
	dst = append(dst, 'T')
	dst = appendPad2(dst, h)
	dst = append(dst, ':')
	dst = appendPad2(dst, mi)
	dst = append(dst, ':')
	dst = appendPad2(dst, s)
	frac := int(ms % 1000)
	if frac < 0 {
		frac += 1000
	}
	return append(dst, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10), 'Z')
}
