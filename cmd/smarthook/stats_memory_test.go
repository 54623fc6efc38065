//go:build linux

package main

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/smarthook/smarthook/internal/testutil"
)

// TestStatsMemoryOnHostileInput runs `stats --by day` over ~220 MB of chats built to
// fill every sketch: 2,000 days of 300 chats whose times spread over eleven orders of
// magnitude, each with its own page. Peak memory must stay under 100 MB. It writes a
// big file, so it runs only with SMARTHOOK_STATS_HOSTILE=1.
func TestStatsMemoryOnHostileInput(t *testing.T) {
	if os.Getenv("SMARTHOOK_STATS_HOSTILE") == "" {
		t.Skip("set SMARTHOOK_STATS_HOSTILE=1 to run stats over a 220 MB hostile input")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "hostile.ndjson")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 1))
	wide := func() int64 { return int64(math.Pow(10, rng.Float64()*11)) }
	const base = 1577836800000
	for d := range 2000 {
		for j := range 300 {
			b := int64(base + d*86400000 + j*1000)
			id := d*300 + j
			fmt.Fprintf(w, `{"accountId":%d,"beginAt":%d,"endAt":%d,"channel":{"id":%d,"isChat":true,"duration":%d,"firstResponse":%d,"avgResponse":%d},`+
				`"messages":[{"type":"visitor","from":"visitor:x","content":"a","sentAt":%d},{"type":"agent","from":"agent:%d","content":"b","sentAt":%d}],`+
				`"paths":[{"url":"https://h%d.example/%d"}]}`+"\n", j, b, b+5000, id, wide(), wide(), wide(), b, id, b+wide(), id, j)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	bin := testutil.BuildSmarthook(t)
	for _, by := range []string{"day", "agent"} {
		cmd := exec.Command(bin, "stats", "--by", by, "--format", "json", path)
		cmd.Env = append(os.Environ(), "GOMEMLIMIT=")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("stats --by %s: %v\n%.2000s", by, err, out)
		}
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
		t.Logf("stats --by %s: peak RSS %d MB", by, rss>>10)
		if rss > 100<<10 {
			t.Errorf("stats --by %s: peak RSS %d MB, want under 100 MB", by, rss>>10)
		}
	}
}
