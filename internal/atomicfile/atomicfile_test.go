package atomicfile

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a", "b.json")
	if err := WriteNew(name, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteNew(name, []byte("two")); !os.IsExist(err) {
		t.Errorf("second write: got %v, want an error wrapping fs.ErrExist", err)
	}
	// The name is taken between the start and the commit: the commit still refuses.
	f, err := Create(filepath.Join(dir, "c.json"))
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("late"))
	os.WriteFile(filepath.Join(dir, "c.json"), []byte("first"), 0o644)
	if err := f.Commit(); !os.IsExist(err) {
		t.Errorf("commit onto a new file: got %v", err)
	}
	u, _ := Start(name)
	u.Write([]byte("three"))
	got, err := u.CommitUnique()
	if err != nil || got != filepath.Join(dir, "a", "b-1.json") {
		t.Errorf("CommitUnique = %s, %v", got, err)
	}
	a, _ := Create(filepath.Join(dir, "d.json"))
	a.Write([]byte("gone"))
	a.Abort()
	want := map[string]string{"a/b.json": "one", "a/b-1.json": "three", "c.json": "first"}
	found := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			found[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	if len(found) != len(want) {
		t.Errorf("files: %v, want %v (temporary files left?)", found, want)
	}
	for k, v := range want {
		if found[k] != v {
			t.Errorf("%s = %q, want %q", k, found[k], v)
		}
	}
}

func TestReplace(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(name, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Replace(name)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("new"))
	if b, _ := os.ReadFile(name); string(b) != "old" {
		t.Errorf("before the commit the file holds %q, want the old content", b)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "new" {
		t.Errorf("after the commit the file holds %q, want %q", b, "new")
	}
	if info, _ := os.Stat(name); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
	// An aborted replacement leaves the old file and no temporary file.
	g, err := Replace(name)
	if err != nil {
		t.Fatal(err)
	}
	g.Write([]byte("partial"))
	g.Abort()
	if b, _ := os.ReadFile(name); string(b) != "new" {
		t.Errorf("after an abort the file holds %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want only the file", len(entries))
	}
	if _, err := Replace(filepath.Join(dir, "missing", "x.csv")); err == nil {
		t.Errorf("Replace in a missing folder: no error")
	}
}

// Replace refuses a target that is not a regular file: renaming over a device, FIFO
// or folder would destroy it.
func TestReplaceRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if f, err := Replace(sub); err == nil {
		f.Abort()
		t.Fatal("Replace of a folder: no error")
	}
	if info, err := os.Stat(sub); err != nil || !info.IsDir() {
		t.Fatalf("the folder is gone: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".sub.*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestSweepStale: the temporary file of a killed run (no process holds it, last
// written a while ago) is removed; the file of a live writer of the same name, a
// recent one and another name's are kept.
func TestSweepStale(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no advisory locks: SweepStale does nothing on Windows")
	}
	dir := t.TempDir()
	final := filepath.Join(dir, "out[1].db")
	old := time.Now().Add(-time.Hour)
	stale := filepath.Join(dir, ".out[1].db.123.tmp")
	recent := filepath.Join(dir, ".out[1].db.456.tmp")
	other := filepath.Join(dir, ".other.db.789.tmp")
	for _, name := range []string{stale, recent, other} {
		if err := os.WriteFile(name, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	live, err := Create(final)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Abort()
	for _, name := range []string{stale, other, live.TempName()} {
		if err := os.Chtimes(name, old, old); err != nil {
			t.Fatal(err)
		}
	}
	SweepStale(final)
	for name, want := range map[string]bool{stale: false, recent: true, other: true, live.TempName(): true} {
		if _, err := os.Lstat(name); (err == nil) != want {
			t.Errorf("%s: there %v, want %v", filepath.Base(name), err == nil, want)
		}
	}
}
