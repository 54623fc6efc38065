package redact

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/smarthook/smarthook/internal/input"
)

func TestMirrorName(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		origin input.Origin
		want   string
	}{
		{input.Origin{Path: "hooks/2026/a.json"}, "hooks/2026/a.json"},
		{input.Origin{Path: "./hooks//a.json"}, "hooks/a.json"},
		{input.Origin{Path: "../elsewhere/a.ndjson"}, "elsewhere/a.ndjson"},
		{input.Origin{Path: "/var/data/a.json"}, "var/data/a.json"},
		{input.Origin{Path: filepath.Join(wd, "sub", "a.json")}, "sub/a.json"},
		{input.Origin{Path: "-"}, "stdin.ndjson"},
		{input.Origin{Path: "x.tar.gz", Member: "2026/01/a.json"}, "x.tar.gz/2026/01/a.json"},
		// Archive members cannot leave DIR, however they are named.
		{input.Origin{Path: "x.zip", Member: "../../../etc/cron.d/a.json"}, "x.zip/etc/cron.d/a.json"},
		{input.Origin{Path: "x.tar", Member: "/etc/passwd.json"}, "x.tar/etc/passwd.json"},
		{input.Origin{Path: "x.tar", Member: "a/../../b.json"}, "x.tar/b.json"},
	}
	for _, tt := range tests {
		got, err := mirrorName(tt.origin)
		if err != nil || got != filepath.FromSlash(tt.want) {
			t.Errorf("mirrorName(%+v) = %q, %v; want %q", tt.origin, got, err, tt.want)
		}
		if !filepath.IsLocal(got) {
			t.Errorf("mirrorName(%+v) = %q is not local", tt.origin, got)
		}
	}
	if _, err := mirrorName(input.Origin{Path: "/"}); err == nil {
		t.Error("a root path: want an error, there is no file name to make")
	}
}

func TestWholeFile(t *testing.T) {
	for name, want := range map[input.Origin]bool{
		{Path: "a.json"}: true, {Path: "a.JSON.gz"}: true, {Path: "a.ndjson"}: false, {Path: "-"}: false,
		{Path: "x.tar", Member: "m.json"}: true, {Path: "x.tar", Member: "m.jsonl"}: false, {Path: "dir.json.d/x.ndjson"}: false,
	} {
		if got := name.WholeFile(); got != want {
			t.Errorf("%+v.WholeFile() = %v, want %v", name, got, want)
		}
	}
}

func TestCheckOutDir(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "hooks")
	os.MkdirAll(filepath.Join(in, "sub"), 0o755)
	os.Symlink(in, filepath.Join(dir, "link"))
	for out, bad := range map[string]bool{
		in: true, filepath.Join(in, "clean"): true, filepath.Join(in, "sub"): true,
		filepath.Join(dir, "link", "x"): true, filepath.Join(dir, "clean"): false, dir + "/hooks2": false,
	} {
		err := CheckOutDir(out, []string{in, filepath.Join(dir, "file.json")})
		if (err != nil) != bad {
			t.Errorf("CheckOutDir(%s) = %v, want refused %v", out, err, bad)
		}
	}
}
