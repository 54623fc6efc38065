package sqlitefile

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sync"
)

// An entry is a row (or an index entry) on its way to a B-tree: its key, whose byte
// order is SQLite's order of the rows, and its record. Entries travel as
// uvarint(len(key)) uvarint(len(record)) key record.

// ent is an entry of a run: its key at off in its chunk, klen bytes, then its record;
// pfx is the key's first 8 bytes, which order most entries without reading the key.
type ent struct {
	pfx   uint64
	chunk uint32
	off   uint32
	klen  uint32
	rlen  uint32
}

// run is entries in memory, in the order they came (then sorted), in the batches
// (chunks) they came in.
type run struct {
	chunks [][]byte
	ents   []ent
	size   int // bytes of memory the chunks hold
}

// add adds a batch of entries, which the run keeps: the caller must not change it.
func (r *run) add(batch []byte) error {
	if len(batch) == 0 {
		return nil
	}
	if len(batch) > math.MaxUint32 {
		return errors.New("internal error: a batch of entries past 4 GiB")
	}
	c := uint32(len(r.chunks))
	r.chunks = append(r.chunks, batch)
	r.size += cap(batch) // what the batch holds in memory, its unused room too
	for i := 0; i < len(batch); {
		k, n1 := binary.Uvarint(batch[i:])
		if n1 <= 0 {
			return errors.New("internal error: a broken entry")
		}
		v, n2 := binary.Uvarint(batch[i+n1:])
		if n2 <= 0 || uint64(len(batch)-i-n1-n2) < k+v {
			return errors.New("internal error: a broken entry")
		}
		i += n1 + n2
		r.ents = append(r.ents, ent{chunk: c, off: uint32(i), klen: uint32(k), rlen: uint32(v)})
		r.ents[len(r.ents)-1].pfx = r.word(&r.ents[len(r.ents)-1], 0)
		i += int(k + v)
	}
	return nil
}

func (r *run) key(e *ent) []byte { return r.chunks[e.chunk][e.off : e.off+e.klen] }
func (r *run) rec(e *ent) []byte {
	return r.chunks[e.chunk][e.off+e.klen : e.off+e.klen+e.rlen]
}

// sort orders the run's entries by key and keeps, of entries with equal keys, the one
// that came last. A radix sort orders them by their keys' first 8 bytes, keeping the
// order they came in; only entries whose first 8 bytes are equal then compare whole
// keys.
func (r *run) sort() {
	r.ents = r.sortFrom(r.ents, 0)
	out := r.ents[:0]
	for i := range r.ents {
		if i+1 < len(r.ents) && bytes.Equal(r.key(&r.ents[i]), r.key(&r.ents[i+1])) {
			continue
		}
		out = append(out, r.ents[i])
	}
	r.ents = out
}

// sortFrom sorts ents, whose keys' first depth bytes are the same, by the 8 bytes from
// depth on, then each group still tied by the 8 bytes after (small groups by their
// whole keys), stably.
func (r *run) sortFrom(ents []ent, depth int) []ent {
	if depth > 0 {
		for i := range ents {
			ents[i].pfx = r.word(&ents[i], depth)
		}
	}
	ents = radixSort(ents)
	for i := 0; i < len(ents); {
		j := i + 1
		for j < len(ents) && ents[j].pfx == ents[i].pfx {
			j++
		}
		switch {
		case j-i > 1 && j-i <= 48:
			r.insertionSort(ents[i:j], depth+8)
		case j-i > 4096 && depth < 64:
			copy(ents[i:j], r.sortFrom(ents[i:j], depth+8))
		case j-i > 1:
			// Whole keys, then the order entries came in: chunk, offset.
			slices.SortFunc(ents[i:j], func(a, b ent) int {
				if c := bytes.Compare(r.key(&a), r.key(&b)); c != 0 {
					return c
				}
				if a.chunk != b.chunk {
					return cmp.Compare(a.chunk, b.chunk)
				}
				return cmp.Compare(a.off, b.off)
			})
		}
		i = j
	}
	return ents
}

// insertionSort sorts a few entries whose keys' first depth bytes are the same, stably:
// by the 8 bytes from depth on, then the rest of their keys. Entries of a chat mostly
// come in order already, which costs it one comparison each.
func (r *run) insertionSort(ents []ent, depth int) {
	for i := range ents {
		ents[i].pfx = r.word(&ents[i], depth)
	}
	less := func(a, b *ent) bool {
		if a.pfx != b.pfx {
			return a.pfx < b.pfx
		}
		ka, kb := r.key(a), r.key(b)
		return bytes.Compare(ka[min(depth, len(ka)):], kb[min(depth, len(kb)):]) < 0
	}
	for i := 1; i < len(ents); i++ {
		for j := i; j > 0 && less(&ents[j], &ents[j-1]); j-- {
			ents[j], ents[j-1] = ents[j-1], ents[j]
		}
	}
}

// word is the 8 bytes of e's key from depth on, big-endian, zero-padded.
func (r *run) word(e *ent, depth int) uint64 {
	var p [8]byte
	if k := r.key(e); depth < len(k) {
		copy(p[:], k[depth:])
	}
	return binary.BigEndian.Uint64(p[:])
}

// radixSort sorts ents by pfx, stably: four passes of 16 bits, the least significant
// first, skipping a pass whose 16 bits are the same in every entry.
func radixSort(ents []ent) []ent {
	if len(ents) < 2 {
		return ents
	}
	tmp := make([]ent, len(ents))
	count := make([]int, 1<<16)
	src, dst := ents, tmp
	for shift := 0; shift < 64; shift += 16 {
		clear(count)
		for i := range src {
			count[uint16(src[i].pfx>>shift)]++
		}
		if count[uint16(src[0].pfx>>shift)] == len(src) {
			continue
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for i := range src {
			d := uint16(src[i].pfx >> shift)
			dst[count[d]] = src[i]
			count[d]++
		}
		src, dst = dst, src
	}
	return src
}

// spill writes the sorted run to a new temporary run file.
func (r *run) spill(dir, pattern string) (*os.File, error) {
	rw, err := newRunWriter(dir, pattern)
	if err != nil {
		return nil, err
	}
	for i := range r.ents {
		rw.add(r.key(&r.ents[i]), r.rec(&r.ents[i]))
	}
	return rw.finish()
}

// runWriter writes a sorted run to a temporary file in dir, removed from the folder at
// once so that nothing is left behind whatever happens to the process.
type runWriter struct {
	f   *os.File
	w   *bufio.Writer
	hdr []byte
}

func newRunWriter(dir, pattern string) (*runWriter, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	if os.Remove(f.Name()) != nil {
		// Where an open file cannot be removed (Windows), it is when it is closed.
		openRuns.Store(f, f.Name())
	}
	return &runWriter{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

// openRuns are the run files still in their folder while open, by file, with their
// names.
var openRuns sync.Map

// closeRun closes a run file and removes it if it is still in its folder.
func closeRun(f *os.File) {
	f.Close()
	if name, ok := openRuns.LoadAndDelete(f); ok {
		os.Remove(name.(string))
	}
}

// add writes the next entry; a write error shows at finish.
func (rw *runWriter) add(key, rec []byte) {
	rw.hdr = binary.AppendUvarint(rw.hdr[:0], uint64(len(key)))
	rw.hdr = binary.AppendUvarint(rw.hdr, uint64(len(rec)))
	rw.w.Write(rw.hdr)
	rw.w.Write(key)
	rw.w.Write(rec)
}

// finish flushes the run and returns its file, ready to be read from the start.
func (rw *runWriter) finish() (*os.File, error) {
	err := rw.w.Flush()
	if err == nil {
		_, err = rw.f.Seek(0, io.SeekStart)
	}
	if err != nil {
		closeRun(rw.f)
		return nil, err
	}
	return rw.f, nil
}

// mergeFanIn is how many spilled runs of one level are merged into one run of the
// next: a table never has more than mergeFanIn-1 runs of a level open, so a 100 GB
// input keeps about 45 files (and as many read buffers) open, not thousands, while an
// input of a few hundred MB is never merged twice. A variable for the tests.
var mergeFanIn = 16

// runFiles are a table's (or an index's) spilled runs, oldest first, each with its
// level: how many rounds of merging made it.
type runFiles struct {
	files  []*os.File
	levels []int
	peak   int // the most runs open at once
	count  int // the runs spilled
}

// add appends a newly spilled run; whenever the newest mergeFanIn runs have one level,
// they are merged into one run of the next level.
func (rf *runFiles) add(f *os.File, dir, pattern string) error {
	rf.files, rf.levels = append(rf.files, f), append(rf.levels, 0)
	rf.count++
	rf.peak = max(rf.peak, len(rf.files))
	for n := len(rf.files); n >= mergeFanIn; n = len(rf.files) {
		lvl := rf.levels[n-1]
		if slices.ContainsFunc(rf.levels[n-mergeFanIn:], func(l int) bool { return l != lvl }) {
			return nil
		}
		merged, err := mergeFiles(rf.files[n-mergeFanIn:], dir, pattern)
		if err != nil {
			return err
		}
		for _, f := range rf.files[n-mergeFanIn:] {
			closeRun(f)
		}
		rf.files, rf.levels = append(rf.files[:n-mergeFanIn], merged), append(rf.levels[:n-mergeFanIn], lvl+1)
	}
	return nil
}

// close closes every run.
func (rf *runFiles) close() {
	for _, f := range rf.files {
		closeRun(f)
	}
	rf.files, rf.levels = nil, nil
}

// mergeFiles merges sorted runs (oldest first) into one new run.
func mergeFiles(files []*os.File, dir, pattern string) (*os.File, error) {
	rw, err := newRunWriter(dir, pattern)
	if err != nil {
		return nil, err
	}
	err = merge(fileSources(files), func(key, rec []byte) error {
		rw.add(key, rec)
		return nil
	})
	if err != nil {
		closeRun(rw.f)
		return nil, err
	}
	return rw.finish()
}

// fileSources are sources reading spilled runs.
func fileSources(files []*os.File) []*source {
	out := make([]*source, 0, len(files)+1)
	for _, f := range files {
		out = append(out, &source{r: bufio.NewReaderSize(f, 256<<10)})
	}
	return out
}

// source is one sorted sequence of entries being merged: a spilled run or the run
// still in memory.
type source struct {
	mem     *run
	i       int
	r       *bufio.Reader
	pending int // bytes of the current entry still in r's buffer, key and rec point into
	buf     []byte
	key     []byte
	rec     []byte
	done    bool
}

// next moves to the source's next entry.
func (s *source) next() error {
	if s.mem != nil {
		if s.i >= len(s.mem.ents) {
			s.done = true
			return nil
		}
		e := &s.mem.ents[s.i]
		s.i++
		s.key, s.rec = s.mem.key(e), s.mem.rec(e)
		return nil
	}
	// An entry that fits in the reader's buffer is read in place, without a copy: it
	// stays there until the next call.
	if s.pending > 0 {
		s.r.Discard(s.pending)
		s.pending = 0
	}
	hdr, err := s.r.Peek(2 * binary.MaxVarintLen64)
	if len(hdr) == 0 {
		if err == io.EOF {
			s.done = true
			return nil
		}
		return fmt.Errorf("read a sorted run back: %w", err)
	}
	k, n1 := binary.Uvarint(hdr)
	if n1 <= 0 {
		return errors.New("read a sorted run back: a broken entry")
	}
	v, n2 := binary.Uvarint(hdr[n1:])
	if n2 <= 0 || k > math.MaxInt32 || v > math.MaxInt32 {
		return errors.New("read a sorted run back: a broken entry")
	}
	size := n1 + n2 + int(k) + int(v)
	if size <= s.r.Size() {
		b, err := s.r.Peek(size)
		if err != nil {
			return fmt.Errorf("read a sorted run back: %w", err)
		}
		s.key, s.rec, s.pending = b[n1+n2:n1+n2+int(k)], b[n1+n2+int(k):], size
		return nil
	}
	s.r.Discard(n1 + n2)
	n := int(k + v)
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	s.buf = s.buf[:n]
	if _, err := io.ReadFull(s.r, s.buf); err != nil {
		return fmt.Errorf("read a sorted run back: %w", err)
	}
	s.key, s.rec = s.buf[:k], s.buf[k:]
	return nil
}

// merge calls emit with every entry of the sorted sources in key order; of entries with
// equal keys, only the one of the latest source (sources are given oldest first).
func merge(sources []*source, emit func(key, rec []byte) error) error {
	for _, s := range sources {
		if err := s.next(); err != nil {
			return err
		}
	}
	live := slices.DeleteFunc(slices.Clone(sources), func(s *source) bool { return s.done })
	for len(live) > 0 {
		m := 0
		for i := 1; i < len(live); i++ {
			if bytes.Compare(live[i].key, live[m].key) <= 0 {
				m = i // a later source wins a tie
			}
		}
		if err := emit(live[m].key, live[m].rec); err != nil {
			return err
		}
		key := live[m].key
		// Advance the sources at this key, the winner last: its key is what they match.
		for i := range live {
			if i != m && bytes.Equal(live[i].key, key) {
				if err := live[i].next(); err != nil {
					return err
				}
			}
		}
		if err := live[m].next(); err != nil {
			return err
		}
		if slices.ContainsFunc(live, func(s *source) bool { return s.done }) {
			live = slices.DeleteFunc(live, func(s *source) bool { return s.done })
		}
	}
	return nil
}
