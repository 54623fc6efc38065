package convert

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/smarthook/smarthook/internal/input"
)

// BenchmarkSQLite converts SMARTHOOK_BENCH_HOOKS (an NDJSON file of hooks) into a new
// database per iteration; skipped without it. bench/convert-sqlite.sh sets it.
func BenchmarkSQLite(b *testing.B) {
	file := os.Getenv("SMARTHOOK_BENCH_HOOKS")
	if file == "" {
		b.Skip("SMARTHOOK_BENCH_HOOKS names no NDJSON file of hooks")
	}
	f := Format{To: "sqlite", Time: "rfc3339"}
	for i := 0; b.Loop(); i++ {
		db := filepath.Join(b.TempDir(), "b.db")
		err := Run(context.Background(), Options{Paths: []string{file}, Input: input.Options{}, Rows: "chats",
			Format: f, Dest: db, Err: os.Stderr})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParquet converts SMARTHOOK_BENCH_HOOKS to a Parquet file of chats per
// iteration; skipped without it.
func BenchmarkParquet(b *testing.B) {
	file := os.Getenv("SMARTHOOK_BENCH_HOOKS")
	if file == "" {
		b.Skip("SMARTHOOK_BENCH_HOOKS names no NDJSON file of hooks")
	}
	f := Format{To: "parquet", Time: "rfc3339"}
	for b.Loop() {
		err := Run(context.Background(), Options{Paths: []string{file}, Rows: "chats",
			Format: f, Output: Writer(io.Discard), Err: os.Stderr})
		if err != nil {
			b.Fatal(err)
		}
	}
}
