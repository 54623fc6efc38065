package input

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// member reads one file or archive member whose format its name gives.
func (r *reader) member(o Origin, src io.Reader, name string) bool {
	f, gz := formatOf(name)
	if gz {
		zr, err := gzip.NewReader(src)
		if err != nil {
			return r.failAt(o, err)
		}
		defer zr.Close()
		src = zr
	}
	switch f {
	case formatJSON:
		return r.whole(o, src)
	case formatNDJSON:
		return r.lines(o, src, nil)
	}
	return r.stream(o, src, formatStream)
}

// failAt reports a read error at an origin (a file or member), in order with the rest.
func (r *reader) failAt(o Origin, err error) bool {
	if !r.flush() {
		return false
	}
	b := newBatch()
	b.Records = append(b.Records, Record{Origin: o, Err: &ReadError{Path: o.Name(), Err: err}})
	return r.send(b)
}

// whole reads src as one document, gathering small documents into one batch.
func (r *reader) whole(o Origin, src io.Reader) bool {
	if r.files != nil && r.files.paths {
		if !r.flush() {
			return false
		}
	}
	if r.files == nil {
		r.files = newBatch()
	}
	b := r.files
	start := len(b.buf)
	buf, err := readAllInto(b.buf, src)
	b.buf = buf
	b.Files++
	if err != nil {
		b.buf = b.buf[:start]
		b.Records = append(b.Records, Record{Origin: o, Err: &ReadError{Path: o.Name(), Err: err}})
	} else {
		// Earlier records keep pointing at the old array if buf moved: its bytes never change.
		b.Records = append(b.Records, Record{Origin: o, Raw: buf[start:len(buf):len(buf)]})
	}
	if len(b.buf) >= r.opts.BlockSize || len(b.Records) >= r.opts.FilesPer {
		return r.flush()
	}
	return true
}

func readAllInto(buf []byte, src io.Reader) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = grow(buf, 32<<10)
		}
		n, err := src.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// fill reads more of src into b.buf, growing it when full. It reports whether src ended.
func (r *reader) fill(b *Batch, src io.Reader) (eof bool, err error) {
	if cap(b.buf) < r.opts.BlockSize {
		nb := make([]byte, len(b.buf), r.opts.BlockSize+r.opts.BlockSize/4)
		copy(nb, b.buf)
		b.buf = nb
	}
	if len(b.buf) == cap(b.buf) {
		b.buf = grow(b.buf, cap(b.buf))
	}
	// Read at most a block even into a bigger pooled buffer, so batches stay small
	// enough to spread over the workers.
	room := b.buf[len(b.buf):min(cap(b.buf), len(b.buf)+r.opts.BlockSize)]
	n, err := io.ReadAtLeast(src, room, 1)
	b.buf = b.buf[:len(b.buf)+n]
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return true, nil
	}
	return false, err
}

// carry sends the full batch b on and returns a new one that starts with b.buf[from:],
// the part of a document not yet complete.
func (r *reader) carry(b *Batch, from int) (*Batch, bool) {
	nb := newBatch()
	if cap(nb.buf) < r.opts.BlockSize+len(b.buf)-from {
		nb.buf = make([]byte, 0, r.opts.BlockSize+r.opts.BlockSize/4+len(b.buf)-from)
	}
	nb.buf = append(nb.buf, b.buf[from:]...)
	b.buf = b.buf[:from]
	return nb, r.send(b)
}

// lines reads NDJSON: one document a line, blank lines skipped. head holds bytes already
// read from src (by stream's sniffing), to be read first.
func (r *reader) lines(o Origin, src io.Reader, head []byte) bool {
	if !r.flush() {
		return false
	}
	b := newBatch()
	b.Files = 1
	b.buf = append(b.buf, head...)
	line, off := o.Line, o.Offset
	start, scan := 0, 0
	for {
		eof, err := false, error(nil)
		if len(head) == 0 {
			eof, err = r.fill(b, src)
		}
		head = nil
		for {
			i := bytes.IndexByte(b.buf[scan:], '\n')
			if i < 0 {
				scan = len(b.buf)
				break
			}
			end := scan + i
			addLine(b, o, b.buf[start:end], line, off)
			off += int64(end + 1 - start)
			line++
			start, scan = end+1, end+1
		}
		if err != nil || eof {
			addLine(b, o, b.buf[start:], line, off)
			if err != nil {
				o.Line, o.Offset = line, off
				b.Records = append(b.Records, Record{Origin: o, Err: &ReadError{Path: o.Name(), Err: err}})
			}
			return r.send(b)
		}
		if len(b.buf) >= r.opts.BlockSize {
			var ok bool
			if b, ok = r.carry(b, start); !ok {
				return false
			}
			scan -= start
			start = 0
		}
	}
}

func addLine(b *Batch, o Origin, text []byte, line int, off int64) {
	if len(bytes.TrimSpace(text)) == 0 {
		return
	}
	o.Line, o.Col, o.Offset = line, 1, off
	b.Records = append(b.Records, Record{Origin: o, Raw: text[:len(text):len(text)]})
}

// stream reads documents that follow one another (NDJSON or concatenated, pretty or
// not). When the first document fills its line alone the rest is read as NDJSON, which
// is faster; otherwise each document's end is found by scanning it.
func (r *reader) stream(o Origin, src io.Reader, _ format) bool {
	if !r.flush() {
		return false
	}
	b := newBatch()
	eof, err := r.fill(b, src)
	for err == nil && !eof && firstValueEnd(b.buf) == -2 {
		eof, err = r.fill(b, src)
	}
	if end := firstValueEnd(b.buf); err == nil && end >= 0 && oneLine(b.buf, end) {
		head := append([]byte(nil), b.buf...)
		b.Release()
		return r.lines(o, src, head)
	}
	return r.values(o, src, b, eof, err)
}

// firstValueEnd returns the end of the first document in data, -1 when it is broken, -2
// when data ends before the document does.
func firstValueEnd(data []byte) int {
	end, err := valueEnd(data)
	var se *jsontext.SyntaxError
	switch {
	case err == nil:
		return end
	case errors.As(err, &se) && se.EOF:
		return -2
	}
	return -1
}

// oneLine reports whether the document data[:end] stands alone on its line.
func oneLine(data []byte, end int) bool {
	if bytes.IndexByte(bytes.TrimSpace(data[:end]), '\n') >= 0 {
		return false
	}
	rest := bytes.TrimLeft(data[end:], " \t\r")
	return len(rest) == 0 || rest[0] == '\n'
}

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

// values splits a stream of concatenated documents by scanning each one. A broken
// document is cut at the end of the line where it breaks, so the next one is still read.
func (r *reader) values(o Origin, src io.Reader, b *Batch, eof bool, rerr error) bool {
	b.Files = 1
	pos := position{line: o.Line, col: o.Col, off: o.Offset}
	start := 0
	for {
		start += pos.skipSpace(b.buf[start:])
		data := b.buf[start:]
		end, err := valueEnd(data)
		var se *jsontext.SyntaxError
		incomplete := len(data) == 0 || (err == nil && end == len(data)) || (errors.As(err, &se) && se.EOF)
		if se != nil && !se.EOF && nextDocumentLine(data, se.Stop) < 0 {
			// A broken document ends where the next one starts: read until one does.
			incomplete = true
		}
		if incomplete && !eof && rerr == nil {
			if start > 0 && len(b.buf) >= r.opts.BlockSize {
				var ok bool
				if b, ok = r.carry(b, start); !ok {
					return false
				}
				start = 0
			}
			eof, rerr = r.fill(b, src)
			continue
		}
		if len(data) == 0 {
			if rerr != nil {
				o.Line, o.Col, o.Offset = pos.line, pos.col, pos.off
				b.Records = append(b.Records, Record{Origin: o, Err: &ReadError{Path: o.Name(), Err: rerr}})
			}
			return r.send(b)
		}
		switch {
		case se != nil && se.EOF:
			end = len(data) // truncated at the end of the input: the worker will say so
		case err != nil:
			// Resume at the next line that starts a document, looking from where the
			// scanner stopped (a trailing comma is only known at the bracket after it),
			// so that the rest of the broken document makes no findings of its own.
			end = len(data)
			if next := nextDocumentLine(data, se.Stop); next >= 0 {
				end = next
			}
		}
		o.Line, o.Col, o.Offset = pos.line, pos.col, pos.off
		b.Records = append(b.Records, Record{Origin: o, Raw: data[:end:end]})
		pos.advance(data[:end])
		start += end
	}
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

// position follows line, column and offset through a stream.
type position struct {
	line, col int
	off       int64
}

func (p *position) skipSpace(data []byte) int {
	i := 0
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	p.advance(data[:i])
	return i
}

func (p *position) advance(text []byte) {
	p.off += int64(len(text))
	if nl := bytes.LastIndexByte(text, '\n'); nl >= 0 {
		p.line += bytes.Count(text, []byte{'\n'})
		p.col = 1 + utf8.RuneCount(text[nl+1:])
		return
	}
	p.col += utf8.RuneCount(text)
}
