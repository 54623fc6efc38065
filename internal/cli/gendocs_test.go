package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// TestGeneratedDocsAreCurrent fails when the committed completions or man pages differ
// from what the commands generate: run `go run ./cmd/smarthook gendocs` and commit.
func TestGeneratedDocsAreCurrent(t *testing.T) {
	root := NewRootCmd(IO{In: bytes.NewReader(nil), Out: io.Discard, Err: io.Discard})
	files, err := GenerateDocs(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 8 {
		t.Fatalf("only %d files generated", len(files))
	}
	repo := filepath.Join("..", "..")
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(repo, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is out of date: run `go run ./cmd/smarthook gendocs` and commit", name)
		}
	}
	for _, dir := range []string{"completions", filepath.Join("man", "man1")} {
		entries, err := os.ReadDir(filepath.Join(repo, dir))
		if err != nil {
			t.Fatal(err)
		}
		var stale []string
		for _, e := range entries {
			if _, ok := files[filepath.ToSlash(filepath.Join(dir, e.Name()))]; !ok {
				stale = append(stale, e.Name())
			}
		}
		sort.Strings(stale)
		if len(stale) > 0 {
			t.Errorf("%s holds files no command generates: %v", dir, stale)
		}
	}
}
