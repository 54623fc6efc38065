package cli

import (
	"context"
	"io"

	"github.com/smarthook/smarthook/internal/objstore"
)

// s3Output is -o s3://bucket/key: a multipart upload that makes the object appear
// whole when the run succeeds, and leaves none otherwise. An existing object is
// replaced only with --force.
type s3Output struct {
	ctx      context.Context
	name     string
	force    bool
	endpoint string
	up       *objstore.Upload
}

func (o *s3Output) Open() (io.Writer, error) {
	u, err := objstore.Parse(o.name)
	if err != nil {
		return nil, usageErrorf("-o %v", err)
	}
	c, err := objstore.Client(o.ctx, objstore.Config{Endpoint: o.endpoint})
	if err != nil {
		return nil, err
	}
	if !o.force {
		exists, err := objstore.Exists(o.ctx, c, u)
		if err != nil {
			return nil, err
		}
		if exists {
			return nil, usageErrorf("%s exists: use --force to replace it", o.name)
		}
	}
	if o.up, err = objstore.Create(o.ctx, c, u); err != nil {
		return nil, usageErrorf("-o %v", err)
	}
	return o.up, nil
}

func (o *s3Output) Finish(ok bool) error {
	if o.up == nil {
		return nil
	}
	if !ok {
		o.up.Abort()
		return nil
	}
	return o.up.Commit()
}
