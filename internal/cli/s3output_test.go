package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/objstore"
	"github.com/smarthook/smarthook/internal/objstore/s3test"
)

// convert reads s3:// inputs and writes -o s3://, the same bytes as from and to disk;
// an existing object is kept without --force.
func TestConvertS3ToS3(t *testing.T) {
	srv := s3test.Start(t, "b")
	nd := fakeNDJSON(4, 200)
	srv.Put(t, "b", "in/chats.ndjson", nd)
	env := func(string) string { return "" }
	var want, errw bytes.Buffer
	if code := Main([]string{"convert", "--to", "csv", "--rows", "messages", "-"}, IO{In: bytes.NewReader(nd), Out: &want, Err: &errw, Getenv: env}); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	args := []string{"convert", "--to", "csv", "--rows", "messages", "--s3-endpoint", srv.URL, "-o", "s3://b/out/messages.csv", "--report", "json", "s3://b/in/"}
	var out bytes.Buffer
	if code := Main(args, IO{Out: &out, Err: &errw, Getenv: env}); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	if !strings.Contains(out.String(), `"report":"convert"`) {
		t.Errorf("no report on stdout: %q", out.String())
	}
	c, err := objstore.Client(context.Background(), objstore.Config{Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	body, err := objstore.Open(context.Background(), c, "b", "out/messages.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(body)
	body.Close()
	if !bytes.Equal(got, want.Bytes()) || want.Len() < 1000 {
		t.Errorf("the object holds %d bytes, stdout got %d", len(got), want.Len())
	}
	errw.Reset()
	if code := Main(args, IO{Out: io.Discard, Err: &errw, Getenv: env}); code != ExitUsage || !strings.Contains(errw.String(), "--force") {
		t.Errorf("an existing object: exit %d, %q", code, errw.String())
	}
}
