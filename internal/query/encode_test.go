package query

import (
	"math"
	"math/big"
	"strings"
	"testing"
)

// The expected texts below are what the gojq command (v0.12.19) prints for the same
// values: `gojq FLAGS . enc.json`.
const encInput = `{"b":[1,{"z":null,"a":true}],"a":"x\u007f\u0001\b\f\u2028 é \ud83d\ude00","c":[],"d":{},"e":[{}]}`

func TestEncoderMatchesGojq(t *testing.T) {
	for _, c := range []struct {
		name   string
		indent int
		tab    bool
		want   string
	}{
		{"compact", -1, false, `{"a":"x\u007f\u0001\b\f` + "\u2028" + ` é 😀","b":[1,{"a":true,"z":null}],"c":[],"d":{},"e":[{}]}`},
		{"indent 2", 2, false, "{\n  \"a\": \"x\\u007f\\u0001\\b\\f\u2028 é 😀\",\n  \"b\": [\n    1,\n    {\n      \"a\": true,\n      \"z\": null\n    }\n  ],\n  \"c\": [],\n  \"d\": {},\n  \"e\": [\n    {}\n  ]\n}"},
		{"tab", 1, true, "{\n\t\"a\": \"x\\u007f\\u0001\\b\\f\u2028 é 😀\",\n\t\"b\": [\n\t\t1,\n\t\t{\n\t\t\t\"a\": true,\n\t\t\t\"z\": null\n\t\t}\n\t],\n\t\"c\": [],\n\t\"d\": {},\n\t\"e\": [\n\t\t{}\n\t]\n}"},
		{"indent 0", 0, false, "{\n\"a\": \"x\\u007f\\u0001\\b\\f\u2028 é 😀\",\n\"b\": [\n1,\n{\n\"a\": true,\n\"z\": null\n}\n],\n\"c\": [],\n\"d\": {},\n\"e\": [\n{}\n]\n}"},
		{"indent 5", 5, false, "{\n     \"a\": \"x\\u007f\\u0001\\b\\f\u2028 é 😀\",\n     \"b\": [\n          1,\n          {\n               \"a\": true,\n               \"z\": null\n          }\n     ],\n     \"c\": [],\n     \"d\": {},\n     \"e\": [\n          {}\n     ]\n}"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := NewDecoder().Decode([]byte(encInput))
			if err != nil {
				t.Fatal(err)
			}
			got := string(NewEncoder(c.indent, c.tab, false).Append(nil, v))
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestEncoderNumbers(t *testing.T) {
	// gojq -n -c '[1e21*1, 1e-7*1, 0.1*1, 100.0*1, 1.5e300*1, -0.0*1, nan, infinite,
	// -infinite, 1e20*1, 123456789.123*1, 3.0*1, 1e-6*1, 5e-324*1,
	// 100000000000000000000000 + 1, 0.000001234*1]'
	big, _ := new(big.Int).SetString("100000000000000000000001", 10)
	v := []any{1e21, 1e-7, 0.1, 100.0, 1.5e300, math.Copysign(0, -1), math.NaN(), math.Inf(1),
		math.Inf(-1), 1e20, 123456789.123, 3.0, 1e-6, 5e-324, big, 0.000001234}
	want := `[1e+21,1e-7,0.1,100,1.5e+300,-0,null,1.7976931348623157e+308,-1.7976931348623157e+308,100000000000000000000,123456789.123,3,0.000001,5e-324,100000000000000000000001,0.000001234]`
	if got := string(NewEncoder(-1, false, false).Append(nil, v)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEncoderKeepsNumberText(t *testing.T) {
	in := `[1.0,-0,1e400,1E+2,0.1e-7,100000000000000000000000,-9223372036854775808]`
	v, err := NewDecoder().Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(NewEncoder(-1, false, false).Append(nil, v)); got != in {
		t.Errorf("got %s, want %s", got, in)
	}
}

func TestEncoderInvalidUTF8(t *testing.T) {
	got := string(NewEncoder(-1, false, false).Append(nil, map[string]any{"k\xff": "a\xc3b"}))
	if want := `{"k\ufffd":"a\ufffdb"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestEncoderColor(t *testing.T) {
	// gojq -C -c . col.json and gojq -C . col.json
	v, err := NewDecoder().Decode([]byte(`{"b":[1,{"z":null,"a":true,"f":false}],"a":"x","c":[],"d":{},"n":1.50}`))
	if err != nil {
		t.Fatal(err)
	}
	want := "{\x1b[34;1m\"a\"\x1b[0m:\x1b[32m\"x\"\x1b[0m,\x1b[34;1m\"b\"\x1b[0m:[\x1b[36m1\x1b[0m,{\x1b[34;1m\"a\"\x1b[0m:\x1b[33mtrue\x1b[0m,\x1b[34;1m\"f\"\x1b[0m:\x1b[33mfalse\x1b[0m,\x1b[34;1m\"z\"\x1b[0m:\x1b[90mnull\x1b[0m}],\x1b[34;1m\"c\"\x1b[0m:[],\x1b[34;1m\"d\"\x1b[0m:{},\x1b[34;1m\"n\"\x1b[0m:\x1b[36m1.50\x1b[0m}"
	if got := string(NewEncoder(-1, false, true).Append(nil, v)); got != want {
		t.Errorf("compact:\ngot  %q\nwant %q", got, want)
	}
	want = "{\n  \x1b[34;1m\"a\"\x1b[0m: \x1b[32m\"x\"\x1b[0m,\n  \x1b[34;1m\"b\"\x1b[0m: [\n    \x1b[36m1\x1b[0m,\n    {\n      \x1b[34;1m\"a\"\x1b[0m: \x1b[33mtrue\x1b[0m,\n      \x1b[34;1m\"f\"\x1b[0m: \x1b[33mfalse\x1b[0m,\n      \x1b[34;1m\"z\"\x1b[0m: \x1b[90mnull\x1b[0m\n    }\n  ],\n  \x1b[34;1m\"c\"\x1b[0m: [],\n  \x1b[34;1m\"d\"\x1b[0m: {},\n  \x1b[34;1m\"n\"\x1b[0m: \x1b[36m1.50\x1b[0m\n}"
	if got := string(NewEncoder(2, false, true).Append(nil, v)); got != want {
		t.Errorf("pretty:\ngot  %q\nwant %q", got, want)
	}
}

func TestEncoderDeepAndWide(t *testing.T) {
	// Nested objects share the encoder's member stack: each must see its own members.
	inner := map[string]any{}
	for _, k := range []string{"q", "w", "e", "r", "t", "y"} {
		inner[k] = map[string]any{"z": k, "a": []any{map[string]any{"m": 1, "b": 2}}}
	}
	got := string(NewEncoder(-1, false, false).Append(nil, map[string]any{"y": inner, "x": 1}))
	want := `{"x":1,"y":{"e":{"a":[{"b":2,"m":1}],"z":"e"},"q":{"a":[{"b":2,"m":1}],"z":"q"},"r":{"a":[{"b":2,"m":1}],"z":"r"},"t":{"a":[{"b":2,"m":1}],"z":"t"},"w":{"a":[{"b":2,"m":1}],"z":"w"},"y":{"a":[{"b":2,"m":1}],"z":"y"}}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	deep := any(1)
	for range 100 {
		deep = []any{deep}
	}
	if got := string(NewEncoder(-1, false, false).Append(nil, deep)); got != strings.Repeat("[", 100)+"1"+strings.Repeat("]", 100) {
		t.Errorf("deep: %s", got)
	}
}

func TestEncoderPanicsOnForeignTypes(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("an int64 was encoded; gojq values never hold one")
		}
	}()
	NewEncoder(-1, false, false).Append(nil, int64(1))
}
