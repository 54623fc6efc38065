package replay

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// PathStep is one step of a --set path: a member name, an array index, or a bare
// number that is an index in an array and a member name in an object.
type PathStep struct {
	Key   string // the member name ("" for [N])
	Index int    // the array index, -1 when the step cannot be one
	Only  bool   // [N]: an array index only
}

func (p PathStep) String() string {
	switch {
	case p.Only:
		return "[" + strconv.Itoa(p.Index) + "]"
	case p.Index >= 0 || isBareName(p.Key):
		return p.Key
	}
	return string(jsontext.AppendQuote(nil, p.Key))
}

func isBareName(s string) bool {
	return s != "" && !strings.ContainsAny(s, `.[]"=`)
}

// Set is one --set: the value at Path gets Value, raw JSON. Missing members are
// created, as objects when more steps follow.
type Set struct {
	Path  []PathStep
	Value []byte
}

// PathText is the path as a user writes it.
func (s Set) PathText() string {
	var b strings.Builder
	for i, p := range s.Path {
		if i > 0 && !p.Only {
			b.WriteByte('.')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// ParseSet reads "path=value". The path is member names joined by dots
// (channel.rating); a number is an array index in an array (messages.0.content) and a
// member name in an object; [N] is an array index only (messages[0].content); a name
// in double quotes, with JSON escapes, may hold dots, brackets and '='
// (variables."utm.source", or variables["utm.source"]). The value is taken as JSON
// when it is valid JSON, else as a string.
func ParseSet(s string) (Set, error) {
	path, rest, err := parsePath(s)
	if err != nil {
		return Set{}, fmt.Errorf("--set %q: %w", s, err)
	}
	value, ok := strings.CutPrefix(rest, "=")
	if !ok {
		return Set{}, fmt.Errorf("--set %q: want path=value, e.g. accountId=999 or messages.0.content=hi", s)
	}
	raw := []byte(value)
	if jsontext.Valid(raw) != nil {
		raw = jsontext.AppendQuote(nil, value)
	}
	return Set{Path: path, Value: raw}, nil
}

// parsePath reads path steps up to an '=' outside quotes; it returns the steps and
// what follows them.
func parsePath(s string) ([]PathStep, string, error) {
	var path []PathStep
	i := 0
	for {
		var step PathStep
		var err error
		switch {
		case i < len(s) && s[i] == '"':
			var key string
			key, i, err = quotedName(s, i)
			step = PathStep{Key: key, Index: -1}
		case i < len(s) && s[i] == '[':
			step, i, err = bracket(s, i)
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(`.=[`, rune(s[j])) {
				j++
			}
			if j == i {
				return nil, "", fmt.Errorf("empty member name at byte %d of the path (quote a name to hold dots: a.\"b.c\")", i+1)
			}
			step = PathStep{Key: s[i:j], Index: index(s[i:j])}
			i = j
		}
		if err != nil {
			return nil, "", err
		}
		path = append(path, step)
		for i < len(s) && s[i] == '[' { // messages[0][1]
			if step, i, err = bracket(s, i); err != nil {
				return nil, "", err
			}
			path = append(path, step)
		}
		if i >= len(s) || s[i] != '.' {
			return path, s[i:], nil
		}
		i++
	}
}

// index is a bare step's array index: its value when it is a decimal number, else -1.
func index(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || (len(s) > 1 && s[0] == '0') || s[0] == '+' {
		return -1
	}
	return n
}

// quotedName reads a JSON string at s[i] and returns its text and the offset after it.
func quotedName(s string, i int) (string, int, error) {
	j := i + 1
	for j < len(s) && s[j] != '"' {
		if s[j] == '\\' {
			j++
		}
		j++
	}
	if j >= len(s) {
		return "", 0, errors.New("a quoted name is not closed")
	}
	raw := []byte(s[i : j+1])
	if jsontext.Valid(raw) != nil {
		return "", 0, fmt.Errorf("bad quoted name %s", raw)
	}
	return string(jsontext.AppendUnquoted(nil, raw[1:len(raw)-1])), j + 1, nil
}

// bracket reads [N] or ["name"] at s[i].
func bracket(s string, i int) (PathStep, int, error) {
	if i+1 < len(s) && s[i+1] == '"' {
		key, j, err := quotedName(s, i+1)
		if err != nil {
			return PathStep{}, 0, err
		}
		if j >= len(s) || s[j] != ']' {
			return PathStep{}, 0, errors.New(`want ["name"]`)
		}
		return PathStep{Key: key, Index: -1}, j + 1, nil
	}
	end := strings.IndexByte(s[i:], ']')
	if end < 0 {
		return PathStep{}, 0, errors.New("a '[' is not closed")
	}
	n := index(s[i+1 : i+end])
	if n < 0 {
		return PathStep{}, 0, fmt.Errorf("[%s] is not an array index (write [\"name\"] for a member)", s[i+1:i+end])
	}
	return PathStep{Index: n, Only: true}, i + end + 1, nil
}

// applySet returns doc with s applied: the value at s.Path replaced, or the first
// missing member added (with objects for the steps after it). A step that meets a
// scalar, an array index out of range, or a name where an array stands is an error.
func applySet(doc []byte, s Set) (out []byte, err error) {
	defer jsontext.Catch(&err)
	sc := jsontext.Scanner{Data: doc}
	for i, step := range s.Path {
		sc.SkipSpace()
		at := Set{Path: s.Path[:i]}.PathText()
		if at == "" {
			at = "the document"
		}
		switch sc.Peek() {
		case jsontext.Object:
			if step.Only {
				return nil, fmt.Errorf("--set %s: %s is an object, not an array", s.PathText(), at)
			}
			if pos, found := findMember(&sc, step.Key); !found {
				for _, later := range s.Path[i+1:] {
					if later.Only {
						return nil, fmt.Errorf("--set %s: %s has no member %s to hold an array index", s.PathText(), at, step)
					}
				}
				return splice(doc, pos, pos, newMember(pos, doc, s.Path[i:], s.Value)), nil
			}
		case jsontext.Array:
			if step.Index < 0 {
				return nil, fmt.Errorf("--set %s: %s is an array: %q is not an index", s.PathText(), at, step.Key)
			}
			if n, found := findElement(&sc, step.Index); !found {
				return nil, fmt.Errorf("--set %s: index %d is out of range: %s has %d element(s)", s.PathText(), step.Index, at, n)
			}
		default:
			k := sc.Peek()
			return nil, fmt.Errorf("--set %s: %s is %s, not an object or array", s.PathText(), at, kindWord(k))
		}
	}
	sc.SkipSpace()
	start := sc.Pos
	sc.Skip()
	return splice(doc, start, sc.Pos, s.Value), nil
}

// findMember reads the object at the scanner up to member key, leaving the scanner at
// its value. When the object lacks it, pos is where a new member goes: after the last
// member's value, or after '{' when it is empty.
func findMember(sc *jsontext.Scanner, key string) (pos int, found bool) {
	sc.BeginObject()
	pos = sc.Pos
	first := true
	for sc.More('}', &first) {
		name, esc := sc.Key()
		if jsontext.Text(name, esc) == key {
			return 0, true
		}
		sc.Skip()
		pos = sc.Pos
	}
	return pos, false
}

// findElement reads the array at the scanner up to element n, leaving the scanner at
// it; when the array is shorter it returns its length.
func findElement(sc *jsontext.Scanner, n int) (int, bool) {
	sc.BeginArray()
	first := true
	i := 0
	for sc.More(']', &first) {
		if i == n {
			return 0, true
		}
		sc.Skip()
		i++
	}
	return i, false
}

// newMember is the text of a member for path (its first step the missing name) with
// value, nested objects holding the steps after the first; a comma leads it unless
// it goes right after the object's '{'.
func newMember(pos int, doc []byte, path []PathStep, value []byte) []byte {
	var b []byte
	if doc[pos-1] != '{' {
		b = append(b, ',')
	}
	for i, step := range path {
		if i > 0 {
			b = append(b, '{')
		}
		b = jsontext.AppendQuote(b, step.Key)
		b = append(b, ':')
	}
	b = append(b, value...)
	for range path[1:] {
		b = append(b, '}')
	}
	return b
}

func splice(doc []byte, start, end int, with []byte) []byte {
	out := make([]byte, 0, len(doc)-(end-start)+len(with))
	out = append(out, doc[:start]...)
	out = append(out, with...)
	return append(out, doc[end:]...)
}

func kindWord(k jsontext.Kind) string {
	switch k {
	case jsontext.String:
		return "a string"
	case jsontext.Number:
		return "a number"
	case jsontext.Null:
		return "null"
	}
	return "a boolean"
}
