package verify

import (
	"github.com/smarthook/smarthook/internal/hookmeta"
	"sort"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/listen"
	"github.com/smarthook/smarthook/internal/objstore/s3test"
)

// Hooks that listen stored under an s3:// prefix are checked as in a folder: each
// NAME.json object against its NAME.json.meta, rejected/ left out, a changed body
// and a body without meta said so.
func TestS3Prefix(t *testing.T) {
	srv := s3test.Start(t, "hooks")
	postSigned(t, listen.Options{Dir: "s3://hooks/in/", S3Endpoint: srv.URL})
	keys := srv.Keys(t, "hooks", "in/")
	if len(keys) != 6 {
		t.Fatalf("listen stored %v", keys)
	}
	srv.Put(t, "hooks", "in/2026/01/01/9-9-x.json", []byte(`{"accountId":9}`))
	srv.Put(t, "hooks", "in/rejected/2026/01/01/x.json", []byte(`not checked`))
	// The well-signed hook (account 1, first in key order) changed after the fact.
	srv.Put(t, "hooks", strings.TrimSuffix(keys[1], hookmeta.MetaSuffix), []byte(`{"accountId":7}`))

	c := &Checker{Secret: []byte("s3cret"), S3Endpoint: srv.URL}
	var got []string
	if err := c.Path("s3://hooks/in", func(r Result) {
		if !strings.HasPrefix(r.Origin, "s3://hooks/in/") {
			t.Errorf("origin %s", r.Origin)
		}
		got = append(got, r.Status)
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	want := []string{Changed, Invalid, NoHeaders, NoSignature}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("statuses %q, want %q", got, want)
	}
	if err := c.Path("s3://hooks/none/", func(Result) {}); err == nil {
		t.Error("an empty prefix checked without complaint")
	}
}
