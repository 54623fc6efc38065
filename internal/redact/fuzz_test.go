package redact

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/jsontext"
)

// FuzzApply checks that Apply never panics; that for valid JSON it succeeds with valid
// JSON (for encoding/json too, when the input is) that is stable under a second Apply
// of the same input; and that for anything else it fails with a syntax error, leaving
// dst as it was.
func FuzzApply(f *testing.F) {
	for _, name := range []string{"doc-example.json", "stats.json", "broken/trailing-comma.json"} {
		if b, err := os.ReadFile("../../testdata/samples/" + name); err == nil {
			f.Add(b)
		}
	}
	for _, k := range []fake.Kind{fake.KindHook, fake.KindWebhook} {
		g := fake.New(fake.Options{Seed: 5, Kind: k})
		for i := range 4 {
			f.Add(g.Append(nil, i))
		}
	}
	for _, s := range []string{
		"", "{}", "[]", "\uFEFF{}", `{"visitor":{"name":"\ud800","email":"A@B","ipAddress":"1.2.3.4,,::1"}}`,
		`{"visitor":{"variables":{"x":{"value":-0.0e-0},"y":{"value":[{"z":1e308}]}}}}`,
		`{"messages":[{"content":"x","type":"visitor","type":"agent"}],"messages":[]}`,
		`{"data":{"message":{"content":{"text":"a"},"sub_type":"contact"},"conversation":{"contact":{"name":7}}}}`,
		`{"visitor":{"referer":"http://[::1]:80/a b","userAgent":"\u0000"}}`, `{"paths":["x",{"url":{"a":"b"}}]}`,
	} {
		f.Add([]byte(s))
	}
	r, err := New(Options{Key: testKey, Fields: AllFields()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		out, err := r.Apply([]byte("x"), doc)
		body := bytes.TrimPrefix(doc, bom)
		if jsontext.Valid(body) != nil {
			var se *jsontext.SyntaxError
			if err == nil || !errors.As(err, &se) || string(out) != "x" {
				t.Fatalf("invalid input: got %q, %v", out, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid input failed: %v", err)
		}
		got := bytes.TrimPrefix(out[1:], bom)
		if err := jsontext.Valid(got); err != nil {
			t.Fatalf("output is not JSON: %v\n%q", err, got)
		}
		if json.Valid(body) && !json.Valid(got) {
			t.Fatalf("encoding/json rejects the output: %q", got)
		}
		again, err := r.Apply(nil, doc)
		if err != nil || !bytes.Equal(again, out[1:]) {
			t.Fatalf("a second Apply differs: %q, %v", again, err)
		}
	})
}
