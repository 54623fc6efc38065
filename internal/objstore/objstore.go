// Package objstore reads and writes objects of S3-compatible storage (AWS S3, MinIO,
// Cloudflare R2, Ceph, GCS's S3 API) for the commands: s3://bucket/key URLs, a client
// configured from the standard AWS chain (environment, shared files, instance roles)
// with an optional endpoint override, listings, streamed reads and uploads that
// appear whole or not at all.
package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
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

// Open starts reading an object; the body streams.
func Open(ctx context.Context, c *s3.Client, bucket, key string) (io.ReadCloser, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	return out.Body, nil
}

// Upload is an object being written: what is written goes up in parts (a multipart
// upload for large objects), and the object appears only when Commit succeeds;
// Abort, or a failed part, leaves no object.
type Upload struct {
	pw   *io.PipeWriter
	done chan error
	name string
}

// Create starts an upload to u.
func Create(ctx context.Context, c *s3.Client, u URL) (*Upload, error) {
	if u.Key == "" || strings.HasSuffix(u.Key, "/") {
		return nil, fmt.Errorf("%s names no object (s3://bucket/key)", u)
	}
	pr, pw := io.Pipe()
	up := &Upload{pw: pw, done: make(chan error, 1), name: u.String()}
	uploader := manager.NewUploader(c, func(m *manager.Uploader) { m.Concurrency = 4 })
	go func() {
		_, err := uploader.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(u.Bucket), Key: aws.String(u.Key), Body: pr})
		pr.CloseWithError(err) // a writer waiting on a failed upload stops
		up.done <- err
	}()
	return up, nil
}

// Write sends p up.
func (u *Upload) Write(p []byte) (int, error) { return u.pw.Write(p) }

// Commit ends the upload: the object appears whole.
func (u *Upload) Commit() error {
	u.pw.Close()
	if err := <-u.done; err != nil {
		return fmt.Errorf("upload %s: %w", u.name, err)
	}
	return nil
}

// errAborted ends an upload that must leave no object.
var errAborted = errors.New("upload abandoned")

// Abort abandons the upload: no object appears (the multipart upload is aborted).
func (u *Upload) Abort() {
	u.pw.CloseWithError(errAborted)
	<-u.done
}

// Exists reports whether the object u exists.
func Exists(ctx context.Context, c *s3.Client, u URL) (bool, error) {
	_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(u.Bucket), Key: aws.String(u.Key)})
	if err == nil {
		return true, nil
	}
	var nf *types.NotFound
	var nk *types.NoSuchKey
	if errors.As(err, &nf) || errors.As(err, &nk) {
		return false, nil
	}
	return false, fmt.Errorf("check %s: %w", u, err)
}
