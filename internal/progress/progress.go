// Package progress draws one self-rewriting status line on a terminal for long runs
// (documents, bytes, rate and, when the input size or the number of documents is
// known, an ETA), says how much input there is to read, and writes the closing
// summary line. Any command that streams documents can use it: start a Meter with the
// input's size (Start) or the documents it will make (StartCount), Add what each batch
// read or wrote, Stop, then write the Summary.
package progress

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smarthook/smarthook/internal/input"
)

// Mode is how a run shows its progress.
type Mode uint8

const (
	// Off shows nothing: no progress, no summary.
	Off Mode = iota
	// Redraw draws one status line that rewrites itself, for a terminal.
	Redraw
	// Lines writes a plain status line now and then (every LinesInterval), for a log
	// that is no terminal: no escape codes, nothing rewritten.
	Lines
)

// On reports whether the run shows progress and ends with a summary line.
func (m Mode) On() bool { return m != Off }

// Meter counts documents and bytes and redraws the status line every Interval.
type Meter struct {
	w     io.Writer
	lines bool // plain lines, not a rewritten one
	label string
	total int64 // bytes to read; 0 when unknown
	count int64 // documents to make; 0 when unknown
	start time.Time
	docs  atomic.Int64
	bytes atomic.Int64
	stop  chan struct{}
	done  sync.WaitGroup
	once  sync.Once
	mu    sync.Mutex // held while the line or other text is written to w
	drawn bool       // a line has been drawn (under mu)
	every bool       // draw at every Add (Interval 0) instead of on a clock
}

// Interval is how often the line is redrawn. At 0 it is drawn at every Add instead,
// so that tests see each line without waiting on a clock.
var Interval = 250 * time.Millisecond

// LinesInterval is how often a plain line is written in Lines mode.
var LinesInterval = 5 * time.Second

// Start draws on w until Stop, as mode says (Redraw or Lines); label starts the line
// ("convert"), total is the input size in bytes (0 when unknown: no percentage nor
// ETA then).
func Start(w io.Writer, mode Mode, label string, total int64) *Meter {
	return start(&Meter{w: w, label: label, total: total}, mode)
}

// StartCount is Start for a run that knows how many documents it makes (count > 0)
// but not their size: the line says "n of count documents" and the ETA follows the
// documents' rate.
func StartCount(w io.Writer, mode Mode, label string, count int64) *Meter {
	return start(&Meter{w: w, label: label, count: count}, mode)
}

func start(m *Meter, mode Mode) *Meter {
	m.start, m.stop, m.lines = time.Now(), make(chan struct{}), mode == Lines
	every := Interval
	if m.lines {
		every = LinesInterval
	}
	if every <= 0 {
		m.every = true
		return m
	}
	m.done.Add(1)
	go m.loop(every)
	return m
}

// Add counts documents and bytes read. Safe for concurrent use; a nil Meter ignores it.
func (m *Meter) Add(docs int, bytes int64) {
	if m == nil {
		return
	}
	m.docs.Add(int64(docs))
	m.bytes.Add(bytes)
	if m.every {
		m.draw()
	}
}

// Stop ends the redrawing and clears the line, if one was drawn (a short run writes
// nothing). A nil Meter ignores it.
func (m *Meter) Stop() {
	if m == nil {
		return
	}
	m.once.Do(func() {
		close(m.stop)
		m.done.Wait()
		if m.drawn && !m.lines {
			fmt.Fprint(m.w, "\r\x1b[K")
		}
	})
}

func (m *Meter) loop(every time.Duration) {
	defer m.done.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.draw()
		}
	}
}

// draw writes the status line over the last one, or under it in Lines mode.
func (m *Meter) draw() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lines {
		fmt.Fprintln(m.w, m.Line(time.Since(m.start)))
	} else {
		fmt.Fprint(m.w, "\r\x1b[K"+m.Line(time.Since(m.start)))
	}
	m.drawn = true
}

// Writer is w for other text (problems found on the way): each write clears the
// status line first, which the next redraw puts back under it. A nil Meter gives w.
func (m *Meter) Writer(w io.Writer) io.Writer {
	if m == nil {
		return w
	}
	return clearing{m, w}
}

type clearing struct {
	m *Meter
	w io.Writer
}

func (c clearing) Write(p []byte) (int, error) {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	if c.m.drawn && !c.m.lines {
		io.WriteString(c.w, "\r\x1b[K")
	}
	return c.w.Write(p)
}

// Line is the status after elapsed time: "convert: 12,345 documents, 45.6 MB of 300.0 MB
// (15%), 12.3 MB/s, ETA 0:21", or with a known count of documents "fake: 12,345 of
// 100,000 documents (12%), 45.6 MB, 12.3 MB/s, ETA 0:21".
func (m *Meter) Line(elapsed time.Duration) string {
	docs, n := m.docs.Load(), m.bytes.Load()
	var b strings.Builder
	if m.count > 0 {
		fmt.Fprintf(&b, "%s: %s of %s documents (%d%%), %s", m.label, Count(docs), Count(m.count), percent(docs, m.count), Bytes(n))
	} else {
		fmt.Fprintf(&b, "%s: %s documents, %s", m.label, Count(docs), Bytes(n))
	}
	if m.total > 0 {
		fmt.Fprintf(&b, " of %s (%d%%)", Bytes(m.total), percent(n, m.total))
	}
	secs := elapsed.Seconds()
	if secs <= 0 {
		return b.String()
	}
	fmt.Fprintf(&b, ", %s/s", Bytes(int64(float64(n)/secs)))
	// The time left is what remains at the rate so far, of bytes or of documents.
	done, total := n, m.total
	if m.count > 0 {
		done, total = docs, m.count
	}
	if total > 0 && done > 0 && done < total {
		eta := time.Duration(float64(total-done) / float64(done) * float64(elapsed))
		fmt.Fprintf(&b, ", ETA %s", Clock(eta))
	}
	return b.String()
}

// percent is done of total in whole per cent, at most 100.
func percent(done, total int64) int64 { return min(100, done*100/total) }

// Summary writes the closing line of a run on w: "smarthook convert: wrote 2 chats
// rows to chats.csv", then each note after "; " and the broken documents skipped.
func Summary(w io.Writer, label, wrote, where string, skipped int, notes ...string) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: wrote %s to %s", label, wrote, where)
	for _, note := range notes {
		if note != "" {
			b.WriteString("; " + note)
		}
	}
	if skipped > 0 {
		b.WriteString("; skipped " + Of(int64(skipped), "broken document"))
	}
	fmt.Fprintln(w, b.String())
}

// Of writes n with thousands separators and a noun, with an s when n is not 1:
// "1 document", "12,345 documents".
func Of(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Count(n) + " " + noun + "s"
}

// Count writes n with thousands separators: 12,345.
func Count(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + Count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Bytes writes a size in B, kB, MB or GB (powers of 1000, one decimal).
func Bytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

// Clock writes a duration as m:ss, or h:mm:ss from an hour on.
func Clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// InputSize is the bytes the documents of paths take when that is known: plain files
// and folders of them. It is 0 (unknown) for stdin, globs and archives or compressed
// files, whose documents are not their size on disk.
func InputSize(paths []string) int64 {
	var total int64
	for _, p := range paths {
		if p == "-" {
			return 0
		}
		info, err := os.Stat(p)
		if err != nil {
			return 0
		}
		if !info.IsDir() {
			if packed(p) {
				return 0
			}
			total += info.Size()
			continue
		}
		unknown := false
		filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if packed(q) {
				unknown = true
				return filepath.SkipAll
			}
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
			return nil
		})
		if unknown {
			return 0
		}
	}
	return total
}

// ReadSize is what a record took of its input, to count against InputSize: its
// document and, for a line of NDJSON or a stream, the newline after it (so that a
// whole input reads as 100%).
func ReadSize(rec input.Record) int64 {
	if rec.Origin.WholeFile() && rec.Element == 0 {
		return int64(len(rec.Raw))
	}
	return int64(len(rec.Raw)) + 1
}

// packed reports archives and compressed files.
func packed(name string) bool {
	for _, ext := range []string{".gz", ".tgz", ".tar", ".zip", ".zst", ".bz2", ".xz"} {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return true
		}
	}
	return false
}
