package sqlitefile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
)

// Table is a WITHOUT ROWID table the Writer writes.
type Table struct {
	Name string
	// SQL is its CREATE TABLE statement as sqlite_schema keeps it (SQLite keeps the text
	// from the table's name on, after "CREATE TABLE ", without IF NOT EXISTS or the
	// closing semicolon), ending in WITHOUT ROWID.
	SQL     string
	Columns []string // the column names, in the order of the statement
	Key     []int    // the primary key's columns, in its order
	Indexes []Index

	orderOnce sync.Once
	order     []int // the columns in the order a record stores them
}

// stored is the table's columns in the order a WITHOUT ROWID table's record stores
// them: the key's first, then the others in order.
func (t *Table) stored() []int {
	t.orderOnce.Do(func() {
		t.order = slices.Clone(t.Key)
		for i := range t.Columns {
			if !slices.Contains(t.Key, i) {
				t.order = append(t.order, i)
			}
		}
	})
	return t.order
}

// Index is an index of one column of a Table.
type Index struct {
	Name   string
	SQL    string // its CREATE INDEX statement as sqlite_schema keeps it
	Column int
}

// Encoder turns rows into entries for Writer.Add; each goroutine uses its own.
type Encoder struct {
	types []uint64
	key   []byte
}

// Append appends the entry of row (a value for each of t's columns, in order) to dst.
// A primary key column holding NULL is an error, as SQLite makes it.
func (e *Encoder) Append(dst []byte, t *Table, row []Value) ([]byte, error) {
	if len(row) != len(t.Columns) {
		return dst, fmt.Errorf("internal error: %d values for the %d columns of %s", len(row), len(t.Columns), t.Name)
	}
	order := t.stored()
	e.key, e.types = e.key[:0], e.types[:0]
	for _, k := range t.Key {
		if row[k].Kind == Null {
			return dst, fmt.Errorf("NOT NULL constraint failed: %s.%s", t.Name, t.Columns[k])
		}
		e.key = appendKey(e.key, &row[k])
	}
	hdr, body := 0, 0
	for _, c := range order {
		st, n, err := serial(&row[c])
		if err != nil {
			return dst, fmt.Errorf("table %s: %w", t.Name, err)
		}
		e.types = append(e.types, st)
		hdr += varintLen(st)
		body += n
	}
	hl := headerLen(hdr)
	if hl+body > MaxLength {
		return dst, fmt.Errorf("table %s: a row of %d bytes: longer than SQLite reads (%d)", t.Name, hl+body, MaxLength)
	}
	dst = binary.AppendUvarint(dst, uint64(len(e.key)))
	dst = binary.AppendUvarint(dst, uint64(hl+body))
	dst = append(dst, e.key...)
	dst = appendVarint(dst, uint64(hl))
	for _, st := range e.types {
		if st < 0x80 {
			dst = append(dst, byte(st))
			continue
		}
		dst = appendVarint(dst, st)
	}
	for i, c := range order {
		v := &row[c]
		switch v.Kind {
		case Int:
			// The serial type tells the body's length: 1 to 4, 6 or 8 bytes.
			var b [8]byte
			binary.BigEndian.PutUint64(b[:], uint64(v.Int))
			dst = append(dst, b[8-serialSize(e.types[i]):]...)
		case Text:
			dst = append(dst, v.Text...)
		}
	}
	return dst, nil
}

// Options tune a Writer.
type Options struct {
	PageSize int // a power of two from 512 to 65536; 4096 when 0
	// TempDir and TempPattern name the temporary files sorted runs spill to (removed
	// from the folder as soon as they are created); os.CreateTemp's pattern.
	TempDir     string
	TempPattern string
	// Memory is about how many bytes of entries are held before the largest table's
	// are sorted and spilled; 64 MiB when 0.
	Memory int
}

// Writer writes a new database of Tables into a file.
type Writer struct {
	f      *os.File
	opts   Options
	tables []*Table
	runs   []*run      // each table's entries in memory
	spills []*runFiles // each table's spilled runs
	held   int         // bytes in runs

	jobs chan spillJob
	done chan struct{}
	mu   sync.Mutex
	err  error // the first error, of Add or of a spill
}

type spillJob struct {
	r    *run
	into *runFiles
}

// New starts writing tables into f, open for reading and writing: an empty file, or
// one holding a database SQLite wrote and closed, which the tables are added to (see
// Close). Nothing is written to f before Close.
func New(f *os.File, tables []*Table, opts Options) (*Writer, error) {
	if opts.PageSize == 0 {
		opts.PageSize = 4096
	}
	if opts.PageSize < 512 || opts.PageSize > 65536 || opts.PageSize&(opts.PageSize-1) != 0 {
		return nil, fmt.Errorf("page size %d: not a power of two from 512 to 65536", opts.PageSize)
	}
	if opts.Memory == 0 {
		opts.Memory = 64 << 20
	}
	if opts.TempPattern == "" {
		opts.TempPattern = ".sqlitefile-*.tmp"
	}
	w := &Writer{f: f, opts: opts, tables: tables, runs: make([]*run, len(tables)),
		spills: make([]*runFiles, len(tables)), jobs: make(chan spillJob), done: make(chan struct{})}
	for i := range w.runs {
		w.runs[i], w.spills[i] = &run{}, &runFiles{}
	}
	go w.spiller()
	return w, nil
}

// spiller sorts and spills the runs it is given, one at a time, beside the caller.
func (w *Writer) spiller() {
	defer close(w.done)
	for j := range w.jobs {
		if w.failed() != nil {
			continue
		}
		j.r.sort()
		f, err := j.r.spill(w.opts.TempDir, w.opts.TempPattern)
		if err != nil {
			w.fail(fmt.Errorf("spill sorted rows: %w", err))
			continue
		}
		if err := j.into.add(f, w.opts.TempDir, w.opts.TempPattern); err != nil {
			w.fail(fmt.Errorf("merge sorted rows: %w", err))
		}
	}
}

func (w *Writer) fail(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
}

func (w *Writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Add adds entries (made by an Encoder for table ti) to the table. The writer keeps
// entries: the caller must not change them afterwards.
func (w *Writer) Add(ti int, entries []byte) error {
	if err := w.failed(); err != nil {
		return err
	}
	if err := w.runs[ti].add(entries); err != nil {
		return err
	}
	w.held += cap(entries)
	if w.held >= w.opts.Memory {
		w.spillLargest()
	}
	return nil
}

// spillLargest hands the largest run to the spiller and starts that table a new one.
func (w *Writer) spillLargest() {
	m := 0
	for i, r := range w.runs {
		if r.size > w.runs[m].size {
			m = i
		}
	}
	w.held -= w.runs[m].size
	w.jobs <- spillJob{r: w.runs[m], into: w.spills[m]}
	w.runs[m] = &run{}
}

// Abort stops the writer and releases its temporary files; the file is left as it is,
// for the caller to remove.
func (w *Writer) Abort() {
	w.stop()
	w.closeSpills()
}

func (w *Writer) stop() {
	if w.jobs != nil {
		close(w.jobs)
		<-w.done
		w.jobs = nil
	}
}

func (w *Writer) closeSpills() {
	for _, rf := range w.spills {
		rf.close()
	}
}

// Close writes every table and index and the database's first page. The file is then
// a whole database; Close does not sync or close it. A database already in the file
// keeps its pages, free list and schema rows; the tables go after its pages.
func (w *Writer) Close() error {
	w.stop()
	defer w.closeSpills()
	if err := w.failed(); err != nil {
		return err
	}
	// What is still in memory is sorted on every core at once.
	var wg sync.WaitGroup
	for _, r := range w.runs {
		wg.Add(1)
		go func() { defer wg.Done(); r.sort() }()
	}
	wg.Wait()

	before, page1, err := existing(w.f, w.opts.PageSize)
	if err != nil {
		return err
	}
	p := newPager(w.f, w.opts.PageSize, before)
	var schema []schemaRow
	for ti, t := range w.tables {
		idx := make([]*indexer, len(t.Indexes))
		for i := range t.Indexes {
			idx[i] = newIndexer(w, t, &t.Indexes[i])
			defer idx[i].release()
		}
		var dec recordFields
		fields := len(t.Key) // the fields the indexes read: the key's and their columns
		for _, x := range idx {
			fields = max(fields, x.field+1)
		}
		root, err := buildTree(p, w.sources(w.spills[ti], w.runs[ti]), func(key, rec []byte) error {
			if len(idx) == 0 {
				return nil
			}
			if err := dec.parse(rec, fields); err != nil {
				return fmt.Errorf("table %s: %w", t.Name, err)
			}
			for _, x := range idx {
				if err := x.add(key, &dec); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		w.runs[ti] = &run{}
		schema = append(schema, schemaRow{"table", t.Name, t.Name, root, t.SQL})
		for _, x := range idx {
			root, err := x.finish(p)
			if err != nil {
				return err
			}
			schema = append(schema, schemaRow{"index", x.ix.Name, t.Name, root, x.ix.SQL})
		}
		if p.err != nil {
			return p.err
		}
	}
	if err := p.w.Flush(); err != nil {
		return err
	}
	if page1, err = firstPage(w.opts.PageSize, p.pages(), page1, schema); err != nil {
		return err
	}
	_, err = w.f.WriteAt(page1, 0)
	return err
}

// sources are a table's spilled runs, oldest first, then its run in memory.
func (w *Writer) sources(spills *runFiles, mem *run) []*source {
	return append(fileSources(spills.files), &source{mem: mem})
}

// indexer collects a table's index entries (the indexed value, then the key) while the
// table is written, sorted the same way, to write the index after it. Full runs are
// sorted and spilled beside the table's writing.
type indexer struct {
	w      *Writer
	t      *Table
	ix     *Index
	field  int   // the indexed column's place in the stored record
	fields []int // the key's places, but the indexed column's
	mem    *run
	cur    []byte // the chunk being filled
	spills runFiles
	busy   chan error // the spill under way, if any
	key    []byte
}

// indexChunk is the size of the chunks an indexer fills.
const indexChunk = 1 << 20

func newIndexer(w *Writer, t *Table, ix *Index) *indexer {
	x := &indexer{w: w, t: t, ix: ix, mem: &run{}}
	x.field = slices.Index(t.stored(), ix.Column)
	for i := range t.Key {
		if i != x.field {
			x.fields = append(x.fields, i)
		}
	}
	return x
}

// add adds the index entry of the row whose key and parsed record are given: the
// record (indexed value, key columns but the indexed one), ordered by the value, then
// the table's key.
func (x *indexer) add(tableKey []byte, row *recordFields) error {
	v := row.value(x.field)
	x.key = appendKey(x.key[:0], &v)
	x.key = append(x.key, tableKey...)
	size := row.recordSize(x.field, x.fields)
	if x.cur == nil {
		x.cur = make([]byte, 0, indexChunk)
	}
	x.cur = binary.AppendUvarint(x.cur, uint64(len(x.key)))
	x.cur = binary.AppendUvarint(x.cur, uint64(size))
	x.cur = append(x.cur, x.key...)
	x.cur = row.appendRecord(x.cur, x.field, x.fields)
	if len(x.cur) < indexChunk-64<<10 {
		return nil
	}
	if err := x.mem.add(x.cur); err != nil {
		return err
	}
	x.cur = nil
	if x.mem.size < x.w.opts.Memory/2 {
		return nil
	}
	if err := x.wait(); err != nil {
		return err
	}
	r := x.mem
	x.mem = &run{}
	x.busy = make(chan error, 1)
	go func() {
		r.sort()
		f, err := r.spill(x.w.opts.TempDir, x.w.opts.TempPattern)
		if err == nil {
			err = x.spills.add(f, x.w.opts.TempDir, x.w.opts.TempPattern)
		}
		x.busy <- err
	}()
	return nil
}

// release waits for the spill under way and closes the spilled runs (finish has
// written them, or the table failed).
func (x *indexer) release() {
	x.wait()
	x.spills.close()
}

// wait waits for the spill under way.
func (x *indexer) wait() error {
	if x.busy == nil {
		return nil
	}
	err := <-x.busy
	x.busy = nil
	if err != nil {
		return fmt.Errorf("spill index entries: %w", err)
	}
	return nil
}

// finish writes the index and returns its root page.
func (x *indexer) finish(p *pager) (uint32, error) {
	err := x.wait()
	defer x.spills.close()
	if err != nil {
		return 0, err
	}
	if err := x.mem.add(x.cur); err != nil {
		return 0, err
	}
	x.mem.sort()
	root, err := buildTree(p, x.w.sources(&x.spills, x.mem), nil)
	x.mem = nil // free for the next index now, not when the table's writing ends
	return root, err
}

// treeBatch is about how many bytes of records buildTree hands over at a time.
const treeBatch = 1 << 20

// errStopped stops a merge whose tree cannot be written.
var errStopped = errors.New("stopped")

// buildTree merges sources into a new B-tree and returns its root page. The merge (and
// each, which sees every entry) runs in this goroutine; the pages are built and
// written in another, beside it, from batches of records.
func buildTree(p *pager, sources []*source, each func(key, rec []byte) error) (uint32, error) {
	type batch struct {
		data []byte
		ends []int
	}
	full, free := make(chan *batch, 2), make(chan *batch, 3)
	for range 3 {
		free <- &batch{data: make([]byte, 0, treeBatch+treeBatch/4)}
	}
	var failed atomic.Bool
	root := make(chan uint32, 1)
	go func() {
		b := newBuilder(p)
		for bt := range full {
			start := 0
			for _, end := range bt.ends {
				if p.err == nil {
					b.add(bt.data[start:end])
				}
				start = end
			}
			if p.err != nil {
				failed.Store(true)
			}
			bt.data, bt.ends = bt.data[:0], bt.ends[:0]
			free <- bt
		}
		root <- b.finish()
	}()
	cur := <-free
	err := merge(sources, func(key, rec []byte) error {
		if each != nil {
			if err := each(key, rec); err != nil {
				return err
			}
		}
		cur.data = append(cur.data, rec...)
		cur.ends = append(cur.ends, len(cur.data))
		if len(cur.data) >= treeBatch {
			if failed.Load() {
				return errStopped
			}
			full <- cur
			cur = <-free
		}
		return nil
	})
	full <- cur
	close(full)
	r := <-root
	if p.err != nil {
		return 0, p.err
	}
	return r, err
}

// recordFields is a parsed record: each field's serial type and body.
type recordFields struct {
	types  []uint64
	bodies [][]byte
}

// parse parses rec's first n fields (all of them if it has fewer).
func (r *recordFields) parse(rec []byte, want int) error {
	r.types, r.bodies = r.types[:0], r.bodies[:0]
	hl, n := readVarint(rec)
	if n == 0 || hl > uint64(len(rec)) {
		return errors.New("internal error: a broken record")
	}
	body := int(hl)
	for i := n; i < int(hl); {
		st, m := readVarint(rec[i:int(hl)])
		if m == 0 {
			return errors.New("internal error: a broken record")
		}
		i += m
		size := serialSize(st)
		if body+size > len(rec) {
			return errors.New("internal error: a broken record")
		}
		r.types = append(r.types, st)
		r.bodies = append(r.bodies, rec[body:body+size])
		body += size
		if len(r.types) == want {
			break
		}
	}
	return nil
}

// serialSize is the body length of serial type st.
func serialSize(st uint64) int {
	switch {
	case st >= 12:
		return int((st - 12) / 2)
	case st == 7 || st == 6:
		return 8
	case st == 5:
		return 6
	case st >= 1 && st <= 4:
		return int(st)
	}
	return 0
}

// value is field i as a Value.
func (r *recordFields) value(i int) Value {
	st, b := r.types[i], r.bodies[i]
	switch {
	case st == 0:
		return Value{Kind: Null}
	case st == 8 || st == 9:
		return Value{Kind: Int, Int: int64(st - 8)}
	case st >= 1 && st <= 6:
		var v int64
		if b[0]&0x80 != 0 {
			v = -1
		}
		for _, c := range b {
			v = v<<8 | int64(c)
		}
		return Value{Kind: Int, Int: v}
	}
	return Value{Kind: Text, Text: b}
}

// recordSize is the length of the record appendRecord appends.
func (r *recordFields) recordSize(first int, rest []int) int {
	hl := r.headerSize(first, rest)
	n := hl + len(r.bodies[first])
	for _, i := range rest {
		n += len(r.bodies[i])
	}
	return n
}

func (r *recordFields) headerSize(first int, rest []int) int {
	hdr := varintLen(r.types[first])
	for _, i := range rest {
		hdr += varintLen(r.types[i])
	}
	return headerLen(hdr)
}

// appendRecord appends the record of the fields first, then rest, copied as they are.
func (r *recordFields) appendRecord(dst []byte, first int, rest []int) []byte {
	hl := r.headerSize(first, rest)
	dst = appendVarint(dst, uint64(hl))
	dst = appendVarint(dst, r.types[first])
	for _, i := range rest {
		dst = appendVarint(dst, r.types[i])
	}
	dst = append(dst, r.bodies[first]...)
	for _, i := range rest {
		dst = append(dst, r.bodies[i]...)
	}
	return dst
}

// schemaRow is a row of sqlite_schema.
type schemaRow struct {
	typ, name, table string
	root             uint32
	sql              string
}

// existing reads what f holds already, if anything: a database SQLite wrote (the
// Writer's tables then go after its pages): its page count and first page.
func existing(f *os.File, pageSize int) (uint32, []byte, error) {
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return 0, nil, err
	}
	page1 := make([]byte, pageSize)
	if _, err := f.ReadAt(page1, 0); err != nil {
		return 0, nil, fmt.Errorf("read the database's first page: %w", err)
	}
	size := int(binary.BigEndian.Uint16(page1[16:]))
	if size == 1 {
		size = 65536
	}
	pages := st.Size() / int64(pageSize)
	switch {
	case string(page1[:16]) != "SQLite format 3\x00":
		return 0, nil, errors.New("the file to add tables to is not a SQLite database")
	case size != pageSize || st.Size()%int64(pageSize) != 0:
		return 0, nil, fmt.Errorf("the database's pages are %d bytes, not %d", size, pageSize)
	case page1[20] != 0 || binary.BigEndian.Uint32(page1[52:]) != 0:
		return 0, nil, errors.New("the database reserves bytes on its pages or vacuums itself: tables cannot be added to it")
	case int64(binary.BigEndian.Uint32(page1[28:])) != pages:
		return 0, nil, errors.New("the database's header does not tell its size")
	case page1[100] != tableLeaf:
		return 0, nil, errors.New("the database's schema takes more than its first page")
	}
	return uint32(pages), page1, nil
}

// firstPage is page 1: the database header, then sqlite_schema's table B-tree, which
// must fit on this one page. When the file held a database already (old is its page
// 1), its header is kept, changed where the new pages and tables change it, and its
// schema rows come first.
func firstPage(pageSize int, pages uint32, old []byte, rows []schemaRow) ([]byte, error) {
	pg := make([]byte, pageSize)
	var cells [][]byte
	var rowid uint64
	if old != nil {
		copy(pg, old[:100])
		counter := binary.BigEndian.Uint32(old[24:]) + 1
		binary.BigEndian.PutUint32(pg[24:], counter)
		binary.BigEndian.PutUint32(pg[92:], counter) // version-valid-for
		binary.BigEndian.PutUint32(pg[40:], binary.BigEndian.Uint32(old[40:])+1)
		n := int(binary.BigEndian.Uint16(old[103:]))
		for i := range n {
			at := int(binary.BigEndian.Uint16(old[108+2*i:]))
			size, n1 := readVarint(old[min(at, len(old)):])
			id, n2 := readVarint(old[min(at+n1, len(old)):])
			if n1 == 0 || n2 == 0 || size > uint64(pageSize-35) || at+n1+n2+int(size) > len(old) {
				return nil, errors.New("the database's schema takes more than its first page")
			}
			cells = append(cells, old[at:at+n1+n2+int(size)])
			rowid = max(rowid, id)
		}
	} else {
		copy(pg, "SQLite format 3\x00")
		size := uint16(pageSize)
		if pageSize == 65536 {
			size = 1
		}
		binary.BigEndian.PutUint16(pg[16:], size)
		pg[18], pg[19] = 1, 1 // legacy (rollback journal) write and read versions
		pg[20] = 0            // no reserved bytes at the end of pages
		pg[21], pg[22], pg[23] = 64, 32, 32
		binary.BigEndian.PutUint32(pg[24:], 1) // file change counter
		binary.BigEndian.PutUint32(pg[40:], 1) // schema cookie
		binary.BigEndian.PutUint32(pg[44:], 4) // schema format
		binary.BigEndian.PutUint32(pg[56:], 1) // UTF-8
		binary.BigEndian.PutUint32(pg[92:], 1) // version-valid-for: the change counter
		binary.BigEndian.PutUint32(pg[96:], 3054001)
	}
	binary.BigEndian.PutUint32(pg[28:], pages) // database size in pages
	for _, r := range rows {
		rec, err := appendRecord(nil, []Value{
			{Kind: Text, Text: []byte(r.typ)}, {Kind: Text, Text: []byte(r.name)},
			{Kind: Text, Text: []byte(r.table)}, {Kind: Int, Int: int64(r.root)},
			{Kind: Text, Text: []byte(r.sql)},
		})
		if err != nil {
			return nil, err
		}
		if len(rec) > pageSize-35 {
			return nil, errors.New("the schema does not fit on the first page: use a larger page size")
		}
		rowid++
		cell := appendVarint(nil, uint64(len(rec)))
		cell = appendVarint(cell, rowid)
		cells = append(cells, append(cell, rec...))
	}
	const hdr = 100
	clear(pg[hdr:])
	pg[hdr] = tableLeaf
	end := pageSize
	for i, cell := range cells {
		end -= len(cell)
		if end < hdr+8+2*(i+1) {
			return nil, errors.New("the schema does not fit on the first page: use a larger page size")
		}
		copy(pg[end:], cell)
		binary.BigEndian.PutUint16(pg[hdr+8+2*i:], uint16(end))
	}
	binary.BigEndian.PutUint16(pg[hdr+3:], uint16(len(cells)))
	binary.BigEndian.PutUint16(pg[hdr+5:], uint16(end))
	return pg, nil
}
