// Package render turns Smartsupp documents into text for people and programs: JSON
// re-indented token by token (keeping key order, number literals and string escapes
// exactly as stored), chat transcripts, webhook and stats views, and summary tables.
//
// Renderers append to a caller's byte slice, so a worker can fill one reused buffer per
// batch of documents and the output is written in one piece; none of them touches
// os.Stdout or the environment.
package render

import (
	"bytes"
	"errors"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// Options say how a Formatter lays out JSON.
type Options struct {
	// Indent is one level of indentation, such as "  " or "\t". It is ignored when
	// Compact is set; an empty Indent with Compact unset puts members on their own
	// lines without indenting them.
	Indent string
	// Compact writes the document on one line without any white space.
	Compact bool
	// SortKeys orders the members of every object by key (a stable sort, on the
	// decoded key), recursively.
	SortKeys bool
	// Colors colours the tokens with ANSI escape sequences; nil writes plain text.
	Colors *Colors
}

// Formatter re-emits JSON documents in the layout of its Options. It reads each
// document once, token by token, with a strict scanner, so invalid JSON is refused with
// a *jsontext.SyntaxError, and it copies every string and number exactly as written.
// A Formatter reuses its memory and is not safe for concurrent use: give each worker
// its own.
type Formatter struct {
	opts    Options
	pal     *palette
	s       jsontext.Scanner
	dst     []byte
	nl      []byte   // "\n" and the indentation of the deepest level seen so far
	members []member // the members of the objects being sorted, innermost last
}

// NewFormatter returns a Formatter for opts.
func NewFormatter(opts Options) *Formatter {
	if opts.Compact {
		opts.Indent = ""
	}
	return &Formatter{opts: opts, pal: newPalette(opts.Colors), nl: []byte{'\n'}}
}

var bom = jsontext.BOM

// Append appends the formatted document raw to dst, without a trailing newline. A
// leading UTF-8 byte-order mark is dropped. On a syntax error it returns dst unchanged
// and the *jsontext.SyntaxError, whose offset counts from the start of raw.
func (f *Formatter) Append(dst, raw []byte) ([]byte, error) {
	skip := 0
	if bytes.HasPrefix(raw, bom) {
		skip = len(bom)
	}
	n := len(dst)
	f.dst = dst
	err := f.format(raw[skip:])
	out := f.dst
	f.dst = nil
	if err != nil {
		var se *jsontext.SyntaxError
		if skip > 0 && errors.As(err, &se) {
			se.Offset += skip
		}
		return out[:n], err
	}
	return out, nil
}

// format writes one whole document, catching the scanner's syntax panics.
func (f *Formatter) format(raw []byte) (err error) {
	defer jsontext.Catch(&err)
	f.members = f.members[:0]
	f.s.Reset(raw)
	f.value(0)
	f.s.End()
	return nil
}

// value writes the value at the scanner's position, depth levels deep.
func (f *Formatter) value(depth int) {
	s := &f.s
	switch k := s.Peek(); k {
	case jsontext.Object:
		f.object(depth)
	case jsontext.Array:
		f.array(depth)
	case jsontext.String:
		start := s.Pos
		s.String()
		f.token(f.color(k), s.Data[start:s.Pos])
	case jsontext.Number:
		f.token(f.color(k), s.Number())
	default:
		_, raw := s.Value()
		f.token(f.color(k), raw)
	}
}

// color is the escape sequence of a kind of token, nil without colours.
func (f *Formatter) color(k jsontext.Kind) []byte {
	p := f.pal
	if p == nil {
		return nil
	}
	switch k {
	case jsontext.Null:
		return p.null
	case jsontext.False:
		return p.falseC
	case jsontext.True:
		return p.trueC
	case jsontext.Number:
		return p.number
	case jsontext.String:
		return p.str
	case jsontext.Array:
		return p.array
	case jsontext.Object:
		return p.object
	}
	return nil
}

// token appends text, in colour when col is set.
func (f *Formatter) token(col, text []byte) {
	if col == nil {
		f.dst = append(f.dst, text...)
		return
	}
	f.dst = append(f.dst, col...)
	f.dst = append(f.dst, text...)
	f.dst = append(f.dst, reset...)
}

// punct appends one punctuation byte, in colour when col is set.
func (f *Formatter) punct(col []byte, c byte) {
	if col == nil {
		f.dst = append(f.dst, c)
		return
	}
	f.dst = append(f.dst, col...)
	f.dst = append(f.dst, c)
	f.dst = append(f.dst, reset...)
}

// newline starts a line indented depth levels (nothing in compact mode).
func (f *Formatter) newline(depth int) {
	if f.opts.Compact {
		return
	}
	n := 1 + depth*len(f.opts.Indent)
	for len(f.nl) < n {
		f.nl = append(f.nl, f.opts.Indent...)
	}
	f.dst = append(f.dst, f.nl[:n]...)
}

// array writes an array: "[]" when empty, otherwise one element a line.
func (f *Formatter) array(depth int) {
	s := &f.s
	col := f.color(jsontext.Array)
	s.BeginArray()
	f.punct(col, '[')
	first := true
	n := 0
	for s.More(']', &first) {
		if n > 0 {
			f.punct(col, ',')
		}
		f.newline(depth + 1)
		f.value(depth + 1)
		n++
	}
	if n > 0 {
		f.newline(depth)
	}
	f.punct(col, ']')
}

// object writes an object: "{}" when empty, otherwise one member a line in the order
// of the document (or of the keys with SortKeys).
func (f *Formatter) object(depth int) {
	s := &f.s
	s.BeginObject()
	if f.opts.SortKeys {
		f.sortedObject(depth)
		return
	}
	col := f.color(jsontext.Object)
	f.punct(col, '{')
	first := true
	n := 0
	for s.More('}', &first) {
		if n > 0 {
			f.punct(col, ',')
		}
		f.newline(depth + 1)
		s.SkipSpace()
		start := s.Pos
		key, _ := s.Key()
		f.key(col, s.Data[start:start+len(key)+2])
		f.value(depth + 1)
		n++
	}
	if n > 0 {
		f.newline(depth)
	}
	f.punct(col, '}')
}

// key writes a member name (with its quotes, as written) and the colon after it.
func (f *Formatter) key(col, quoted []byte) {
	if f.pal == nil {
		f.dst = append(f.dst, quoted...)
	} else {
		f.token(f.pal.key, quoted)
	}
	f.punct(col, ':')
	if !f.opts.Compact {
		f.dst = append(f.dst, ' ')
	}
}
