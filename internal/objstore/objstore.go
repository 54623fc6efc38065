// Package objstore reads and writes objects of S3-compatible storage (AWS S3, MinIO,
// Cloudflare R2, Ceph, GCS's S3 API) for the commands: s3://bucket/key URLs, a client
// configured from the standard AWS chain (environment, shared files, instance roles)
// with an optional endpoint override, listings, streamed reads and uploads that
// appear whole or not at all.
package objstore

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Scheme starts the URL of an object or prefix.
const Scheme = "s3://"

// Is reports whether name is an s3:// URL.
func Is(name string) bool { return strings.HasPrefix(name, Scheme) }

// URL is a parsed s3://bucket/key.
type URL struct{ Bucket, Key string }

// Parse reads s3://bucket/key (the key may be empty, a prefix or a glob).
func Parse(name string) (URL, error) {
	if !Is(name) {
		return URL{}, fmt.Errorf("%q is not an s3:// URL", name)
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(name, Scheme), "/")
	if bucket == "" {
		return URL{}, fmt.Errorf("%q names no bucket (s3://bucket/key)", name)
	}
	return URL{Bucket: bucket, Key: key}, nil
}

// String is the URL as users write it.
func (u URL) String() string { return Scheme + u.Bucket + "/" + u.Key }

// Config says how to reach the storage.
type Config struct {
	// Endpoint overrides the service's address (MinIO, R2, Ceph, GCS); "" takes
	// AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, else AWS's own. With an endpoint,
	// buckets are addressed by path (http://host/bucket/key).
	Endpoint string
}

var (
	clientsMu sync.Mutex
	clients   = map[string]*s3.Client{}
)

// Client returns the client for cfg, made once per endpoint.
func Client(ctx context.Context, cfg Config) (*s3.Client, error) {
	clientsMu.Lock()
	defer clientsMu.Unlock()
	if c, ok := clients[cfg.Endpoint]; ok {
		return c, nil
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("s3 configuration: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1" // MinIO and most S3-compatible servers ignore it
	}
	endpoint := cfg.Endpoint
	pathStyle := endpoint != "" || os.Getenv("AWS_ENDPOINT_URL_S3") != "" || os.Getenv("AWS_ENDPOINT_URL") != ""
	// Integrity checksums only where required: several S3-compatible servers do not
	// know the newer ones.
	awsCfg.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	awsCfg.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	c := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.UsePathStyle = pathStyle
	})
	clients[cfg.Endpoint] = c
	return c, nil
}

// Object is one listed object.
type Object struct {
	Key  string
	Size int64
}

// List returns the objects whose keys start with prefix, in key order.
func List(ctx context.Context, c *s3.Client, bucket, prefix string) ([]Object, error) {
	var out []Object
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list s3://%s/%s: %w", bucket, prefix, err)
		}
		for _, o := range page.Contents {
			out = append(out, Object{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size)})
		}
	}
	return out, nil
}

// Open starts reading an object; the body streams. A missing object is an error
// wrapping fs.ErrNotExist: one request tells both, where Exists and Open take two.
func Open(ctx context.Context, c *s3.Client, bucket, key string) (io.ReadCloser, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		if notFound(err) {
			return nil, fmt.Errorf("%w: %w", fs.ErrNotExist, err)
		}
		return nil, err
	}
	return out.Body, nil
}

// notFound tells an error saying that there is no such object.
func notFound(err error) bool {
	var nf *types.NotFound
	var nk *types.NoSuchKey
	return errors.As(err, &nf) || errors.As(err, &nk)
}

// partSize is the size of an upload's parts (S3 takes 5 MiB at least, but the last).
const partSize = 8 << 20

// Upload is an object being written: what is written goes up in parts of partSize (a
// multipart upload once the object outgrows one part, a single PUT otherwise), and the
// object appears only when Commit succeeds; Abort, or a failed part, leaves no object.
// Memory stays at one part.
type Upload struct {
	ctx   context.Context
	c     *s3.Client
	url   URL
	buf   []byte
	id    *string // the multipart upload, once started
	parts []types.CompletedPart
	err   error // the first failure: every later call returns it
	// staged: every byte is sent and only Commit (or Abort) may follow (see Stage).
	staged bool
}

// Create starts an upload to u.
func Create(ctx context.Context, c *s3.Client, u URL) (*Upload, error) {
	if u.Key == "" || strings.HasSuffix(u.Key, "/") {
		return nil, fmt.Errorf("%s names no object (s3://bucket/key)", u)
	}
	return &Upload{ctx: ctx, c: c, url: u, buf: make([]byte, 0, partSize)}, nil
}

// Write sends p up, a part at a time.
func (u *Upload) Write(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	if u.staged {
		return 0, fmt.Errorf("upload %s: write after Stage", u.url)
	}
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), partSize-len(u.buf))
		u.buf, p = append(u.buf, p[:k]...), p[k:]
		if len(u.buf) == partSize {
			if err := u.sendPart(); err != nil {
				u.err = fmt.Errorf("upload %s: %w", u.url, err)
				u.Abort()
				return 0, u.err
			}
		}
	}
	return n, nil
}

// sendPart uploads the buffer as the next part, starting the multipart upload first.
func (u *Upload) sendPart() error {
	bucket, key := aws.String(u.url.Bucket), aws.String(u.url.Key)
	if u.id == nil {
		out, err := u.c.CreateMultipartUpload(u.ctx, &s3.CreateMultipartUploadInput{Bucket: bucket, Key: key})
		if err != nil {
			return err
		}
		u.id = out.UploadId
	}
	num := aws.Int32(int32(len(u.parts) + 1))
	out, err := u.c.UploadPart(u.ctx, &s3.UploadPartInput{Bucket: bucket, Key: key, UploadId: u.id, PartNumber: num, Body: bytes.NewReader(u.buf)})
	if err != nil {
		return err
	}
	u.parts = append(u.parts, types.CompletedPart{ETag: out.ETag, PartNumber: num})
	u.buf = u.buf[:0]
	return nil
}

// Stage sends what is left as the last part, as a multipart upload even when the
// object is small, and frees the part buffer: the object still appears only at
// Commit, which may come much later. Many staged uploads can so wait for the end of
// a run, holding no memory, and appear together (or be aborted together).
func (u *Upload) Stage() error {
	if u.err != nil {
		return u.err
	}
	if u.id == nil || len(u.buf) > 0 {
		if err := u.sendPart(); err != nil {
			u.err = fmt.Errorf("upload %s: %w", u.url, err)
			u.Abort()
			return u.err
		}
	}
	u.buf, u.staged = nil, true
	return nil
}

// Commit ends the upload: the object appears whole.
func (u *Upload) Commit() error {
	if u.err != nil {
		return u.err
	}
	bucket, key := aws.String(u.url.Bucket), aws.String(u.url.Key)
	var err error
	if u.id == nil {
		_, err = u.c.PutObject(u.ctx, &s3.PutObjectInput{Bucket: bucket, Key: key, Body: bytes.NewReader(u.buf)})
	} else {
		if len(u.buf) > 0 {
			err = u.sendPart()
		}
		if err == nil {
			_, err = u.c.CompleteMultipartUpload(u.ctx, &s3.CompleteMultipartUploadInput{Bucket: bucket, Key: key, UploadId: u.id,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: u.parts}})
		}
	}
	if err != nil {
		u.err = fmt.Errorf("upload %s: %w", u.url, err)
		u.Abort()
		return u.err
	}
	u.id, u.err = nil, errors.New("upload committed")
	return nil
}

// Abort abandons the upload: no object appears (the multipart upload is aborted).
func (u *Upload) Abort() {
	if u.id != nil {
		_, _ = u.c.AbortMultipartUpload(context.WithoutCancel(u.ctx), &s3.AbortMultipartUploadInput{
			Bucket: aws.String(u.url.Bucket), Key: aws.String(u.url.Key), UploadId: u.id})
		u.id = nil
	}
	if u.err == nil {
		u.err = errors.New("upload abandoned")
	}
}

// Exists reports whether the object u exists.
func Exists(ctx context.Context, c *s3.Client, u URL) (bool, error) {
	_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(u.Bucket), Key: aws.String(u.Key)})
	if err == nil {
		return true, nil
	}
	if notFound(err) {
		return false, nil
	}
	return false, fmt.Errorf("check %s: %w", u, err)
}

// Delete removes the object u (nothing happens when there is none).
func Delete(ctx context.Context, c *s3.Client, u URL) error {
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(u.Bucket), Key: aws.String(u.Key)}); err != nil {
		return fmt.Errorf("delete %s: %w", u, err)
	}
	return nil
}

// ErrExists is what Put with ifAbsent returns when the key is taken.
var ErrExists = errors.New("an object of that name exists")

// Put stores data as the object u in one request: it appears whole or not at all,
// and the server checks the bytes against their MD5. With ifAbsent an existing
// object is kept and ErrExists returned (If-None-Match: *, which AWS S3, MinIO and R2
// honour).
func Put(ctx context.Context, c *s3.Client, u URL, data []byte, ifAbsent bool) error {
	sum := md5.Sum(data)
	in := &s3.PutObjectInput{Bucket: aws.String(u.Bucket), Key: aws.String(u.Key), Body: bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:]))}
	if ifAbsent {
		in.IfNoneMatch = aws.String("*")
	}
	_, err := c.PutObject(ctx, in)
	var status interface{ HTTPStatusCode() int }
	if err != nil && ifAbsent && errors.As(err, &status) &&
		(status.HTTPStatusCode() == 412 || status.HTTPStatusCode() == 409) { // taken, or being written at this moment
		return fmt.Errorf("put %s: %w", u, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("put %s: %w", u, err)
	}
	return nil
}

// CheckBucket tells whether the bucket can be reached (it exists, the credentials
// open it).
func CheckBucket(ctx context.Context, c *s3.Client, bucket string) error {
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return fmt.Errorf("s3://%s: %w", bucket, err)
	}
	return nil
}
