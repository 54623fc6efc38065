package query

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// normalize turns what encoding/json decodes with UseNumber (as the gojq command does)
// into what Decoder must return: integers that fit in an int become int, every other
// number stays json.Number.
func normalize(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil && n >= math.MinInt && n <= math.MaxInt && string(v) != "-0" {
			return int(n)
		}
		return v
	case []any:
		for i := range v {
			v[i] = normalize(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = normalize(v[k])
		}
	}
	return v
}

func stdDecode(t testing.TB, text string) (any, error) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if rest := text[dec.InputOffset():]; strings.TrimLeft(rest, " \t\r\n") != "" {
		return nil, errors.New("trailing data")
	}
	return normalize(v), nil
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for _, text := range []string{
		`null`, `true`, `false`, `0`, `-1`, `42`, `"x"`, `""`, `[]`, `{}`,
		`1.0`, `-0`, `-0.0`, `0.5e-3`, `1E+2`, `1e400`, `-1e400`,
		`9223372036854775807`, `-9223372036854775808`, `9223372036854775808`,
		`-9223372036854775809`, `100000000000000000000000`, `1427470439703`,
		`"\u00e9\ud83d\ude00\n\t\"\\\/\b\f\r"`, `"\ud800"`, `"\udc00x"`, `"\ud800\u0041"`,
		`"žluťoučký kůň 🐴"`, `{"a":{"b":[1,{"c":null}]},"d":[[],{}]}`,
		`{"dup":1,"dup":2}`, `{"k\u00e9y":1,"":2}`,
		" \t\r\n{ \"a\" : [ 1 , 2 ] } \n",
	} {
		t.Run(text, func(t *testing.T) {
			want, err := stdDecode(t, text)
			if err != nil {
				t.Fatal(err)
			}
			got, err := NewDecoder().Decode([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %#v, want %#v", got, want)
			}
		})
	}
}

func TestDecodeNumbers(t *testing.T) {
	for text, want := range map[string]any{
		`1`:                    1,
		`-0`:                   json.Number("-0"), // printed as written by gojq
		`1.0`:                  json.Number("1.0"),
		`1e400`:                json.Number("1e400"),
		`1427470439703`:        1427470439703,
		`-9223372036854775808`: math.MinInt64,
		`9223372036854775808`:  json.Number("9223372036854775808"),
	} {
		got, err := NewDecoder().Decode([]byte(text))
		if err != nil || got != want {
			t.Errorf("%s: got %#v (%v), want %#v", text, got, err, want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		text string
		off  int
	}{
		{``, 0},
		{`{"a":1,}`, 6},
		{`[1,2`, 4},
		{`{"a":1} x`, 8},
		{`"\x"`, 1},
		{"\"a\xffb\"", 2},
		{`01`, 0},
		{`{"a" 1}`, 5},
		{"\xEF\xBB\xBF{,}", 4}, // the offset counts the byte-order mark
	} {
		_, err := NewDecoder().Decode([]byte(c.text))
		var se *jsontext.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want a syntax error", c.text, err)
			continue
		}
		if se.Offset != c.off {
			t.Errorf("%q: offset %d, want %d (%v)", c.text, se.Offset, c.off, err)
		}
	}
}

func TestDecodeSkipsByteOrderMark(t *testing.T) {
	got, err := NewDecoder().Decode([]byte("\xEF\xBB\xBF{\"a\":1}"))
	if err != nil || !reflect.DeepEqual(got, map[string]any{"a": 1}) {
		t.Fatalf("got %#v, %v", got, err)
	}
}

func TestDecodeProjection(t *testing.T) {
	d := NewDecoder()
	d.Project([]string{"a", "k\u00e9y"})
	got, err := d.Decode([]byte(`{"a":[1],"b":{"deep":[1,2,3]},"k\u00e9y":2,"c":"x"}`))
	if err != nil || !reflect.DeepEqual(got, map[string]any{"a": []any{1}, "kéy": 2}) {
		t.Fatalf("got %#v, %v", got, err)
	}
	// Left-out members are still checked.
	if _, err := d.Decode([]byte(`{"a":1,"b":[1,}`)); err == nil {
		t.Error("a broken member that is left out passed")
	}
	// Only a top-level object is projected.
	got, err = d.Decode([]byte(`[{"b":1}]`))
	if err != nil || !reflect.DeepEqual(got, []any{map[string]any{"b": 1}}) {
		t.Fatalf("array: got %#v, %v", got, err)
	}
	// An empty projection still gives an object.
	d.Project([]string{})
	got, err = d.Decode([]byte(`{"b":1}`))
	if err != nil || !reflect.DeepEqual(got, map[string]any{}) {
		t.Fatalf("empty projection: got %#v, %v", got, err)
	}
	d.Project(nil)
	got, _ = d.Decode([]byte(`{"b":1}`))
	if !reflect.DeepEqual(got, map[string]any{"b": 1}) {
		t.Fatalf("projection off: got %#v", got)
	}
}

// TestDecoderReuse checks that a decoder keeps no state from a document (also a
// broken one) into the next, and that values never share memory with the input.
func TestDecoderReuse(t *testing.T) {
	d := NewDecoder()
	if _, err := d.Decode([]byte(`{"a":[1,2,{"b":[3`)); err == nil {
		t.Fatal("want an error")
	}
	raw := []byte(`{"a":["x",{"b":"y"}]}`)
	got, err := d.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	copy(raw, bytes.Repeat([]byte{'#'}, len(raw)))
	want := map[string]any{"a": []any{"x", map[string]any{"b": "y"}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v", got)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5,-0,"x\u00e9"],"b":{"c":null}}`, `[1e400,true,false]`, `"\ud800"`, `{"a":1,}`, "\xEF\xBB\xBF1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := NewDecoder().Decode(data)
		text := string(bytes.TrimPrefix(data, bom))
		want, stdErr := stdDecode(t, text)
		if err == nil {
			if stdErr != nil {
				t.Fatalf("accepted %q, which encoding/json rejects: %v", data, stdErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: got %#v, want %#v", data, got, want)
			}
			return
		}
		var se *jsontext.SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%q: error of type %T: %v", data, err, err)
		}
		// Strict UTF-8 is the one thing rejected on purpose that encoding/json takes.
		if stdErr == nil && utf8.ValidString(text) {
			t.Fatalf("rejected %q, which encoding/json accepts: %v", data, err)
		}
	})
}
