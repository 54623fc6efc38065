package input

import (
	"bytes"
	"unicode/utf8"
)

// position follows line, column and offset through a stream. Counting lines and
// characters costs a pass over every byte, and the column after a document matters
// only when another one starts on the same line: text passed is kept pending and
// counted only when needed (a newline after it needs its lines counted, not its
// characters). Pending text must be resolved before the buffer holding it moves.
type position struct {
	line, col int
	off       int64
	pending   []byte
}

// pass goes over text.
func (p *position) pass(text []byte) {
	p.resolve()
	p.off += int64(len(text))
	p.pending = text
}

// resolve counts the pending text's lines and columns.
func (p *position) resolve() {
	if p.pending == nil {
		return
	}
	text := p.pending
	p.pending = nil
	if nl := bytes.LastIndexByte(text, '\n'); nl >= 0 {
		p.line += bytes.Count(text, []byte{'\n'})
		p.col = 1 + utf8.RuneCount(text[nl+1:])
		return
	}
	p.col += utf8.RuneCount(text)
}

// newline passes a newline (after any pending text): the column restarts.
func (p *position) newline() {
	if p.pending != nil {
		p.line += bytes.Count(p.pending, []byte{'\n'})
		p.pending = nil
	}
	p.line++
	p.col = 1
	p.off++
}

func (p *position) skipSpace(data []byte) int {
	i := 0
	for ; i < len(data); i++ {
		switch data[i] {
		case '\n':
			p.newline()
		case ' ', '\t', '\r':
			p.resolve()
			p.col++
			p.off++
		default:
			return i
		}
	}
	return i
}

// advance goes over text at once.
func (p *position) advance(text []byte) {
	p.pass(text)
	p.resolve()
}
