package objstore_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/smarthook/smarthook/internal/objstore"
	"github.com/smarthook/smarthook/internal/objstore/s3test"
)

// An upload appears whole after Commit (in several parts when large) and not at all
// after Abort.
func TestUploadWholeOrNothing(t *testing.T) {
	srv := s3test.Start(t, "out")
	ctx := context.Background()
	c, err := objstore.Client(ctx, objstore.Config{Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), 12<<20/16) // 12 MiB: three parts
	up, err := objstore.Create(ctx, c, objstore.URL{Bucket: "out", Key: "big.csv"})
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(data); off += 100 << 10 {
		if _, err := up.Write(data[off:min(off+100<<10, len(data))]); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := objstore.Exists(ctx, c, objstore.URL{Bucket: "out", Key: "big.csv"}); ok {
		t.Error("the object exists before Commit")
	}
	if err := up.Commit(); err != nil {
		t.Fatal(err)
	}
	body, err := objstore.Open(ctx, c, "out", "big.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(body)
	body.Close()
	if !bytes.Equal(got, data) {
		t.Errorf("read back %d bytes, wrote %d", len(got), len(data))
	}

	up, err = objstore.Create(ctx, c, objstore.URL{Bucket: "out", Key: "half.csv"})
	if err != nil {
		t.Fatal(err)
	}
	up.Write(data[:7<<20])
	up.Abort()
	if ok, err := objstore.Exists(ctx, c, objstore.URL{Bucket: "out", Key: "half.csv"}); ok || err != nil {
		t.Errorf("an aborted upload left an object (%v)", err)
	}
	if _, err := objstore.Create(ctx, c, objstore.URL{Bucket: "out", Key: "dir/"}); err == nil {
		t.Error("a key ending in / was accepted")
	}
}

func TestParse(t *testing.T) {
	u, err := objstore.Parse("s3://b/k/x.json")
	if err != nil || u != (objstore.URL{Bucket: "b", Key: "k/x.json"}) || u.String() != "s3://b/k/x.json" {
		t.Errorf("%+v %v", u, err)
	}
	for _, bad := range []string{"s3:///k", "http://b/k"} {
		if _, err := objstore.Parse(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
