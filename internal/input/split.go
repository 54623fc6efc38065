package input

import (
	"bytes"
	"fmt"
	"io"
	"runtime/debug"
)

// source is one file, archive member or stream being split into documents. Its
// unread bytes live in the current batch's buffer from start on: a batch is sent on
// once it is full, and only the part of a document not yet complete is carried into
// the next one, once; a document longer than a batch grows the buffer in place, so
// reading is linear in the size of the input whatever the size of its documents.
type source struct {
	r         *reader
	o         Origin    // path and member of the source
	src       io.Reader // nil when the bytes are all in b.buf already
	b         *Batch
	start     int      // first byte of b.buf not yet in a record
	pos       position // line, column and offset of b.buf[start]
	eof       bool     // src has no more bytes (or failed: err)
	err       error
	left      int64 // bytes of a regular file still to read, -1 when unknown
	read      int64 // bytes read from src
	lines     bool  // NDJSON: one document a line, no scanning
	single    bool  // a .json file: one document expected
	endless   bool  // a compressed or device source: stop it at a too-large document
	docs      int   // top-level documents found
	cancelled bool
	stop      bool // read no more of this source
	noSpill   bool // a temporary file for a large document could not be made
}

// newSource prepares reading src into batch b (nil: a new batch) for o.
func (r *reader) newSource(o Origin, src io.Reader, b *Batch) *source {
	if b == nil {
		b = newBatch()
		b.Files = 1
	}
	return &source{r: r, o: o, src: src, b: b, left: -1,
		pos: position{line: max(o.Line, 1), col: max(o.Col, 1), off: o.Offset}}
}

// more reads more of src into the batch. It reports false when there is no more: at
// the end of src, after an error, or when the run is cancelled.
func (s *source) more() bool {
	// The bytes passed but not yet counted may move or be reused once read on.
	s.pos.resolve()
	if s.eof || s.src == nil || s.stop {
		s.eof = true
		return false
	}
	block := s.r.opts.BlockSize
	b := s.b
	if s.start > 0 && len(b.buf) >= block {
		if len(b.Records) == 0 && b.Files == 0 && len(b.Notes) == 0 {
			// Nothing to send: drop what was read already.
			n := copy(b.buf, b.buf[s.start:])
			b.buf = b.buf[:n]
		} else {
			nb := newBatch()
			tail := len(b.buf) - s.start
			if cap(nb.buf) < block+block/4+tail {
				nb.buf = make([]byte, 0, block+block/4+tail)
			}
			nb.buf = append(nb.buf, b.buf[s.start:]...)
			s.r.copied.Add(int64(tail))
			b.buf = b.buf[:s.start]
			sent := s.r.send(b) // released by send when the run is cancelled
			s.b, b = nb, nb
			if !sent {
				s.cancelled, s.eof = true, true
				return false
			}
		}
		s.start = 0
	}
	s.room()
	room := b.buf[len(b.buf):min(cap(b.buf), len(b.buf)+block)]
	n := s.fill(room)
	b.buf = b.buf[:len(b.buf)+n]
	return n > 0 || !s.eof
}

// fill reads at least one byte of src into room, unless src ends or fails (s.eof),
// and returns how many it read.
func (s *source) fill(room []byte) int {
	n, err := io.ReadAtLeast(s.src, room, 1)
	s.read += int64(n)
	if s.left >= 0 {
		s.left = max(s.left-int64(n), 0)
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		s.eof = true
	} else if err != nil {
		s.eof, s.err = true, err
	}
	if lim := s.r.opts.MaxMemberSize; lim > 0 && s.read > lim && s.endless && !s.eof {
		s.eof, s.err = true, fmt.Errorf("more than %s once decompressed (--max-member-size): the rest is not read", FormatSize(lim))
	}
	return n
}

// room makes space in the buffer for the next read. A document that outgrows the
// buffer doubles it (or, in a .json file or near the end of a file of known size,
// sizes it to the rest of the file at once, to keep memory close to the document's
// size), but never beyond what the size limit lets a document take.
func (s *source) room() {
	block := s.r.opts.BlockSize
	b := s.b
	free := cap(b.buf) - len(b.buf)
	if free >= 64<<10 || free >= block || (s.left >= 0 && int64(free) > s.left) {
		return // room enough (for the rest of a file of known size, and its end)
	}
	newCap := max(2*cap(b.buf), block+block/4)
	if s.left >= 0 && (s.single || s.left+1 <= int64(3*len(b.buf))) {
		// A .json file is one document: read it into one buffer of its size.
		newCap = len(b.buf) + int(min(s.left, 1<<40)) + 1
	}
	if lim := s.r.opts.MaxDocSize; lim > 0 {
		// Room for the largest document allowed (and a read past it, to see it is
		// larger), reached in one step from half of it: the old and new buffers together
		// then stay under one and a half times the limit.
		most := int64(s.start) + lim + int64(block) + 1
		if int64(newCap) > most || 2*int64(newCap) > most {
			newCap = int(most)
		}
	}
	if s.left < 0 && !s.noSpill && len(b.buf) < spillAt {
		// Of unknown size: grow no further than where the document goes to a
		// temporary file (see spill).
		newCap = min(newCap, spillAt)
	}
	newCap = max(newCap, len(b.buf)+min(block, 64<<10))
	if bufferHook != nil {
		bufferHook(cap(b.buf) + newCap)
	}
	if newCap >= 64<<20 {
		// Give the smaller buffers this one replaces back to the system first: with the
		// old and the new one alive at once, memory stays near twice the document.
		debug.FreeOSMemory()
	}
	nb := make([]byte, len(b.buf), newCap)
	copy(nb, b.buf)
	s.r.copied.Add(int64(len(b.buf)))
	b.buf = nb
}

// tooLarge reports a document of n bytes (so far) that passes the size limit.
func (s *source) tooLarge(n int) bool {
	lim := s.r.opts.MaxDocSize
	return lim > 0 && int64(n) > lim
}

// skipSpace passes white space, reading more as needed; false at the end of the source.
func (s *source) skipSpace() bool {
	for {
		data := s.b.buf[s.start:]
		n := s.pos.skipSpace(data)
		s.start += n
		if n < len(data) {
			return true
		}
		if !s.more() {
			return false
		}
	}
}

// origin is the origin of the byte at s.start.
func (s *source) origin() Origin {
	o := s.o
	s.pos.resolve()
	o.Line, o.Col, o.Offset = s.pos.line, s.pos.col, s.pos.off
	return o
}

// emit makes a record of the next n bytes. White space after a broken document cut
// short, or after one the stream ends inside, is left out, so that its finding is
// where it breaks (a .json file keeps it: the whole file is its document).
func (s *source) emit(n int, rec Record) {
	raw := s.b.buf[s.start : s.start+n]
	if rec.Resume != nil || (rec.cut && !s.single) {
		raw = bytes.TrimRight(raw, " \t\r\n")
	}
	rec.Origin = s.origin()
	rec.Raw = raw[:len(raw):len(raw)]
	s.b.Records = append(s.b.Records, rec)
	s.consume(n)
}

// consume passes n bytes that make no record.
func (s *source) consume(n int) {
	s.pos.pass(s.b.buf[s.start : s.start+n])
	s.start += n
}

// fail adds a record for an error at the current place.
func (s *source) fail(err error) {
	s.b.Records = append(s.b.Records, Record{Origin: s.origin(), Err: &ReadError{Path: s.o.Name(), Err: err}})
}

// note adds a remark about how the source is read, said once on stderr.
func (s *source) note(format string, args ...any) {
	s.b.Notes = append(s.b.Notes, EscapeName(s.o.Name())+": "+fmt.Sprintf(format, args...))
}

// finish sends the source's last batch (unless it is to be shared with what follows)
// and reports whether the run goes on.
func (s *source) finish(send bool) bool {
	if s.err != nil {
		s.fail(s.err)
	}
	if s.cancelled {
		s.b.Release()
		return false
	}
	if !send {
		return true
	}
	return s.r.send(s.b)
}

// split reads the whole source into records.
func (s *source) split() {
	for !s.stop && !s.cancelled && s.skipSpace() {
		if s.lines {
			s.line()
		} else {
			s.document()
		}
	}
}

// line reads one line of NDJSON as a document.
func (s *source) line() {
	scanned := 0
	for {
		data := s.b.buf[s.start:]
		if i := bytes.IndexByte(data[scanned:], '\n'); i >= 0 {
			if s.tooLarge(scanned + i) {
				s.refuse(scanned + i)
				return
			}
			s.emit(scanned+i, Record{})
			return
		}
		scanned = len(data)
		if s.tooLarge(len(data)) {
			s.skipTooLarge()
			return
		}
		if s.spillable(len(data)) {
			n, res := s.spill(lineEnd)
			switch res {
			case spillFound:
				s.emit(n, Record{})
				return
			case spillRefused, spillStopped:
				return
			case spillBack:
				scanned = n
				continue
			}
		}
		if !s.more() {
			if data = s.b.buf[s.start:]; len(data) > 0 && !s.cancelled {
				s.emit(len(data), Record{})
			}
			return
		}
	}
}

// document reads the next document of a stream (or of a .json file).
func (s *source) document() {
	if s.r.opts.SplitArrays && s.b.buf[s.start] == '[' {
		s.array()
		return
	}
	s.docs++
	if s.b.buf[s.start] == '[' && s.docs == 1 && firstElementIsObject(s.b.buf[s.start+1:]) {
		s.note("%s", NoteArrayAsOne)
	}
	if s.docs == 2 && s.single {
		s.note("holds several documents: each is read; one document a line is NDJSON, best named .ndjson")
	}
	n, st := s.find()
	var rec Record
	rec.Several = s.single && s.docs == 2
	switch st {
	case stopped:
		return
	case tooLarge:
		s.skipTooLarge()
		return
	case broken:
		s.emitBroken(n, rec)
		return
	}
	if s.tooLarge(n) {
		s.refuse(n)
		return
	}
	rec.cut = st == truncated
	s.emit(n, rec)
}

// refuse reports the next n bytes, a whole document, as too large and passes them.
func (s *source) refuse(n int) {
	s.fail(s.tooLargeError())
	s.consume(n)
}

func (s *source) tooLargeError() error {
	return fmt.Errorf("document larger than the size limit of %s (--max-doc-size): skipped", FormatSize(s.r.opts.MaxDocSize))
}

// firstElementIsObject reports an array (after its '[') whose first element is an
// object, as far as the bytes read tell: most likely an export of payloads.
func firstElementIsObject(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// emitBroken makes a record of a broken document that ends n bytes on, where reading
// resumes.
func (s *source) emitBroken(n int, rec Record) {
	p := s.pos
	p.advance(s.b.buf[s.start : s.start+n])
	resume := s.o
	resume.Line, resume.Col, resume.Offset = p.line, p.col, p.off
	rec.Resume = &resume
	s.emit(n, rec)
}

// skipTooLarge reports the document at s.start as too large and passes it: to the next
// line that begins a document. A compressed source or a device is not read further,
// since what follows is most likely more of the same (a decompression bomb, /dev/zero).
func (s *source) skipTooLarge() {
	s.fail(s.tooLargeError())
	s.skipOn()
}

// skipOn passes the rest of a document reported as too large (see skipTooLarge).
func (s *source) skipOn() {
	lim := s.r.opts.MaxDocSize
	if s.endless || s.single {
		s.stop = true
		s.fail(fmt.Errorf("the rest of this input is not read after a document larger than %s", FormatSize(lim)))
		return
	}
	if !s.skipToNext(16 * lim) {
		s.fail(fmt.Errorf("no next document within %s after a document larger than the size limit: the rest is not read", FormatSize(16*lim)))
	}
}

// skipToNext passes bytes up to the next line that begins a document (the next line,
// for NDJSON), reading on with flat memory. After budget bytes (0: no limit) without
// one, it stops reading the source and reports false.
func (s *source) skipToNext(budget int64) bool {
	next := func(data []byte) int {
		if s.lines {
			return bytes.IndexByte(data, '\n')
		}
		return nextDocumentLine(data, 0)
	}
	skipped := int64(0)
	for {
		data := s.b.buf[s.start:]
		if n := next(data); n >= 0 {
			s.consume(n)
			return true
		}
		// Keep the last byte: a newline whose next line is not read yet.
		n := max(len(data)-1, 0)
		s.consume(n)
		skipped += int64(n)
		if budget > 0 && skipped > budget {
			s.stop = true
			return false
		}
		if !s.more() {
			if rest := s.b.buf[s.start:]; !s.cancelled && len(rest) > 0 {
				s.consume(len(rest))
			}
			return true
		}
	}
}

// lineEnd finds the end of a line in a window of spill.
func lineEnd(w []byte) (int, bool) {
	if i := bytes.IndexByte(w[1:], '\n'); i >= 0 {
		return 1 + i, false
	}
	return -1, false
}
