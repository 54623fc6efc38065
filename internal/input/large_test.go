package input

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFolderLargeFilesStream: a folder walk does not stat its .json files; one found
// larger than a batch when a worker reads it is still read as the reader reads a large
// file (in batches of its documents, every one noted and placed), in order with the
// small files around it, and every file is counted once.
func TestFolderLargeFilesStream(t *testing.T) {
	dir := t.TempDir()
	var several strings.Builder
	for i := range 40 {
		fmt.Fprintf(&several, "{\"n\":%d,\"pad\":\"%s\"}\n", i, strings.Repeat("x", 40))
	}
	files := map[string]string{
		"a-large.json": several.String(), // first of its batch
		"b.json":       `{"b":1}`,
		"c-large.json": several.String(),
		"d-large.json": "{\"one\":\"" + strings.Repeat("y", 3000) + "\"}", // one document
		"e.json":       "  {\"e\":1}\n",
		"f-large.json": several.String(), // last
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := Options{BlockSize: 1024, FilesPer: 4}
	var order []string
	docs, nfiles, batches := map[string]int{}, 0, map[string]int{}
	var notes []string
	err := Run(context.Background(), []string{dir}, opts,
		func() func(*Batch) int { return func(b *Batch) int { return len(b.Records) } },
		func(b *Batch, n int) error {
			nfiles += b.Files
			notes = append(notes, b.Notes...)
			seen := map[string]bool{}
			for _, r := range b.Records {
				if r.Err != nil {
					t.Errorf("%s: %v", r.Origin, r.Err)
					continue
				}
				name := filepath.Base(r.Origin.Path)
				if len(order) == 0 || order[len(order)-1] != name {
					order = append(order, name)
				}
				if name != "d-large.json" && strings.HasSuffix(name, "-large.json") {
					want := fmt.Sprintf("{\"n\":%d,", docs[name])
					if !strings.HasPrefix(string(r.Raw), want) || r.Origin.Line != docs[name]+1 || r.Origin.Col != 1 {
						t.Errorf("%s: document %q, want one starting %q at line %d", r.Origin, r.Raw, want, docs[name]+1)
					}
					if r.Several != (docs[name] == 1) {
						t.Errorf("%s: Several = %v", r.Origin, r.Several)
					}
				}
				docs[name]++
				if !seen[name] {
					seen[name] = true
					batches[name]++
				}
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, " "); got != "a-large.json b.json c-large.json d-large.json e.json f-large.json" {
		t.Errorf("files in the order %s", got)
	}
	if nfiles != len(files) {
		t.Errorf("%d files counted, want %d", nfiles, len(files))
	}
	for _, name := range []string{"a-large.json", "c-large.json", "f-large.json"} {
		if docs[name] != 40 {
			t.Errorf("%s: %d documents, want 40", name, docs[name])
		}
		if batches[name] < 2 {
			t.Errorf("%s came in %d batch: not read as a large file", name, batches[name])
		}
	}
	if docs["d-large.json"] != 1 || docs["b.json"] != 1 || docs["e.json"] != 1 {
		t.Errorf("documents %v", docs)
	}
	if len(notes) != 3 {
		t.Errorf("notes %q, want one per large file of several documents", notes)
	}
}

// TestFolderLargeFileStopsOnError: an emit error ends the reading of a large file
// found by a worker, as it ends the rest of the run.
func TestFolderLargeFileStopsOnError(t *testing.T) {
	dir := t.TempDir()
	var big strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&big, "{\"n\":%d}\n", i)
	}
	for _, name := range []string{"a.json", "b.json"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(big.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stop := fmt.Errorf("stop")
	emitted := 0
	err := Run(context.Background(), []string{dir}, Options{BlockSize: 512},
		func() func(*Batch) int { return func(*Batch) int { return 0 } },
		func(b *Batch, _ int) error {
			emitted++
			if emitted == 3 {
				return stop
			}
			return nil
		})
	if err != stop {
		t.Fatalf("Run returned %v, want the emit error", err)
	}
	if emitted != 3 {
		t.Errorf("%d batches emitted, want 3: emit goes on after its error", emitted)
	}
}

// TestFilesOfSeveralFoldersInOneBatch: files of a batch are read from the right folder
// however their folders alternate (a folder is kept open between files), and a missing
// one is reported in its place.
func TestFilesOfSeveralFoldersInOneBatch(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var paths []string
	for _, p := range []string{"a/1.json", "b/1.json", "b/2.json", "a/1.json", "top.json", "a/gone.json", "a/2.json", "a/b/1.json"} {
		paths = append(paths, p)
		if p == "a/gone.json" {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, fmt.Appendf(nil, `{"p":%q}`, p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths[5] = "./a/gone.json"
	recs := collect(t, paths, Options{})
	if len(recs) != len(paths) {
		t.Fatalf("%d records for %d paths", len(recs), len(paths))
	}
	for i, r := range recs {
		if r.Origin.Path != paths[i] {
			t.Errorf("record %d is %s, want %s", i, r.Origin.Path, paths[i])
		}
		if i == 5 {
			if !errors.Is(r.Err, fs.ErrNotExist) {
				t.Errorf("%s: error %v, want it missing", r.Origin.Path, r.Err)
			}
			continue
		}
		if want := fmt.Sprintf(`{"p":%q}`, strings.TrimPrefix(paths[i], "./")); r.Raw != want || r.Err != nil {
			t.Errorf("%s: read %q (%v), want %q", paths[i], r.Raw, r.Err, want)
		}
	}
}
