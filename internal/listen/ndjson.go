package listen

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/smarthook/smarthook/internal/hookmeta"
)

// appendFile is what the NDJSON log needs of a file; tests put a failing one in.
type appendFile interface {
	io.Writer
	io.ReaderAt
	Truncate(size int64) error
	Sync() error
	Close() error
}

// ndjsonLog appends one line per hook to a file and its metadata line to a second
// file, so that line N of one describes line N of the other. Both are appended under
// one lock and rolled back together (truncated to their previous ends) when either
// write fails or is short, so a full disk never leaves half a line and the next hook
// after space returns starts on a line of its own. Appends are synced before they
// return; appends that wait while another syncs share the next sync (group commit).
type ndjsonLog struct {
	mu               sync.Mutex // writes, ends, written, closed
	body, meta       appendFile
	bodyEnd, metaEnd int64
	lines            int64  // lines in the body file
	written          uint64 // lines written
	closed           bool

	syncMu sync.Mutex // syncs, synced
	synced uint64     // lines known to be on disk
}

// openNDJSON opens name and its metadata file for appending and makes them line up:
// a last line cut short by a crash gets its newline, and a metadata file with fewer
// lines than the body file (written by an older version, or a crash between the two
// writes) is padded with {} (nothing known), one with more is cut back.
func openNDJSON(name, metaName string, warn func(string, ...any)) (*ndjsonLog, error) {
	body, bodyLines, bodyEnd, err := openLines(name, warn)
	if err != nil {
		return nil, err
	}
	meta, metaLines, metaEnd, err := openLines(metaName, warn)
	if err != nil {
		body.Close()
		return nil, err
	}
	l := &ndjsonLog{body: body, meta: meta, bodyEnd: bodyEnd, metaEnd: metaEnd, lines: bodyLines}
	if err := l.align(bodyLines, metaLines, metaName, warn); err != nil {
		l.close()
		return nil, fmt.Errorf("align %s with %s: %w", metaName, name, err)
	}
	return l, nil
}

// openLines opens name for appending, ends it with a newline if a crash cut its last
// line, and returns its line count and size.
func openLines(name string, warn func(string, ...any)) (*os.File, int64, int64, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, 0, 0, err
	}
	lines, size, last, err := countLines(f)
	if err == nil && size > 0 && last != '\n' {
		warn("warning: %s ended in the middle of a line; the new lines start after it", name)
		if _, err = f.Write([]byte{'\n'}); err == nil {
			lines, size = lines+1, size+1
		}
	}
	if err != nil {
		f.Close()
		return nil, 0, 0, fmt.Errorf("open %s: %w", name, err)
	}
	return f, lines, size, nil
}

// countLines reads f through once: its newlines, size and last byte.
func countLines(f *os.File) (lines, size int64, last byte, err error) {
	r := bufio.NewReaderSize(io.NewSectionReader(f, 0, 1<<62), 256<<10)
	buf := make([]byte, 256<<10)
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
			size += int64(n)
			last = buf[n-1]
		}
		if rerr == io.EOF {
			return lines, size, last, nil
		}
		if rerr != nil {
			return 0, 0, 0, rerr
		}
	}
}

// align pads or cuts the metadata file to the body file's line count.
func (l *ndjsonLog) align(bodyLines, metaLines int64, metaName string, warn func(string, ...any)) error {
	switch {
	case metaLines < bodyLines:
		warn("warning: %s describes %d of %d lines; the others get {} (nothing known)", metaName, metaLines, bodyLines)
		pad := bytes.Repeat([]byte("{}\n"), int(bodyLines-metaLines))
		if _, err := l.meta.Write(pad); err != nil {
			return err
		}
		l.metaEnd += int64(len(pad))
	case metaLines > bodyLines:
		warn("warning: %s has %d lines more than the hooks it describes; they are cut", metaName, metaLines-bodyLines)
		end, err := offsetOfLine(l.meta, bodyLines)
		if err != nil {
			return err
		}
		if err := l.meta.Truncate(end); err != nil {
			return err
		}
		l.metaEnd = end
	}
	return nil
}

// offsetOfLine is the offset where line n (0-based) of f starts.
func offsetOfLine(f io.ReaderAt, n int64) (int64, error) {
	r := bufio.NewReader(io.NewSectionReader(f, 0, 1<<62))
	var off int64
	for i := int64(0); i < n; i++ {
		line, err := r.ReadSlice('\n')
		for err == bufio.ErrBufferFull {
			off += int64(len(line))
			line, err = r.ReadSlice('\n')
		}
		if err != nil {
			return 0, err
		}
		off += int64(len(line))
	}
	return off, nil
}

// append writes body as one line (see NDJSONLine) and meta as the matching line,
// rolls both back if either fails, and syncs them. When the line is not body byte
// for byte, the meta line keeps body as received (body_b64), so that nothing
// received is lost and its signature can still be checked. It returns the line's
// number (from 0) and offset.
func (l *ndjsonLog) append(body []byte, meta *Meta) (line, off, size int64, err error) {
	text := hookmeta.NDJSONLine(body)
	size = int64(len(text))
	var metaLine []byte
	if bytes.Equal(text, body) {
		metaLine = meta.Line()
	} else {
		metaLine = meta.LineKeeping(body)
	}
	text = append(text[:len(text):len(text)], '\n')
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return -1, -1, 0, os.ErrClosed
	}
	line, off = l.lines, l.bodyEnd
	if err := l.write(text, metaLine); err != nil {
		l.mu.Unlock()
		return -1, -1, 0, err
	}
	l.lines++
	l.written++
	seq := l.written
	l.mu.Unlock()
	return line, off, size, l.syncTo(seq)
}

// write appends both lines or, on any error, neither. Called with mu held.
func (l *ndjsonLog) write(line, meta []byte) error {
	err := writeAll(l.body, line)
	if err == nil {
		err = writeAll(l.meta, meta)
	}
	if err != nil {
		// Back to the previous ends: no half line stays for the next hook to be glued to.
		terr := l.body.Truncate(l.bodyEnd)
		if merr := l.meta.Truncate(l.metaEnd); terr == nil {
			terr = merr
		}
		if terr != nil {
			return fmt.Errorf("%w (and the half-written line could not be removed: %v)", err, terr)
		}
		return err
	}
	l.bodyEnd += int64(len(line))
	l.metaEnd += int64(len(meta))
	return nil
}

// writeAll fails on a short write too.
func writeAll(w io.Writer, b []byte) error {
	n, err := w.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	return err
}

// syncTo returns once line seq is on disk.
func (l *ndjsonLog) syncTo(seq uint64) error {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	if l.synced >= seq {
		return nil
	}
	l.mu.Lock()
	upTo := l.written
	l.mu.Unlock()
	if err := l.body.Sync(); err != nil {
		return err
	}
	if err := l.meta.Sync(); err != nil {
		return err
	}
	l.synced = upTo
	return nil
}

func (l *ndjsonLog) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	err := l.body.Close()
	if merr := l.meta.Close(); err == nil {
		err = merr
	}
	return err
}
