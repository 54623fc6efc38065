package query

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/smarthook/smarthook/internal/input"
)

// docIter yields the values of the input one at a time, as the jq command reads them;
// a value that is an error is reported in its place. Name is the file of the last
// value read ("<stdin>" for standard input).
type docIter interface {
	Next() (any, bool)
	Name() string
	Close()
}

// tee keeps what a decoder has read, so that a syntax error can show its line. A
// seekable file is read again instead, from the place the window starts.
type tee struct {
	io.Reader
	seeker io.ReadSeeker
	buf    *bytes.Buffer
	src    io.Reader // what the buffer is filled from
}

func newTee(r io.Reader) *tee {
	if rs, ok := r.(io.ReadSeeker); ok {
		if _, err := rs.Seek(0, io.SeekCurrent); err == nil {
			return &tee{Reader: r, seeker: rs}
		}
	}
	buf := new(bytes.Buffer)
	return &tee{Reader: io.TeeReader(r, buf), buf: buf, src: r}
}

// contents returns the text around an error at *offset (nil: all of it), moving
// *offset and *line to count from the start of the text returned.
func (t *tee) contents(offset *int64, line *int) string {
	if t.buf != nil {
		return t.buf.String()
	}
	if cur, err := t.seeker.Seek(0, io.SeekCurrent); err == nil {
		defer t.seeker.Seek(cur, io.SeekStart)
	}
	_, _ = t.seeker.Seek(0, io.SeekStart)
	const window = 16 << 10
	var buf bytes.Buffer
	for offset != nil && *offset > window*3/4 {
		n, err := io.Copy(&buf, io.LimitReader(t.seeker, min(window, *offset-window/4)))
		*offset -= n
		*line += bytes.Count(buf.Bytes(), []byte{'\n'})
		buf.Reset()
		if err != nil || n == 0 {
			break
		}
	}
	var r io.Reader = t.seeker
	if offset != nil {
		r = io.LimitReader(t.seeker, window)
	}
	_, _ = io.Copy(&buf, r)
	return buf.String()
}

// bomSkipper drops a UTF-8 byte-order mark at the start of an input, as jq does; it
// reads exactly as asked otherwise, so that errors show what gojq shows.
type bomSkipper struct {
	t    *tee
	it   *jsonIter
	read bool
}

func (b *bomSkipper) Read(p []byte) (int, error) {
	n, err := b.t.Read(p)
	if !b.read && n > 0 {
		b.read = true
		if n >= 3 && string(p[:3]) == "\xef\xbb\xbf" {
			copy(p, p[3:n])
			n -= 3
			if b.t.buf != nil {
				b.t.buf.Next(3)
			} else {
				b.it.offset = -3 // offsets count from the start of the file
			}
		}
	}
	return n, err
}

// jsonIter reads concatenated JSON texts (or their --stream events).
type jsonIter struct {
	next   func() (any, error)
	dec    *json.Decoder
	t      *tee
	name   string
	offset int64 // where t's buffer starts in the input
	line   int   // lines before it
	err    error

	events       *eventStream // --stream
	streamErrors bool         // --stream-errors: broken text yields [message, path]

	// From where a broken value began (start), the input core can read the rest of
	// the input: takeOver hands it over (nil: never), and core then yields the rest.
	start    int64
	takeOver func(o input.Origin, rest io.Reader) *recordsIter
	core     *recordsIter
	values   int                     // read so far
	seen     func(n int, v any) bool // called with the first values (n counts from 1), until it returns false
}

func newJSONIter(r io.Reader, name string, stream bool) *jsonIter {
	t := newTee(r)
	bs := &bomSkipper{t: t}
	r = bs
	dec := json.NewDecoder(r)
	dec.UseNumber()
	it := &jsonIter{dec: dec, t: t, name: name}
	bs.it = it
	if stream {
		it.events = newEventStream(dec)
		it.next = it.events.next
	} else {
		it.next = func() (v any, err error) { err = dec.Decode(&v); return v, err }
	}
	return it
}

func (it *jsonIter) Next() (any, bool) {
	if it.core != nil {
		return it.core.Next()
	}
	if it.err != nil {
		return nil, false
	}
	it.start = it.dec.InputOffset()
	v, err := it.next()
	if err != nil {
		if err == io.EOF {
			it.err = err
			return nil, false
		}
		if it.streamErrors && it.events != nil {
			// As jq: the error becomes a value, with the path where the text broke.
			it.err = io.EOF
			return []any{err.Error(), it.events.pathCopy()}, true
		}
		var offset *int64
		var line *int
		lines := it.line // before the error's context is read
		if se, ok := err.(*json.SyntaxError); ok {
			se.Offset -= it.offset
			offset, line = &se.Offset, &it.line
		} else if err == io.ErrUnexpectedEOF && it.t.seeker != nil {
			if end, serr := it.t.seeker.Seek(0, io.SeekEnd); serr == nil {
				offset, line = &end, &it.line
			}
		}
		it.err = &JSONError{Name: it.name, Contents: it.t.contents(offset, line), Line: it.line, Err: err}
		if it.takeOver != nil && it.events == nil {
			if core := it.resume(lines); core != nil {
				it.core = core
				return core.Next()
			}
		}
		return it.err, true
	}
	if it.seen != nil {
		it.values++
		if !it.seen(it.values, v) {
			it.seen = nil
		}
	}
	// Forget what lies well behind, whole lines, keeping the line count.
	if buf := it.t.buf; buf != nil && buf.Len() >= 16<<10 {
		used := it.dec.InputOffset() - it.offset
		if nl := bytes.LastIndexByte(buf.Bytes()[:used], '\n'); nl >= 0 {
			it.line += bytes.Count(buf.Next(nl+1), []byte{'\n'})
			it.offset += int64(nl + 1)
		}
	}
	return v, true
}

func (it *jsonIter) Name() string {
	if it.core != nil {
		return it.core.Name()
	}
	return it.name
}

func (it *jsonIter) Close() {
	it.err = io.EOF
	if it.core != nil {
		it.core.Close()
	}
}

// lineIter reads text, one string a line without its newline (-R).
type lineIter struct {
	r    *bufio.Reader
	name string
	err  error
}

func (it *lineIter) Next() (any, bool) {
	if it.err != nil {
		return nil, false
	}
	line, err := it.r.ReadString('\n')
	if err != nil {
		it.err = err
		if err != io.EOF {
			return err, true
		}
		if line == "" {
			return nil, false
		}
	}
	return strings.TrimSuffix(line, "\n"), true
}

func (it *lineIter) Name() string { return it.name }
func (it *lineIter) Close()       { it.err = io.EOF }

// wholeIter reads all the text as one string (-R with -s).
type wholeIter struct {
	r    io.Reader
	name string
	done bool
}

func (it *wholeIter) Next() (any, bool) {
	if it.done {
		return nil, false
	}
	it.done = true
	b, err := io.ReadAll(it.r)
	if err != nil {
		return err, true
	}
	return string(b), true
}

func (it *wholeIter) Name() string { return it.name }
func (it *wholeIter) Close()       { it.done = true }

// nullIter yields one null (-n).
type nullIter struct{ done bool }

func (it *nullIter) Next() (any, bool) {
	if it.done {
		return nil, false
	}
	it.done = true
	return nil, true
}

func (*nullIter) Name() string { return "" }
func (it *nullIter) Close()    { it.done = true }

// filesIter reads the named files one after another ("-" is stdin), each with the
// iterator newIter makes; a file that cannot be opened is reported in its place.
type filesIter struct {
	newIter func(io.Reader, string) docIter
	names   []string
	stdin   io.Reader
	open    func(string) (docIter, io.Closer, error)
	cur     docIter
	file    io.Closer // of cur, nil for stdin
	opened  bool      // cur is the current file's
	done    bool
}

func (it *filesIter) Next() (any, bool) {
	if it.done {
		return nil, false
	}
	for {
		if !it.opened {
			if len(it.names) == 0 {
				it.Close()
				return nil, false
			}
			name := it.names[0]
			it.names = it.names[1:]
			if it.cur != nil {
				it.cur.Close()
			}
			if name == "-" && it.stdin != nil {
				it.cur = it.newIter(it.stdin, "<stdin>")
			} else {
				cur, f, err := it.open(name)
				if err != nil {
					return err, true
				}
				it.cur, it.file = cur, f
			}
			it.opened = true
		}
		if v, ok := it.cur.Next(); ok {
			return v, true
		}
		it.closeFile()
	}
}

func (it *filesIter) closeFile() {
	if it.file != nil {
		it.file.Close()
		it.file = nil
	}
	it.opened = false
}

func (it *filesIter) Name() string {
	if it.cur != nil {
		return it.cur.Name()
	}
	return ""
}

func (it *filesIter) Close() {
	it.closeFile()
	if it.cur != nil {
		it.cur.Close()
		it.cur = nil
	}
	it.done = true
}

// slurpIter yields one array of all the values (-s), or the first error.
type slurpIter struct {
	src  docIter
	raw  bool // -R -s: one string of all the text
	done bool
}

func (it *slurpIter) Next() (any, bool) {
	if it.done {
		return nil, false
	}
	it.done = true
	var vs []any
	var texts []string
	for {
		v, ok := it.src.Next()
		if !ok {
			break
		}
		if err, ok := v.(error); ok {
			return err, true
		}
		if it.raw {
			texts = append(texts, v.(string))
		} else {
			vs = append(vs, v)
		}
	}
	if it.raw {
		return strings.Join(texts, ""), true
	}
	return vs, true
}

func (it *slurpIter) Name() string { return it.src.Name() }
func (it *slurpIter) Close()       { it.src.Close(); it.done = true }

// lineDelimited reports a file of one document a line (.ndjson, .jsonl, maybe
// gzipped): jq has no such format, and there a broken line does not stop the reading
// of the next ones.
func lineDelimited(name string) bool {
	lower := strings.TrimSuffix(strings.ToLower(name), ".gz")
	return strings.HasSuffix(lower, ".ndjson") || strings.HasSuffix(lower, ".jsonl")
}

// ndjsonIter reads one document a line; a broken line is reported and the next read.
type ndjsonIter struct {
	r    *bufio.Reader
	name string
	line int
	cur  *jsonIter
	done bool
}

func (it *ndjsonIter) Next() (any, bool) {
	for {
		if it.cur != nil {
			if v, ok := it.cur.Next(); ok {
				return v, true
			}
			it.cur = nil
		}
		if it.done {
			return nil, false
		}
		text, err := it.r.ReadString('\n')
		if err != nil {
			it.done = true
			if err != io.EOF {
				return err, true
			}
		}
		it.line++
		if strings.TrimSpace(text) == "" {
			continue
		}
		it.cur = newJSONIter(onlyReader{strings.NewReader(text)}, it.name, false)
		it.cur.line = it.line - 1
	}
}

func (it *ndjsonIter) Name() string { return it.name }
func (it *ndjsonIter) Close()       { it.done, it.cur = true, nil }
