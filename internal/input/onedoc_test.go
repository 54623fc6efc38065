package input

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// oneDocumentByScan is what oneDocument must decide, told with the scans that find
// uses (a bracket count and a search for lines that begin a document).
func oneDocumentByScan(raw []byte) bool {
	i := 0
	for i < len(raw) && isSpace(raw[i]) {
		i++
	}
	if i == len(raw) || raw[i] != '{' {
		return false
	}
	d := newDepthScan(i)
	d.scan(raw)
	if d.end < 0 || nextDocumentLine(raw[:d.end], i) >= 0 {
		return false
	}
	return strings.TrimLeft(string(raw[d.end:]), " \t\r\n") == ""
}

func TestOneDocumentCases(t *testing.T) {
	cases := []struct {
		raw  string
		want bool
	}{
		{`{"a":1}`, true},
		{"  \n{\n  \"a\": [1, {\"b\": \"}\"}]\n}\n\n", true},
		{`{"a":"x\"}"}`, true},
		{`{"a":"x\\"}`, true},
		{`{"a":"x\\"}"}`, false}, // the string closes early: a stray quote follows
		{`{"a":1}{"b":2}`, false},
		{"{\"a\":1}\n{\"b\":2}\n", false},
		{"{\"a\":1,\n{\"b\":2}}", false}, // a line inside begins a document
		{"{\"a\":\"x\n[y\"}", false},     // also inside a string
		{"{\"a\":\"x\n y\"}", true},      // a raw newline alone is the decoder's to report
		{"{\"a\":[\n1,\n2\n]}", true},
		{`{"a":1`, false},
		{`{"a":1}]`, false},
		{`[{"a":1}]`, false},
		{"\ufeff{}", false},
		{"", false},
		{"   ", false},
		{`{}`, true},
		{`{]`, true}, // brackets are counted, not matched: the decoder reports it
		{`{"abcdefghijklmnopqrstuvwxyz":"abcdefghijklmnopqrstuvwxyz\\\\"}`, true},
	}
	for _, c := range cases {
		if got := oneDocument([]byte(c.raw)); got != c.want {
			t.Errorf("oneDocument(%q) = %v, want %v", c.raw, got, c.want)
		}
		if ref := oneDocumentByScan([]byte(c.raw)); ref != c.want {
			t.Errorf("the scans say %v for %q, the case says %v", ref, c.raw, c.want)
		}
	}
}

// TestOneDocumentAgreesWithTheScans checks the word-at-a-time check against the scans
// of find on inputs made of the bytes that matter, at every alignment.
func TestOneDocumentAgreesWithTheScans(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("{}[]\"\\\n \tab:,{}\"\"")
	n := 200000
	if testing.Short() {
		n = 20000
	}
	buf := make([]byte, 0, 128)
	for range n {
		buf = buf[:0]
		if rng.IntN(2) == 0 {
			buf = append(buf, '{')
		}
		for range rng.IntN(60) {
			buf = append(buf, alphabet[rng.IntN(len(alphabet))])
		}
		if rng.IntN(2) == 0 {
			buf = append(buf, '}')
		}
		for shift := range min(3, len(buf)+1) {
			raw := buf[shift:]
			if got, want := oneDocument(raw), oneDocumentByScan(raw); got != want {
				t.Fatalf("oneDocument(%q) = %v, the scans say %v", raw, got, want)
			}
		}
	}
}

// TestLateSeveralSplitsAsLoad: with Options.LateSeveral, work that splits a file before
// decoding it and again when it finds it broken (as validate does) gets the records and
// notes that Load gives without it.
func TestLateSeveralSplitsAsLoad(t *testing.T) {
	dir := t.TempDir()
	contents := []string{
		`{"a":1}`, "{\"a\":1}\n{\"b\":2}\n", `{"a":1}{"b":2}`, "{\"a\":1,\n{\"b\":2}\n", "  {\"a\":1}\n",
		"\ufeff{\"a\":1}\n{\"b\":2}", "[{\"a\":1},\n{\"b\":2}]", `"x"`, "", "{\"a\":[\n{\"x\":1}]}\n", `{"a":1} x`,
		"{\"a\":1}\n[1]\n2\n", "{\"a\":\"b}\"}\n", "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n",
	}
	var paths []string
	for i, c := range contents {
		p := filepath.Join(dir, fmt.Sprintf("%02d.json", i))
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	read := func(opts Options, late bool) (recs []string, notes []string) {
		for b := range Read(context.Background(), paths, opts) {
			b.Load()
			for i := 0; i < len(b.Records); i++ {
				if late && b.Split(i, false) {
					i--
					continue
				}
				if late && !json.Valid(b.Records[i].Raw) && b.Split(i, true) {
					i--
					continue
				}
				r := b.Records[i]
				// A whole file keeps its white space after the document; the split drops it.
				raw := strings.TrimRight(string(r.Raw), " \t\r\n")
				recs = append(recs, fmt.Sprintf("%s %q several=%v element=%d resume=%v err=%v", r.Origin, raw, r.Several, r.Element, r.Resume, r.Err))
			}
			notes = append(notes, b.Notes...)
			b.Release()
		}
		return recs, notes
	}
	for _, split := range []bool{false, true} {
		opts := Options{SplitArrays: split, FilesPer: 5}
		eager, eagerNotes := read(opts, false)
		opts.LateSeveral = true
		late, lateNotes := read(opts, true)
		if strings.Join(eager, "\n") != strings.Join(late, "\n") {
			t.Errorf("split arrays %v: records differ:\nLoad:\n%s\nlate:\n%s", split, strings.Join(eager, "\n"), strings.Join(late, "\n"))
		}
		if strings.Join(eagerNotes, "\n") != strings.Join(lateNotes, "\n") {
			t.Errorf("split arrays %v: notes differ:\nLoad: %q\nlate: %q", split, eagerNotes, lateNotes)
		}
		if len(late) <= len(contents) {
			t.Errorf("split arrays %v: %d records: no file was split", split, len(late))
		}
	}
}
