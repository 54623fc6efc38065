package jsontext_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// suiteCase is one file of nst/JSONTestSuite's test_parsing folder.
type suiteCase struct {
	name string // file name: y_ must parse, n_ must be rejected, i_ is up to the parser
	data []byte
}

// loadSuite reads ../shared/testsuites/JSONTestSuite/test_parsing next to the repository
// root (the folder holding go.mod), skipping the test when it is absent.
func loadSuite(t *testing.T) []suiteCase {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the package: cannot find the repository root")
		}
		dir = parent
	}
	suite := filepath.Join(dir, "..", "shared", "testsuites", "JSONTestSuite", "test_parsing")
	entries, err := os.ReadDir(suite)
	if err != nil {
		t.Skipf("JSONTestSuite not available: %v", err)
	}
	var cases []suiteCase
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(suite, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, suiteCase{e.Name(), data})
	}
	if len(cases) < 100 {
		t.Fatalf("only %d files in %s", len(cases), suite)
	}
	return cases
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func TestJSONTestSuiteValid(t *testing.T) {
	for _, c := range loadSuite(t) {
		t.Run(c.name, func(t *testing.T) {
			err := jsontext.Valid(c.data) // an i_ file passes by not panicking here
			switch c.name[0] {
			case 'y':
				if err != nil {
					t.Errorf("rejected a valid document: %v", err)
				}
			case 'n':
				if err == nil {
					t.Errorf("accepted an invalid document: %.60q", c.data)
				}
			}
			if err != nil {
				se, ok := err.(*jsontext.SyntaxError)
				if !ok {
					t.Fatalf("error %v is a %T, want *jsontext.SyntaxError", err, err)
				}
				if se.Offset < 0 || se.Offset > len(c.data) {
					t.Errorf("offset %d outside [0, %d]", se.Offset, len(c.data))
				}
				// The slow path must cope with every broken document too.
				_ = jsontext.PointerAt(c.data, se.Offset)
			}
		})
	}
}

func TestJSONTestSuiteDecode(t *testing.T) {
	var d payload.Decoder
	for _, c := range loadSuite(t) {
		t.Run(c.name, func(t *testing.T) {
			_, findings := d.Decode(c.data)
			syntax := 0
			for _, f := range findings {
				if f.Rule == rules.Syntax {
					syntax++
				}
				if f.Offset < 0 || f.Offset > len(c.data) {
					t.Errorf("finding %+v: offset outside [0, %d]", f, len(c.data))
				}
			}
			if syntax > 1 {
				t.Errorf("%d syntax findings, want at most one: %+v", syntax, findings)
			}
			// A leading UTF-8 BOM is accepted with a warning; what follows must be JSON.
			bom := bytes.HasPrefix(c.data, utf8BOM)
			want := jsontext.Valid(c.data) != nil
			if bom {
				want = jsontext.Valid(c.data[len(utf8BOM):]) != nil
			}
			switch c.name[0] {
			case 'y':
				if syntax != 0 {
					t.Errorf("syntax finding for a valid document: %+v", findings)
				}
			case 'n':
				if syntax == 0 {
					t.Errorf("no syntax finding for an invalid document %.60q: %+v", c.data, findings)
				}
			}
			if (syntax == 1) != want {
				t.Errorf("syntax findings %d, but Valid (after any BOM) says broken=%v: %+v", syntax, want, findings)
			}
			if hasBOM := slices.ContainsFunc(findings, func(f rules.Finding) bool { return f.Rule == rules.BOM }); hasBOM != bom {
				t.Errorf("bom finding %v, document starts with a BOM %v", hasBOM, bom)
			}
		})
	}
}

// TestJSONTestSuiteBOM pins the designed handling of a byte-order mark: BOM then an
// object is that object with a warning; BOM then nothing is an empty, broken document.
func TestJSONTestSuiteBOM(t *testing.T) {
	byName := map[string][]byte{}
	for _, c := range loadSuite(t) {
		byName[c.name] = c.data
	}
	tests := []struct {
		file  string
		rules []rules.ID // in order
	}{
		{"n_structure_UTF8_BOM_no_data.json", []rules.ID{rules.BOM, rules.Syntax}},
		{"i_structure_UTF-8_BOM_empty_object.json", []rules.ID{rules.BOM, rules.Kind}},
		{"n_structure_incomplete_UTF8_BOM.json", []rules.ID{rules.Syntax}},
	}
	var d payload.Decoder
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, ok := byName[tt.file]
			if !ok {
				t.Skipf("%s not in the suite", tt.file)
			}
			doc, findings := d.Decode(data)
			var got []rules.ID
			for _, f := range findings {
				got = append(got, f.Rule)
			}
			if !slices.Equal(got, tt.rules) {
				t.Errorf("rules %v, want %v (%+v)", got, tt.rules, findings)
			}
			if doc.Kind != payload.KindUnknown {
				t.Errorf("kind %v, want unknown", doc.Kind)
			}
			if len(findings) > 0 && findings[0].Rule == rules.BOM && (findings[0].Severity != rules.Warning || findings[0].Offset != 0) {
				t.Errorf("bom finding %+v, want a warning at offset 0", findings[0])
			}
		})
	}
}
