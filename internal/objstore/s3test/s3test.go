// Package s3test runs an in-process S3 server on 127.0.0.1 for tests.
package s3test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Server is an in-memory S3 server.
type Server struct {
	URL     string
	Backend *s3mem.Backend

	mu   sync.Mutex
	fail func(*http.Request) bool
}

// FailWhen makes the server answer 500 to the requests fail picks (nil: none), as
// a storage that breaks down would.
func (s *Server) FailWhen(fail func(*http.Request) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = fail
}

func (s *Server) failing(r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fail != nil && s.fail(r)
}

// Start starts a server holding bucket, with test credentials in the environment
// (nothing is looked up elsewhere), stopped at the end of the test.
func Start(t testing.TB, bucket string) *Server {
	t.Helper()
	backend := s3mem.New()
	srv := &Server{Backend: backend}
	fake := gofakes3.New(backend).Server()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if srv.failing(r) {
			http.Error(w, "<Error><Code>InternalError</Code><Message>failing on purpose</Message></Error>", http.StatusInternalServerError)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	srv.URL = ts.URL
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
		"AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_S3": "", "AWS_PROFILE": "",
	} {
		t.Setenv(k, v)
	}
	return srv
}

// Put stores an object.
func (s *Server) Put(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	if _, err := s.Backend.PutObject(bucket, key, map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
		t.Fatal(err)
	}
}

// Keys lists the keys of bucket's objects under prefix.
func (s *Server) Keys(t testing.TB, bucket, prefix string) []string {
	t.Helper()
	list, err := s.Backend.ListBucket(bucket, &gofakes3.Prefix{Prefix: prefix, HasPrefix: true}, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range list.Contents {
		keys = append(keys, o.Key)
	}
	return keys
}

// Pending counts the multipart uploads of bucket begun and neither completed nor
// aborted.
func (s *Server) Pending(t testing.TB, c *s3.Client, bucket string) int {
	t.Helper()
	out, err := c.ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: &bucket})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Uploads)
}
