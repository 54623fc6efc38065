package input

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// got is a record copied out of its batch.
type got struct {
	Origin Origin
	Raw    string
	Err    error
}

// want is a record a test expects. Paths are relative to the test's directory.
type want struct {
	path, member string
	line, col    int
	off          int64
	raw          string // the document; a trailing "\r" of a CRLF line is not compared
	err          bool
}

// collect runs paths through Run and returns every record in the order emitted.
func collect(t *testing.T, paths []string, opts Options) []got {
	t.Helper()
	var out []got
	files := 0
	err := Run(context.Background(), paths, opts,
		func() func(*Batch) int { return func(b *Batch) int { return len(b.Records) } },
		func(b *Batch, n int) error {
			if n != len(b.Records) {
				t.Errorf("work saw %d records, emit %d", n, len(b.Records))
			}
			files += b.Files
			for _, r := range b.Records {
				out = append(out, got{r.Origin, string(r.Raw), r.Err})
			}
			return nil
		})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(out) > 0 && files == 0 {
		t.Errorf("no batch counted a file")
	}
	return out
}

// check compares records with wants; dir is stripped from the front of record paths.
func check(t *testing.T, dir string, gots []got, wants []want) {
	t.Helper()
	for i := 0; i < len(gots) || i < len(wants); i++ {
		if i >= len(gots) {
			t.Errorf("record %d missing, want %+v", i, wants[i])
			continue
		}
		g := gots[i]
		path := g.Origin.Path
		if dir != "" {
			if rel, err := filepath.Rel(dir, path); err == nil {
				path = filepath.ToSlash(rel)
			}
		}
		if i >= len(wants) {
			t.Errorf("extra record %d: %s %q %v", i, g.Origin, g.Raw, g.Err)
			continue
		}
		w := wants[i]
		if path != w.path || g.Origin.Member != w.member || g.Origin.Line != w.line || g.Origin.Col != w.col || g.Origin.Offset != w.off {
			t.Errorf("record %d: origin {%s %s %d:%d @%d}, want {%s %s %d:%d @%d}", i,
				path, g.Origin.Member, g.Origin.Line, g.Origin.Col, g.Origin.Offset, w.path, w.member, w.line, w.col, w.off)
		}
		if (g.Err != nil) != w.err {
			t.Errorf("record %d (%s): error %v, want error %v", i, w.path, g.Err, w.err)
		}
		if raw := strings.TrimSuffix(g.Raw, "\r"); !w.err && raw != w.raw {
			t.Errorf("record %d (%s:%d): raw %.80q, want %.80q", i, w.path, w.line, g.Raw, w.raw)
		}
		if w.err && g.Raw != "" {
			t.Errorf("record %d: error record with raw %q", i, g.Raw)
		}
	}
}

// writeFiles creates files (relative name → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func gzipped(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// member is a file inside a test archive.
type member struct{ name, content string }

func tarball(t *testing.T, members []member) string {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	if err := tw.WriteHeader(&tar.Header{Name: "m/", Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if err := tw.WriteHeader(&tar.Header{Name: m.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(m.content))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(m.content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func zipfile(t *testing.T, members []member) string {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	if _, err := zw.Create("m/"); err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		w, err := zw.Create(m.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(m.content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const (
	pretty  = "{\n  \"accountId\": 208,\n  \"name\": \"Dušan\"\n}\n"
	ndjson  = "{\"a\":1}\r\n\r\n  \n{\"b\":2}\r\n{\"c\":\"ž\"}"
	ndjson2 = "{\"x\":1}\n{\"y\":2}\n"
)

// ndjsonWants are the records of ndjson (CRLF, blank lines, no final newline) in file path.
func ndjsonWants(path, member string) []want {
	return []want{
		{path: path, member: member, line: 1, col: 1, off: 0, raw: `{"a":1}`},
		{path: path, member: member, line: 4, col: 1, off: 14, raw: `{"b":2}`},
		{path: path, member: member, line: 5, col: 1, off: 23, raw: `{"c":"ž"}`},
	}
}

func TestReadFiles(t *testing.T) {
	longLine := `{"long":"` + strings.Repeat("x", 300) + `"}`
	var lines strings.Builder
	var longWants []want
	off := int64(0)
	for i := range 12 {
		line := fmt.Sprintf(`{"n":%d}`, i)
		if i%4 == 2 {
			line = longLine[:len(longLine)-2] + fmt.Sprint(i) + `"}`
		}
		longWants = append(longWants, want{path: "long.ndjson", line: i + 1, col: 1, off: off, raw: line})
		lines.WriteString(line + "\n")
		off += int64(len(line) + 1)
	}
	tests := []struct {
		name  string
		files map[string]string
		paths []string
		opts  Options
		wants []want
	}{
		{"json file", map[string]string{"a.json": pretty}, []string{"a.json"}, Options{},
			[]want{{path: "a.json", line: 1, col: 1, raw: pretty}}},
		{"json with trailing data", map[string]string{"a.json": "{\"a\":1}\n{\"b\":2}\n"}, []string{"a.json"}, Options{},
			[]want{{path: "a.json", line: 1, col: 1, raw: "{\"a\":1}"}, {path: "a.json", line: 2, col: 1, off: 8, raw: "{\"b\":2}"}}},
		{"empty json file", map[string]string{"e.json": ""}, []string{"e.json"}, Options{},
			[]want{{path: "e.json", line: 1, col: 1, raw: ""}}},
		{"ndjson crlf blank lines no final newline", map[string]string{"a.ndjson": ndjson}, []string{"a.ndjson"}, Options{},
			ndjsonWants("a.ndjson", "")},
		{"jsonl", map[string]string{"a.jsonl": ndjson2}, []string{"a.jsonl"}, Options{},
			[]want{{path: "a.jsonl", line: 1, col: 1, raw: `{"x":1}`}, {path: "a.jsonl", line: 2, col: 1, off: 8, raw: `{"y":2}`}}},
		{"ndjson lines longer than the block", map[string]string{"long.ndjson": lines.String()}, []string{"long.ndjson"},
			Options{BlockSize: 64, FilesPer: 2}, longWants},
		{"ndjson gz", map[string]string{"a.ndjson.gz": gzipped(t, ndjson)}, []string{"a.ndjson.gz"}, Options{},
			ndjsonWants("a.ndjson.gz", "")},
		{"json gz", map[string]string{"a.json.gz": gzipped(t, pretty)}, []string{"a.json.gz"}, Options{},
			[]want{{path: "a.json.gz", line: 1, col: 1, raw: strings.TrimSpace(pretty)}}},
		{"many json files in small batches", map[string]string{"1.json": "{}", "2.json": "[]", "3.json": "1", "4.json": "2", "5.json": "3"},
			[]string{"1.json", "2.json", "3.json", "4.json", "5.json"}, Options{FilesPer: 2}, []want{
				{path: "1.json", line: 1, col: 1, raw: "{}"}, {path: "2.json", line: 1, col: 1, raw: "[]"},
				{path: "3.json", line: 1, col: 1, raw: "1"}, {path: "4.json", line: 1, col: 1, raw: "2"},
				{path: "5.json", line: 1, col: 1, raw: "3"}}},
		{"json and ndjson interleaved", map[string]string{"a.json": "{}", "b.ndjson": ndjson2, "c.json": "[]"},
			[]string{"a.json", "b.ndjson", "c.json", "a.json"}, Options{}, []want{
				{path: "a.json", line: 1, col: 1, raw: "{}"},
				{path: "b.ndjson", line: 1, col: 1, raw: `{"x":1}`}, {path: "b.ndjson", line: 2, col: 1, off: 8, raw: `{"y":2}`},
				{path: "c.json", line: 1, col: 1, raw: "[]"}, {path: "a.json", line: 1, col: 1, raw: "{}"}}},
		{"directory walk", map[string]string{
			"d/b.json": "{}", "d/a.ndjson": ndjson2, "d/notes.txt": "not json", "d/readme.md": "# x", "d/data.csv": "a,b",
			"d/sub/c.json": "[1]", "d/sub/z.jsonl": "{\"z\":1}\n", "d/x.json.gz": gzipped(t, "{\"gz\":1}"), "d/y.NDJSON": "{\"up\":1}\n",
		}, []string{"d"}, Options{}, []want{
			{path: "d/a.ndjson", line: 1, col: 1, raw: `{"x":1}`}, {path: "d/a.ndjson", line: 2, col: 1, off: 8, raw: `{"y":2}`},
			{path: "d/b.json", line: 1, col: 1, raw: "{}"},
			{path: "d/sub/c.json", line: 1, col: 1, raw: "[1]"},
			{path: "d/sub/z.jsonl", line: 1, col: 1, raw: `{"z":1}`},
			{path: "d/x.json.gz", line: 1, col: 1, raw: `{"gz":1}`},
			{path: "d/y.NDJSON", line: 1, col: 1, raw: `{"up":1}`}}},
		{"glob", map[string]string{"g/b.json": "2", "g/a.json": "1", "g/c.txt": "x", "g/d.ndjson": "3\n"}, []string{"g/*.json"}, Options{}, []want{
			{path: "g/a.json", line: 1, col: 1, raw: "1"}, {path: "g/b.json", line: 1, col: 1, raw: "2"}}},
		{"glob without match", map[string]string{"a.json": "1"}, []string{"nothing*.json", "a.json"}, Options{}, []want{
			{path: "nothing*.json", line: 1, col: 1, err: true}, {path: "a.json", line: 1, col: 1, raw: "1"}}},
		{"missing path in the middle", map[string]string{"a.json": "1", "b.ndjson": ndjson2}, []string{"a.json", "missing.json", "b.ndjson"}, Options{}, []want{
			{path: "a.json", line: 1, col: 1, raw: "1"},
			{path: "missing.json", line: 1, col: 1, err: true},
			{path: "b.ndjson", line: 1, col: 1, raw: `{"x":1}`}, {path: "b.ndjson", line: 2, col: 1, off: 8, raw: `{"y":2}`}}},
		{"missing ndjson after json files", map[string]string{"a.json": "1", "b.json": "2"}, []string{"a.json", "gone.ndjson", "b.json"}, Options{FilesPer: 8}, []want{
			{path: "a.json", line: 1, col: 1, raw: "1"},
			{path: "gone.ndjson", line: 1, col: 1, err: true},
			{path: "b.json", line: 1, col: 1, raw: "2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			paths := make([]string, len(tt.paths))
			for i, p := range tt.paths {
				paths[i] = filepath.Join(dir, filepath.FromSlash(p))
			}
			gots := collect(t, paths, tt.opts)
			check(t, dir, gots, tt.wants)
			checkRawAtOffset(t, dir, gots)
		})
	}
}

// checkRawAtOffset checks that each record of a plain (not compressed, not archived)
// file is the file's bytes at the record's offset.
func checkRawAtOffset(t *testing.T, dir string, gots []got) {
	t.Helper()
	for _, g := range gots {
		if g.Err != nil || g.Origin.Member != "" || strings.HasSuffix(g.Origin.Path, ".gz") {
			continue
		}
		data, err := os.ReadFile(g.Origin.Path)
		if err != nil {
			t.Fatal(err)
		}
		end := g.Origin.Offset + int64(len(g.Raw))
		if end > int64(len(data)) || string(data[g.Origin.Offset:end]) != g.Raw {
			t.Errorf("%s: raw %.40q is not the file's bytes at offset %d", g.Origin, g.Raw, g.Origin.Offset)
		}
	}
}

func TestReadMissingPathError(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	gots := collect(t, []string{missing}, Options{})
	if len(gots) != 1 {
		t.Fatalf("%d records, want 1", len(gots))
	}
	var re *ReadError
	if !errors.As(gots[0].Err, &re) || !re.Unopened || re.Path != missing {
		t.Fatalf("error %#v, want *ReadError{Path: %q, Unopened: true}", gots[0].Err, missing)
	}
	if !errors.Is(gots[0].Err, os.ErrNotExist) {
		t.Errorf("error %v does not wrap fs.ErrNotExist", gots[0].Err)
	}
	if !strings.Contains(re.Error(), missing) {
		t.Errorf("message %q does not name the path", re.Error())
	}
}

func TestReadArchives(t *testing.T) {
	members := []member{
		{"m/1.json", pretty},
		{"m/2.ndjson", ndjson},
		{"m/readme.txt", "not json"},
		{"m/3.jsonl", ndjson2},
		{"m/4.json.gz", gzipped(t, `{"gz":true}`)},
		{"m/5.json", "{\"trailing\":1} x"},
	}
	memberWants := func(path string) []want {
		ws := []want{{path: path, member: "m/1.json", line: 1, col: 1, raw: strings.TrimSpace(pretty)}}
		ws = append(ws, ndjsonWants(path, "m/2.ndjson")...)
		return append(ws,
			want{path: path, member: "m/3.jsonl", line: 1, col: 1, raw: `{"x":1}`},
			want{path: path, member: "m/3.jsonl", line: 2, col: 1, off: 8, raw: `{"y":2}`},
			want{path: path, member: "m/4.json.gz", line: 1, col: 1, raw: `{"gz":true}`},
			want{path: path, member: "m/5.json", line: 1, col: 1, raw: "{\"trailing\":1}"},
			want{path: path, member: "m/5.json", line: 1, col: 16, off: 15, raw: "x"},
		)
	}
	tests := []struct {
		name    string
		file    string
		content string
	}{
		{"tar", "a.tar", tarball(t, members)},
		{"tar.gz", "a.tar.gz", gzipped(t, tarball(t, members))},
		{"tgz", "a.tgz", gzipped(t, tarball(t, members))},
		{"zip", "a.zip", zipfile(t, members)},
	}
	for _, tt := range tests {
		for _, opts := range []Options{{}, {BlockSize: 16, FilesPer: 2}} {
			t.Run(fmt.Sprintf("%s/block%d", tt.name, opts.BlockSize), func(t *testing.T) {
				dir := t.TempDir()
				writeFiles(t, dir, map[string]string{tt.file: tt.content, "after.json": "{}"})
				gots := collect(t, []string{filepath.Join(dir, tt.file), filepath.Join(dir, "after.json")}, opts)
				wants := append(memberWants(tt.file), want{path: "after.json", line: 1, col: 1, raw: "{}"})
				check(t, dir, gots, wants)
				if len(gots) > 0 && gots[0].Origin.String() != filepath.Join(dir, tt.file)+":m/1.json:1:1" {
					t.Errorf("origin prints as %q", gots[0].Origin.String())
				}
			})
		}
	}
}

func TestReadBrokenArchive(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"bad.zip": "PK not a zip", "bad.tar.gz": "not gzip", "ok.json": "1"})
	gots := collect(t, []string{filepath.Join(dir, "bad.zip"), filepath.Join(dir, "bad.tar.gz"), filepath.Join(dir, "ok.json")}, Options{})
	check(t, dir, gots, []want{
		{path: "bad.zip", line: 1, col: 1, err: true},
		{path: "bad.tar.gz", line: 1, col: 1, err: true},
		{path: "ok.json", line: 1, col: 1, raw: "1"},
	})
	for _, g := range gots[:min(2, len(gots))] {
		var re *ReadError
		if !errors.As(g.Err, &re) || re.Unopened {
			t.Errorf("%s: error %#v, want a *ReadError that is not Unopened (the file opened)", g.Origin, g.Err)
		}
	}
}

func TestReadStdin(t *testing.T) {
	concat := "{\n  \"a\": 1\n}\n  {\"b\": [\n 2]}{\"c\":3}\n\n\t[\"z\"] \"s\" 4\n"
	concatUTF8 := strings.Replace(concat, `["z"]`, `["ž"]`, 1)
	broken := "{\n \"a\": 1\n}\n{\"b\": x, \"more\": 1}\n{\n \"c\": 3\n}\n[4]\n"
	truncated := "{\n \"a\": 1\n}\n{\"b\": [1, 2"
	longBroken := "{\n \"a\": 1\n}\n{\"b\": x, \"pad\": \"" + strings.Repeat("p", 200) + "\"}\n{\n \"c\": 3\n}\n"
	many := func(pad string) (string, []want) {
		var b strings.Builder
		var ws []want
		for i := range 40 {
			doc := fmt.Sprintf("{\n  \"n\": %d,\n  \"pad\": \"%s\"\n}", i, strings.Repeat(pad, i))
			ws = append(ws, want{path: "-", line: 1 + 4*i, col: 1, off: int64(b.Len()), raw: doc})
			b.WriteString(doc + "\n")
		}
		return b.String(), ws
	}
	manyASCII, manyASCIIWants := many("x")
	manyUTF8, manyUTF8Wants := many("·")
	concatWants := func(z string) []want {
		return []want{
			{path: "-", line: 1, col: 1, off: 0, raw: "{\n  \"a\": 1\n}"},
			{path: "-", line: 4, col: 3, off: 15, raw: "{\"b\": [\n 2]}"},
			{path: "-", line: 5, col: 5, off: 27, raw: "{\"c\":3}"},
			{path: "-", line: 7, col: 2, off: 37, raw: `["` + z + `"]`},
			{path: "-", line: 7, col: 8, off: int64(42 + len(z)), raw: "\"s\""},
			{path: "-", line: 7, col: 12, off: int64(46 + len(z)), raw: "4"},
		}
	}
	tests := []struct {
		name  string
		in    string
		opts  Options
		wants []want
	}{
		{name: "ndjson", in: ndjson, wants: ndjsonWants("-", "")},
		{name: "ndjson small blocks", in: ndjson + "\n" + strings.Repeat("{\"k\":\"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\"}\n", 2),
			opts: Options{BlockSize: 64, FilesPer: 2},
			wants: append(ndjsonWants("-", ""),
				want{path: "-", line: 6, col: 1, off: 34, raw: `{"k":"` + strings.Repeat("v", 69) + `"}`},
				want{path: "-", line: 7, col: 1, off: 112, raw: `{"k":"` + strings.Repeat("v", 69) + `"}`})},
		{name: "concatenated pretty documents", in: concat, wants: concatWants("z")},
		{name: "concatenated with multi-byte characters", in: concatUTF8, wants: concatWants("ž")},
		{name: "concatenated small blocks", in: manyASCII, opts: Options{BlockSize: 64, FilesPer: 2}, wants: manyASCIIWants},
		{name: "concatenated small blocks multi-byte", in: manyUTF8, opts: Options{BlockSize: 64, FilesPer: 2}, wants: manyUTF8Wants},
		{name: "broken document in the middle", in: broken, wants: []want{
			{path: "-", line: 1, col: 1, off: 0, raw: "{\n \"a\": 1\n}"},
			{path: "-", line: 4, col: 1, off: 12, raw: "{\"b\": x, \"more\": 1}"},
			{path: "-", line: 5, col: 1, off: 32, raw: "{\n \"c\": 3\n}"},
			{path: "-", line: 8, col: 1, off: 44, raw: "[4]"},
		}},
		{name: "broken document longer than the block", in: longBroken, opts: Options{BlockSize: 64}, wants: []want{
			{path: "-", line: 1, col: 1, off: 0, raw: "{\n \"a\": 1\n}"},
			{path: "-", line: 4, col: 1, off: 12, raw: strings.TrimSpace(longBroken[12:strings.LastIndex(longBroken, "{\n")])},
			{path: "-", line: 5, col: 1, off: int64(strings.LastIndex(longBroken, "{\n")), raw: "{\n \"c\": 3\n}"},
		}},
		{name: "truncated last document", in: truncated, wants: []want{
			{path: "-", line: 1, col: 1, off: 0, raw: "{\n \"a\": 1\n}"},
			{path: "-", line: 4, col: 1, off: 12, raw: "{\"b\": [1, 2"},
		}},
		{name: "ndjson with a bom", in: "\uFEFF{\"a\":1}\n{\"b\":2}\n", wants: []want{
			{path: "-", line: 1, col: 1, off: 0, raw: "\uFEFF{\"a\":1}"},
			{path: "-", line: 2, col: 1, off: 11, raw: `{"b":2}`},
		}},
		{name: "pretty document with a bom", in: "\uFEFF{\n \"a\": 1\n}\n{\n \"b\": 2\n}\n", wants: []want{
			{path: "-", line: 1, col: 1, off: 0, raw: "\uFEFF{\n \"a\": 1\n}"},
			{path: "-", line: 4, col: 1, off: 15, raw: "{\n \"b\": 2\n}"},
		}},
		{name: "empty", in: ""},
		{name: "white space only", in: " \n\n\t"},
	}
	for _, tt := range tests {
		for _, chunk := range []int{0, 1, 7, 50} {
			t.Run(fmt.Sprintf("%s/read%d", tt.name, chunk), func(t *testing.T) {
				paths := []string{"-"}
				if chunk%2 == 1 {
					paths = nil // stdin too
				}
				opts := tt.opts
				opts.Stdin = &chunked{tt.in, chunk}
				gots := collect(t, paths, opts)
				check(t, "", gots, tt.wants)
				for _, g := range gots {
					if g.Err == nil && !strings.HasPrefix(tt.in[g.Origin.Offset:], g.Raw) {
						t.Errorf("%s: raw %.40q is not the input at offset %d", g.Origin, g.Raw, g.Origin.Offset)
					}
				}
			})
		}
	}
}

// chunked hands out s at most n bytes a Read (all of it when n is 0), as a pipe does:
// splitting must not depend on how much each read returns.
type chunked struct {
	s string
	n int
}

func (c *chunked) Read(p []byte) (int, error) {
	if c.s == "" {
		return 0, io.EOF
	}
	if c.n > 0 && len(p) > c.n {
		p = p[:c.n]
	}
	k := copy(p, c.s)
	c.s = c.s[k:]
	return k, nil
}

// errReader returns data, then err.
type errReader struct {
	data string
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadStdinError(t *testing.T) {
	boom := errors.New("boom")
	for _, in := range []string{"{\"a\":1}\n{\"b\":2}\n", "{\n\"a\":1\n}\n"} {
		t.Run(strings.ReplaceAll(in, "\n", " "), func(t *testing.T) {
			gots := collect(t, []string{"-"}, Options{Stdin: &errReader{in, boom}})
			if len(gots) == 0 || !errors.Is(gots[len(gots)-1].Err, boom) {
				t.Fatalf("records %+v, want the read error last", gots)
			}
			for _, g := range gots[:len(gots)-1] {
				if g.Err != nil || g.Raw == "" {
					t.Errorf("record %s: raw %q, error %v", g.Origin, g.Raw, g.Err)
				}
			}
		})
	}
}

func TestOrigin(t *testing.T) {
	tests := []struct {
		name      string
		o         Origin
		raw       string
		off       int
		str       string
		line, col int
	}{
		{"file", Origin{Path: "a.json", Line: 1, Col: 1}, "{\n  \"x\": 1}", 7, "a.json:1:1", 2, 6},
		{"member", Origin{Path: "a.zip", Member: "m/1.json", Line: 1, Col: 1}, "{}", 1, "a.zip:m/1.json:1:1", 1, 2},
		{"ndjson line", Origin{Path: "a.ndjson", Line: 7, Col: 1}, `{"a":"ž","b":x}`, 13, "a.ndjson:7:1", 7, 13},
		{"stream mid line", Origin{Path: "-", Line: 3, Col: 5}, "{\"a\":\n1}", 3, "-:3:5", 3, 8},
		{"stream next line", Origin{Path: "-", Line: 3, Col: 5}, "{\"a\":\n 1}", 7, "-:3:5", 4, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := tt.o.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
			if line, col := tt.o.Position([]byte(tt.raw), tt.off); line != tt.line || col != tt.col {
				t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
			}
		})
	}
}

// lineOf returns the 1-based line number of the first record of a batch, -1 for none.
func lineOf(b *Batch) int {
	if len(b.Records) == 0 {
		return -1
	}
	return b.Records[0].Origin.Line
}

func TestProcessOrder(t *testing.T) {
	var in strings.Builder
	const n = 3000
	for i := range n {
		fmt.Fprintf(&in, "{\"n\":%d,\"pad\":\"%s\"}\n", i, strings.Repeat("x", i%50))
	}
	var newWorks atomic.Int32
	next := 1
	batches := 0
	err := Run(context.Background(), []string{"-"}, Options{Stdin: &chunked{in.String(), 100}, BlockSize: 128},
		func() func(*Batch) int {
			newWorks.Add(1)
			return func(b *Batch) int {
				// Uneven work so that workers finish out of order.
				for range (lineOf(b) * 7919) % 5 {
					runtime.Gosched()
				}
				return lineOf(b)
			}
		},
		func(b *Batch, first int) error {
			batches++
			if first != lineOf(b) {
				t.Fatalf("batch of line %d emitted with the result of line %d", lineOf(b), first)
			}
			for _, r := range b.Records {
				if r.Origin.Line != next {
					t.Fatalf("record of line %d emitted, want line %d", r.Origin.Line, next)
				}
				if want := fmt.Sprintf("{\"n\":%d,", next-1); !strings.HasPrefix(string(r.Raw), want) {
					t.Fatalf("line %d holds %.20q", next, r.Raw)
				}
				next++
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if next != n+1 {
		t.Errorf("%d records emitted, want %d", next-1, n)
	}
	if batches < 100 {
		t.Errorf("only %d batches: the test wants many small ones", batches)
	}
	if w := int(newWorks.Load()); w < 1 || w > runtime.GOMAXPROCS(0) {
		t.Errorf("newWork called %d times, want 1 to GOMAXPROCS", w)
	}
}

func TestProcessEmitErrorStops(t *testing.T) {
	var in strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&in, "{\"n\":%d}\n", i)
	}
	stop := errors.New("stop here")
	tests := []struct {
		name   string
		opts   Options
		paths  []string
		stopAt int
	}{
		{"first batch", Options{BlockSize: 64}, nil, 1},
		{"third batch", Options{BlockSize: 64}, nil, 3},
		{"one big batch", Options{}, []string{"-"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Stdin = &chunked{in.String(), 100}
			calls := 0
			err := Run(context.Background(), tt.paths, tt.opts,
				func() func(*Batch) int { return func(b *Batch) int { return len(b.Records) } },
				func(b *Batch, _ int) error {
					calls++
					if calls == tt.stopAt {
						return fmt.Errorf("emit: %w", stop)
					}
					if calls > tt.stopAt {
						t.Errorf("emit called again after it failed")
					}
					return nil
				})
			if !errors.Is(err, stop) {
				t.Errorf("Run returned %v, want the emit error", err)
			}
			if calls != tt.stopAt {
				t.Errorf("emit called %d times, want %d", calls, tt.stopAt)
			}
		})
	}
}

func TestProcessCancel(t *testing.T) {
	var in strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&in, "{\"n\":%d}\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	err := Run(ctx, nil, Options{Stdin: &chunked{in.String(), 50}, BlockSize: 64},
		func() func(*Batch) int { return func(b *Batch) int { return 0 } },
		func(*Batch, int) error {
			calls++
			if calls == 2 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v after cancel, want context.Canceled", err)
	}
}

func TestReadDirect(t *testing.T) {
	// Read without Process: batches must be loaded before use and come in order.
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.json": "1", "b.json": "2", "c.ndjson": "3\n4\n", "d.json": "5"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var raws []string
	for b := range Read(ctx, []string{filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json"), filepath.Join(dir, "c.ndjson"), filepath.Join(dir, "d.json")}, Options{}) {
		b.Load()
		for _, r := range b.Records {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			raws = append(raws, string(r.Raw))
		}
		b.Release()
	}
	if got := strings.Join(raws, ","); got != "1,2,3,4,5" {
		t.Errorf("records %s, want 1,2,3,4,5", got)
	}
}

func TestProcessDirect(t *testing.T) {
	// Batches made by hand, one record each, many more than there are workers.
	const n = 500
	batches := make(chan *Batch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		defer close(batches)
		for i := range n {
			b := newBatch()
			b.Files = 1
			b.Records = append(b.Records, Record{Origin: Origin{Path: "-", Line: i + 1, Col: 1}, Raw: fmt.Appendf(nil, "%d", i)})
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	next := 0
	err := Process(ctx, batches,
		func() func(*Batch) string {
			return func(b *Batch) string {
				for range len(b.Records[0].Raw) * 3 {
					runtime.Gosched()
				}
				return string(b.Records[0].Raw)
			}
		},
		func(b *Batch, s string) error {
			if want := fmt.Sprint(next); s != want || string(b.Records[0].Raw) != want {
				return fmt.Errorf("emitted %q (batch %q), want %s", s, b.Records[0].Raw, want)
			}
			next++
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if next != n {
		t.Errorf("%d batches emitted, want %d", next, n)
	}
}

// TestReadBatchSizeAfterHugeDocument: BlockSize is what a batch aims at, also after a
// huge document has grown a buffer that the batch pool then hands out again.
func TestReadBatchSizeAfterHugeDocument(t *testing.T) {
	const block = 4 << 10
	huge := `{"huge":"` + strings.Repeat("h", 4<<20) + "\"}\n"
	if err := Run(context.Background(), nil, Options{Stdin: strings.NewReader(huge), BlockSize: block},
		func() func(*Batch) int { return func(*Batch) int { return 0 } },
		func(*Batch, int) error { return nil }); err != nil {
		t.Fatal(err)
	}
	small := strings.Repeat("{\"a\":1}\n", 50000)
	most := 0
	err := Run(context.Background(), nil, Options{Stdin: strings.NewReader(small), BlockSize: block},
		func() func(*Batch) int {
			return func(b *Batch) int {
				size := 0
				for _, r := range b.Records {
					size += len(r.Raw) + 1
				}
				return size
			}
		},
		func(_ *Batch, size int) error { most = max(most, size); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if most > 2*block {
		t.Errorf("a batch of small lines holds %d bytes, BlockSize is %d", most, block)
	}
}
