package cli

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/smarthook/smarthook/internal/fake"

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

// s3Client is the client of the test server.
func s3Client(t *testing.T, srv *s3test.Server) *s3.Client {
	t.Helper()
	c, err := objstore.Client(context.Background(), objstore.Config{Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readObject is the whole body of an object.
func readObject(t *testing.T, c *s3.Client, bucket, key string) []byte {
	t.Helper()
	body, err := objstore.Open(context.Background(), c, bucket, key)
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	got, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// fourDays is a file of 300 hooks over four days.
func fourDays(t *testing.T) string {
	in := filepath.Join(t.TempDir(), "in.ndjson")
	var nd []byte
	g := fake.New(fake.Options{Seed: 5, Days: 4, Count: 300})
	for i := range 300 {
		nd = append(g.Append(nd, i), '\n')
	}
	if err := os.WriteFile(in, nd, 0o644); err != nil {
		t.Fatal(err)
	}
	return in
}

// Parquet partitions written to -o s3://bucket/prefix/ are the files a local run
// writes, byte for byte, as objects; existing objects are refused without --force.
func TestConvertParquetPartitionsToS3(t *testing.T) {
	srv := s3test.Start(t, "b")
	c := s3Client(t, srv)
	in := fourDays(t)
	env := func(string) string { return "" }
	run := func(out string, extra ...string) (int, string) {
		var errw bytes.Buffer
		args := append([]string{"convert", "--to", "parquet", "--partition-by", "day", "--tz", "UTC", "--s3-endpoint", srv.URL, "-o", out, in}, extra...)
		code := Main(args, IO{Out: io.Discard, Err: &errw, Getenv: env})
		return code, errw.String()
	}
	local := t.TempDir()
	if code, errs := run(local + "/parts"); code != 0 {
		t.Fatalf("local: exit %d: %s", code, errs)
	}
	want := map[string][]byte{}
	filepath.WalkDir(local+"/parts", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(local+"/parts", p)
			want["out/"+filepath.ToSlash(rel)], _ = os.ReadFile(p)
		}
		return nil
	})
	if len(want) < 4 {
		t.Fatalf("the local run wrote %d files, want one per day (4 or more)", len(want))
	}
	if code, errs := run("s3://b/out"); code != 0 {
		t.Fatalf("s3: exit %d: %s", code, errs)
	}
	keys := srv.Keys(t, "b", "out/")
	if len(keys) != len(want) {
		t.Errorf("objects %q, want the %d files of the local run", keys, len(want))
	}
	for _, k := range keys {
		if !bytes.Equal(readObject(t, c, "b", k), want[k]) {
			t.Errorf("object %s differs from the local file", k)
		}
	}
	if !strings.HasPrefix(keys[0], "out/day=2026-") || !strings.HasSuffix(keys[0], "/part-0000.parquet") {
		t.Errorf("object %s is not named as Hive partitions are", keys[0])
	}
	if code, errs := run("s3://b/out/"); code != ExitUsage || !strings.Contains(errs, "--force") {
		t.Errorf("objects there: exit %d, %q", code, errs)
	}
	if code, errs := run("s3://b/out/", "--force"); code != 0 {
		t.Errorf("--force: exit %d, %q", code, errs)
	}
	if srv.Pending(t, c, "b") != 0 {
		t.Errorf("%d multipart uploads left open", srv.Pending(t, c, "b"))
	}
}

// A run that fails while the partitions are being sent, or while they are being made
// to appear, leaves no object and no open upload.
func TestConvertParquetPartitionsToS3Fails(t *testing.T) {
	srv := s3test.Start(t, "b")
	c := s3Client(t, srv)
	in := fourDays(t)
	cases := map[string]func() func(*http.Request) bool{
		// The uploads of parts fail from the third on (retries included): the files sent
		// so far are abandoned.
		"sending": func() func(*http.Request) bool {
			var n atomic.Int32
			return func(r *http.Request) bool {
				return r.Method == http.MethodPut && r.URL.Query().Has("partNumber") && n.Add(1) >= 3
			}
		},
		// Completions fail from the second on: the first object, already there, is removed.
		"completing": func() func(*http.Request) bool {
			var n atomic.Int32
			return func(r *http.Request) bool {
				return r.Method == http.MethodPost && r.URL.Query().Has("uploadId") && n.Add(1) >= 2
			}
		},
	}
	for name, fail := range cases {
		t.Run(name, func(t *testing.T) {
			srv.FailWhen(fail())
			defer srv.FailWhen(nil)
			var errw bytes.Buffer
			args := []string{"convert", "--to", "parquet", "--partition-by", "day", "--s3-endpoint", srv.URL, "-o", "s3://b/" + name + "/", in}
			code := Main(args, IO{Out: io.Discard, Err: &errw, Getenv: func(string) string { return "" }})
			if code == 0 || !strings.Contains(errw.String(), "s3://b/"+name+"/day=") {
				t.Errorf("exit %d, %q: want a failure naming the object", code, errw.String())
			}
			if keys := srv.Keys(t, "b", name+"/"); len(keys) != 0 {
				t.Errorf("a failed run left objects %q", keys)
			}
			if n := srv.Pending(t, c, "b"); n != 0 {
				t.Errorf("a failed run left %d multipart uploads open", n)
			}
		})
	}
}

// With --force, a failure while the partitions appear removes the new objects again
// but cannot bring back one that replaced an object of the same name: the error names
// it.
func TestConvertParquetPartitionsToS3FailsForced(t *testing.T) {
	srv := s3test.Start(t, "b")
	in := fourDays(t)
	first := "force/day=2026-01-05/part-0000.parquet" // the first to appear, in name order
	srv.Put(t, "b", first, []byte("old"))
	var n atomic.Int32
	srv.FailWhen(func(r *http.Request) bool {
		return r.Method == http.MethodPost && r.URL.Query().Has("uploadId") && n.Add(1) >= 2
	})
	var errw bytes.Buffer
	args := []string{"convert", "--to", "parquet", "--partition-by", "day", "--tz", "UTC", "--force", "--s3-endpoint", srv.URL, "-o", "s3://b/force/", in}
	code := Main(args, IO{Out: io.Discard, Err: &errw, Getenv: func(string) string { return "" }})
	if code == 0 || !strings.Contains(errw.String(), "these files were written and stay: s3://b/"+first) {
		t.Errorf("exit %d, %q: want the replaced object named", code, errw.String())
	}
	if keys := srv.Keys(t, "b", "force/"); len(keys) != 1 || keys[0] != first {
		t.Errorf("objects left %q, want only the replaced one", keys)
	}
	if got := readObject(t, s3Client(t, srv), "b", first); string(got[:4]) != "PAR1" {
		t.Errorf("the replaced object holds %.10q, not the new Parquet file", got)
	}
}

// --to sqlite writes a local database: -o s3:// is refused, not taken for a file name.
func TestConvertSQLiteRefusesS3(t *testing.T) {
	var errw bytes.Buffer
	code := Main([]string{"convert", "--to", "sqlite", "-o", "s3://b/x.db", "-"}, IO{In: strings.NewReader("{}"), Out: io.Discard, Err: &errw, Getenv: func(string) string { return "" }})
	if code != ExitUsage || !strings.Contains(errw.String(), "s3://b/x.db") {
		t.Errorf("exit %d, %q", code, errw.String())
	}
	if _, err := os.Stat("s3:"); err == nil {
		t.Error("a local file s3:… was made")
	}
}
