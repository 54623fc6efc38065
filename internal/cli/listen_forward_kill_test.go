package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/testutil"
)

// TestListenForwardSurvivesKill kills the real binary (SIGKILL) in the middle of
// forwarding and starts it again on the same folder: every hook answered 204 reaches
// the target (at least once), none is lost.
func TestListenForwardSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it")
	}
	var mu sync.Mutex
	took := map[string]int{}
	tookOne := make(chan struct{}, 1000)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		time.Sleep(30 * time.Millisecond) // slow enough to be killed mid-way
		mu.Lock()
		took[string(b)]++
		mu.Unlock()
		select {
		case tookOne <- struct{}{}:
		default:
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer target.Close()
	bin := testutil.BuildSmarthook(t)
	dir := t.TempDir()
	args := []string{"--dir", filepath.Join(dir, "files"), "--forward", target.URL, "--forward-journal", filepath.Join(dir, "journal.ndjson")}
	cmd, url := startListen(t, bin, args...)
	bodies, _ := distinctBodies(300)
	var okMu sync.Mutex
	var acked []int
	if failed := blast(url, bodies, 8, func(i int) { okMu.Lock(); acked = append(acked, i); okMu.Unlock() }, nil); failed != 0 {
		t.Fatalf("%d posts failed before the kill", failed)
	}
	for range 30 { // some were forwarded, most not yet
		<-tookOne
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	mu.Lock()
	before := len(took)
	mu.Unlock()
	if before >= len(acked) {
		t.Skipf("all %d were forwarded before the kill: nothing left to test", before)
	}
	startListen(t, bin, args...)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(took)
		mu.Unlock()
		if n >= len(acked) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, i := range acked {
		if took[string(bodies[i])] == 0 {
			t.Fatalf("hook %d was answered 204 but never forwarded (%d of %d delivered, %d before the kill)", i, len(took), len(acked), before)
		}
	}
	t.Logf("%d hooks: %d delivered before the kill, all %d after the restart", len(acked), before, len(took))
}
