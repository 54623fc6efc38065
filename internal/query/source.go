package query

import (
	"strconv"
	"strings"

	"github.com/itchyny/gojq"
)

// codeOnly returns src with the text of string literals and comments blanked out
// (newlines kept, interpolated `\(...)` code kept), so that searching it for a name
// finds only the places where the name is code.
func codeOnly(src string) string {
	b := []byte(src)
	var closers []int // paren depth at which each open interpolation ends
	depth, inString := 0, false
	blank := func(i int) {
		if b[i] != '\n' {
			b[i] = ' '
		}
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch {
			case c == '\\' && i+1 < len(b) && b[i+1] == '(':
				blank(i)
				closers = append(closers, depth)
				depth++
				inString = false
				i++
			case c == '\\' && i+1 < len(b):
				blank(i)
				blank(i + 1)
				i++
			case c == '"':
				inString = false
			default:
				blank(i)
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '#':
			for ; i < len(b) && b[i] != '\n'; i++ {
				b[i] = ' '
			}
			i-- // let the newline be seen
		case '(':
			depth++
		case ')':
			depth--
			if n := len(closers); n > 0 && closers[n-1] == depth {
				closers = closers[:n-1]
				inString = true
			}
		}
	}
	return string(b)
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// nameOffsets returns the byte offsets where name stands as a whole word in code.
func nameOffsets(code, name string) []int {
	var offs []int
	for from := 0; ; {
		i := strings.Index(code[from:], name)
		if i < 0 {
			return offs
		}
		i += from
		end := i + len(name)
		before := i == 0 || !isIdentByte(code[i-1]) && code[i-1] != '.'
		after := end >= len(code) || !isIdentByte(code[end])
		if before && after {
			offs = append(offs, i)
		}
		from = end
	}
}

// lineOf returns the 1-based line of byte offset off in src.
func lineOf(src string, off int) int {
	return 1 + strings.Count(src[:off], "\n")
}

// rewriteLoc replaces each $__loc__ (which gojq lacks) by the object jq gives it:
// {"file":"<top-level>","line":N}, N being the line of the filter it is written on.
func rewriteLoc(q *gojq.Query, src string) {
	offs := nameOffsets(codeOnly(src), "$__loc__")
	if len(offs) == 0 {
		return
	}
	n := 0
	next := func() *gojq.Query {
		line := 1
		if n < len(offs) {
			line = lineOf(src, offs[n])
		}
		n++
		loc, _ := gojq.Parse(`{"file":"<top-level>","line":` + strconv.Itoa(line) + `}`)
		return loc
	}
	walk(q, func(node any) {
		switch x := node.(type) {
		case *gojq.Term:
			if x.Type == gojq.TermTypeFunc && x.Func.Name == "$__loc__" && len(x.Func.Args) == 0 {
				*x = gojq.Term{Type: gojq.TermTypeQuery, Query: next(), SuffixList: x.SuffixList}
			}
		case *gojq.ObjectKeyVal:
			if x.Key == "$__loc__" && x.Val == nil { // {$__loc__}
				x.Key, x.Val = "__loc__", next()
			}
		}
	})
}
