package convert

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smarthook/smarthook/internal/atomicfile"
	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/objstore"
)

// partTarget is where the files of a partitioned Parquet output go: a folder, or the
// objects under an s3:// prefix. A file written there stays invisible until the
// sink commits them all at the end of a successful run.
type partTarget interface {
	// create starts the file rel ("day=2026-01-05/part-0000.parquet"); replaces tells
	// that a file of that name exists (--force) and is replaced at commit.
	create(rel string) (out partOut, replaces bool, err error)
	// remove deletes a committed file again, to undo a run whose commit failed.
	remove(p partOut) error
	// String names the folder or prefix.
	String() string
}

// partOut is one file of a partitioned output being written.
type partOut interface {
	io.Writer
	Name() string
	// finish is called once the file is complete (its footer written).
	finish() error
	Commit() error
	Abort()
}

// openPartTarget checks -o for --partition-by: a folder or s3:// prefix that holds
// nothing yet, or anything with --force (files of the same name are then replaced).
func openPartTarget(cfg SinkConfig) (partTarget, error) {
	if cfg.Dest == "" || cfg.Dest == "-" {
		return nil, exit.Usagef("--partition-by writes a folder of files: name it with -o DIR")
	}
	if objstore.Is(cfg.Dest) {
		return openS3Parts(cfg)
	}
	if info, err := os.Stat(cfg.Dest); err == nil {
		if !info.IsDir() {
			return nil, exit.Usagef("-o %s is a file: --partition-by writes a folder", cfg.Dest)
		}
		if entries, _ := os.ReadDir(cfg.Dest); len(entries) > 0 && !cfg.Force {
			return nil, exit.Usagef("%s exists and is not empty: use --force to write into it (files of the same name are replaced)", cfg.Dest)
		}
	}
	return localParts{dir: cfg.Dest, force: cfg.Force}, nil
}

// localParts writes partitions into a folder, each file under a temporary name first.
type localParts struct {
	dir   string
	force bool
}

type localPart struct{ *atomicfile.File }

func (localPart) finish() error { return nil }

func (l localParts) String() string { return l.dir }

func (l localParts) create(rel string) (partOut, bool, error) {
	final := filepath.Join(l.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return nil, false, err
	}
	var f *atomicfile.File
	var err error
	_, statErr := os.Lstat(final)
	if l.force {
		f, err = atomicfile.Replace(final)
	} else {
		f, err = atomicfile.Create(final)
	}
	if err != nil {
		return nil, false, fmt.Errorf("create %s: %w", final, err)
	}
	return localPart{f}, statErr == nil, nil
}

func (l localParts) remove(p partOut) error { return os.Remove(p.Name()) }

// s3Parts writes partitions as objects under a prefix. Each file is spooled to a
// temporary file while it is written (the open partitions then cost disk, not
// memory), sent up as a multipart upload once complete, and left staged: the
// objects all appear when the run ends well, and none when it fails.
type s3Parts struct {
	ctx      context.Context
	c        *s3.Client
	prefix   objstore.URL // Key is "" or ends in "/"
	existing map[string]bool
}

func openS3Parts(cfg SinkConfig) (partTarget, error) {
	u, err := objstore.Parse(cfg.Dest)
	if err != nil {
		return nil, exit.Usagef("-o %v", err)
	}
	if u.Key != "" && !strings.HasSuffix(u.Key, "/") {
		u.Key += "/"
	}
	ctx := cfg.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	c, err := objstore.Client(ctx, objstore.Config{Endpoint: cfg.S3Endpoint})
	if err != nil {
		return nil, err
	}
	objs, err := objstore.List(ctx, c, u.Bucket, u.Key)
	if err != nil {
		return nil, err
	}
	if len(objs) > 0 && !cfg.Force {
		return nil, exit.Usagef("%s holds %d objects already: use --force to write there (objects of the same name are replaced)", u, len(objs))
	}
	s := &s3Parts{ctx: ctx, c: c, prefix: u, existing: map[string]bool{}}
	for _, o := range objs {
		s.existing[o.Key] = true
	}
	return s, nil
}

func (s *s3Parts) String() string { return s.prefix.String() }

func (s *s3Parts) create(rel string) (partOut, bool, error) {
	u := objstore.URL{Bucket: s.prefix.Bucket, Key: s.prefix.Key + rel}
	spool, err := os.CreateTemp("", "smarthook-part-*.parquet")
	if err != nil {
		return nil, false, fmt.Errorf("create %s: %w", u, err)
	}
	return &s3Part{parts: s, url: u, spool: spool}, s.existing[u.Key], nil
}

func (s *s3Parts) remove(p partOut) error {
	// Also after an interrupt, but not for ever on a storage that hangs.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), removeTimeout)
	defer cancel()
	return objstore.Delete(ctx, s.c, p.(*s3Part).url)
}

// removeTimeout bounds the removal of one object a failed run leaves.
const removeTimeout = time.Minute

// s3Part is one partition file: spooled to disk, then a staged upload.
type s3Part struct {
	parts *s3Parts
	url   objstore.URL
	spool *os.File
	up    *objstore.Upload
}

func (p *s3Part) Name() string                { return p.url.String() }
func (p *s3Part) Write(b []byte) (int, error) { return p.spool.Write(b) }

// finish sends the spooled file up, staged, and removes it.
func (p *s3Part) finish() error {
	defer p.dropSpool()
	if _, err := p.spool.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("upload %s: %w", p.url, err)
	}
	up, err := objstore.Create(p.parts.ctx, p.parts.c, p.url)
	if err != nil {
		return err
	}
	// The upload's errors name the object; those of reading the spool do not.
	if _, err := io.Copy(up, p.spool); err != nil {
		_, werr := up.Write(nil) // the upload's own failure, if it is one
		up.Abort()
		if werr != nil {
			return werr
		}
		return fmt.Errorf("upload %s: %w", p.url, err)
	}
	if err := up.Stage(); err != nil {
		return err
	}
	p.up = up
	return nil
}

func (p *s3Part) dropSpool() {
	if p.spool != nil {
		p.spool.Close()
		os.Remove(p.spool.Name())
		p.spool = nil
	}
}

func (p *s3Part) Commit() error {
	if p.up == nil {
		return errors.New("upload " + p.url.String() + ": not sent")
	}
	return p.up.Commit()
}

func (p *s3Part) Abort() {
	p.dropSpool()
	if p.up != nil {
		p.up.Abort()
	}
}
