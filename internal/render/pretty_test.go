package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// fixedColors is a colour scheme unlike the defaults, so the golden file shows that
// every kind of token takes its own colour.
var fixedColors = Colors{Null: "1;30", False: "31", True: "32", Number: "33", String: "34", Array: "35", Object: "36", Key: "1;37"}

var layouts = []struct {
	name string
	opts Options
}{
	{"indent2", Options{Indent: "  "}},
	{"indent4", Options{Indent: "    "}},
	{"tab", Options{Indent: "\t"}},
	{"compact", Options{Compact: true}},
	{"sortkeys", Options{Indent: "  ", SortKeys: true}},
	{"sortkeys-compact", Options{Compact: true, SortKeys: true}},
	{"color", Options{Indent: "  ", Colors: &fixedColors}},
	{"color-compact", Options{Compact: true, Colors: &DefaultColors}},
}

func TestPrettyGolden(t *testing.T) {
	for _, in := range []string{"doc-example.json", "numbers.json"} {
		raw := input(t, in)
		for _, l := range layouts {
			t.Run(in+"/"+l.name, func(t *testing.T) {
				got, err := NewFormatter(l.opts).Append(nil, raw)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, strings.TrimSuffix(in, ".json")+"."+l.name+".json", append(got, '\n'))
			})
		}
	}
}

// TestLiteralsKept checks what the golden files show: numbers and strings come out
// exactly as written, in every layout.
func TestLiteralsKept(t *testing.T) {
	raw := input(t, "numbers.json")
	literals := []string{`1.0`, `1e3`, `1E+3`, `-0`, `12345678901234567890`, `-12.50e-07`, `2e0`, `-0.0`,
		`"\u00e9"`, `"\/"`, `"tab\there \"quoted\" \\ back \ud83d\ude00 café"`, `"\u0061"`}
	for _, l := range layouts {
		if l.opts.Colors != nil {
			continue
		}
		got, err := NewFormatter(l.opts).Append(nil, raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, lit := range literals {
			if !bytes.Contains(got, []byte(lit)) {
				t.Errorf("%s: %s is missing from the output:\n%s", l.name, lit, got)
			}
		}
	}
}

func TestPrettyLayouts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opts Options
		want string
	}{
		{"scalar", ` 42 `, Options{Indent: "  "}, `42`},
		{"string", `"a\nb"`, Options{Indent: "  "}, `"a\nb"`},
		{"empty containers", `{ "a" : [ ] , "b" : { } }`, Options{Indent: "  "}, "{\n  \"a\": [],\n  \"b\": {}\n}"},
		{"compact", "{ \"a\" :\t[ 1 ,\r\n2 ] }", Options{Compact: true}, `{"a":[1,2]}`},
		{"no indent", `[1,[2]]`, Options{}, "[\n1,\n[\n2\n]\n]"},
		{"bom dropped", "\ufeff[1]", Options{Compact: true}, `[1]`},
		{"sort stable", `{"b":1,"a":2,"b":0,"a":1}`, Options{Compact: true, SortKeys: true}, `{"a":2,"a":1,"b":1,"b":0}`},
		{"sort decoded", `{"b":1,"\u0061":2,"A":3}`, Options{Compact: true, SortKeys: true}, `{"A":3,"\u0061":2,"b":1}`},
		{"sort nested", `[{"z":{"y":1,"x":[{"d":1,"c":2}]},"a":null}]`, Options{Compact: true, SortKeys: true}, `[{"a":null,"z":{"x":[{"c":2,"d":1}],"y":1}}]`},
		{"sort utf8", `{"é":1,"z":2,"Z":3}`, Options{Compact: true, SortKeys: true}, `{"Z":3,"z":2,"é":1}`},
		{"color scalars", `[null,true,false]`, Options{Compact: true, Colors: &fixedColors},
			"\x1b[35m[\x1b[0m\x1b[1;30mnull\x1b[0m\x1b[35m,\x1b[0m\x1b[32mtrue\x1b[0m\x1b[35m,\x1b[0m\x1b[31mfalse\x1b[0m\x1b[35m]\x1b[0m"},
		{"color key", `{"k":1}`, Options{Compact: true, Colors: &fixedColors},
			"\x1b[36m{\x1b[0m\x1b[1;37m\"k\"\x1b[0m\x1b[36m:\x1b[0m\x1b[33m1\x1b[0m\x1b[36m}\x1b[0m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewFormatter(tt.opts).Append([]byte("prefix:"), []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if want := "prefix:" + tt.want; string(got) != want {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}

func TestPrettyErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int
		msg    string
	}{
		{"empty", ``, 0, "unexpected end of input"},
		{"trailing comma", `{"a":1,}`, 6, "trailing comma"},
		{"truncated", `{"a":[1,2`, 9, "unexpected end of input"},
		{"after the end", `{} {}`, 3, "after the end of the document"},
		{"bad number", `[01]`, 1, "leading zero"},
		{"bad escape", `["\x"]`, 2, "invalid escape"},
		{"invalid utf8", "[\"\xff\"]", 2, "invalid UTF-8"},
		{"bom offset", "\ufeff[1,]", 5, "trailing comma"},
		{"sorted too", `{"b":{"a":tru}}`, 10, "invalid literal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, opts := range []Options{{Indent: "  "}, {Compact: true, SortKeys: true}} {
				f := NewFormatter(opts)
				got, err := f.Append([]byte("keep"), []byte(tt.in))
				var se *jsontext.SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want a *jsontext.SyntaxError", err)
				}
				if se.Offset != tt.offset || !strings.Contains(se.Msg, tt.msg) {
					t.Errorf("error %q at %d, want %q at %d", se.Msg, se.Offset, tt.msg, tt.offset)
				}
				if string(got) != "keep" {
					t.Errorf("dst = %q after an error, want it unchanged", got)
				}
				// The formatter is still usable after an error.
				if out, err := f.Append(nil, []byte(`{"ok":[true]}`)); err != nil || !json.Valid(out) {
					t.Errorf("after an error: %q, %v", out, err)
				}
			}
		})
	}
}

func TestPrettyDeep(t *testing.T) {
	deep := strings.Repeat("[", jsontext.MaxDepth) + strings.Repeat("]", jsontext.MaxDepth)
	out, err := NewFormatter(Options{Compact: true, SortKeys: true}).Append(nil, []byte(deep))
	if err != nil || string(out) != deep {
		t.Fatalf("nesting %d deep: err %v", jsontext.MaxDepth, err)
	}
	tooDeep := "[" + deep + "]"
	if _, err := NewFormatter(Options{Indent: " "}).Append(nil, []byte(tooDeep)); err == nil {
		t.Fatal("nesting deeper than MaxDepth was accepted")
	}
}
