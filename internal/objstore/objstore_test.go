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

// Staged uploads hold every byte on the server and no memory, and stay invisible
// until Commit; Abort after Stage leaves nothing. Delete removes an object.
func TestStagedUploads(t *testing.T) {
	srv := s3test.Start(t, "out")
	ctx := context.Background()
	c, err := objstore.Client(ctx, objstore.Config{Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	small := []byte("small object")
	big := bytes.Repeat([]byte("x"), 9<<20)
	var ups []*objstore.Upload
	for i, data := range [][]byte{small, big} {
		up, err := objstore.Create(ctx, c, objstore.URL{Bucket: "out", Key: []string{"a", "b"}[i]})
		if err != nil {
			t.Fatal(err)
		}
		up.Write(data)
		if err := up.Stage(); err != nil {
			t.Fatal(err)
		}
		if _, err := up.Write([]byte("more")); err == nil {
			t.Error("a write after Stage was taken")
		}
		ups = append(ups, up)
	}
	for _, k := range []string{"a", "b"} {
		if ok, _ := objstore.Exists(ctx, c, objstore.URL{Bucket: "out", Key: k}); ok {
			t.Errorf("staged object %s is visible before Commit", k)
		}
	}
	if err := ups[0].Commit(); err != nil {
		t.Fatal(err)
	}
	ups[1].Abort()
	body, err := objstore.Open(ctx, c, "out", "a")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(body)
	body.Close()
	if !bytes.Equal(got, small) {
		t.Errorf("committed object holds %q", got)
	}
	if ok, _ := objstore.Exists(ctx, c, objstore.URL{Bucket: "out", Key: "b"}); ok {
		t.Error("an aborted staged upload left an object")
	}
	if err := objstore.Delete(ctx, c, objstore.URL{Bucket: "out", Key: "a"}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := objstore.Exists(ctx, c, objstore.URL{Bucket: "out", Key: "a"}); ok {
		t.Error("a deleted object is still there")
	}
}
