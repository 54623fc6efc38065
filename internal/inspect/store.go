package inspect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/smarthook/smarthook/internal/listen"
	"github.com/smarthook/smarthook/internal/objstore"
)

// Bodies of hooks that nothing stores are kept in memory, up to these bounds; older
// ones stay listed without their body.
var (
	maxMemoryBodies       = 1000
	maxMemoryBytes  int64 = 64 << 20
	dropBatch             = 256 // memory-only entries dropped before the list is compacted
)

// maxEarly bounds the forward attempts kept for hooks not listed yet (hooks from an
// earlier run's outbox never are).
const maxEarly = 1000

// entry is one hook the page lists: where its body and metadata are, and its row
// once summarized. Stored hooks are summarized when a page or a filter needs them.
type entry struct {
	id      int64
	at      time.Time // from the file name or metadata; zero until known
	file    string    // --dir: the stored body, NAME.json.meta beside it
	line    int64     // --ndjson: the line, from 0; -1 otherwise
	offset  int64     // --ndjson: where the line starts
	size    int64     // --ndjson: the line's length without its newline
	body    []byte    // live hooks that nothing stores
	meta    []byte    // live hooks: their metadata line
	live    bool
	refused string // "401 bad signature" for a refused POST, kept in memory only
	dropped bool   // a memory-only entry past the bounds, to be taken off the list
	row     *Row
	fwdID   string
	fwd     []listen.ForwardAttempt
}

// store is every hook the page knows, oldest first (ids rise with position).
type store struct {
	mu       sync.Mutex
	entries  []*entry
	byFwd    map[string]*entry                  // by outbox id, while attempts may come
	early    map[string][]listen.ForwardAttempt // attempts that came before their hook
	mem      []*entry                           // memory-only entries with their bodies, oldest first
	memBytes int64                              // their bodies and metadata
	dropped  int                                // entries dropped and still listed
	ndjson   string
	ndMeta   string
	files    map[string]*os.File // the NDJSON and metadata files, opened once for reading
	metaOffs []int64             // --ndjson: where each line of the metadata file starts, when indexed
	metaEnd  int64
}

// add appends a live hook and returns its entry and metadata line.
func (s *store) add(a listen.Accepted) (*entry, []byte) {
	e := &entry{file: a.File, line: a.Line, offset: a.Offset, size: int64(len(a.Body)), fwdID: a.ForwardID}
	if a.Line >= 0 {
		e.size = a.LineSize // the line may be the body compacted
	}
	if objstore.Is(e.file) {
		e.file = "" // an object is not read back: kept in memory, as when nothing stores it
	}
	if e.file == "" && a.Line < 0 {
		e.body = a.Body
	}
	return s.append(e, &a.Meta)
}

// addRefused appends a refused POST, with its body when it was read.
func (s *store) addRefused(r listen.Rejected) (*entry, []byte) {
	e := &entry{line: -1, body: r.Body, size: int64(len(r.Body)), refused: strconv.Itoa(r.Status) + " " + r.Reason}
	return s.append(e, &r.Meta)
}

// memoryOnly reports an entry that nothing stores: its body and metadata are kept
// in memory, within bounds.
func (e *entry) memoryOnly() bool { return e.file == "" && e.line < 0 }

// append lists a live entry, newest, and returns its metadata line. Stored entries
// read theirs from disk when needed; memory-only ones keep it.
func (s *store) append(e *entry, m *hookmeta.Meta) (*entry, []byte) {
	e.live = true
	meta := bytes.TrimRight(m.Line(), "\n")
	if at, err := time.Parse(time.RFC3339Nano, m.ReceivedAt); err == nil {
		e.at = at
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e.id = 1
	if n := len(s.entries); n > 0 {
		e.id = s.entries[n-1].id + 1
	}
	s.entries = append(s.entries, e)
	if e.fwdID != "" {
		if s.byFwd == nil {
			s.byFwd = map[string]*entry{}
		}
		e.fwd = s.early[e.fwdID]
		delete(s.early, e.fwdID)
		if n := len(e.fwd); n == 0 || e.fwd[n-1].State == "retrying" {
			s.byFwd[e.fwdID] = e
		}
	}
	if e.memoryOnly() {
		e.meta = meta
		s.mem = append(s.mem, e)
		s.memBytes += int64(len(e.body) + len(e.meta))
		s.evict()
	}
	return e, meta
}

// evict drops the oldest memory-only entries past the bounds: first their body and
// metadata, and, once enough are dropped, their rows from the list. Called with mu
// held.
func (s *store) evict() {
	for len(s.mem) > maxMemoryBodies || s.memBytes > maxMemoryBytes {
		e := s.mem[0]
		s.mem[0] = nil
		s.mem = s.mem[1:]
		s.memBytes -= int64(len(e.body) + len(e.meta))
		e.body, e.meta, e.dropped = nil, nil, true
		s.dropped++
	}
	if s.dropped < dropBatch {
		return
	}
	// A new slice: pages in progress keep walking the one they took.
	kept := make([]*entry, 0, len(s.entries)-s.dropped)
	for _, e := range s.entries {
		if e.dropped {
			delete(s.byFwd, e.fwdID)
			continue
		}
		kept = append(kept, e)
	}
	s.entries, s.dropped = kept, 0
}

// byID finds an entry.
func (s *store) byID(id int64) *entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := sort.Search(len(s.entries), func(i int) bool { return s.entries[i].id >= id })
	if i < len(s.entries) && s.entries[i].id == id {
		return s.entries[i]
	}
	return nil
}

// forwarded records an attempt on the hook it belongs to, if listed.
func (s *store) forwarded(a listen.ForwardAttempt) *entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.byFwd[a.ID]
	if a.State != "retrying" {
		delete(s.byFwd, a.ID) // no more attempts will come
	}
	if e == nil {
		s.keepEarly(a)
	}
	if e != nil {
		e.fwd = append(e.fwd, a)
		if e.row != nil {
			e.row.Forward = a.State
		}
	}
	return e
}

// keepEarly keeps an attempt that came before listen told of its hook (the two race),
// for add to pick up. Attempts of hooks that are never listed (an earlier run's
// outbox) are forgotten after a while. Called with mu held.
func (s *store) keepEarly(a listen.ForwardAttempt) {
	if s.early == nil {
		s.early = map[string][]listen.ForwardAttempt{}
	}
	if len(s.early) >= maxEarly {
		for id, as := range s.early {
			if time.Since(as[0].Time) > 10*time.Second {
				delete(s.early, id)
			}
		}
	}
	if len(s.early) < maxEarly {
		s.early[a.ID] = append(s.early[a.ID], a)
	}
}

// errGone says a hook's body is no longer at hand; errUnread that it was never read.
var (
	errGone   = errors.New("the body of this hook is no longer kept (nothing stores it and newer hooks took its place)")
	errUnread = errors.New("the body was refused before it was read")
)

// load reads an entry's body and metadata (nil when none was kept).
func (s *store) load(e *entry) (body, meta []byte, err error) {
	s.mu.Lock()
	body, meta = e.body, e.meta
	s.mu.Unlock()
	switch {
	case body != nil:
		return body, meta, nil
	case e.file != "":
		body, err = os.ReadFile(e.file)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", e.file, err)
		}
		if meta == nil {
			meta, _ = os.ReadFile(e.file + hookmeta.MetaSuffix)
		}
		return body, meta, nil
	case e.line >= 0:
		body, err = s.readAt(s.ndjson, e.offset, e.size)
		if err != nil {
			return nil, nil, err
		}
		if meta == nil {
			meta = s.metaLine(e.line)
		}
		return received(body, meta), meta, nil
	case e.refused != "" && e.size == 0:
		return nil, meta, errUnread
	}
	return nil, meta, errGone
}

// received is the body as received of the NDJSON line line described by meta: the
// original the meta keeps (body_b64) when listen compacted it onto the line, else
// the line. A line edited since is shown as it is now (its signature then says
// changed).
func received(line, meta []byte) []byte {
	if !bytes.Contains(meta, []byte(`"body_b64"`)) {
		return line
	}
	var m hookmeta.Meta
	if json.Unmarshal(meta, &m) != nil {
		return line
	}
	if b, ok := m.Received(line); ok {
		return b
	}
	return line
}

// loadBody reads an entry's body into memory of its own (the caller may change it).
func (s *store) loadBody(e *entry) ([]byte, error) {
	s.mu.Lock()
	body := e.body
	s.mu.Unlock()
	switch {
	case body != nil:
		return bytes.Clone(body), nil
	case e.line >= 0:
		return s.readAt(s.ndjson, e.offset, e.size)
	}
	body, _, err := s.load(e)
	return body, err
}

// readAt reads n bytes at off of name, which stays open for the next reads.
func (s *store) readAt(name string, off, n int64) ([]byte, error) {
	s.mu.Lock()
	f := s.files[name]
	if f == nil {
		var err error
		if f, err = os.Open(name); err != nil {
			s.mu.Unlock()
			return nil, err
		}
		if s.files == nil {
			s.files = map[string]*os.File{}
		}
		s.files[name] = f
	}
	s.mu.Unlock()
	b := make([]byte, n)
	if _, err := f.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("read %s at %d: %w", name, off, err)
	}
	return b, nil
}

// metaLine is line n of the NDJSON metadata file, nil when it has none. The file is
// indexed on first use, and again when it has grown past the index.
func (s *store) metaLine(n int64) []byte {
	s.mu.Lock()
	if n+1 >= int64(len(s.metaOffs)) {
		// Index what was appended since, from the start of the last line known (it
		// may have been cut short then).
		offs, end := s.metaOffs, s.metaEnd
		if k := len(offs); k > 0 {
			offs, end = offs[:k-1:k-1], offs[k-1]
		}
		if offs, end, err := moreLineOffsets(s.ndMeta, offs, end); err == nil {
			s.metaOffs, s.metaEnd = offs, end
		}
	}
	offs, end := s.metaOffs, s.metaEnd
	s.mu.Unlock()
	if n >= int64(len(offs)) {
		return nil
	}
	next := end
	if n+1 < int64(len(offs)) {
		next = offs[n+1]
	}
	b, err := s.readAt(s.ndMeta, offs[n], next-offs[n])
	if err != nil {
		return nil
	}
	return bytes.TrimRight(b, "\n")
}

// close closes the files opened for reading.
func (s *store) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, f := range s.files {
		f.Close()
		delete(s.files, name)
	}
}
