package redact

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// TestJSONTestSuite runs Apply over nst/JSONTestSuite (MIT), kept beside the
// repository in ../shared/testsuites: y_ documents come out as valid JSON, n_ ones are
// refused, i_ ones must not crash. Skipped when the folder is absent.
func TestJSONTestSuite(t *testing.T) {
	suite := filepath.Join("..", "..", "..", "shared", "testsuites", "JSONTestSuite", "test_parsing")
	entries, err := os.ReadDir(suite)
	if err != nil {
		t.Skipf("JSONTestSuite not available: %v", err)
	}
	r := mustNew(t, testKey, AllFields()...)
	checked := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(suite, name))
		if err != nil {
			t.Fatal(err)
		}
		out, err := r.Apply(nil, data) // an i_ file passes by not panicking here
		switch {
		case name[0] == 'y' && (err != nil || jsontext.Valid(out) != nil):
			t.Errorf("%s: %v", name, err)
		case name[0] == 'y' && string(out) != string(data):
			t.Errorf("%s: a document with no personal data changed", name)
		case name[0] == 'n' && err == nil:
			t.Errorf("%s: accepted an invalid document", name)
		}
		checked++
	}
	if checked < 100 {
		t.Fatalf("only %d files checked", checked)
	}
}
