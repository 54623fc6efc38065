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
	if errw.Len() != 0 {
		t.Errorf("stderr is not a terminal, yet it got %q", errw.String())
	}
	errw.Reset()
	opts.Pretty = true
	if err := runFake(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "nothing written") {
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
