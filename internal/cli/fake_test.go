package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/jsontext"
)

// sequentialFake is the reference: documents 0..n-1, one after another on one core.
func sequentialFake(g *fake.Generator, n int) []byte {
	var b []byte
	for i := range n {
		b = append(g.Append(b, i), '\n')
	}
	return b
}

// TestFakeSameBytesAnyCores checks that parallel generation writes exactly the
// sequential bytes for any number of workers and counts around the chunk size.
func TestFakeSameBytesAnyCores(t *testing.T) {
	for _, kind := range []fake.Kind{fake.KindHook, fake.KindWebhook, fake.KindStats} {
		g := fake.New(fake.Options{Seed: 42, Kind: kind})
		for _, n := range []int{0, 1, fakeChunk - 1, fakeChunk, fakeChunk + 1, 5*fakeChunk + 17} {
			want := sequentialFake(g, n)
			for _, workers := range []int{1, 2, 3, 8, 32} {
				var out bytes.Buffer
				if err := writeFakeNDJSON(context.Background(), g, n, &out, workers); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Bytes(), want) {
					t.Fatalf("%s n=%d workers=%d: output differs from sequential generation", kind, n, workers)
				}
			}
		}
	}
}

// TestFakeCommandGOMAXPROCS runs the command itself under different GOMAXPROCS.
func TestFakeCommandGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first []byte
	for _, procs := range []int{1, 4, 16} {
		runtime.GOMAXPROCS(procs)
		var out, errw bytes.Buffer
		err := runFake(context.Background(), &FakeOptions{IO: IO{Out: &out, Err: &errw}, Count: 2000, Seed: 5, Kind: "hook"})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = out.Bytes()
			if n := bytes.Count(first, []byte("\n")); n != 2000 {
				t.Fatalf("%d lines, want 2000", n)
			}
			continue
		}
		if !bytes.Equal(out.Bytes(), first) {
			t.Fatalf("GOMAXPROCS=%d gives other bytes", procs)
		}
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n--; w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestFakeStopsOnErrorAndInterrupt(t *testing.T) {
	g := fake.New(fake.Options{Seed: 1})
	err := writeFakeNDJSON(context.Background(), g, 200_000, &failingWriter{n: 3}, 4)
	if err == nil || err.Error() != "disk full" {
		t.Errorf("write error: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := writeFakeNDJSON(ctx, g, 200_000, io.Discard, 4); !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted: got %v", err)
	}
}

func TestFakeUsage(t *testing.T) {
	for _, opts := range []FakeOptions{
		{Count: 1, Kind: "chat"},
		{Count: -1, Kind: "hook"},
		{Count: 1, Kind: "hook", Pretty: true},
	} {
		opts.IO = IO{Out: io.Discard, Err: io.Discard}
		err := runFake(context.Background(), &opts)
		var ee *exitError
		if !errors.As(err, &ee) || ee.Code != ExitUsage {
			t.Errorf("%+v: got %v, want a usage error", opts, err)
		}
	}
}

// TestFakeOut writes files in parallel and checks names, contents and that nothing
// but final files is left; a second run into the same folder changes nothing.
func TestFakeOut(t *testing.T) {
	dir := t.TempDir()
	g := fake.New(fake.Options{Seed: 8})
	const n = 300
	var errw bytes.Buffer
	opts := &FakeOptions{IO: IO{Out: io.Discard, Err: &errw}, Count: n, Seed: 8, Kind: "hook", OutDir: dir}
	if err := runFake(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		name := filepath.Join(dir, g.Time(i).Format("2006/01/02"), g.Key(i)+".json")
		got, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(got, append(g.Append(nil, i), '\n')) {
			t.Fatalf("document %d: %s: %v", i, name, err)
		}
	}
	if files := countFiles(dir, ""); files != n {
		t.Errorf("%d files under the folder, want %d (temporary files left?)", files, n)
	}
	if !strings.Contains(errw.String(), "wrote 300 files under") {
		t.Errorf("stderr: %s", errw.String())
	}
	errw.Reset()
	opts.Pretty = true
	if err := runFake(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Errorf("second run: got %v", err)
	}
	first := filepath.Join(dir, g.Time(0).Format("2006/01/02"), g.Key(0)+".json")
	if b, _ := os.ReadFile(first); jsontext.Valid(b) != nil || bytes.HasPrefix(b, []byte("{\n")) {
		t.Errorf("an existing file changed: %.40q", b)
	}
	if files := countFiles(dir, ""); files != n {
		t.Errorf("%d files after the refused run, want %d", files, n)
	}
}
