package input_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	. "github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/objstore/s3test"
)

func gz(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tarOf(t *testing.T, names []string, data [][]byte) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for i, n := range names {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(data[i])), Typeflag: tar.TypeReg})
		tw.Write(data[i])
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// s3 inputs read every object under a prefix, single objects and globs on keys, with
// .gz and tar members, and name their origins s3://bucket/key[:member]:line:col.
func TestReadS3(t *testing.T) {
	srv := s3test.Start(t, "hooks")
	g := fake.New(fake.Options{Seed: 9})
	var nd []byte
	for i := range 500 { // more than one chunk fetched ahead
		nd = append(g.Append(nd, i), '\n')
	}
	srv.Put(t, "hooks", "2026/01/a.ndjson", nd)
	srv.Put(t, "hooks", "2026/01/b.ndjson.gz", gz(t, []byte(`{"accountId":1,"channel":{"id":1}}`+"\n"+`{"accountId":2,`+"\n")))
	srv.Put(t, "hooks", "2026/02/c.tgz", gz(t, tarOf(t, []string{"x/one.json", "skip.txt"}, [][]byte{[]byte(" {\"accountId\":3}"), []byte("no")})))
	srv.Put(t, "hooks", "2026/02/notes.txt", []byte("not read"))
	srv.Put(t, "hooks", "other/d.json", []byte(`{"accountId":4}`))
	opts := Options{S3Endpoint: srv.URL}

	recs := collectErr(t, []string{"s3://hooks/2026/"}, opts)
	if len(recs) != 500+2+1 {
		t.Fatalf("read %d records under the prefix, want 503", len(recs))
	}
	if got := recs[0].Origin.String(); got != "s3://hooks/2026/01/a.ndjson:1:1" {
		t.Errorf("first origin %s", got)
	}
	if recs[499].Raw != strings.TrimSuffix(string(nd[bytes.LastIndexByte(nd[:len(nd)-1], '\n')+1:]), "\n") {
		t.Errorf("last document of a.ndjson read as %.80q", recs[499].Raw)
	}
	if got := recs[501].Origin.String(); got != "s3://hooks/2026/01/b.ndjson.gz:2:1" {
		t.Errorf("broken line's origin %s", got)
	}
	if got := recs[502].Origin.String(); got != "s3://hooks/2026/02/c.tgz:x/one.json:1:2" || recs[502].Raw != `{"accountId":3}` {
		t.Errorf("tar member: %s %q", got, recs[502].Raw)
	}

	if recs := collectErr(t, []string{"s3://hooks/other/d.json"}, opts); len(recs) != 1 || recs[0].Raw != `{"accountId":4}` {
		t.Errorf("single object: %+v", recs)
	}
	if recs := collectErr(t, []string{"s3://hooks/**/*.*json*"}, opts); len(recs) != 500+2+1 {
		t.Errorf("glob **/*.*json* read %d records, want 503", len(recs))
	}
	recs = collectErr(t, []string{"s3://hooks/none/", "s3://nobucket/x"}, opts)
	if len(recs) != 2 || recs[0].Err == nil || recs[1].Err == nil || !strings.Contains(recs[0].Err.Error(), "s3://hooks/none/") {
		t.Errorf("missing prefix and bucket: %+v", recs)
	}
}

// Shards split s3 inputs as they split files.
func TestReadS3Sharded(t *testing.T) {
	srv := s3test.Start(t, "b")
	g := fake.New(fake.Options{Seed: 2})
	for f := range 6 {
		var nd []byte
		for i := range 50 {
			nd = append(g.Append(nd, f*50+i), '\n')
		}
		srv.Put(t, "b", fmt.Sprintf("p/%d.ndjson", f), nd)
	}
	total := 0
	for i := range 3 {
		total += len(collectErr(t, []string{"s3://b/p"}, Options{S3Endpoint: srv.URL, Shard: Shard{Index: i, Count: 3}}))
	}
	if total != 300 {
		t.Errorf("3 shards read %d documents, want 300", total)
	}
}

// The origins printed for objects, given back as inputs, read that one document or
// member: key:line, key:line:col, key.tgz:member and key.tgz:member:line. A key that
// really holds ':' and exists wins.
func TestReadS3OriginsGivenBack(t *testing.T) {
	srv := s3test.Start(t, "b")
	srv.Put(t, "b", "p/s.ndjson", []byte("{\"x\":1}\n{\"y\":2}\n{\"z\":3}\n"))
	srv.Put(t, "b", "p/pretty.json", []byte("{\n  \"a\": 1,\n  \"b\": [1, 2]\n}\n"))
	srv.Put(t, "b", "p/a.tgz", gz(t, tarOf(t, []string{"2026/01/05/x.json", "2026/01/05/y.ndjson"},
		[][]byte{[]byte(`{"m":1}`), []byte("{\"n\":1}\n{\"n\":2}\n")})))
	srv.Put(t, "b", "p/s.ndjson:2", []byte(`{"real":"colon"}`))
	opts := Options{S3Endpoint: srv.URL}

	recs := collectErr(t, []string{
		"s3://b/p/s.ndjson:3", "s3://b/p/pretty.json:3:9", "s3://b/p/a.tgz:2026/01/05/x.json",
		"s3://b/p/a.tgz:2026/01/05/y.ndjson:2", "s3://b/p/a.tgz:2026/01/05/y.ndjson:1:1", "s3://b/p/s.ndjson:2",
	}, opts)
	var got []string
	for _, r := range recs {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Origin, r.Err)
		}
		got = append(got, r.Origin.String()+" "+r.Raw)
	}
	want := []string{
		`s3://b/p/s.ndjson:3:1 {"z":3}`,
		"s3://b/p/pretty.json:1:1 {\n  \"a\": 1,\n  \"b\": [1, 2]\n}",
		`s3://b/p/a.tgz:2026/01/05/x.json:1:1 {"m":1}`,
		`s3://b/p/a.tgz:2026/01/05/y.ndjson:2:1 {"n":2}`,
		`s3://b/p/a.tgz:2026/01/05/y.ndjson:1:1 {"n":1}`,
		`s3://b/p/s.ndjson:2:1:1 {"real":"colon"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("read\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	for in, msg := range map[string]string{
		"s3://b/p/s.ndjson:9":      "no document at line 9",
		"s3://b/p/a.tgz:nope.json": `no member "nope.json"`,
		"s3://b/p/none.ndjson:2":   "no object matches",
	} {
		recs := collectErr(t, []string{in}, opts)
		if len(recs) != 1 || recs[0].Err == nil || !strings.Contains(recs[0].Err.Error(), msg) {
			t.Errorf("%s: %+v, want an error saying %q", in, recs, msg)
		}
	}
}
