package input

import (
	"context"
	"errors"
	"io"
	"path"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/smarthook/smarthook/internal/objstore"
)

// s3Ahead is how many objects are fetched at once, ahead of the one being split.
const s3Ahead = 4

// s3Chunk is the size of the pieces an object is fetched in; each object fetched ahead
// holds at most s3Chunks of them, so memory stays flat however large the objects.
const (
	s3Chunk  = 256 << 10
	s3Chunks = 8
)

// s3 reads s3://bucket/key: one object, every JSON, NDJSON (.gz) or archive object
// under a prefix, or the objects whose keys match a glob ("*", "?", "[…]", "**").
// Objects are fetched several at once and read in key order, streamed: origins are
// s3://bucket/key[:member]:line:col.
func (r *reader) s3(name string) bool {
	u, err := objstore.Parse(name)
	if err != nil {
		return r.fail(name, err)
	}
	c, err := objstore.Client(r.ctx, objstore.Config{Endpoint: r.opts.S3Endpoint})
	if err != nil {
		return r.fail(name, err)
	}
	objs, err := s3Objects(r.ctx, c, u)
	if err != nil {
		return r.fail(name, err)
	}
	if len(objs) == 0 && r.sel == nil && strings.Contains(u.Key, ":") {
		// An origin printed for an object, given back: key[:member][:line[:col]].
		if sel, ok := s3Selection(r.ctx, c, name); ok {
			return r.selected(sel)
		}
	}
	if len(objs) == 0 {
		return r.fail(name, errors.New("no object matches"))
	}
	if !r.flush() {
		return false
	}
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	fetches := fetchAhead(ctx, c, u.Bucket, objs)
	for _, o := range objs {
		f, ok := <-fetches
		if !ok {
			return false // cancelled
		}
		origin := Origin{Path: objstore.Scheme + u.Bucket + "/" + o.Key, Line: 1, Col: 1}
		if f.err != nil {
			f.Close()
			if !r.failAt(origin, f.err) {
				return false
			}
			continue
		}
		ok = r.member(origin, f, o.Key, streamFile, o.Size, 0)
		f.Close()
		if !ok {
			return false
		}
	}
	return true
}

// s3Selection reads name as an object's origin with an archive member, a line or a
// line and column after it, as parseSelection does for files: the shortest key
// before a ':' that is an object is the object.
func s3Selection(ctx context.Context, c *s3.Client, name string) (selection, bool) {
	return parseSelectionOf(name, func(p string) bool {
		u, err := objstore.Parse(p)
		if err != nil || u.Key == "" || strings.HasSuffix(u.Key, "/") {
			return false
		}
		ok, err := objstore.Exists(ctx, c, u)
		return ok && err == nil
	})
}

// s3Objects lists what u names, in key order.
func s3Objects(ctx context.Context, c *s3.Client, u objstore.URL) ([]objstore.Object, error) {
	if i := strings.IndexAny(u.Key, "*?["); i >= 0 {
		all, err := objstore.List(ctx, c, u.Bucket, u.Key[:i])
		if err != nil {
			return nil, err
		}
		pattern := strings.Split(u.Key, "/")
		var out []objstore.Object
		for _, o := range all {
			if matchStar(pattern, strings.Split(o.Key, "/")) {
				out = append(out, o)
			}
		}
		return out, nil
	}
	all, err := objstore.List(ctx, c, u.Bucket, u.Key)
	if err != nil {
		return nil, err
	}
	prefix := u.Key
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	var out []objstore.Object
	for _, o := range all {
		if o.Key == u.Key {
			return []objstore.Object{o}, nil // the object itself
		}
		if strings.HasPrefix(o.Key, prefix) && wantedMember(path.Base(o.Key)) {
			out = append(out, o)
		}
	}
	return out, nil
}

// fetch is an object being fetched: its body in chunks, read in order.
type fetch struct {
	chunks  chan []byte
	chunk   []byte // the chunk being read, given back once read
	cur     []byte // what is left of it
	err     error  // the object could not be opened
	readErr *error
	release func()
}

var chunkPool = sync.Pool{New: func() any { b := make([]byte, s3Chunk); return &b }} // *[]byte: a slice in an interface would allocate

// fetchAhead fetches the objects, at most s3Ahead at once, and hands them on in order.
func fetchAhead(ctx context.Context, c *s3.Client, bucket string, objs []objstore.Object) <-chan *fetch {
	out := make(chan *fetch, s3Ahead)
	slots := make(chan struct{}, s3Ahead)
	go func() {
		defer close(out)
		for _, o := range objs {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			f := &fetch{chunks: make(chan []byte, s3Chunks), readErr: new(error)}
			f.release = sync.OnceFunc(func() { <-slots })
			body, err := objstore.Open(ctx, c, bucket, o.Key)
			if err != nil {
				f.err = err
				close(f.chunks)
			} else {
				go f.pump(ctx, body)
			}
			select {
			case out <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// pump reads the body into chunks until its end, an error or cancellation.
func (f *fetch) pump(ctx context.Context, body io.ReadCloser) {
	defer close(f.chunks)
	defer body.Close()
	for {
		buf := (*chunkPool.Get().(*[]byte))[:s3Chunk]
		n, err := io.ReadFull(body, buf)
		if n > 0 {
			select {
			case f.chunks <- buf[:n]:
			case <-ctx.Done():
				return
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return
		}
		if err != nil {
			*f.readErr = err
			return
		}
	}
}

// Read reads the object's bytes in order.
func (f *fetch) Read(p []byte) (int, error) {
	for len(f.cur) == 0 {
		if f.chunk != nil {
			full := f.chunk[:cap(f.chunk)]
			chunkPool.Put(&full)
			f.chunk = nil
		}
		c, ok := <-f.chunks
		if !ok {
			if *f.readErr != nil {
				return 0, *f.readErr
			}
			return 0, io.EOF
		}
		f.chunk, f.cur = c, c
	}
	n := copy(p, f.cur)
	f.cur = f.cur[n:]
	return n, nil
}

// Close frees the object's slot for the next fetch.
func (f *fetch) Close() error {
	f.release()
	return nil
}
