package verify

import (
	"context"
	"errors"
	"fmt"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"io"
	"io/fs"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smarthook/smarthook/internal/objstore"
)

// s3 checks the hooks stored as objects: one object, or every NAME.json (with
// NAME.json.meta) and NDJSON object (with its .meta) under a prefix, in key order,
// what listen keeps under rejected/ left out.
func (c *Checker) s3(name string, report func(Result)) error {
	ctx := context.Background()
	u, err := objstore.Parse(name)
	if err != nil {
		return err
	}
	cl, err := objstore.Client(ctx, objstore.Config{Endpoint: c.S3Endpoint})
	if err != nil {
		return err
	}
	objs, err := objstore.List(ctx, cl, u.Bucket, u.Key)
	if err != nil {
		return err
	}
	prefix := u.Key
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	var keys []string
	for _, o := range objs {
		if o.Key == u.Key {
			keys = []string{o.Key} // the object itself
			break
		}
		rel := strings.TrimPrefix(o.Key, prefix)
		if strings.HasPrefix(o.Key, prefix) && !strings.HasPrefix(rel, "rejected/") && isStored(rel) {
			keys = append(keys, o.Key)
		}
	}
	if len(keys) == 0 {
		return fmt.Errorf("%s: no stored hook (NAME.json or NDJSON object) there", name)
	}
	for _, k := range keys {
		if err := c.object(ctx, cl, objstore.URL{Bucket: u.Bucket, Key: k}, report); err != nil {
			return err
		}
	}
	return nil
}

// isStored reports the name of a stored hook file (not a meta or another file).
func isStored(name string) bool {
	return strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".ndjson") || strings.HasSuffix(name, ".jsonl")
}

// object checks one stored object against its meta object.
func (c *Checker) object(ctx context.Context, cl *s3.Client, u objstore.URL, report func(Result)) error {
	body, err := objstore.Open(ctx, cl, u.Bucket, u.Key)
	if err != nil {
		return fmt.Errorf("read %s: %w", u, err)
	}
	defer body.Close()
	mu := objstore.URL{Bucket: u.Bucket, Key: u.Key + hookmeta.MetaSuffix}
	metas, err := objstore.Open(ctx, cl, mu.Bucket, mu.Key)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		metas = nil // a body without its meta: reported as such below
	case err != nil:
		return fmt.Errorf("read %s: %w", mu, err)
	default:
		defer metas.Close()
	}
	if !strings.HasSuffix(u.Key, ".json") {
		var mr io.Reader
		if metas != nil {
			mr = metas
		}
		return c.lines(u.String(), body, mu.String(), mr, report)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("read %s: %w", u, err)
	}
	var meta []byte
	if metas != nil {
		if meta, err = io.ReadAll(metas); err != nil {
			return fmt.Errorf("read %s: %w", mu, err)
		}
	}
	report(Result{Origin: u.String(), Status: c.check(b, meta)})
	return nil
}
