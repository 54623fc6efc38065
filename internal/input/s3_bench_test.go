package input_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
	. "github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/objstore/s3test"
)

// TestS3ReadVsDisk reads the same NDJSON (300 MB, or SMARTHOOK_BENCH_S3_MB) from disk and
// from the in-process S3 server and logs both rates and their ratio. bench/s3-read.sh
// runs it; it only runs with SMARTHOOK_BENCH_S3=1.
func TestS3ReadVsDisk(t *testing.T) {
	if os.Getenv("SMARTHOOK_BENCH_S3") == "" {
		t.Skip("set SMARTHOOK_BENCH_S3=1 (bench/s3-read.sh)")
	}
	mb := 300
	if v, err := strconv.Atoi(os.Getenv("SMARTHOOK_BENCH_S3_MB")); err == nil && v > 0 {
		mb = v
	}
	path := filepath.Join(t.TempDir(), "chats.ndjson")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	g := fake.New(fake.Options{Seed: 1})
	var buf []byte
	size := 0
	for i := 0; size < mb<<20; i++ {
		buf = append(g.Append(buf[:0], i), '\n')
		w.Write(buf)
		size += len(buf)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := s3test.Start(t, "bench")
	srv.Put(t, "bench", "chats.ndjson", data)
	data = nil
	read := func(p string) (int, time.Duration) {
		start := time.Now()
		docs := 0
		err := Run(context.Background(), []string{p}, Options{S3Endpoint: srv.URL},
			func() func(*Batch) int { return func(b *Batch) int { return len(b.Records) } },
			func(_ *Batch, n int) error { docs += n; return nil })
		if err != nil {
			t.Fatal(err)
		}
		return docs, time.Since(start)
	}
	diskDocs, disk := read(path)
	s3Docs, s3 := read("s3://bench/chats.ndjson")
	if diskDocs != s3Docs {
		t.Fatalf("disk read %d documents, s3 %d", diskDocs, s3Docs)
	}
	rate := func(d time.Duration) float64 { return float64(size) / (1 << 20) / d.Seconds() }
	t.Logf("%d MB, %d documents: disk %.2fs (%.0f MB/s), in-process S3 %.2fs (%.0f MB/s), S3/disk time ratio %.2f",
		size>>20, diskDocs, disk.Seconds(), rate(disk), s3.Seconds(), rate(s3), s3.Seconds()/disk.Seconds())
}
