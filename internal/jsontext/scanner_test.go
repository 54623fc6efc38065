package jsontext

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// syntaxError returns err as a *SyntaxError, failing the test when it is another error.
func syntaxError(t *testing.T, err error) *SyntaxError {
	t.Helper()
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
	}
	return se
}

func TestValid(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	tooDeep := strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)
	deepObj := strings.Repeat(`{"a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1)
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"object", `{"a":1,"b":[true,false,null],"c":{"d":"e"}}`, true},
		{"empty object", `{}`, true},
		{"empty array", `[]`, true},
		{"scalar number", `-0.5e+10`, true},
		{"scalar string", `"x"`, true},
		{"literals", `[true,false,null]`, true},
		{"surrounding space", " \t\r\n{} \n", true},
		{"zero", `0`, true},
		{"negative zero", `-0`, true},
		{"exponent upper", `1E5`, true},
		{"exponent minus", `1e-5`, true},
		{"all escapes", `"\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00"`, true},
		{"lone surrogate escape", `"\uD800"`, true},
		{"utf8 text", `"příliš žluťoučký 🐎"`, true},
		{"del byte", "\"\x7f\"", true},
		{"max depth", deep, true},
		{"pretty indentation", "{\n" + strings.Repeat(" ", 27) + "\"a\":\n\t\t" + strings.Repeat(" ", 16) + "[ 1 ,\r\n 2 ]\n" + strings.Repeat(" ", 9) + "}", true},

		{"leading zero", `01`, false},
		{"leading zero negative", `-01`, false},
		{"leading zero in array", `[00]`, false},
		{"trailing comma array", `[1,2,]`, false},
		{"trailing comma object", `{"a":1,}`, false},
		{"leading comma array", `[,1]`, false},
		{"comma only object", `{,}`, false},
		{"double comma", `[1,,2]`, false},
		{"missing comma", `[1 2]`, false},
		{"missing colon", `{"a" 1}`, false},
		{"unquoted key", `{a:1}`, false},
		{"single quotes", `'a'`, false},
		{"unterminated string", `"abc`, false},
		{"unterminated string in object", `{"a":"b}`, false},
		{"bad escape", `"\x41"`, false},
		{"bad unicode escape", `"\u12G4"`, false},
		{"short unicode escape", `"\u12"`, false},
		{"raw newline in string", "\"a\nb\"", false},
		{"raw tab in string", "\"a\tb\"", false},
		{"nul in string", "\"a\x00b\"", false},
		{"invalid utf8 byte", "\"a\xffb\"", false},
		{"truncated utf8", "\"\xc3\"", false},
		{"overlong utf8", "\"\xc0\xaf\"", false},
		{"utf8 surrogate", "\"\xed\xa0\x80\"", false},
		{"invalid utf8 outside string", "[\xff]", false},
		{"lone minus", `-`, false},
		{"minus then space", `- 1`, false},
		{"plus sign", `+1`, false},
		{"dot no fraction", `1.`, false},
		{"dot no fraction in array", `[1.]`, false},
		{"no integer part", `.5`, false},
		{"exponent no digits", `1e`, false},
		{"exponent sign only", `1e+`, false},
		{"hex", `0x10`, false},
		{"infinity", `Infinity`, false},
		{"nan", `NaN`, false},
		{"nesting too deep", tooDeep, false},
		{"object nesting too deep", deepObj, false},
		{"trailing data", `{} {}`, false},
		{"trailing garbage", `1 x`, false},
		{"trailing comma after doc", `{},`, false},
		{"empty", ``, false},
		{"whitespace only", " \n\t\r ", false},
		{"truncated literal", `tru`, false},
		{"bad literal", `nul1`, false},
		{"capital literal", `True`, false},
		{"unclosed array", `[1,2`, false},
		{"unclosed object", `{"a":1`, false},
		{"mismatched close", `[}`, false},
		{"comment", `{} // x`, false},
		{"bom", "\xef\xbb\xbf{}", false},
		{"vertical tab as space", "[1,\v2]", false},
		{"form feed as space", "\f{}", false},
		{"nul after indentation", "{" + strings.Repeat(" ", 12) + "\x00}", false},
		{"nbsp as space", "[1,\u00a02]", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Valid([]byte(tt.in))
			if tt.ok && err != nil {
				t.Fatalf("Valid(%.40q) = %v, want nil", tt.in, err)
			}
			if !tt.ok {
				if err == nil {
					t.Fatalf("Valid(%.40q) = nil, want a syntax error", tt.in)
				}
				se := syntaxError(t, err)
				if se.Offset < 0 || se.Offset > len(tt.in) {
					t.Errorf("offset %d outside [0, %d]", se.Offset, len(tt.in))
				}
			}
			// The standard library is the reference for what is JSON, except for
			// invalid UTF-8, which it accepts, and nesting: it allows 10000 levels.
			if utf8.ValidString(tt.in) && !strings.Contains(tt.in, strings.Repeat("[", MaxDepth+1)) &&
				!strings.Contains(tt.in, strings.Repeat(`{"a":`, MaxDepth+1)) {
				if std := json.Valid([]byte(tt.in)); std != tt.ok {
					t.Errorf("encoding/json.Valid = %v, table says %v", std, tt.ok)
				}
			}
		})
	}
}

func TestSyntaxErrorOffset(t *testing.T) {
	tests := []struct {
		name string
		in   string
		off  int // byte offset the error must name
		eof  bool
	}{
		{"trailing comma array", `[1,2,]`, 4, false},
		{"trailing comma object", `{"a":1 , }`, 7, false},
		{"leading zero", `[01]`, 1, false},
		{"missing comma", `[1 2]`, 3, false},
		{"bad escape", `{"k":"ab\q"}`, 8, false},
		{"control character", "{\"k\":\"ab\x01\"}", 8, false},
		{"invalid utf8", "[\"\xc3\xa9\xff\"]", 4, false},
		{"dot no fraction", `[1.]`, 3, false},
		{"exponent no digits", `[1e]`, 3, false},
		{"no integer part", `[.5]`, 1, false},
		{"trailing data", `{}  x`, 4, false},
		{"bad literal", `[trux]`, 1, false},
		{"unquoted key", `{ a:1}`, 2, false},
		{"missing colon", `{"a" 1}`, 5, false},
		{"deep", strings.Repeat("[", MaxDepth+1), MaxDepth, false},
		{"after long indentation", "{\n" + strings.Repeat(" ", 20) + "x}", 22, false},
		{"control char after indentation", "[" + strings.Repeat(" ", 9) + "\v1]", 10, false},
		{"truncated after indentation", "[1," + strings.Repeat(" ", 17), 20, true},
		{"empty", ``, 0, true},
		{"whitespace only", "  \n", 3, true},
		{"truncated array", `[1,2`, 4, true},
		{"truncated object after colon", `{"a": `, 6, true},
		{"truncated after comma", `{"a":1,`, 7, true},
		{"truncated string", `{"a":"bc`, 5, true},
		{"truncated literal", `[nul`, 1, true},
		{"lone minus", `-`, 1, true},
		{"dot at end", `1.`, 2, true},
		{"exponent at end", `1e`, 2, true},
		{"truncated escape", `"ab\`, 0, true},
		{"truncated unicode escape", `"\u00`, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			se := syntaxError(t, Valid([]byte(tt.in)))
			if se.Offset != tt.off {
				t.Errorf("offset = %d, want %d (%s)", se.Offset, tt.off, se.Msg)
			}
			if se.EOF != tt.eof {
				t.Errorf("EOF = %v, want %v (%s)", se.EOF, tt.eof, se.Msg)
			}
			if se.Msg == "" || !strings.Contains(se.Error(), strconv.Itoa(tt.off)) {
				t.Errorf("Error() = %q, want a message naming byte %d", se.Error(), tt.off)
			}
		})
	}
}

// TestSyntaxErrorEOF checks that EOF is set only when more data could complete the text.
func TestSyntaxErrorEOF(t *testing.T) {
	tests := []struct {
		name string
		in   string
		eof  bool
	}{
		{"truncated object", `{"accountId":208,"channel":{"id":`, true},
		{"truncated key", `{"acc`, true},
		{"truncated true", `[t`, true},
		{"truncated number exponent sign", `[1e-`, true},
		{"garbage value", `[x]`, false},
		{"garbage after key", `{"a"x`, false},
		{"trailing comma", `[1,]`, false},
		{"bad literal", `[nulx]`, false},
		{"leading zero at end", `01`, false},
		{"garbage after document", `{}}`, false},
		{"control char", "\"\x02", false},
		{"bad continuation byte", "\"\xc5x", false},
		{"lone continuation byte at end", "\"\xbe", false},
		{"closed short unicode escape", `"\u00"`, false},
		{"closed short unicode escape in array", `["\u1"]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			se := syntaxError(t, Valid([]byte(tt.in)))
			if se.EOF != tt.eof {
				t.Errorf("Valid(%q): EOF = %v, want %v (%v)", tt.in, se.EOF, tt.eof, se)
			}
		})
	}
}

// TestSyntaxErrorEOFInsideCharacter: data that ends inside a multi-byte UTF-8 character
// of a string is truncated, not invalid: the stream splitter of package input relies on
// EOF to wait for the rest of a document read in pieces.
func TestSyntaxErrorEOFInsideCharacter(t *testing.T) {
	tests := []struct{ name, in string }{
		{"two-byte character", "{\"name\":\"Du\xc5"},
		{"three-byte character", "[\"\xe2\x82"},
		{"four-byte character", "\"\xf0\x9f\x98"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			se := syntaxError(t, Valid([]byte(tt.in)))
			if !se.EOF {
				t.Errorf("Valid(%q): EOF = false, want true (%v)", tt.in, se)
			}
		})
	}
}

func TestScannerCatchKeepsOtherPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recovered %v, want the original panic", r)
		}
	}()
	func() {
		var err error
		defer Catch(&err)
		panic("boom")
	}()
	t.Error("the panic did not go on")
}

func TestScannerWalk(t *testing.T) {
	data := []byte(` {"a" : [1, "x\n", {"b": null}], "c": -2.5e3 } `)
	var err error
	var got []string
	func() {
		defer Catch(&err)
		s := Scanner{}
		s.Reset(data)
		s.BeginObject()
		first := true
		for s.More('}', &first) {
			key, esc := s.Key()
			k, raw := s.Value()
			got = append(got, Text(key, esc)+"="+k.String()+":"+string(raw))
		}
		s.End()
	}()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`a=array:[1, "x\n", {"b": null}]`, `c=number:-2.5e3`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		k    Kind
		want string
	}{
		{Invalid, "invalid"}, {Null, "null"}, {False, "boolean"}, {True, "boolean"},
		{Number, "number"}, {String, "string"}, {Object, "object"}, {Array, "array"}, {Kind(200), "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.want+strconv.Itoa(int(tt.k)), func(t *testing.T) {
			if got := tt.k.String(); got != tt.want {
				t.Errorf("Kind(%d).String() = %q, want %q", tt.k, got, tt.want)
			}
		})
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"-0", 0, true},
		{"7", 7, true},
		{"-7", -7, true},
		{"1427470439703", 1427470439703, true},
		{"999999999999999999", 999999999999999999, true},
		{"-999999999999999999", -999999999999999999, true},
		{"1000000000000000000", 1000000000000000000, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775809", 0, false},
		{"18446744073709551616", 0, false},
		{"99999999999999999999", 0, false},
		{"-99999999999999999999", 0, false},
		{"123456789012345678901234567890", 0, false},
		{"1.5", 0, false},
		{"1e3", 0, false},
		{"1.0", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"12a", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseInt([]byte(tt.in))
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("ParseInt(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseIntMatchesStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		n := int64(r.Uint64())
		if i%3 == 0 {
			n >>= r.IntN(63)
		}
		s := strconv.FormatInt(n, 10)
		got, ok := ParseInt([]byte(s))
		if !ok || got != n {
			t.Fatalf("ParseInt(%q) = %d, %v; want %d", s, got, ok, n)
		}
	}
}

func TestIsInteger(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"0", true}, {"-12", true}, {"1427470439703", true}, {"123456789012345678901234567890", true},
		{"1.0", false}, {"1e3", false}, {"1E3", false}, {"-0.5", false}, {"", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := IsInteger([]byte(tt.in)); got != tt.want {
				t.Errorf("IsInteger(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestAppendUnquoted(t *testing.T) {
	tests := []struct {
		name string
		raw  string // string content between the quotes, as in the document
		want string
	}{
		{"plain", `hello`, "hello"},
		{"empty", ``, ""},
		{"short escapes", `\"\\\/\b\f\n\r\t`, "\"\\/\b\f\n\r\t"},
		{"unicode bmp", `caf\u00e9 \u20AC`, "café €"},
		{"nul escape", `a\u0000b`, "a\x00b"},
		{"surrogate pair", `\uD83D\uDE00!`, "😀!"},
		{"surrogate pair lower hex", `\ud83d\ude00`, "😀"},
		{"lone high surrogate", `a\uD800b`, "a\uFFFDb"},
		{"lone low surrogate", `a\uDC00b`, "a\uFFFDb"},
		{"high then non surrogate", `\uD800\u0041`, "\uFFFDA"},
		{"high then high", `\uD800\uD800`, "\uFFFD\uFFFD"},
		{"low then high", `\uDC00\uD800`, "\uFFFD\uFFFD"},
		{"high at end", `x\uD83D`, "x\uFFFD"},
		{"utf8 kept", `žluťoučký 🐎`, "žluťoučký 🐎"},
		{"escape after text", `ab\ncd`, "ab\ncd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(AppendUnquoted([]byte("prefix:"), []byte(tt.raw)))
			if got != "prefix:"+tt.want {
				t.Errorf("AppendUnquoted(%q) = %q, want %q", tt.raw, got, "prefix:"+tt.want)
			}
			// encoding/json is the reference decoder.
			var std string
			if err := json.Unmarshal([]byte(`"`+tt.raw+`"`), &std); err != nil {
				t.Fatal(err)
			}
			if std != tt.want {
				t.Errorf("encoding/json decodes %q to %q, table says %q", tt.raw, std, tt.want)
			}
			if text := Text([]byte(tt.raw), strings.Contains(tt.raw, `\`)); text != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.raw, text, tt.want)
			}
		})
	}
}

// hostileStrings are strings that a JSON encoder gets wrong easily.
var hostileStrings = []string{
	"", "plain", `"quoted"`, `back\slash`, "/slash", "\x00", "\x01\x1f", "\b\f\n\r\t", "\x7f",
	"<script>&amp;</script>", "\u2028\u2029", "\ufeffbom", "\uFFFD", "😀", "\xff", "a\xffb", "\xc3",
	"\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\\u0041", "trailing\\", "mixed \x00 ž \xfe 😀 \"",
}

func TestAppendQuoteRoundTrip(t *testing.T) {
	inputs := append([]string(nil), hostileStrings...)
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			switch r.IntN(4) {
			case 0:
				b[i] = byte(r.IntN(0x20))
			case 1:
				b[i] = byte(0x80 + r.IntN(0x80))
			default:
				b[i] = byte(0x20 + r.IntN(0x60))
			}
		}
		inputs = append(inputs, string(b))
	}
	for i, s := range inputs {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			q := AppendQuote([]byte("x"), s)
			if q[0] != 'x' {
				t.Fatalf("prefix lost: %q", q)
			}
			q = q[1:]
			if err := Valid(q); err != nil {
				t.Fatalf("AppendQuote(%q) = %q: not valid JSON: %v", s, q, err)
			}
			var got string
			if err := json.Unmarshal(q, &got); err != nil {
				t.Fatalf("encoding/json cannot read AppendQuote(%q) = %q: %v", s, q, err)
			}
			// encoding/json replaces each invalid byte by U+FFFD, as AppendQuote must.
			std, _ := json.Marshal(s)
			var want string
			if err := json.Unmarshal(std, &want); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("AppendQuote(%q) = %q decodes to %q, want %q", s, q, got, want)
			}
			if utf8.ValidString(s) && got != s {
				t.Errorf("valid string %q changed to %q", s, got)
			}
			// Our own decoder reads it back the same way.
			if own := Text(q[1:len(q)-1], true); own != want {
				t.Errorf("Text(AppendQuote(%q)) = %q, want %q", s, own, want)
			}
		})
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("{\n  \"name\": \"Dušan 😀\",\n\t\"x\": 1\n}")
	tests := []struct {
		name      string
		off       int
		line, col int
	}{
		{"start", 0, 1, 1},
		{"after brace", 1, 1, 2},
		{"second line start", 2, 2, 1},
		{"key quote", 4, 2, 3},
		{"value quote", strings.Index(string(data), `"Dušan`), 2, 11},
		{"after š", strings.Index(string(data), "an 😀"), 2, 15},
		{"after emoji", strings.Index(string(data), "😀") + 4, 2, 19},
		{"tab line", strings.Index(string(data), `"x"`), 3, 2},
		{"last byte", len(data) - 1, 4, 1},
		{"end", len(data), 4, 2},
		{"beyond end clamps", len(data) + 10, 4, 2},
		{"negative clamps", -5, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, col := LineCol(data, tt.off)
			if line != tt.line || col != tt.col {
				t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
			}
		})
	}
}

func TestEscapePointerToken(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"}, {"a/b", "a~1b"}, {"a~b", "a~0b"}, {"~1", "~01"}, {"/~", "~1~0"}, {"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := EscapePointerToken(tt.in); got != tt.want {
				t.Errorf("EscapePointerToken(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPointerAtSyntaxError(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"deep in message content", `{"accountId":1,"messages":[{"content":"a"},{"content":"b"},{"type":"agent","content": tru }]}`, "/messages/2/content"},
		{"unterminated string in message", `{"messages":[{},{},{"content":"abc`, "/messages/2/content"},
		{"control char in visitor name", "{\"visitor\":{\"name\":\"a\x01b\"}}", "/visitor/name"},
		{"missing value at end", `{"channel":{"id":`, "/channel/id"},
		{"key with slash", `{"domains":{"a/b.cz":{"visits":01}}}`, "/domains/a~1b.cz/visits"},
		{"key with tilde", `{"domains":{"a~b":{"visits":-}}}`, "/domains/a~0b/visits"},
		{"escaped key", `{"a\/b~":[1,2,x]}`, "/a~1b~0/2"},
		{"array element", `[1,[2,3,[4,5,.5]]]`, "/1/2/2"},
		{"trailing comma in array", `{"paths":[{"url":"x"},]}`, "/paths"},
		{"trailing comma in object", `{"channel":{"id":1,}}`, "/channel"},
		{"bad key", `{"visitor":{"name":"x", 5:1}}`, "/visitor"},
		{"top level garbage", `x`, ""},
		{"data after document", `{"a":1} 2`, ""},
		{"empty key", `{"":{"x":[nul]}}`, "//x/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.in)
			se := syntaxError(t, Valid(data))
			if got := PointerAt(data, se.Offset); got != tt.want {
				t.Errorf("PointerAt(%q, %d) = %q, want %q (%s)", tt.in, se.Offset, got, tt.want, se.Msg)
			}
		})
	}
}

func TestPointerAtValue(t *testing.T) {
	data := []byte(`{"a": {"b/c": [10, {"d~": "x"}], "e": true}, "f": [ ]}`)
	at := func(sub string) int {
		t.Helper()
		i := strings.Index(string(data), sub)
		if i < 0 {
			t.Fatalf("%q not in data", sub)
		}
		return i
	}
	tests := []struct {
		name string
		off  int
		want string
	}{
		{"document start", 0, ""},
		{"object a", at(`{"b/c"`), "/a"},
		{"array element 0", at("10"), "/a/b~1c/0"},
		{"inside number", at("10") + 1, "/a/b~1c/0"},
		{"array element 1", at(`{"d~"`), "/a/b~1c/1"},
		{"string value", at(`"x"`), "/a/b~1c/1/d~0"},
		{"inside string value", at(`"x"`) + 1, "/a/b~1c/1/d~0"},
		{"true", at("true"), "/a/e"},
		{"empty array", at("[ ]") + 1, "/f"},
		{"last byte", len(data) - 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PointerAt(data, tt.off); got != tt.want {
				t.Errorf("PointerAt(%d) = %q, want %q", tt.off, got, tt.want)
			}
		})
	}
}

// TestStringSpecialByteAtEveryPosition puts each kind of byte that ends the fast path of
// Scanner.String at every position of strings up to 40 bytes, so that the word-at-a-time
// steps cannot miss one.
func TestStringSpecialByteAtEveryPosition(t *testing.T) {
	tests := []struct {
		name    string
		special string
		ok      bool
		errAt   int // offset of the error from the special byte
	}{
		{"control 0x01", "\x01", false, 0},
		{"control 0x1f", "\x1f", false, 0},
		{"nul", "\x00", false, 0},
		{"raw newline", "\n", false, 0},
		{"del", "\x7f", true, 0},
		{"space", " ", true, 0},
		{"tilde", "~", true, 0},
		{"escaped quote", `\"`, true, 0},
		{"escaped backslash", `\\`, true, 0},
		{"unicode escape", `\u00e9`, true, 0},
		{"bad escape", `\a`, false, 0},
		{"two-byte character", "é", true, 0},
		{"three-byte character", "€", true, 0},
		{"four-byte character", "😀", true, 0},
		{"invalid byte 0xff", "\xff", false, 0},
		{"continuation byte", "\x80", false, 0},
		{"byte 0xa2", "\xa2", false, 0},
		{"byte 0xdc", "\xdc", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for pos := range 40 {
				for tail := range 20 {
					s := `"` + strings.Repeat("a", pos) + tt.special + strings.Repeat("b", tail) + `"`
					err := Valid([]byte(s))
					if tt.ok && err != nil {
						t.Fatalf("Valid(%q) = %v", s, err)
					}
					if !tt.ok {
						if err == nil {
							t.Fatalf("Valid(%q) = nil, want an error", s)
						}
						if se := syntaxError(t, err); se.Offset != 1+pos+tt.errAt || se.EOF {
							t.Fatalf("Valid(%q): error at %d (EOF %v), want at %d: %v", s, se.Offset, se.EOF, 1+pos+tt.errAt, se)
						}
					}
					if tt.ok {
						var sc Scanner
						sc.Reset([]byte(s))
						var raw []byte
						func() {
							defer Catch(&err)
							raw, _ = sc.String()
						}()
						if err != nil || string(raw) != s[1:len(s)-1] || sc.Pos != len(s) {
							t.Fatalf("String() of %q = %q, pos %d, %v", s, raw, sc.Pos, err)
						}
					}
				}
			}
		})
	}
}

// TestPointerAtMemory: the slow path explains one error; a hostile document (deep
// nesting, long keys) must not make it allocate quadratically in the input's size.
func TestPointerAtMemory(t *testing.T) {
	const levels = MaxDepth
	data := []byte(strings.Repeat(`{"`+strings.Repeat("k", 100)+`":`, levels) + "x")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	p := PointerAt(data, len(data)-1)
	runtime.ReadMemStats(&after)
	if len(p) != levels*101 {
		t.Fatalf("pointer of %d bytes, want %d", len(p), levels*101)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 20*uint64(len(data)) {
		t.Errorf("PointerAt allocated %d bytes for a %d-byte document", alloc, len(data))
	}
}
