package input

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/smarthook/smarthook/internal/objstore"
)

// format is how a file's bytes hold documents.
type format uint8

const (
	formatJSON   format = iota // exactly one document
	formatNDJSON               // one document a line
	formatStream               // NDJSON or concatenated documents (stdin, unknown names)
	formatTar
	formatTarGz
	formatZip
)

// formatOf names the format by the file name; gz reports a .gz wrapper around it.
func formatOf(name string) (f format, gz bool) {
	// Suffixes compared without regard to case, and without a lower-case copy of the
	// name: this runs for every document read (progress asks for its origin's kind).
	switch {
	case hasSuffixFold(name, ".tar.gz"), hasSuffixFold(name, ".tgz"):
		return formatTarGz, false
	case hasSuffixFold(name, ".tar"):
		return formatTar, false
	case hasSuffixFold(name, ".zip"):
		return formatZip, false
	}
	if hasSuffixFold(name, ".gz") {
		gz = true
		name = name[:len(name)-len(".gz")]
	}
	switch {
	case hasSuffixFold(name, ".json"):
		return formatJSON, gz
	case hasSuffixFold(name, ".ndjson"), hasSuffixFold(name, ".jsonl"):
		return formatNDJSON, gz
	}
	return formatStream, gz
}

// hasSuffixFold tells whether s ends in suffix (lower-case ASCII), in any case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// wanted reports a file a directory walk or an archive should read.
func wanted(name string) bool {
	f, _ := formatOf(name)
	return f == formatJSON || f == formatNDJSON
}

// Read starts reading paths (stdin when paths is empty) and returns the batches in
// input order. The channel closes at the end or when ctx is done.
func Read(ctx context.Context, paths []string, opts Options) <-chan *Batch {
	opts.normalize()
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	out := make(chan *Batch, 4)
	r := &reader{ctx: ctx, out: out, opts: &opts, copied: copiedBytes}
	if r.copied == nil {
		r.copied = new(atomic.Int64)
	}
	go func() {
		defer close(out)
		for _, p := range paths {
			if !r.path(p) {
				return
			}
		}
		r.flush()
	}()
	return out
}

// reader is the goroutine that turns paths into batches.
type reader struct {
	ctx   context.Context
	out   chan<- *Batch
	opts  *Options
	files *Batch     // .json paths waiting to be sent together
	sel   *selection // the part of the current input to keep (an origin given back)
	// copied counts the bytes moved to grow or carry buffers: linear in the input's
	// size however its documents are shaped (tests check it; see copiedBytes).
	copied *atomic.Int64
}

// copiedBytes, when a test sets it, receives the reader's count of copied bytes.
var copiedBytes *atomic.Int64

// send hands a batch on; false when the run is cancelled.
func (r *reader) send(b *Batch) bool {
	b.opts = r.opts
	if r.sel != nil && !b.paths {
		r.sel.filter(b)
	}
	select {
	case r.out <- b:
		return true
	case <-r.ctx.Done():
		b.Release()
		return false
	}
}

// flush sends the pending .json paths.
func (r *reader) flush() bool {
	if r.files == nil {
		return true
	}
	b := r.files
	r.files = nil
	return r.send(b)
}

// fail reports an input that cannot be read, in order with the rest.
func (r *reader) fail(path string, err error) bool {
	if !r.flush() {
		return false
	}
	b := newBatch()
	b.Files = 1
	b.Records = append(b.Records, Record{Origin: Origin{Path: path, Line: 1, Col: 1}, Err: &ReadError{Path: path, Err: err, Unopened: true}})
	return r.send(b)
}

func (r *reader) path(p string) bool {
	if objstore.Is(p) {
		return r.s3(p)
	}
	if p == "-" {
		return r.flush() && r.member(Origin{Path: "-", Line: 1, Col: 1}, r.opts.Stdin, "-", streamStdin, stdinLeft(r.opts.Stdin), 1)
	}
	info, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if strings.Contains(p, "**") {
				return r.globStar(p)
			}
			if strings.ContainsAny(p, "*?[") {
				return r.glob(p)
			}
			if sel, ok := parseSelection(p); ok {
				return r.selected(sel)
			}
		}
		return r.fail(p, unwrapPathError(err))
	}
	if info.IsDir() {
		return r.dir(p)
	}
	return r.file(p, info)
}

func (r *reader) glob(pattern string) bool {
	matches, err := filepath.Glob(pattern)
	if err != nil || len(matches) == 0 {
		return r.fail(pattern, errors.New("no file matches this pattern"))
	}
	for _, m := range matches {
		if !r.path(m) {
			return false
		}
	}
	return true
}

func (r *reader) dir(root string) bool {
	ok := true
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			ok = r.fail(p, unwrapPathError(err))
		} else if d.IsDir() {
			return nil
		} else if f, gz := formatOf(d.Name()); f == formatJSON || f == formatNDJSON {
			if d.Type().IsRegular() && r.loadable(f, gz) {
				// The type came with the directory listing: no stat. The worker that
				// reads the file finds out whether it is too large to read so (see Rest).
				ok = r.queue(p)
				return skipIfStopped(ok)
			}
			info, ierr := d.Info()
			if ierr != nil {
				ok = r.fail(p, unwrapPathError(ierr))
			} else {
				ok = r.file(p, info)
			}
		}
		return skipIfStopped(ok)
	})
	return ok && err == nil
}

// skipIfStopped ends a directory walk once the run stops.
func skipIfStopped(ok bool) error {
	if !ok {
		return filepath.SkipAll
	}
	return nil
}

// loadable reports a file of format f that a worker may read whole (see Batch.Load)
// if it is a regular file no larger than a batch, which the callers check: a plain
// .json, outside a selection.
func (r *reader) loadable(f format, gz bool) bool {
	return f == formatJSON && !gz && r.sel == nil
}

// file reads one named file according to its name.
func (r *reader) file(p string, info fs.FileInfo) bool {
	f, gz := formatOf(p)
	if r.loadable(f, gz) && info.Mode().IsRegular() && info.Size() <= int64(r.opts.loadLimit()) {
		return r.queue(p)
	}
	if !r.flush() {
		return false
	}
	o := Origin{Path: p, Line: 1, Col: 1}
	if info.Mode()&fs.ModeSocket != 0 {
		return r.socket(o)
	}
	fh, err := os.Open(p)
	if err != nil {
		return r.fail(p, unwrapPathError(err))
	}
	defer fh.Close()
	switch f {
	case formatTar, formatTarGz:
		return r.tar(o, fh, f == formatTarGz, 1)
	case formatZip:
		return r.zipFile(o, fh)
	}
	kind := streamFile
	if !info.Mode().IsRegular() {
		kind = streamDevice // a FIFO, socket or device: read to its end, maybe endless
	}
	return r.member(o, fh, p, kind, info.Size(), 1)
}

// queue leaves the reading of a loadable file to a worker (see Batch.Load): many
// small files then load in parallel.
func (r *reader) queue(p string) bool {
	if r.files != nil && !r.files.paths && !r.flush() {
		return false
	}
	if r.files == nil {
		r.files = newBatch()
		r.files.paths = true
		r.files.opts = r.opts
	}
	r.files.Records = append(r.files.Records, Record{Origin: Origin{Path: p, Line: 1, Col: 1}})
	r.files.Files++
	if len(r.files.Records) >= r.opts.FilesPer {
		return r.flush()
	}
	return true
}

// socket reads what a Unix socket named as an input sends, to its end.
func (r *reader) socket(o Origin) bool {
	conn, err := net.Dial("unix", o.Path)
	if err != nil {
		return r.fail(o.Path, err)
	}
	defer conn.Close()
	return r.member(o, conn, o.Path, streamDevice, -1, 1)
}

// streamKind tells what a source is, for how hard to try after a too-large document.
type streamKind uint8

const (
	streamFile   streamKind = iota // a regular file
	streamStdin                    // stdin: go on at the next document
	streamDevice                   // a FIFO, socket or device: possibly endless
	streamPacked                   // compressed or inside an archive
)

// member reads one file or archive member whose format its name gives; depth is how
// deep in archives it lies (1 for a file named by the user).
func (r *reader) member(o Origin, src io.Reader, name string, kind streamKind, size int64, depth int) bool {
	f, gz := formatOf(name)
	if gz {
		zr, err := gzip.NewReader(src)
		if err != nil {
			return r.failAt(o, err)
		}
		defer zr.Close()
		src, kind, size = zr, streamPacked, -1
	}
	switch f {
	case formatTar, formatTarGz, formatZip:
		return r.nested(o, src, f, depth)
	}
	s := r.newSource(o, src, nil)
	s.lines = f == formatNDJSON
	s.single = f == formatJSON
	s.endless = kind == streamPacked || kind == streamDevice || s.single
	if kind == streamFile || kind == streamStdin {
		s.left = size
	}
	return r.run(s)
}

// stdinLeft is how many bytes stdin still holds when it is a regular file (a shell
// redirection), -1 otherwise: the size of its buffer can then be right at once.
func stdinLeft(stdin io.Reader) int64 {
	f, ok := stdin.(*os.File)
	if !ok {
		return -1
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return -1
	}
	pos, err := f.Seek(0, io.SeekCurrent)
	if err != nil || pos > info.Size() {
		return -1
	}
	return info.Size() - pos
}

// run splits a source into records and sends them on.
func (r *reader) run(s *source) bool {
	if !r.flush() {
		return false
	}
	s.split()
	if s.single && s.docs == 0 && s.err == nil && !s.cancelled && len(s.b.Records) == 0 {
		// An empty .json file: one empty document, which the workers explain.
		s.b.Records = append(s.b.Records, Record{Origin: s.o, Raw: []byte{}})
	}
	return s.finish(true)
}

// failAt reports a read error at an origin (a file or member), in order with the rest.
func (r *reader) failAt(o Origin, err error) bool {
	if !r.flush() {
		return false
	}
	b := newBatch()
	b.Records = append(b.Records, Record{Origin: o, Err: &ReadError{Path: o.Name(), Err: err}})
	return r.send(b)
}

// unwrapPathError drops the "open path:" prefix that the origin already shows.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// grow makes room for n more bytes.
func grow(buf []byte, n int) []byte {
	if cap(buf)-len(buf) >= n {
		return buf
	}
	nb := make([]byte, len(buf), 2*cap(buf)+n)
	copy(nb, buf)
	return nb
}
