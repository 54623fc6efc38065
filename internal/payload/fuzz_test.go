package payload

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/rules"
)

// FuzzDecode checks that Decode never panics, that its findings are of known rules and
// point inside the document, and that its idea of syntax agrees with jsontext.Valid
// and, for valid UTF-8 without a byte-order mark, with encoding/json.
func FuzzDecode(f *testing.F) {
	ex, err := os.ReadFile("testdata/doc-example.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ex)
	f.Add(append([]byte("\uFEFF"), ex...))
	f.Add(ex[:len(ex)/2])
	f.Add(bytes.Replace(ex, []byte(`"rating": 5`), []byte(`"rating": "5"`), 1))
	f.Add(bytes.Replace(ex, []byte(`null`+"\n}]"), []byte(`null,`+"\n}]"), 1))
	for _, k := range []fake.Kind{fake.KindHook, fake.KindWebhook, fake.KindStats} {
		g := fake.New(fake.Options{Seed: 1, Kind: k})
		for i := range 3 {
			f.Add(g.Append(nil, i))
		}
	}
	// Every webhook shape of the golden samples.
	samples, _ := filepath.Glob("testdata/webhooks/*.json")
	for _, name := range samples {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", " ", "\uFEFF", "\xef\xbb", "{}", "[]", "null", `"\u0000"`, `{"a":1,}`, `[1,]`, `{"domains":{"a/b":{"visits":"1"}}}`,
		`{"type":"event_callback","event":"x","timestamp":"2024-01-01T00:00:00Z","data":{}}`,
		`{"accountId":1,"channel":{"id":1},"messages":[{"type":"system","content":"close.x","sentAt":1}]}`,
		`{"accountId":01}`, `{"a":"\ud800"}`, "{\"a\":\"\xff\"}", `[[[[[[[[[[`, `{"messages":[{},{},{"content":tru}]}`,
		"{}\n{}", `1e999`, `-`, `{"a":1} x`,
	} {
		f.Add([]byte(s))
	}
	var d Decoder
	f.Fuzz(func(t *testing.T, raw []byte) {
		doc, fs := d.Decode(raw)
		if doc == nil {
			t.Fatal("nil document")
		}
		syntax := 0
		for i, fd := range fs {
			if !knownRule(fd.Rule) {
				t.Errorf("finding %+v: rule not in the catalog", fd)
			}
			if fd.Offset < 0 || fd.Offset > len(raw) {
				t.Errorf("finding %+v: offset outside [0, %d]", fd, len(raw))
			}
			if i > 0 && fs[i-1].Offset > fd.Offset {
				t.Errorf("findings not sorted: %+v before %+v", fs[i-1], fd)
			}
			if fd.Rule == rules.Syntax {
				syntax++
			}
		}
		body := raw
		bom := bytes.HasPrefix(raw, []byte("\uFEFF"))
		if bom {
			body = raw[3:]
		}
		valid := jsontext.Valid(body)
		switch {
		case valid == nil && syntax != 0:
			t.Errorf("jsontext.Valid accepts the document but Decode reports %+v", fs)
		case valid != nil && syntax != 1:
			t.Errorf("jsontext.Valid says %v but Decode reports %d syntax findings: %+v", valid, syntax, fs)
		}
		if valid != nil && doc.Kind != KindUnknown {
			t.Errorf("kind %v for a document that is not JSON", doc.Kind)
		}
		// encoding/json takes invalid UTF-8 and compares with its own depth limit; a BOM it
		// rejects and we accept with a warning, hence the body without it.
		if !bom && utf8.Valid(raw) && maxDepth(raw) <= jsontext.MaxDepth {
			if std := json.Valid(raw); std != (jsontext.Valid(raw) == nil) {
				t.Errorf("encoding/json.Valid = %v, jsontext.Valid = %v", std, jsontext.Valid(raw))
			}
		}
	})
}

func knownRule(id rules.ID) bool {
	for _, r := range rules.Catalog {
		if r.ID == id {
			return true
		}
	}
	return false
}

// maxDepth is an upper bound of the nesting of data: brackets counted outside strings.
func maxDepth(data []byte) int {
	depth, most, in := 0, 0, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case !in && (c == '[' || c == '{'):
			depth++
			most = max(most, depth)
		case !in && (c == ']' || c == '}'):
			depth--
		}
	}
	return most
}
