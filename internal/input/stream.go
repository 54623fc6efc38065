package input

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"sync/atomic"
)

// NoteArrayAsOne is the note said once per file when a top-level array is read as one
// document (jq's meaning, the default of query and pretty).
const NoteArrayAsOne = "a top-level array, read as one document (--split-arrays reads each element as a document)"

// ReadStream splits src as Read splits a stream (stdin, or a file read as concatenated
// documents), its first byte being at origin o: a reader that read the start of an
// input itself hands the rest to the core, which then cuts broken documents and resumes
// after them as it does everywhere. o.Path names the format (a .json file or a stream).
// The channel closes at the end or when ctx is done.
func ReadStream(ctx context.Context, o Origin, src io.Reader, opts Options) <-chan *Batch {
	opts.normalize()
	out := make(chan *Batch, 4)
	r := &reader{ctx: ctx, out: out, opts: &opts, copied: new(atomic.Int64)}
	go func() {
		defer close(out)
		s := r.newSource(o, src, nil)
		f, _ := formatOf(o.Path)
		s.single = f == formatJSON
		s.endless = s.single
		s.docs = 2 // not the start of the input: no notes about its first documents
		s.split()
		s.finish(true)
	}()
	return out
}

// IsSelection reports an input that is no file but names a part of one the way the
// tool prints origins: "chats.ndjson:1234", "a.tgz:2026/01/05/x.json".
func IsSelection(p string) bool {
	if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	_, ok := parseSelection(p)
	return ok
}
