package query

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/itchyny/gojq"
	"github.com/mattn/go-runewidth"
)

// Exit codes of a query run, those of jq and gojq.
const (
	ExitFalsy   = 1 // -e: the last output was false or null
	ExitUsage   = 2 // a bad flag or argument
	ExitCompile = 3 // the filter does not parse or compile
	ExitNoValue = 4 // -e: there was no output
	ExitRuntime = 5 // a runtime error, an unreadable input or broken JSON
)

// ExitError ends a run with Code; Err is what to print ("" when already reported).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return ""
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode is the process's exit code for the error.
func (e *ExitError) ExitCode() int { return e.Code }

// QueryError is a filter that does not parse, shown as gojq shows it: the line of the
// filter with a caret under the place and the reason after it.
type QueryError struct {
	Name   string // "<arg>" for the command line, else the file
	Source string
	Err    error
}

func (e *QueryError) Error() string {
	offset := 0
	var pe *gojq.ParseError
	if errors.As(e.Err, &pe) {
		offset = pe.Offset - len(pe.Token) + 1
	}
	text, line, col := lineAt(e.Source, offset)
	if e.Name != "<arg>" || strings.ContainsAny(e.Source, "\r\n") {
		return fmt.Sprintf("invalid query: %s:%d\n%s  %s", e.Name, line, lineInfo(text, line, col), e.Err)
	}
	return fmt.Sprintf("invalid query: %s\n    %s\n    %*c  %s", e.Source, text, col+1, '^', e.Err)
}

func (e *QueryError) Unwrap() error { return e.Err }

// CompileError is a filter that parses but does not compile.
type CompileError struct{ Err error }

func (e *CompileError) Error() string { return "compile error: " + e.Err.Error() }
func (e *CompileError) Unwrap() error { return e.Err }

// JSONError is input that is not JSON, with the line it breaks on.
type JSONError struct {
	Name     string // the file, "<stdin>", or the flag the text came from
	Contents string // the text read around the error
	Line     int    // lines before Contents
	Err      error
}

func (e *JSONError) Error() string {
	offset := 0
	var se *json.SyntaxError
	var te *trailingError
	switch {
	case e.Err == io.ErrUnexpectedEOF:
		offset = len(e.Contents) + 1
	case errors.As(e.Err, &se):
		offset = int(se.Offset)
	case errors.As(e.Err, &te):
		offset = te.offset
	}
	text, line, col := lineAt(e.Contents, offset)
	if line += e.Line; line > 1 {
		return fmt.Sprintf("invalid json: %s:%d\n%s  %s", e.Name, line, lineInfo(text, line, col), e.Err)
	}
	return fmt.Sprintf("invalid json: %s\n    %s\n    %*c  %s", e.Name, text, col+1, '^', e.Err)
}

func (e *JSONError) Unwrap() error { return e.Err }

// trailingError is a second value after the one a flag takes.
type trailingError struct {
	char   rune
	offset int
}

func (e *trailingError) Error() string {
	return "invalid character " + strconv.QuoteRune(e.char) + " after top-level value"
}

// lineAt finds the line holding the 1-based offset in s, cut to at most 64 bytes
// around it, and the display column of the offset in what is returned.
func lineAt(s string, offset int) (text string, line, col int) {
	for start := 0; s != ""; {
		i, next := lineEnd(s)
		line++
		text = s[:i]
		if offset <= start+i+1 {
			offset -= start
			break
		}
		start += next
		s = s[next:]
	}
	offset = min(max(offset-1, 0), len(text))
	if offset > 48 {
		skip := len(trimBrokenRune(text[:offset-48]))
		text = text[skip:]
		offset -= skip
	}
	text = trimBrokenRune(text[:min(64, len(text))])
	if offset < len(text) {
		offset = len(trimBrokenRune(text[:offset]))
	} else {
		offset = len(text)
	}
	return text, line, runewidth.StringWidth(text[:offset])
}

// lineEnd returns where the first line of s ends and where the next one starts; a
// line ends at "\n", "\r\n" or "\r".
func lineEnd(s string) (end, next int) {
	i := strings.IndexAny(s, "\r\n")
	switch {
	case i < 0:
		return len(s), len(s)
	case strings.HasPrefix(s[i:], "\r\n"):
		return i, i + 2
	}
	return i, i + 1
}

// trimBrokenRune drops a multi-byte character cut at the end of s.
func trimBrokenRune(s string) string {
	for i := len(s) - 1; i >= 0 && i > len(s)-utf8.UTFMax; i-- {
		if b := s[i]; b < utf8.RuneSelf {
			return s[:i+1]
		} else if utf8.RuneStart(b) {
			if r, _ := utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError {
				return s[:i]
			}
			break
		}
	}
	return s
}

func lineInfo(text string, line, col int) string {
	l := strconv.Itoa(line)
	return fmt.Sprintf("    %s | %s\n    %*c", l, text, col+len(l)+4, '^')
}
