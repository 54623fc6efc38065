package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/objstore/s3test"
)

// tgzOf packs files (name, content pairs) into a tar.gz.
func tgzOf(t *testing.T, files ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	tw := tar.NewWriter(zw)
	for i := 0; i < len(files); i += 2 {
		tw.WriteHeader(&tar.Header{Name: files[i], Mode: 0o644, Size: int64(len(files[i+1])), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[i+1]))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fakeNDJSON is n synthetic hooks, one a line.
func fakeNDJSON(seed int64, n int) []byte {
	g := fake.New(fake.Options{Seed: seed})
	var nd []byte
	for i := range n {
		nd = append(g.Append(nd, i), '\n')
	}
	return nd
}

// validate over an S3 prefix finds the bad documents; each finding's origin, given
// back as an input, reads exactly that document again.
func TestS3FindingOriginsGivenBack(t *testing.T) {
	srv := s3test.Start(t, "b")
	g := fake.New(fake.Options{Seed: 6})
	accountID := regexp.MustCompile(`"accountId":\d+`)
	doc := func(i int) string { return string(g.Append(nil, i)) }
	bad := func(i int) string { return accountID.ReplaceAllString(doc(i), `"accountId":"x"`) }
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, []byte(bad(30)), "", "  "); err != nil {
		t.Fatal(err)
	}
	badDocs := []string{bad(4), bad(21), pretty.String()}
	var nd strings.Builder
	for i := range 10 {
		d := doc(i)
		if i == 4 {
			d = badDocs[0]
		}
		nd.WriteString(d + "\n")
	}
	srv.Put(t, "b", "in/2026/01/chats.ndjson", []byte(nd.String()))
	srv.Put(t, "b", "in/2026/02/day.tgz", tgzOf(t,
		"05/more.ndjson", doc(20)+"\n"+badDocs[1]+"\n"+doc(22)+"\n",
		"05/one.json", pretty.String()+"\n",
		"05/fine.json", doc(31)))
	env := func(string) string { return "" }
	run := func(args ...string) (int, string, string) {
		var out, errw bytes.Buffer
		code := Main(append(args, "--s3-endpoint", srv.URL), IO{Out: &out, Err: &errw, Getenv: env})
		return code, out.String(), errw.String()
	}

	code, out, errs := run("validate", "s3://b/in/")
	if code != ExitProblems {
		t.Fatalf("validate: exit %d: %s%s", code, out, errs)
	}
	origins := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		if o, _, ok := strings.Cut(line, ": error: "); ok {
			origins[o] = true
		}
	}
	if len(origins) != 3 {
		t.Fatalf("findings at %d places, want 3 (one per bad document):\n%s", len(origins), out)
	}
	for o := range origins {
		if !strings.HasPrefix(o, "s3://b/in/2026/") {
			t.Errorf("origin %q does not name the object", o)
		}
		code, got, errs := run("query", "-c", ".", o)
		if code != 0 {
			t.Errorf("query %s: exit %d: %s", o, code, errs)
			continue
		}
		// query sorts keys: compare the values.
		var gotV any
		json.Unmarshal([]byte(got), &gotV)
		found := false
		for _, d := range badDocs {
			var v any
			json.Unmarshal([]byte(d), &v)
			found = found || reflect.DeepEqual(v, gotV)
		}
		if !found || strings.Count(got, "\n") != 1 {
			t.Errorf("query %s read %q, want exactly the bad document there", o, got)
		}
	}
}

// Every reading command reads an origin given back on S3 as that one document.
func TestS3OriginGivenBackEveryCommand(t *testing.T) {
	srv := s3test.Start(t, "b")
	nd := fakeNDJSON(8, 5)
	srv.Put(t, "b", "k/chats.ndjson", nd)
	third := strings.Split(string(nd), "\n")[2]
	env := func(string) string { return "" }
	for _, args := range [][]string{
		{"validate"}, {"query", "-c", ".accountId"}, {"pretty"}, {"redact", "--random-key"}, {"stats"}, {"convert", "--to", "ndjson"},
	} {
		var out, errw bytes.Buffer
		args = append(args, "--s3-endpoint", srv.URL, "s3://b/k/chats.ndjson:3")
		if code := Main(args, IO{Out: &out, Err: &errw, Getenv: env}); code != 0 {
			t.Errorf("%s: exit %d: %s", args[0], code, errw.String())
			continue
		}
		var want string
		switch args[0] {
		case "validate":
			want = "│ documents             │ 1 "
		case "stats":
			want = "│ chats              │ 1     │"
		case "query":
			var d struct{ AccountID json.Number }
			json.Unmarshal([]byte(third), &d)
			want = d.AccountID.String() + "\n"
		case "convert":
			want = third
		default:
			want = `"endAt"`
		}
		if !strings.Contains(out.String()+errw.String(), want) {
			t.Errorf("%s read %q, want the third document (%q)", args[0], out.String(), want)
		}
	}
}
