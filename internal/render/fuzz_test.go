package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/jsontext"
)

// FuzzPretty: the formatter never panics, refuses exactly what the scanner refuses
// (with a *jsontext.SyntaxError inside the input), and for valid input writes valid
// JSON in every layout that compacts to the input's compact form.
func FuzzPretty(f *testing.F) {
	for _, seed := range []string{`{}`, `[]`, `""`, `0`, `-0.0e+1`, `{"a":[1,{"b":null}],"c":"\u00e9\/"}`,
		`{"b":1,"a":2,"b":3}`, "\ufeff[true,false]", `[1,]`, `{"a" 1}`, `"\ud800"`, "[\"\xff\"]", `[[[[[[`} {
		f.Add([]byte(seed))
	}
	g := fake.New(fake.Options{Seed: 7})
	for i := range 3 {
		f.Add(g.Append(nil, i))
	}
	pretty := NewFormatter(Options{Indent: "  ", SortKeys: false})
	sorted := NewFormatter(Options{Indent: "\t", SortKeys: true, Colors: &DefaultColors})
	compact := NewFormatter(Options{Compact: true})
	f.Fuzz(func(t *testing.T, raw []byte) {
		body := bytes.TrimPrefix(raw, bom)
		validErr := jsontext.Valid(body)
		p, err := pretty.Append(nil, raw)
		if (err == nil) != (validErr == nil) {
			t.Fatalf("formatter error %v, scanner error %v", err, validErr)
		}
		if _, serr := sorted.Append(nil, raw); (serr == nil) != (err == nil) {
			t.Fatalf("sorted error %v, plain error %v", serr, err)
		}
		if err != nil {
			var se *jsontext.SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(raw) {
				t.Fatalf("error %#v is not a syntax error inside the input", err)
			}
			return
		}
		if !json.Valid(p) || jsontext.Valid(p) != nil {
			t.Fatalf("pretty output is not JSON: %q", p)
		}
		c1, err1 := compact.Append(nil, p)
		c2, err2 := compact.Append(nil, raw)
		if err1 != nil || err2 != nil || !bytes.Equal(c1, c2) {
			t.Fatalf("compact(pretty(x)) = %q, compact(x) = %q (%v, %v)", c1, c2, err1, err2)
		}
	})
}
