package listen

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/objstore/s3test"
)

// TestListenS3VsDir posts the same hooks (2,000, or SMARTHOOK_BENCH_LISTEN_N) from 16
// clients to listen --dir on disk and --dir s3:// (the in-process S3 server on
// 127.0.0.1), and logs both rates in hooks/s and their ratio. bench/listen-s3.sh runs
// it; it only runs with SMARTHOOK_BENCH_LISTEN_S3=1.
func TestListenS3VsDir(t *testing.T) {
	if os.Getenv("SMARTHOOK_BENCH_LISTEN_S3") == "" {
		t.Skip("set SMARTHOOK_BENCH_LISTEN_S3=1 (bench/listen-s3.sh)")
	}
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("SMARTHOOK_BENCH_LISTEN_N")); err == nil && v > 0 {
		n = v
	}
	bodies := fakeBodies(n)
	srv := s3test.Start(t, "hooks")
	rate := func(opts Options) float64 {
		s := start(t, opts)
		begin := time.Now()
		postAll(t, s.url, bodies, 16)
		elapsed := time.Since(begin)
		s.stop()
		return float64(n) / elapsed.Seconds()
	}
	disk := rate(Options{Dir: t.TempDir()})
	obj := rate(Options{Dir: "s3://hooks/bench/", S3Endpoint: srv.URL})
	t.Logf("%d hooks, 16 clients: disk %.0f hooks/s, in-process S3 %.0f hooks/s (disk/S3 %.1f×)", n, disk, obj, disk/obj)
}
