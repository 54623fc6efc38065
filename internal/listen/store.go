package listen

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/smarthook/smarthook/internal/atomicfile"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// stampLayout names files by their receive time: sortable, and free of characters
// that some file systems refuse.
const stampLayout = "20060102T150405.000000Z"

// store keeps an accepted body as --dir and --ndjson ask, synced before it returns.
func (s *Server) store(rc *received) error {
	if s.opts.Dir != "" {
		name, err := writeUnique(s.docPath(rc), rc.body)
		if err != nil {
			return err
		}
		rc.file = name
		s.counts.files.Add(1)
	}
	if s.log != nil {
		if err := s.log.append(rc.body); err != nil {
			return fmt.Errorf("append to %s: %w", s.opts.NDJSON, err)
		}
		s.counts.lines.Add(1)
	}
	return nil
}

// docPath is DIR/YYYY/MM/DD/<accountId>-<channel.id>-<receive time>.json. Only digits
// of the document and a fixed time format make up the name, never raw input.
func (s *Server) docPath(rc *received) string {
	account, chat := "unknown", "unknown"
	switch rc.doc.Kind {
	case payload.KindHook:
		account, chat = digits(rc.doc.Hook.AccountID), digits(rc.doc.Hook.Channel.ID)
	case payload.KindWebhook:
		account = digits(rc.doc.Webhook.AccountID)
	}
	t := rc.at.UTC()
	return filepath.Join(s.opts.Dir, t.Format("2006"), t.Format("01"), t.Format("02"),
		account+"-"+chat+"-"+t.Format(stampLayout)+".json")
}

// storeRejected keeps a body that is not JSON as DIR/rejected/YYYY/MM/DD/<time>.body.
func (s *Server) storeRejected(rc *received) error {
	t := rc.at.UTC()
	name := filepath.Join(s.opts.Dir, "rejected", t.Format("2006"), t.Format("01"), t.Format("02"), t.Format(stampLayout)+".body")
	if _, err := writeUnique(name, rc.body); err != nil {
		return err
	}
	s.counts.kept.Add(1)
	return nil
}

// digits is an id as it stands when it is only digits (an integer, or a string of
// digits as webhooks send), and "unknown" otherwise.
func digits(v payload.Value) string {
	if (v.Kind != jsontext.Number && v.Kind != jsontext.String) || v.Escaped || len(v.Raw) == 0 || len(v.Raw) > 20 {
		return "unknown"
	}
	for _, c := range v.Raw {
		if c < '0' || c > '9' {
			return "unknown"
		}
	}
	return string(v.Raw)
}

// writeUnique writes data to a new file named name, or name with a counter when that
// is taken, and returns the name used.
func writeUnique(name string, data []byte) (string, error) {
	f, err := atomicfile.Start(name) // a taken name is fine: CommitUnique finds a free one
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	return f.CommitUnique()
}

// ndjsonLog appends one line per hook to a file, synced before append returns.
// Appends that wait while another syncs share the next sync (group commit), so many
// concurrent hooks cost few syncs.
type ndjsonLog struct {
	mu      sync.Mutex // writes, written, closed
	f       *os.File
	written uint64 // lines written
	closed  bool

	syncMu sync.Mutex // syncs, synced
	synced uint64     // lines known to be on disk
}

// openNDJSON opens name for appending. A last line without its newline (the end of a
// crashed writer) gets one, so that the next line stands on its own.
func openNDJSON(name string, warn io.Writer) (*ndjsonLog, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if info, err := f.Stat(); err == nil && info.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, info.Size()-1); err == nil && last[0] != '\n' {
			fmt.Fprintf(warn, "smarthook listen: warning: %s ended in the middle of a line; the new lines start after it\n", name)
			if _, err := f.Write([]byte{'\n'}); err != nil {
				f.Close()
				return nil, err
			}
		}
	}
	return &ndjsonLog{f: f}, nil
}

// append writes body as one line (compacted if it spans several) and syncs it.
func (l *ndjsonLog) append(body []byte) error {
	line := body
	if bytes.ContainsAny(body, "\r\n") {
		line = jsontext.AppendCompact(make([]byte, 0, len(body)), body)
	}
	line = append(line[:len(line):len(line)], '\n')
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return os.ErrClosed
	}
	_, err := l.f.Write(line)
	l.written++
	seq := l.written
	l.mu.Unlock()
	if err != nil {
		return err
	}
	return l.syncTo(seq)
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
	if err := l.f.Sync(); err != nil {
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
	return l.f.Close()
}
