package inspect

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/listen"
)

// TestMemoryBounds keeps the bodies of the newest memory-only hooks and takes the
// oldest off the list, so that a flood of refused posts cannot grow it without end.
func TestMemoryBounds(t *testing.T) {
	oldMax, oldBatch := maxMemoryBodies, dropBatch
	maxMemoryBodies, dropBatch = 10, 5
	defer func() { maxMemoryBodies, dropBatch = oldMax, oldBatch }()
	var s store
	var first *entry
	for i := 0; i < 40; i++ {
		e, _ := s.addRefused(listen.Rejected{Status: 401, Reason: "bad signature", Body: []byte(fmt.Sprintf(`{"n":%d}`, i))})
		if i == 0 {
			first = e
		}
		if n := len(s.entries); n > maxMemoryBodies+dropBatch {
			t.Fatalf("after %d posts the list holds %d", i+1, n)
		}
	}
	if _, _, err := s.load(first); !errors.Is(err, errGone) {
		t.Fatalf("the oldest body: %v", err)
	}
	last := s.entries[len(s.entries)-1]
	body, _, err := s.load(last)
	if err != nil || string(body) != `{"n":39}` || last.id != 40 {
		t.Fatalf("the newest: %q %v id %d", body, err, last.id)
	}
	if got := s.byID(40); got != last {
		t.Fatal("byID after compaction")
	}
}

// TestLiveNDJSONMeta opens hooks appended by this run: their headers come from the
// metadata file, indexed as it grows.
func TestLiveNDJSONMeta(t *testing.T) {
	nd := filepath.Join(t.TempDir(), "h.ndjson")
	r := startListen(t, listen.Options{NDJSON: nd}, Options{})
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest("POST", r.hooks, strings.NewReader(string(fakeHook(i))))
		req.Header.Set("X-Request-Id", fmt.Sprint("id-", i))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var d Detail
		getJSON(t, fmt.Sprintf("%s/_/api/hooks/%d", r.base, i+1), &d)
		if d.Meta == nil || d.Meta.Headers.Get("X-Request-Id") != fmt.Sprint("id-", i) || d.Origin != fmt.Sprintf("%s:%d", nd, i+1) {
			t.Fatalf("hook %d: origin %q meta %+v", i+1, d.Origin, d.Meta)
		}
	}
}

// TestHistoryLastLineCut lists a last NDJSON line without its newline whole.
func TestHistoryLastLineCut(t *testing.T) {
	nd := filepath.Join(t.TempDir(), "h.ndjson")
	os.WriteFile(nd, []byte("{\"a\":1}\n\n{\"b\":2}"), 0o644)
	var s store
	if err := s.loadHistory("", nd, nd+".meta"); err != nil {
		t.Fatal(err)
	}
	if len(s.entries) != 2 || s.entries[1].line != 2 {
		t.Fatalf("%d entries", len(s.entries))
	}
	for i, want := range []string{`{"a":1}`, `{"b":2}`} {
		body, _, err := s.load(s.entries[i])
		if err != nil || string(body) != want {
			t.Fatalf("line %d: %q %v", i, body, err)
		}
	}
}
