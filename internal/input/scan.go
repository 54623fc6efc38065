package input

import (
	"bytes"
	"errors"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// depthScan finds where an object or array ends by counting brackets outside strings,
// much faster than a full syntax check (the workers do that). It can be resumed as
// more bytes arrive, so a document is looked at once however many reads it takes.
type depthScan struct {
	i     int  // next byte to look at
	depth int  // open brackets
	inStr bool // inside a string
	end   int  // just past the closing bracket, -1 until the value closes
}

func newDepthScan(from int) depthScan { return depthScan{i: from, end: -1} }

// scan goes on through data (which holds what was scanned before) as far as it can.
func (d *depthScan) scan(data []byte) {
	i := d.i
	for i < len(data) {
		if d.inStr {
			// Most strings are short (keys): look at a few bytes by hand before paying
			// for a call that searches fast through long ones.
			k, short := i, min(i+16, len(data))
			for k < short && data[k] != '"' {
				k++
			}
			if k == short {
				j := bytes.IndexByte(data[k:], '"')
				if j < 0 {
					i = len(data)
					break
				}
				k += j
			}
			i = k
			bs := 0
			for k := i - 1; k >= 0 && data[k] == '\\'; k-- {
				bs++
			}
			i++
			if bs%2 == 0 {
				d.inStr = false
			}
			continue
		}
		switch data[i] {
		case '"':
			d.inStr = true
		case '{', '[':
			d.depth++
		case '}', ']':
			d.depth--
			if d.depth <= 0 {
				d.end = i + 1
				d.i = i + 1
				return
			}
		}
		i++
	}
	d.i = i
}

// spillScan goes on through a window of spill (see spillScan): the bracket count goes
// on from where it was, and a line that begins a document sends the reading back to
// memory, where a broken document can be told.
func (d *depthScan) spillScan(w []byte) (int, bool) {
	c := *d
	c.i, c.end = 1, -1
	c.scan(w)
	end := len(w)
	if c.end >= 0 {
		end = c.end
	}
	if nextDocumentLine(w[:end], 0) >= 0 {
		return -1, true
	}
	*d = c
	return c.end, false
}

// status is how the search for a document's end came out.
type status uint8

const (
	found     status = iota // a whole value (maybe with syntax errors the workers will report)
	broken                  // a broken value, cut where the next line begins a value
	truncated               // the input ended inside the value
	tooLarge                // the value is longer than the size limit
	stopped                 // the run was cancelled
)

// valueEnd returns the offset just past the first value of data. A leading UTF-8
// byte-order mark belongs to the document (the decoder warns about it).
func valueEnd(data []byte) (end int, err error) {
	defer jsontext.Catch(&err)
	s := jsontext.Scanner{Data: data}
	if bytes.HasPrefix(data, utf8BOM) {
		s.Pos = len(utf8BOM)
	}
	s.Skip()
	return s.Pos, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// brokenAt reports whether data, the start of a value, is already known to be broken:
// a syntax error that more data cannot mend.
func brokenAt(data []byte) bool {
	_, err := valueEnd(data)
	var se *jsontext.SyntaxError
	return err != nil && errors.As(err, &se) && !se.EOF
}

// nextDocumentLine returns the offset of the first line after from that starts a
// document ('{' or '[' in its first column), or -1.
func nextDocumentLine(data []byte, from int) int {
	for i := from; i < len(data); {
		nl := bytes.IndexByte(data[i:], '\n')
		if nl < 0 {
			return -1
		}
		i += nl + 1
		if i < len(data) && (data[i] == '{' || data[i] == '[') {
			return i
		}
	}
	return -1
}

// find looks for the end of the value that starts at s.start, reading more as needed.
// For a broken value, end is where the next document begins.
func (s *source) find() (end int, st status) {
	data := s.b.buf[s.start:]
	from := 0
	if bytes.HasPrefix(data, utf8BOM) {
		from = len(utf8BOM)
	}
	for len(data) <= from && s.more() {
		data = s.b.buf[s.start:]
	}
	if len(data) > from && data[from] != '{' && data[from] != '[' {
		return s.findScalar()
	}
	// A line inside the value that begins with '{' or '[' in its first column is where
	// a broken document most likely ends and the next begins (a raw newline cannot be
	// inside a string, so the string state does not matter for it).
	d := newDepthScan(from)
	cand, searched, checked := -1, from, 0
	for {
		data = s.b.buf[s.start:]
		d.scan(data)
		end := len(data)
		if d.end >= 0 {
			end = d.end
		}
		if cand < 0 {
			cand = nextDocumentLine(data[:end], max(searched-1, from))
			searched = end
		}
		if d.end >= 0 {
			if cand >= 0 && brokenAt(data[:d.end]) {
				return cand, broken
			}
			return d.end, found
		}
		if s.tooLarge(len(data)) {
			return len(data), tooLarge
		}
		if cand < 0 && s.spillable(len(data)) {
			n, res := s.spill(d.spillScan)
			switch res {
			case spillFound:
				return n, found
			case spillRefused, spillStopped:
				return 0, stopped
			case spillBack:
				d.i, searched = n, n
				continue
			}
		}
		// With such a line, check now and then (each time the data has doubled, to stay
		// linear) whether the value is already broken.
		if cand >= 0 && len(data) >= 2*checked {
			if brokenAt(data) {
				return cand, broken
			}
			checked = len(data)
		}
		if !s.more() {
			if s.cancelled {
				return 0, stopped
			}
			if cand >= 0 {
				return cand, broken
			}
			return len(data), truncated
		}
	}
}

// findScalar finds the end of a value that is not an object or array (a number, a
// string, a literal, or something that is not JSON at all).
func (s *source) findScalar() (end int, st status) {
	searched, tried := 0, 0
	for {
		data := s.b.buf[s.start:]
		if !s.eof && len(data) < 2*tried && len(data) > 0 {
			// Look again only once the data has doubled: a long scalar stays linear.
			if s.tooLarge(len(data)) {
				return len(data), tooLarge
			}
			if !s.more() && s.cancelled {
				return 0, stopped
			}
			continue
		}
		tried = len(data)
		e, err := valueEnd(data)
		var se *jsontext.SyntaxError
		errors.As(err, &se)
		switch {
		case err == nil && (e < len(data) || s.eof):
			return e, found
		case se != nil && !se.EOF:
			if next := nextDocumentLine(data, max(searched-1, 0)); next >= 0 {
				return next, broken
			}
			searched = len(data)
			if s.eof {
				return len(data), found // the worker reports it
			}
		case s.eof:
			return len(data), truncated
		}
		if s.tooLarge(len(data)) {
			return len(data), tooLarge
		}
		if !s.more() && s.cancelled {
			return 0, stopped
		}
	}
}
