package render

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/jsontext"
)

// compactOf is our compact form of raw.
func compactOf(t testing.TB, raw []byte) []byte {
	t.Helper()
	out, err := NewFormatter(Options{Compact: true}).Append(nil, raw)
	if err != nil {
		t.Fatalf("compact: %v", err)
	}
	return out
}

// TestRoundTripFake checks on 2000 generated documents of each kind that indenting
// loses nothing (compact(indent(doc)) == compact(doc)), that our compact form is
// encoding/json's byte for byte, and that sorting keys keeps every value.
func TestRoundTripFake(t *testing.T) {
	indent := NewFormatter(Options{Indent: "  "})
	tab := NewFormatter(Options{Indent: "\t"})
	compact := NewFormatter(Options{Compact: true})
	sorted := NewFormatter(Options{Compact: true, SortKeys: true})
	for _, kind := range []fake.Kind{fake.KindHook, fake.KindWebhook, fake.KindStats} {
		g := fake.New(fake.Options{Seed: 1, Kind: kind})
		var doc, c, p, c2, s []byte
		var std bytes.Buffer
		for i := range 2000 {
			doc = g.Append(doc[:0], i)
			var err error
			if c, err = compact.Append(c[:0], doc); err != nil {
				t.Fatalf("%s %d: %v", kind, i, err)
			}
			for _, f := range []*Formatter{indent, tab} {
				if p, err = f.Append(p[:0], doc); err != nil {
					t.Fatalf("%s %d: %v", kind, i, err)
				}
				if c2, err = compact.Append(c2[:0], p); err != nil || !bytes.Equal(c, c2) {
					t.Fatalf("%s %d: compact(indent(doc)) != compact(doc) (%v)\n%s\n%s", kind, i, err, c, c2)
				}
			}
			if !jsonRewrites(doc) {
				std.Reset()
				if err := json.Compact(&std, doc); err != nil || !bytes.Equal(std.Bytes(), c) {
					t.Fatalf("%s %d: encoding/json.Compact differs (%v)\nours %s\nstd  %s", kind, i, err, c, std.Bytes())
				}
			}
			if s, err = sorted.Append(s[:0], doc); err != nil {
				t.Fatalf("%s %d: %v", kind, i, err)
			}
			if i%10 == 0 {
				sameValue(t, doc, s)
				keysSorted(t, s)
			}
		}
	}
}

// jsonRewrites reports text that encoding/json.Compact would not copy as it is: it
// escapes U+2028 and U+2029 when asked to escape HTML, which Compact does not, but keep
// the guard so the test states its assumption.
func jsonRewrites(doc []byte) bool {
	return bytes.Contains(doc, []byte("\u2028")) || bytes.Contains(doc, []byte("\u2029"))
}

// sameValue checks that a and b decode to the same value (numbers kept as text).
func sameValue(t testing.TB, a, b []byte) {
	t.Helper()
	va, vb := decodeAny(t, a), decodeAny(t, b)
	if !reflect.DeepEqual(va, vb) {
		t.Fatalf("values differ:\n%s\n%s", a, b)
	}
}

func decodeAny(t testing.TB, raw []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return v
}

// keysSorted checks that the keys of every object of raw are in order.
func keysSorted(t testing.TB, raw []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	type level struct {
		object  bool
		wantKey bool
		last    string
		n       int
	}
	var stack []level
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if len(stack) > 0 {
					stack[len(stack)-1].wantKey = stack[len(stack)-1].object
				}
				stack = append(stack, level{object: d == '{', wantKey: d == '{'})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 {
					stack[len(stack)-1].wantKey = stack[len(stack)-1].object
				}
			}
			continue
		}
		if len(stack) == 0 {
			continue
		}
		top := &stack[len(stack)-1]
		if top.object && top.wantKey {
			k := tok.(string)
			if top.n > 0 && k < top.last {
				t.Fatalf("key %q after %q: not sorted in %s", k, top.last, raw)
			}
			top.last, top.n = k, top.n+1
			top.wantKey = false
		} else if top.object {
			top.wantKey = true
		}
	}
}

// suiteDir is the peer's JSON syntax suite (nst/JSONTestSuite), when present.
func suiteDir(t *testing.T) string {
	dir := filepath.Join("..", "..", "..", "shared", "testsuites", "JSONTestSuite", "test_parsing")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("JSONTestSuite not found at %s", dir)
	}
	return dir
}

// TestJSONTestSuite: every y_ file formats, and its pretty form is JSON that compacts
// to the same bytes; every n_ file is refused; no i_ file crashes.
func TestJSONTestSuite(t *testing.T) {
	dir := suiteDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no suite files in %s: %v", dir, err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		layouts := []Options{{Indent: "  "}, {Indent: "\t", SortKeys: true}}
		if !strings.HasPrefix(name, "y_") {
			// Indenting 100000 open brackets before refusing them writes gigabytes.
			layouts = []Options{{Compact: true}, {Compact: true, SortKeys: true}}
		}
		for _, opts := range layouts {
			pretty, err := NewFormatter(opts).Append(nil, raw)
			switch {
			case strings.HasPrefix(name, "y_"):
				if err != nil {
					t.Errorf("%s: refused: %v", name, err)
					continue
				}
				if verr := jsontext.Valid(pretty); verr != nil || !json.Valid(pretty) {
					t.Errorf("%s: pretty output does not parse (%v):\n%s", name, verr, pretty)
				}
				if !opts.SortKeys && !bytes.Equal(compactOf(t, pretty), compactOf(t, raw)) {
					t.Errorf("%s: compact(pretty(x)) != compact(x)", name)
				}
			case strings.HasPrefix(name, "n_"):
				if err == nil {
					t.Errorf("%s: accepted, gave %q", name, pretty)
				}
			}
		}
	}
}
