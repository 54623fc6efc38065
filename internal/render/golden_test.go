package render

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
	"github.com/smarthook/smarthook/internal/testutil"
)

// golden compares got with the file testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", "golden", name), got)
}

// input reads a test document from this package's testdata, except doc-example.json:
// the example from Smartsupp's docs, which the repository keeps in testdata/samples.
func input(t testing.TB, name string) []byte {
	t.Helper()
	path := filepath.Join("testdata", name)
	if name == "doc-example.json" {
		path = filepath.Join("..", "..", "testdata", "samples", name)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// decode decodes a test document, failing the test on any error finding.
func decode(t testing.TB, raw []byte) *payload.Doc {
	t.Helper()
	var dec payload.Decoder
	doc, fs := dec.Decode(raw)
	for _, f := range fs {
		if f.Severity == rules.Error {
			t.Fatalf("test document has an error: %s", f.Message)
		}
	}
	return doc
}
