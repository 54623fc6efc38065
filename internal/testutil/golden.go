// Package testutil is the test scaffolding the packages share: golden files rewritten
// with -update, and the smarthook binary built once for end-to-end tests.
package testutil

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files (and txtar scripts) from the actual output")

// Update reports whether the test run was asked to rewrite its golden files (-update).
func Update() bool { return *update }

// Golden compares got with the file at path, or with -update writes got there. A
// difference is reported at its first line.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gotLines := strings.SplitAfter(string(got), "\n")
	wantLines := strings.SplitAfter(string(want), "\n")
	for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Errorf("%s differs at line %d (go test -update rewrites it after checking the change):\ngot  %q\nwant %q\n--- got:\n%s\n--- want:\n%s", path, i+1, g, w, got, want)
			return
		}
	}
}
