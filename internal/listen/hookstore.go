package listen

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smarthook/smarthook/internal/objstore"
)

// hookStore is where --dir keeps the accepted bodies: a folder, or the objects under
// an s3:// prefix. Names are relative, with slashes (2026/01/05/208-17-….json), the
// same in both; what a put returns is the name as shown (a path or an s3:// URL).
type hookStore interface {
	// putWithMeta stores body as rel, or rel with a counter when taken, with its meta
	// as rel.meta; a body is never there without its meta. It returns once both are
	// durably stored.
	putWithMeta(ctx context.Context, rel string, body, meta []byte) (string, error)
	// putUnique stores data as rel, or rel with a counter when taken.
	putUnique(ctx context.Context, rel string, data []byte) (string, error)
}

// newHookStore opens --dir: a folder, or an s3:// prefix whose bucket must answer.
func newHookStore(opts Options) (hookStore, error) {
	if !objstore.Is(opts.Dir) {
		return dirStore(opts.Dir), nil
	}
	u, err := objstore.Parse(opts.Dir)
	if err != nil {
		return nil, err
	}
	if u.Key != "" && !strings.HasSuffix(u.Key, "/") {
		u.Key += "/"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := objstore.Client(ctx, objstore.Config{Endpoint: opts.S3Endpoint})
	if err != nil {
		return nil, err
	}
	if err := objstore.CheckBucket(ctx, c, u.Bucket); err != nil {
		return nil, fmt.Errorf("--dir %s: %w", opts.Dir, err)
	}
	return &s3Store{c: c, prefix: u, taken: map[string]bool{}}, nil
}

// dirStore keeps bodies as files under a folder (see writeWithMeta).
type dirStore string

func (d dirStore) putWithMeta(_ context.Context, rel string, body, meta []byte) (string, error) {
	return writeWithMeta(filepath.Join(string(d), filepath.FromSlash(rel)), body, meta)
}

func (d dirStore) putUnique(_ context.Context, rel string, data []byte) (string, error) {
	return writeUnique(filepath.Join(string(d), filepath.FromSlash(rel)), data)
}

// s3Store keeps bodies as objects under a prefix. Each object is one PUT, checked
// against its MD5, which S3 makes visible whole or not at all; the meta is put first
// and only under a free name (If-None-Match: *), so it reserves the name as the
// sidecar does on disk.
type s3Store struct {
	c      *s3.Client
	prefix objstore.URL // Key is "" or ends in "/"
	mu     sync.Mutex
	taken  map[string]bool // names being written by this process
}

// putTimeout bounds one hook's store: the sender's request waits for it.
const putTimeout = 20 * time.Second

func (s *s3Store) putWithMeta(ctx context.Context, rel string, body, meta []byte) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, putTimeout)
	defer cancel()
	return s.free(rel, func(u objstore.URL) error {
		mu := objstore.URL{Bucket: u.Bucket, Key: u.Key + MetaSuffix}
		if err := objstore.Put(ctx, s.c, mu, meta, true); err != nil {
			return err
		}
		err := objstore.Put(ctx, s.c, u, body, true)
		if err != nil {
			// Best effort: a meta left without its body is ignored by every reader. The
			// put's deadline may have passed: the delete gets one of its own, so that a
			// storage that hangs cannot hold the sender's request for good.
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), putTimeout)
			_ = objstore.Delete(dctx, s.c, mu)
			cancel()
		}
		return err
	})
}

func (s *s3Store) putUnique(ctx context.Context, rel string, data []byte) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, putTimeout)
	defer cancel()
	return s.free(rel, func(u objstore.URL) error { return objstore.Put(ctx, s.c, u, data, true) })
}

// free stores under rel, or rel with a counter when taken (see freeName), and
// returns the URL used.
func (s *s3Store) free(rel string, put func(objstore.URL) error) (string, error) {
	key, err := freeName(s.prefix.Key+rel, func(key string) error {
		if !s.reserve(key) {
			return errTaken
		}
		defer s.release(key)
		err := put(objstore.URL{Bucket: s.prefix.Bucket, Key: key})
		if errors.Is(err, objstore.ErrExists) {
			return errTaken
		}
		return err
	})
	if err != nil {
		return "", err
	}
	return objstore.URL{Bucket: s.prefix.Bucket, Key: key}.String(), nil
}

// reserve claims a name for one request of this process; false when another has it.
func (s *s3Store) reserve(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.taken[key] {
		return false
	}
	s.taken[key] = true
	return true
}

func (s *s3Store) release(key string) {
	s.mu.Lock()
	delete(s.taken, key)
	s.mu.Unlock()
}
