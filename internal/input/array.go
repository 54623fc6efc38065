package input

import (
	"errors"
	"strconv"
)

// array reads a top-level array element by element, each element a document of its
// own: an export of many payloads is read with the memory of one payload, however
// long the array.
func (s *source) array() {
	s.docs++
	s.note("a top-level array: each element is read as a document")
	open := s.origin()
	s.consume(1) // '['
	for idx := 0; ; idx++ {
		if !s.skipSpace() {
			if !s.cancelled {
				s.b.Records = append(s.b.Records, Record{Origin: open,
					Err: &ReadError{Path: s.o.Name(), Err: errors.New("the input ends inside the top-level array (no closing ']')")}})
			}
			return
		}
		c := s.b.buf[s.start]
		if c == ']' {
			if idx > 0 {
				s.fail(errors.New("trailing comma before the ']' that closes the top-level array"))
			}
			s.consume(1)
			return
		}
		if !s.element(idx) {
			return
		}
		if !s.skipSpace() {
			continue // reported at the loop's top
		}
		switch s.b.buf[s.start] {
		case ',':
			s.consume(1)
		case ']':
			s.consume(1)
			return
		default:
			// The array is broken here: go on at the next line that begins a document.
			s.fail(errors.New("expected ',' or ']' after an element of the top-level array; reading resumes at the next line that begins a document"))
			s.skipToNext(0)
			return
		}
	}
}

// element reads the element idx of a top-level array; false when the array cannot
// be read further.
func (s *source) element(idx int) bool {
	n, st := s.find()
	rec := Record{Element: idx + 1}
	switch st {
	case stopped:
		return false
	case tooLarge:
		s.skipTooLarge()
		return false
	case broken:
		s.emitBroken(n, rec)
		return false
	}
	if s.tooLarge(n) {
		s.refuse(n)
		return true
	}
	s.emit(n, rec)
	return true
}

// Pointer is the JSON pointer of the record's document inside its input: "/N" for
// the element N of a top-level array read element by element, "" otherwise.
func (r Record) Pointer() string {
	if r.Element == 0 {
		return ""
	}
	return "/" + strconv.Itoa(r.Element-1)
}
