package input

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// spillAt is the size past which a document from a source of unknown size (a pipe, a
// compressed file) goes on in a temporary file instead of a buffer that doubles: once
// its end is found, its size is known and it is read back into one buffer of that
// size, so memory stays near the document's size (tests lower it).
var spillAt = 64 << 20

// bufferHook, when a test sets it, is told of each buffer made for a growing document,
// with the bytes that the buffers alive at that moment hold together.
var bufferHook func(held int)

// spillScan looks for a document's end in w, whose first byte is the last one of the
// previous window (already looked at). It returns the end (-1: not in w) and whether
// to go back to reading in memory (w is then looked at again there); it keeps what it
// learnt of w only when it does not go back.
type spillScan func(w []byte) (end int, back bool)

// spillResult is how spill came out.
type spillResult uint8

const (
	spillNone    spillResult = iota // no temporary file: go on in memory
	spillFound                      // the document ends at the returned offset of s.b.buf
	spillBack                       // go on in memory: s.b.buf holds the document so far, scanned up to the returned offset
	spillRefused                    // too large, reported and passed (whole, or up to s.b.buf: see skipTooLarge)
	spillStopped                    // cancelled, or the temporary file failed (s.err)
)

// spillable reports a document of n bytes so far, at the start of the buffer, from a
// source of unknown size, that should go on in a temporary file.
func (s *source) spillable(n int) bool {
	return n >= spillAt && s.left < 0 && s.start == 0 && !s.noSpill && !s.eof && !s.stop && s.src != nil
}

// spill goes on reading the document that s.b.buf holds into a temporary file, in
// windows of one block, until scan finds its end, the source ends or it grows past the
// size limit. The temporary file is removed before spill returns.
func (s *source) spill(scan spillScan) (int, spillResult) {
	f, err := os.CreateTemp("", "smarthook-doc-*")
	if err != nil {
		s.noSpill = true
		return 0, spillNone
	}
	name := f.Name()
	os.Remove(name) // unlinked at once where the system allows
	defer func() {
		f.Close()
		os.Remove(name)
	}()
	data := s.b.buf[s.start:]
	total := len(data)
	if _, err := f.Write(data); err != nil {
		s.noSpill = true // the document is still all in memory
		return 0, spillNone
	}
	w := make([]byte, 1+s.r.opts.BlockSize)
	w[0] = carryByte(data)
	s.pos.resolve()
	s.b.buf = nil // the document is in the file: let its buffer go
	for {
		if err := s.r.ctx.Err(); err != nil {
			s.cancelled, s.eof = true, true
			return 0, spillStopped
		}
		win := w[:1+s.fill(w[1:])]
		end, back := scan(win)
		if end >= 0 && !back {
			if s.tooLarge(total + end - 1) {
				return s.spillRefuse(f, win[1:end], win[end:], true)
			}
			if _, err := f.Write(win[1:end]); err != nil {
				return s.spillFail(err)
			}
			return total + end - 1, s.readBack(f, total+end-1, win[end:], len(w), spillFound)
		}
		if back {
			return total, s.readBack(f, total, win[1:], len(w), spillBack)
		}
		if s.tooLarge(total + len(win) - 1) {
			return s.spillRefuse(f, nil, win[1:], false)
		}
		if s.eof {
			return total + len(win) - 1, s.readBack(f, total, win[1:], len(w), spillBack)
		}
		if _, err := f.Write(win[1:]); err != nil {
			return s.spillFail(err)
		}
		total += len(win) - 1
		w[0] = carryByte(win)
	}
}

// carryByte is the byte that stands for the end of data at the start of the next
// window: its last byte, but for a backslash only when an odd number of them end data
// (the one that escapes a quote that may come next), a space otherwise.
func carryByte(data []byte) byte {
	odd := false
	for i := len(data) - 1; i >= 0 && data[i] == '\\'; i-- {
		odd = !odd
	}
	switch {
	case odd:
		return '\\'
	case data[len(data)-1] == '\\':
		return ' '
	}
	return data[len(data)-1]
}

// readBack puts the n bytes of the temporary file back in one buffer of the right size
// followed by rest (the bytes read after them), and returns res (or spillStopped when
// the file fails).
func (s *source) readBack(f *os.File, n int, rest []byte, window int, res spillResult) spillResult {
	if n >= 64<<20 {
		// Give the buffers this one replaces back to the system first.
		debug.FreeOSMemory()
	}
	if bufferHook != nil {
		bufferHook(n + len(rest) + window)
	}
	buf := make([]byte, n, n+len(rest))
	if _, err := f.ReadAt(buf, 0); err != nil && err != io.EOF {
		_, failed := s.spillFail(err)
		return failed
	}
	s.b.buf = append(buf, rest...)
	s.start = 0
	return res
}

// spillRefuse reports the document as too large and passes it without reading it
// back: the bytes in the file and then doc, which is its end when whole (it is then
// passed as a whole; otherwise s.b.buf holds rest and the caller skips on).
func (s *source) spillRefuse(f *os.File, doc, rest []byte, whole bool) (int, spillResult) {
	s.fail(s.tooLargeError())
	// Count the lines and columns of what is passed, a block at a time.
	buf := make([]byte, s.r.opts.BlockSize)
	for off := int64(0); ; {
		n, err := f.ReadAt(buf, off)
		s.pos.advance(buf[:n])
		off += int64(n)
		if err != nil {
			break
		}
	}
	s.pos.advance(doc)
	s.b.buf = append(s.b.buf[:0], rest...)
	s.start = 0
	if whole {
		return 0, spillRefused
	}
	s.skipOn()
	return 0, spillRefused
}

// spillFail stops reading the source after the temporary file failed.
func (s *source) spillFail(err error) (int, spillResult) {
	s.eof, s.stop = true, true
	s.err = fmt.Errorf("hold a document of unknown size in a temporary file (TMPDIR may lack room): %w", err)
	return 0, spillStopped
}
