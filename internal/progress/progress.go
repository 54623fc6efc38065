// Package progress draws one self-rewriting status line on a terminal for long runs
// (documents, bytes, rate and, when the input size is known, an ETA), and says how much
// input there is to read. Any command that streams documents can use it: start a Meter
// with the input's size, Add what each batch read, Stop before the closing summary.
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
)

// Meter counts documents and bytes and redraws the status line every Interval.
type Meter struct {
	w     io.Writer
	label string
	total int64 // bytes to read; 0 when unknown
	start time.Time
	docs  atomic.Int64
	bytes atomic.Int64
	stop  chan struct{}
	done  sync.WaitGroup
	once  sync.Once
	mu    sync.Mutex // held while the line or other text is written to w
}

// Interval is how often the line is redrawn.
const Interval = 250 * time.Millisecond

// Start draws on w until Stop; label starts the line ("convert"), total is the input
// size in bytes (0 when unknown: no percentage nor ETA then).
func Start(w io.Writer, label string, total int64) *Meter {
	m := &Meter{w: w, label: label, total: total, start: time.Now(), stop: make(chan struct{})}
	m.done.Add(1)
	go m.loop()
	return m
}

// Add counts documents and bytes read. Safe for concurrent use; a nil Meter ignores it.
func (m *Meter) Add(docs int, bytes int64) {
	if m == nil {
		return
	}
	m.docs.Add(int64(docs))
	m.bytes.Add(bytes)
}

// Stop ends the redrawing and clears the line. A nil Meter ignores it.
func (m *Meter) Stop() {
	if m == nil {
		return
	}
	m.once.Do(func() {
		close(m.stop)
		m.done.Wait()
		fmt.Fprint(m.w, "\r\x1b[K")
	})
}

func (m *Meter) loop() {
	defer m.done.Done()
	t := time.NewTicker(Interval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.mu.Lock()
			fmt.Fprint(m.w, "\r\x1b[K"+m.Line(time.Since(m.start)))
			m.mu.Unlock()
		}
	}
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
	io.WriteString(c.w, "\r\x1b[K")
	return c.w.Write(p)
}

// Line is the status after elapsed time: "convert: 12,345 documents, 45.6 MB of 300.0 MB
// (15%), 12.3 MB/s, ETA 0:21".
func (m *Meter) Line(elapsed time.Duration) string {
	docs, n := m.docs.Load(), m.bytes.Load()
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s documents, %s", m.label, Count(docs), Bytes(n))
	if m.total > 0 {
		fmt.Fprintf(&b, " of %s (%d%%)", Bytes(m.total), min(100, n*100/m.total))
	}
	secs := elapsed.Seconds()
	if secs <= 0 {
		return b.String()
	}
	rate := float64(n) / secs
	fmt.Fprintf(&b, ", %s/s", Bytes(int64(rate)))
	if m.total > 0 && rate > 0 && n < m.total {
		eta := time.Duration(float64(m.total-n) / rate * float64(time.Second))
		fmt.Fprintf(&b, ", ETA %s", Clock(eta))
	}
	return b.String()
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

// packed reports archives and compressed files.
func packed(name string) bool {
	for _, ext := range []string{".gz", ".tgz", ".tar", ".zip", ".zst", ".bz2", ".xz"} {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return true
		}
	}
	return false
}
