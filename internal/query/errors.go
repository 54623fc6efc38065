package query

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// FilterError is a filter that does not parse or compile, with the place it is about.
type FilterError struct {
	Source string // the filter's text
	Name   string // the file it came from, "" for the command line
	Offset int    // byte offset in Source of the place, -1 when unknown
	Msg    string // gojq's message
}

// maxShown is how many characters of the offending line are shown around the place.
const maxShown = 72

// Error shows the message, the line of the filter and a caret under the place:
//
//	invalid filter: unexpected token "]"
//	    .a | ]
//	         ^
//
// Filters of several lines, or read from a file, get the line number in front.
func (e *FilterError) Error() string {
	var b strings.Builder
	b.WriteString("invalid filter")
	if e.Offset < 0 || e.Offset > len(e.Source) {
		if e.Name != "" {
			b.WriteString(" in " + e.Name)
		}
		b.WriteString(": " + e.Msg)
		return b.String()
	}
	start := strings.LastIndexByte(e.Source[:e.Offset], '\n') + 1
	end := strings.IndexByte(e.Source[e.Offset:], '\n')
	if end < 0 {
		end = len(e.Source)
	} else {
		end += e.Offset
	}
	line := strings.TrimSuffix(e.Source[start:end], "\r")
	col := min(e.Offset-start, len(line))
	lineNo := lineOf(e.Source, e.Offset)
	multi := e.Name != "" || strings.Contains(strings.TrimRight(e.Source, "\n"), "\n")
	if multi {
		name := e.Name
		if name == "" {
			name = "filter"
		}
		b.WriteString(" at " + name + ":" + strconv.Itoa(lineNo) + ":" + strconv.Itoa(1+utf8.RuneCountInString(line[:col])))
	}
	b.WriteString(": " + e.Msg + "\n")
	prefix := "    "
	if multi {
		prefix = "    " + strconv.Itoa(lineNo) + " | "
	}
	shown, caret := window(line, col)
	b.WriteString(prefix + shown + "\n")
	b.WriteString(strings.Repeat(" ", len(prefix)) + pad(shown[:caret]) + "^")
	return b.String()
}

// window cuts a long line to at most maxShown characters around byte col, and
// returns the cut text and the caret's byte offset in it.
func window(line string, col int) (string, int) {
	if utf8.RuneCountInString(line) <= maxShown {
		return line, col
	}
	from := col
	for n := 0; from > 0 && n < maxShown/2; n++ {
		_, size := utf8.DecodeLastRuneInString(line[:from])
		from -= size
	}
	to := from
	for n := 0; to < len(line) && n < maxShown; n++ {
		_, size := utf8.DecodeRuneInString(line[to:])
		to += size
	}
	prefix := ""
	if from > 0 {
		prefix = "..."
	}
	suffix := ""
	if to < len(line) {
		suffix = "..."
	}
	return prefix + line[from:to] + suffix, len(prefix) + col - from
}

// pad is white space as wide as text, keeping its tabs so the caret lines up.
func pad(text string) string {
	var b strings.Builder
	for _, r := range text {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}
