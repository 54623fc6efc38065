package inspect

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/smarthook/smarthook/internal/listen"
)

// TestNDJSONShowsBodyAsReceived: a body listen --ndjson compacted onto its line is
// shown, downloaded and checked as it was received, live and from the history.
func TestNDJSONShowsBodyAsReceived(t *testing.T) {
	nd := filepath.Join(t.TempDir(), "hooks.ndjson")
	var pretty bytes.Buffer
	json.Indent(&pretty, fakeHook(0), "", "  ")
	pretty.WriteString("\r\n")
	bodies := [][]byte{pretty.Bytes(), fakeHook(1)}
	secret := []byte("k")
	check := func(r *running, when string) {
		t.Helper()
		for i, b := range bodies {
			id := string(rune('1' + i))
			resp, err := client.Get(r.base + "/_/api/hooks/" + id + "/body")
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !bytes.Equal(got, b) {
				t.Errorf("%s: hook %s downloaded as %.60q, want the body as received", when, id, got)
			}
			var d Detail
			if st := getJSON(t, r.base+"/_/api/hooks/"+id, &d); st != 200 {
				t.Fatalf("%s: detail %d", when, st)
			}
			if d.Meta == nil || d.Meta.BodyB64 != nil {
				t.Errorf("%s: hook %s: meta missing, or sent with the body in it", when, id)
			}
			if d.Row.Signature != "valid" || d.Row.Size != int64(len(b)) {
				t.Errorf("%s: hook %s: signature %s, size %d of %d", when, id, d.Row.Signature, d.Row.Size, len(b))
			}
		}
	}
	r := startListen(t, listen.Options{NDJSON: nd, Secret: secret}, Options{Secret: secret})
	for _, b := range bodies {
		mac := hmac.New(sha256.New, secret)
		mac.Write(b)
		req, _ := http.NewRequest(http.MethodPost, r.hooks, bytes.NewReader(b))
		req.Header.Set(hookmeta.SignatureHeader, hex.EncodeToString(mac.Sum(nil)))
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("post: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	check(r, "live")
	r.stop()
	if data, _ := os.ReadFile(nd); bytes.Contains(data, pretty.Bytes()) {
		t.Fatal("the NDJSON line was expected compacted")
	}
	check(startListen(t, listen.Options{NDJSON: nd, Secret: secret}, Options{Secret: secret}), "history")
}
