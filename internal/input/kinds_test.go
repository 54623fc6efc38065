package input

import (
	"os"
	"path/filepath"
	"testing"
)

func TestKindsOfNames(t *testing.T) {
	for _, tt := range []struct {
		name         string
		one, archive bool
	}{
		{"a.json", true, false}, {"A.JSON", true, false}, {"a.json.gz", true, false},
		{"a.ndjson", false, false}, {"a.jsonl.gz", false, false}, {"-", false, false},
		{"a.tar", false, true}, {"a.tar.gz", false, true}, {"a.TGZ", false, true}, {"a.zip", false, true},
	} {
		if got := OneDocument(tt.name); got != tt.one {
			t.Errorf("OneDocument(%q) = %v", tt.name, got)
		}
		if got := IsArchive(tt.name); got != tt.archive {
			t.Errorf("IsArchive(%q) = %v", tt.name, got)
		}
	}
	for _, tt := range []struct {
		o    Origin
		want bool
	}{
		{Origin{Path: "a.json"}, true},
		{Origin{Path: "a.ndjson"}, false},
		{Origin{Path: "a.tar", Member: "x/b.json"}, true},
		{Origin{Path: "a.zip", Member: "b.ndjson"}, false},
		{Origin{Path: "-"}, false},
	} {
		if got := tt.o.WholeFile(); got != tt.want {
			t.Errorf("%+v.WholeFile() = %v", tt.o, got)
		}
	}
}

func TestSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.json", "b.json", "c.zip"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	for _, tt := range []struct {
		paths []string
		want  bool
	}{
		{nil, false},
		{[]string{"-"}, false},
		{[]string{filepath.Join(dir, "a.json")}, false},
		{[]string{filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")}, true},
		{[]string{dir}, true},
		{[]string{filepath.Join(dir, "c.zip")}, true},
		{[]string{filepath.Join(dir, "*.json")}, true},
		{[]string{filepath.Join(dir, "a*.json")}, false},
	} {
		if got := SeveralFiles(tt.paths); got != tt.want {
			t.Errorf("SeveralFiles(%q) = %v, want %v", tt.paths, got, tt.want)
		}
	}
}

// TestFormatOfAnyCase: a file's kind is told by its suffix in any case.
func TestFormatOfAnyCase(t *testing.T) {
	for name, want := range map[string]struct {
		f  format
		gz bool
	}{
		"a.json": {formatJSON, false}, "A.JSON": {formatJSON, false}, "b.Json.GZ": {formatJSON, true},
		"c.NDJSON": {formatNDJSON, false}, "d.jsonl.gz": {formatNDJSON, true}, "e.TAR.GZ": {formatTarGz, false},
		"f.Tgz": {formatTarGz, false}, "g.tar": {formatTar, false}, "h.ZIP": {formatZip, false},
		"i.txt": {formatStream, false}, "j.gz": {formatStream, true}, "json": {formatStream, false},
		".json": {formatJSON, false}, "k.jſon": {formatStream, false},
	} {
		if f, gz := formatOf(name); f != want.f || gz != want.gz {
			t.Errorf("%s: format %v gz %v, want %v %v", name, f, gz, want.f, want.gz)
		}
	}
}
