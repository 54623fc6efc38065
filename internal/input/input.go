// Package input turns what the user names on the command line (files, directories,
// globs, stdin, NDJSON, gzip, tar and zip archives) into an ordered stream of batches of
// records: the raw bytes of one JSON document each, with the place it came from.
//
// One goroutine reads and splits; the bytes of a batch live in one buffer that is reused
// once the batch is released, so memory stays flat however large the input. Plain .json
// files are opened by the workers that process them (see Batch.Load), so that reading
// thousands of small files uses every core.
package input

import (
	"bytes"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// Origin is where a document came from.
type Origin struct {
	Path   string // the file as named by the user or found in a directory; "-" for stdin
	Member string // the member of a tar or zip archive, "" otherwise
	Line   int    // 1-based line of the file or member where the document starts
	Col    int    // 1-based column where it starts
	Offset int64  // byte offset of the document in the file or member
}

// Name is the origin's file, with the archive member after a colon.
func (o Origin) Name() string {
	if o.Member != "" {
		return o.Path + ":" + o.Member
	}
	return o.Path
}

// String is the origin as users read it: path[:member]:line:col.
func (o Origin) String() string {
	return o.Name() + ":" + strconv.Itoa(o.Line) + ":" + strconv.Itoa(o.Col)
}

// Position turns a byte offset inside the document raw into the line and column of the
// file or member, as an editor would show them.
func (o Origin) Position(raw []byte, off int) (line, col int) {
	l, c := jsontext.LineCol(raw, off)
	if l == 1 {
		c += o.Col - 1
		if bytes.HasPrefix(raw, []byte("\ufeff")) && off > 0 {
			c-- // editors do not show a byte-order mark as a column
		}
	}
	return o.Line + l - 1, c
}

// Record is one document, or an input that could not be read (Err set, Raw nil).
type Record struct {
	Origin Origin
	Raw    []byte
	Err    error
	// Resume is, for a broken document of a stream cut short, where reading resumed:
	// the next line that begins a document. nil otherwise.
	Resume *Origin
	// Element is, for an element of a top-level array read element by element, its
	// index + 1 (see Pointer); 0 otherwise.
	Element int
	// Several marks the second document of a .json file that holds several (NDJSON
	// under the wrong name): every document is read, and validate warns once.
	Several bool

	cut     bool // the input ended inside the document
	unsplit bool // a whole .json file not yet looked at for several documents (see Split)
}

// ReadError is an input that could not be read.
type ReadError struct {
	Path     string
	Err      error
	Unopened bool // the path itself could not be opened (missing, permission): a usage error
}

func (e *ReadError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *ReadError) Unwrap() error { return e.Err }

// Batch is a run of consecutive records. Its memory is reused after Release.
type Batch struct {
	Records []Record
	Files   int      // files and archive members that begin in this batch
	Notes   []string // how inputs of this batch are read, said once on stderr (see Options.Notices)
	Dropped int      // documents left out of Records because they belong to another shard
	buf     []byte
	paths   bool     // Records hold only the paths of .json files still to be read
	rest    *Batch   // the paths from a file too large to load on (see Rest)
	sharded bool     // the records of other shards have been dropped
	opts    *Options // how to split them
}

var batchPool = sync.Pool{New: func() any { return &Batch{} }}

func newBatch() *Batch {
	b := batchPool.Get().(*Batch)
	b.Records, b.Files, b.Notes, b.buf, b.paths = b.Records[:0], 0, b.Notes[:0], b.buf[:0], false
	b.Dropped, b.sharded, b.opts, b.rest = 0, false, nil, nil
	return b
}

// Release gives the batch's memory back for reuse. The batch and every Raw slice of its
// records must not be used afterwards.
func (b *Batch) Release() {
	if cap(b.buf) > 64<<20 {
		b.buf = nil // do not keep one huge document's buffer alive
	}
	for i := range b.Records {
		b.Records[i] = Record{}
	}
	if b.rest != nil {
		b.rest.Release()
		b.rest = nil
	}
	batchPool.Put(b)
}

// Load reads the files of a batch of plain .json paths and drops the documents of
// other shards (see Options.Shard); it does nothing the second time. Workers call it,
// so that small files are read, and shard keys computed, in parallel.
func (b *Batch) Load() {
	if b.paths {
		b.loadFiles()
	}
	if !b.sharded && b.opts != nil && b.opts.Shard.On() {
		b.sharded = true
		b.opts.Shard.filter(b)
	}
}

// loadFiles reads the files of a batch of plain .json paths.
func (b *Batch) loadFiles() {
	b.paths = false
	ends := make([]int, len(b.Records))
	buf := b.buf[:0]
	var dirs folderFD
	defer dirs.close()
	for i := range b.Records {
		r := &b.Records[i]
		var err error
		buf, err = appendFile(buf, &dirs, r.Origin.Path, b.opts.loadLimit())
		if err == errTooLong {
			b.leave(i)
			ends = ends[:i]
			break
		}
		if err != nil {
			r.Err = &ReadError{Path: r.Origin.Path, Err: err}
		}
		ends[i] = len(buf)
	}
	// Slice only now: buf may have moved while it grew.
	start := 0
	late := b.opts.LateSeveral && !b.opts.Shard.On()
	var several []bool // the files to split, once one is found
	for i := range b.Records {
		if r := &b.Records[i]; r.Err == nil {
			r.Raw = buf[start:ends[i]:ends[i]]
			if late {
				r.unsplit = true
			} else if !oneDocument(r.Raw) {
				if several == nil {
					several = make([]bool, len(b.Records))
				}
				several[i] = true
			}
		}
		start = ends[i]
	}
	b.buf = buf
	if several != nil {
		b.splitFiles(several)
	}
}

// splitFiles reads each loaded file of the batch that split marks as the documents
// it holds.
func (b *Batch) splitFiles(split []bool) {
	recs := make([]Record, 0, len(b.Records)+1)
	for i, rec := range b.Records {
		if !split[i] {
			recs = append(recs, rec)
			continue
		}
		recs = b.appendSplit(recs, rec)
	}
	b.Records = recs
}

// appendSplit appends the documents of the loaded file rec to recs, and its notes to
// the batch's.
func (b *Batch) appendSplit(recs []Record, rec Record) []Record {
	r := &reader{opts: b.opts, copied: new(atomic.Int64)}
	tmp := &Batch{buf: rec.Raw}
	s := r.newSource(rec.Origin, nil, tmp)
	s.single = true
	s.split()
	s.finish(false)
	if len(tmp.Records) == 0 {
		tmp.Records = append(tmp.Records, rec) // empty: the workers say so
	}
	b.Notes = append(b.Notes, tmp.Notes...)
	return append(recs, tmp.Records...)
}

// Split looks, as Load does without Options.LateSeveral, for several documents in the
// record i, a whole .json file, when its work found it broken or, before any work,
// when it does not start with '{' (an object, what its work can tell broken). When it
// holds several, they replace it in Records (the first at i) and Split reports true:
// the work goes on at i again. Notes about them go with the batch's, said when it is
// emitted, in the order of the records. Other records are left as they are.
func (b *Batch) Split(i int, broken bool) bool {
	rec := b.Records[i]
	if !rec.unsplit || (!broken && len(rec.Raw) > 0 && rec.Raw[0] == '{') {
		return false
	}
	b.Records[i].unsplit = false
	if oneDocument(rec.Raw) {
		return false
	}
	rec.unsplit = false // the copy too: appendSplit hands it back as it is when it holds no document
	docs := b.appendSplit(nil, rec)
	b.Records = append(b.Records[:i], append(docs, b.Records[i+1:]...)...)
	return true
}
