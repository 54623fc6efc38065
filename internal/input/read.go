package input

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Options tune Read.
type Options struct {
	Stdin     io.Reader // read for "-"; nil means os.Stdin
	BlockSize int       // bytes a batch aims at; 0 means 1 MiB
	FilesPer  int       // .json files a batch holds; 0 means 64
}

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
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".tar.gz"), strings.HasSuffix(lower, ".tgz"):
		return formatTarGz, false
	case strings.HasSuffix(lower, ".tar"):
		return formatTar, false
	case strings.HasSuffix(lower, ".zip"):
		return formatZip, false
	}
	if strings.HasSuffix(lower, ".gz") {
		gz = true
		lower = strings.TrimSuffix(lower, ".gz")
	}
	switch {
	case strings.HasSuffix(lower, ".json"):
		return formatJSON, gz
	case strings.HasSuffix(lower, ".ndjson"), strings.HasSuffix(lower, ".jsonl"):
		return formatNDJSON, gz
	}
	return formatStream, gz
}

// wanted reports a file a directory walk or an archive should read.
func wanted(name string) bool {
	f, _ := formatOf(name)
	return f == formatJSON || f == formatNDJSON
}

// Read starts reading paths (stdin when paths is empty) and returns the batches in
// input order. The channel closes at the end or when ctx is done.
func Read(ctx context.Context, paths []string, opts Options) <-chan *Batch {
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	if opts.BlockSize <= 0 {
		opts.BlockSize = 1 << 20
	}
	if opts.FilesPer <= 0 {
		opts.FilesPer = 64
	}
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	out := make(chan *Batch, 4)
	r := &reader{ctx: ctx, out: out, opts: opts}
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
	opts  Options
	files *Batch // .json paths waiting to be sent together
}

// send hands a batch on; false when the run is cancelled.
func (r *reader) send(b *Batch) bool {
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
	if p == "-" {
		return r.flush() && r.stream(Origin{Path: "-", Line: 1, Col: 1}, r.opts.Stdin, formatStream)
	}
	info, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && strings.ContainsAny(p, "*?[") {
			return r.glob(p)
		}
		return r.fail(p, unwrapPathError(err))
	}
	if info.IsDir() {
		return r.dir(p)
	}
	return r.file(p)
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
		} else if !d.IsDir() && wanted(d.Name()) {
			ok = r.file(p)
		}
		if !ok {
			return filepath.SkipAll
		}
		return nil
	})
	return ok && err == nil
}

// file reads one named file according to its name.
func (r *reader) file(p string) bool {
	f, gz := formatOf(p)
	if f == formatJSON && !gz {
		// Leave the reading to a worker; many small files then load in parallel.
		if r.files != nil && !r.files.paths && !r.flush() {
			return false
		}
		if r.files == nil {
			r.files = newBatch()
			r.files.paths = true
		}
		r.files.Records = append(r.files.Records, Record{Origin: Origin{Path: p, Line: 1, Col: 1}})
		r.files.Files++
		if len(r.files.Records) >= r.opts.FilesPer {
			return r.flush()
		}
		return true
	}
	if !r.flush() {
		return false
	}
	fh, err := os.Open(p)
	if err != nil {
		return r.fail(p, unwrapPathError(err))
	}
	defer fh.Close()
	switch f {
	case formatTar, formatTarGz:
		return r.tar(p, fh, f == formatTarGz)
	case formatZip:
		return r.zip(p, fh)
	}
	return r.member(Origin{Path: p, Line: 1, Col: 1}, fh, p)
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
