package listen

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/objstore/s3test"
)

// s3Stored returns the bodies stored under prefix by key, each checked against its
// meta object (but those kept under rejected/); metas without a body are returned
// apart.
func s3Stored(t *testing.T, srv *s3test.Server, bucket, prefix string) (bodies map[string][]byte, orphans []string) {
	t.Helper()
	bodies = map[string][]byte{}
	all := map[string][]byte{}
	for _, k := range srv.Keys(t, bucket, prefix) {
		obj, err := srv.Backend.GetObject(bucket, k, nil)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(obj.Contents)
		obj.Contents.Close()
		all[k] = b.Bytes()
	}
	for k, b := range all {
		if strings.HasSuffix(k, MetaSuffix) {
			if _, ok := all[strings.TrimSuffix(k, MetaSuffix)]; !ok {
				orphans = append(orphans, k)
			}
			continue
		}
		bodies[k] = b
		if strings.Contains(k, "/rejected/") {
			continue // kept as received, without meta
		}
		var m Meta
		if err := json.Unmarshal(all[k+MetaSuffix], &m); err != nil || !m.Matches(b) {
			t.Errorf("%s: no meta describing it (%v): %q", k, err, all[k+MetaSuffix])
		}
	}
	return bodies, orphans
}

// --dir s3://bucket/prefix/ stores each hook and its meta as objects named as on
// disk, a name taken getting a counter; bodies that are not JSON go under rejected/
// with --keep-bad; many clients at once each get their hook stored once.
func TestS3DirStores(t *testing.T) {
	srv := s3test.Start(t, "hooks")
	at := time.Date(2026, 3, 4, 5, 6, 7, 890123000, time.UTC)
	out := &syncBuffer{}
	s := start(t, Options{Dir: "s3://hooks/in", S3Endpoint: srv.URL, KeepBad: true, View: "json",
		Now: func() time.Time { return at }, TZ: time.UTC, Out: out})
	body := docExample(t)
	for range 2 {
		if code, text := post(t, s.url, body); code != http.StatusNoContent {
			t.Fatalf("got %d %q, want 204", code, text)
		}
	}
	if code, _ := post(t, s.url, []byte("not json")); code != http.StatusBadRequest {
		t.Errorf("a body that is not JSON: %d", code)
	}
	stored, orphans := s3Stored(t, srv, "hooks", "in/")
	for _, k := range []string{"in/2026/03/04/208-55039-20260304T050607.890123Z.json", "in/2026/03/04/208-55039-20260304T050607.890123Z-1.json",
		"in/rejected/2026/03/04/20260304T050607.890123Z.body"} {
		if !bytes.Equal(stored[k], body) && !(strings.HasSuffix(k, ".body") && string(stored[k]) == "not json") {
			t.Errorf("%s: stored %q", k, stored[k])
		}
	}
	if len(stored) != 3 || len(orphans) != 0 {
		t.Errorf("objects %v, metas without body %v", keys(stored), orphans)
	}
	s.stop()
	if !strings.Contains(out.String(), `"file":"s3://hooks/in/2026/03/04/208-55039-20260304T050607.890123Z.json"`) {
		t.Errorf("the view does not name the object: %.300s", out.String())
	}

	s = start(t, Options{Dir: "s3://hooks/many/", S3Endpoint: srv.URL})
	bodies := fakeBodies(200)
	postAll(t, s.url, bodies, 16)
	stored, orphans = s3Stored(t, srv, "hooks", "many/")
	var got [][]byte
	for _, b := range stored {
		got = append(got, b)
	}
	sameMultiset(t, "objects", got, bodies)
	if st := s.Stats(); st.Accepted != 200 || st.Files != 200 || len(orphans) != 0 {
		t.Errorf("stats %+v, metas without body %v", st, orphans)
	}
}

// chatOfKey is the chat id in a stored hook's object key.
var chatOfKey = regexp.MustCompile(`-(\d+)-\d{8}T[^/]*$`)

// When the storage fails, the sender gets 503 with Retry-After and nothing half
// stored stays: every hook answered 204 is stored with its meta, no other is, and no
// meta is left without its body.
func TestS3DirStoreFails(t *testing.T) {
	srv := s3test.Start(t, "hooks")
	errs := &syncBuffer{}
	s := start(t, Options{Dir: "s3://hooks/in/", S3Endpoint: srv.URL, Err: errs})
	body := docExample(t)

	srv.FailWhen(func(r *http.Request) bool { return r.Method == http.MethodPut })
	req, _ := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(body))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("storage down: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if keys := srv.Keys(t, "hooks", "in/"); len(keys) != 0 {
		t.Errorf("a refused hook left %v", keys)
	}

	// Per chat: the body's PUT fails (after its meta's), the meta's fails, or none.
	srv.FailWhen(func(r *http.Request) bool {
		m := chatOfKey.FindStringSubmatch(strings.TrimSuffix(r.URL.Path, MetaSuffix))
		if r.Method != http.MethodPut || m == nil {
			return false
		}
		chat, _ := strconv.Atoi(m[1])
		isMeta := strings.HasSuffix(r.URL.Path, MetaSuffix)
		return chat%3 == 0 && !isMeta || chat%3 == 1 && isMeta
	})
	bodies := fakeBodies(30)
	var mu sync.Mutex
	var acked [][]byte
	var wg sync.WaitGroup
	for _, b := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Post(s.url, "application/json", bytes.NewReader(b))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusNoContent:
				mu.Lock()
				acked = append(acked, b)
				mu.Unlock()
			case http.StatusServiceUnavailable:
			default:
				t.Errorf("answer %s", resp.Status)
			}
		}()
	}
	wg.Wait()
	stored, orphans := s3Stored(t, srv, "hooks", "in/")
	var got [][]byte
	for _, b := range stored {
		got = append(got, b)
	}
	if len(acked) == 0 || len(acked) == len(bodies) {
		t.Errorf("%d of %d hooks acknowledged: the failures did not bite", len(acked), len(bodies))
	}
	sameMultiset(t, "stored vs acknowledged", got, acked)
	if len(orphans) != 0 {
		t.Errorf("metas left without their body: %v", orphans)
	}
	if st := s.Stats(); st.Accepted != int64(len(acked)) {
		t.Errorf("accepted %d, acknowledged %d", st.Accepted, len(acked))
	}
	if !strings.Contains(errs.String(), "503") {
		t.Errorf("no 503 said on stderr: %.300s", errs.String())
	}
}

// A bucket that cannot be reached is refused at the start.
func TestS3DirMissingBucket(t *testing.T) {
	srv := s3test.Start(t, "hooks")
	if _, err := New(Options{Dir: "s3://nobucket/x/", S3Endpoint: srv.URL}); err == nil || !strings.Contains(err.Error(), "s3://nobucket") {
		t.Errorf("New: %v", err)
	}
}
