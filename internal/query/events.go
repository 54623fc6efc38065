package query

import (
	"encoding/json"
	"io"
)

// eventStream turns JSON text into jq's --stream events: [path, leaf] for every
// scalar and empty container, and [path] when an array or object closes.
type eventStream struct {
	dec   *json.Decoder
	path  []any
	state []eventState
}

type eventState uint8

const (
	atTop eventState = iota
	arrayStart
	arrayValue
	arrayEnd
	arrayEmptyEnd
	objectStart
	objectKey
	objectValue
	objectEnd
	objectEmptyEnd
)

func newEventStream(dec *json.Decoder) *eventStream {
	return &eventStream{dec: dec, path: []any{}, state: []eventState{atTop}}
}

func (s *eventStream) top() *eventState { return &s.state[len(s.state)-1] }

func (s *eventStream) pathCopy() []any { return append([]any{}, s.path...) }

func (s *eventStream) next() (any, error) {
	switch *s.top() {
	case arrayEnd, objectEnd:
		s.path = s.path[:len(s.path)-1]
		fallthrough
	case arrayEmptyEnd, objectEmptyEnd:
		s.state = s.state[:len(s.state)-1]
	}
	for {
		tok, err := s.dec.Token()
		if err != nil {
			if err == io.EOF && *s.top() != atTop {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		d, isDelim := tok.(json.Delim)
		if !isDelim || d != ']' && d != '}' {
			switch *s.top() {
			case arrayValue:
				s.path[len(s.path)-1] = s.path[len(s.path)-1].(int) + 1
			case objectValue:
				s.path = s.path[:len(s.path)-1]
			}
		}
		if isDelim {
			if ev := s.delim(d); ev != nil {
				return ev, nil
			}
			continue
		}
		if ev := s.scalar(tok); ev != nil {
			return ev, nil
		}
	}
}

func (s *eventStream) delim(d json.Delim) any {
	switch d {
	case '[', '{':
		switch *s.top() {
		case arrayStart:
			*s.top() = arrayValue
		case objectKey:
			*s.top() = objectValue
		}
		if d == '[' {
			s.state = append(s.state, arrayStart)
			s.path = append(s.path, 0)
		} else {
			s.state = append(s.state, objectStart)
		}
	case ']':
		if *s.top() == arrayStart {
			*s.top() = arrayEmptyEnd
			s.path = s.path[:len(s.path)-1]
			return []any{s.pathCopy(), []any{}}
		}
		*s.top() = arrayEnd
		return []any{s.pathCopy()}
	case '}':
		if *s.top() == objectStart {
			*s.top() = objectEmptyEnd
			return []any{s.pathCopy(), map[string]any{}}
		}
		*s.top() = objectEnd
		return []any{s.pathCopy()}
	}
	return nil
}

func (s *eventStream) scalar(tok any) any {
	switch *s.top() {
	case arrayStart:
		*s.top() = arrayValue
		return []any{s.pathCopy(), tok}
	case arrayValue:
		return []any{s.pathCopy(), tok}
	case objectStart, objectValue:
		*s.top() = objectKey
		s.path = append(s.path, tok)
		return nil
	case objectKey:
		*s.top() = objectValue
		return []any{s.pathCopy(), tok}
	}
	*s.top() = atTop
	return []any{s.pathCopy(), tok}
}
