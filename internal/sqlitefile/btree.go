package sqlitefile

import (
	"bufio"
	"encoding/binary"
	"os"
)

// Page types (the first byte of a B-tree page's header).
const (
	indexInterior = 0x02
	indexLeaf     = 0x0a
	tableLeaf     = 0x0d
)

// pager writes pages in the order it numbers them: page 2 (or the page after those a
// file holds already) first, then one after another; page 1, the header and the
// schema, is written last, when the root pages are known. The lock-byte page is
// skipped: written as zeros, used by nothing.
type pager struct {
	f        *os.File
	w        *bufio.Writer
	pageSize int
	next     uint32 // the number the next page written gets
	lock     uint32 // the lock-byte page
	zero     []byte
	err      error
}

// pendingByte is the byte whose page (the lock-byte page) SQLite never uses: it locks
// that range of the file. A variable for the tests, which move it as SQLite's test
// control can.
var pendingByte int64 = 0x40000000

// newPager starts writing pages after the first `after` pages of f (page 1 at least,
// which is written last).
func newPager(f *os.File, pageSize int, after uint32) *pager {
	p := &pager{f: f, pageSize: pageSize, next: max(after, 1) + 1, lock: uint32(pendingByte/int64(pageSize)) + 1}
	if _, err := f.Seek(int64(p.next-1)*int64(pageSize), 0); err != nil {
		p.err = err
	}
	p.w = bufio.NewWriterSize(f, 1<<20)
	p.skipLock()
	return p
}

// put writes page (pageSize bytes) as the next page and returns its number.
func (p *pager) put(page []byte) uint32 {
	n := p.next
	p.next++
	if p.err == nil {
		_, p.err = p.w.Write(page)
	}
	p.skipLock()
	return n
}

// skipLock writes the lock-byte page when it is the next one.
func (p *pager) skipLock() {
	if p.next != p.lock {
		return
	}
	if p.zero == nil {
		p.zero = make([]byte, p.pageSize)
	}
	p.next++
	if p.err == nil {
		_, p.err = p.w.Write(p.zero)
	}
}

// after is the number of the page written after page n.
func (p *pager) after(n uint32) uint32 {
	if n+1 == p.lock {
		return n + 2
	}
	return n + 1
}

// pages is how many pages the file holds (page 1 included).
func (p *pager) pages() uint32 { return p.next - 1 }

// localSizes are, for a page size, the most and the least of a cell's payload kept on
// its B-tree page of an index (and a WITHOUT ROWID table); the rest goes to overflow
// pages. From the file format's section 1.6.
func localSizes(usable int) (maxLocal, minLocal int) {
	return (usable-12)*64/255 - 23, (usable-12)*32/255 - 23
}

// builder builds one index B-tree from its entries in ascending order, bottom up: the
// leaves filled one after another, each interior level above them the same way. In an
// index B-tree every entry is stored once: the entry that does not fit on a full page
// goes up to the level above as the separator between that page and the next.
type builder struct {
	p        *pager
	ovfl     []byte // scratch for an overflow page
	maxLocal int
	minLocal int
	levels   []*level
	cell     []byte // scratch for one cell
}

// level is the page being filled at one height of the tree (0 is the leaves). Cells are
// written into the page as they come, from its end down, their pointers from its header
// up.
type level struct {
	page []byte
	hdr  int // the page header's length: 8 for a leaf, 12 for an interior page
	n    int // cells on the page
	end  int // where the cells begin
	// sep is the cell that did not fit on the full page, waiting for the next item to
	// know whether the page is the level's last (then sep and the page's last cell trade
	// places so that no page is left without entries); sepChild is its left child.
	sep      []byte
	hasSep   bool
	sepChild uint32
	last     []byte // scratch for the page's last cell, taken off at the end
}

func newBuilder(p *pager) *builder {
	maxLocal, minLocal := localSizes(p.pageSize)
	b := &builder{p: p, ovfl: make([]byte, p.pageSize), maxLocal: maxLocal, minLocal: minLocal}
	b.levels = []*level{b.newLevel(8)}
	return b
}

func (b *builder) newLevel(hdr int) *level {
	return &level{page: make([]byte, b.p.pageSize), hdr: hdr, end: b.p.pageSize}
}

// makeCell makes an entry's cell in b.cell (leaf and interior alike, without an
// interior cell's child): its payload's length, the part kept on the page, and the
// first overflow page of the rest, which it writes now.
func (b *builder) makeCell(payload []byte) []byte {
	usable := b.p.pageSize
	local := len(payload)
	if local > b.maxLocal {
		k := b.minLocal + (len(payload)-b.minLocal)%(usable-4)
		local = b.minLocal
		if k <= b.maxLocal {
			local = k
		}
	}
	c := appendVarint(b.cell[:0], uint64(len(payload)))
	c = append(c, payload[:local]...)
	if rest := payload[local:]; len(rest) > 0 {
		c = binary.BigEndian.AppendUint32(c, b.p.next)
		for len(rest) > 0 {
			n := copy(b.ovfl[4:], rest)
			clear(b.ovfl[4+n:])
			rest = rest[n:]
			next := uint32(0)
			if len(rest) > 0 {
				next = b.p.after(b.p.next)
			}
			binary.BigEndian.PutUint32(b.ovfl, next)
			b.p.put(b.ovfl)
		}
	}
	for len(c) < 4 {
		c = append(c, 0) // SQLite counts no cell as less than 4 bytes
	}
	b.cell = c
	return c
}

// add adds the next entry (a record greater than every one before).
func (b *builder) add(payload []byte) {
	c := b.makeCell(payload)
	l := b.levels[0]
	switch {
	case l.hasSep:
		pg := b.write(0, 0)
		b.push(1, pg, l.sep)
		l.hasSep = false
		l.place(0, false, c)
	case l.fits(len(c)):
		l.place(0, false, c)
	default:
		l.sep, l.hasSep = append(l.sep[:0], c...), true
	}
}

// fits tells whether a cell of n bytes fits on the level's page.
func (l *level) fits(n int) bool {
	return l.hdr+2*(l.n+1)+n <= l.end
}

// place writes a cell (after its left child, on an interior page) onto the page.
func (l *level) place(child uint32, interior bool, c []byte) {
	l.end -= len(c)
	copy(l.page[l.end:], c)
	if interior {
		l.end -= 4
		binary.BigEndian.PutUint32(l.page[l.end:], child)
	}
	binary.BigEndian.PutUint16(l.page[l.hdr+2*l.n:], uint16(l.end))
	l.n++
}

// push adds to interior level h the child page below it and the entry that follows that
// page's entries.
func (b *builder) push(h int, child uint32, sep []byte) {
	if h == len(b.levels) {
		b.levels = append(b.levels, b.newLevel(12))
	}
	l := b.levels[h]
	switch {
	case l.hasSep:
		pg := b.write(h, l.sepChild)
		b.push(h+1, pg, l.sep)
		l.hasSep = false
		l.place(child, true, sep)
	case l.fits(4 + len(sep)):
		l.place(child, true, sep)
	default:
		l.sep, l.hasSep, l.sepChild = append(l.sep[:0], sep...), true, child
	}
}

// finish writes the pages still being filled and returns the root page's number. An
// empty tree is one empty leaf.
func (b *builder) finish() uint32 {
	var right uint32 // the last page written below the level being finished
	for h := 0; ; h++ {
		l := b.levels[h]
		if l.hasSep {
			// The page is full and one item is left: the page's last entry goes up in
			// its place, so that the last page holds an entry too. The last cell is the
			// one lowest on the page.
			next := len(l.page)
			if l.n > 1 {
				next = int(binary.BigEndian.Uint16(l.page[l.hdr+2*(l.n-2):]))
			}
			l.last = append(l.last[:0], l.page[l.end:next]...)
			l.n--
			l.end = next
			var lastChild uint32
			last := l.last
			if h > 0 {
				lastChild = binary.BigEndian.Uint32(last)
				last = last[4:]
			}
			pg := b.write(h, lastChild)
			b.push(h+1, pg, last)
			l.hasSep = false
			l.place(l.sepChild, h > 0, l.sep)
		}
		right = b.write(h, right)
		if h == len(b.levels)-1 {
			return right
		}
	}
}

// write writes level h's page (right is an interior page's rightmost child) and starts
// the level's next page.
func (b *builder) write(h int, right uint32) uint32 {
	l := b.levels[h]
	pg := l.page
	pg[0] = indexLeaf
	if h > 0 {
		pg[0] = indexInterior
		binary.BigEndian.PutUint32(pg[8:], right)
	}
	binary.BigEndian.PutUint16(pg[1:], 0)
	binary.BigEndian.PutUint16(pg[3:], uint16(l.n))
	binary.BigEndian.PutUint16(pg[5:], uint16(l.end)) // 65536 wraps to 0, as the format says
	pg[7] = 0
	clear(pg[l.hdr+2*l.n : l.end])
	n := b.p.put(pg)
	l.n, l.end = 0, len(pg)
	return n
}
