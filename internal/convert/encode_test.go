package convert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// valueOf makes the Value a document would hold for the JSON text raw; "" is an absent
// member.
func valueOf(t testing.TB, raw string) payload.Value {
	t.Helper()
	if raw == "" {
		return payload.Value{}
	}
	var v payload.Value
	err := func() (err error) {
		defer jsontext.Catch(&err)
		s := jsontext.Scanner{Data: []byte(raw)}
		if s.Peek() == jsontext.String {
			content, esc := s.String()
			v = payload.Value{Kind: jsontext.String, Raw: content, Escaped: esc}
		} else {
			k, text := s.Value()
			v = payload.Value{Kind: k, Raw: text}
		}
		s.End()
		return nil
	}()
	if err != nil {
		t.Fatalf("valueOf(%q): %v", raw, err)
	}
	return v
}

// fixed is a column that always holds v.
func fixed(name string, v payload.Value) Column {
	return Column{Name: name, Get: func(*Row) payload.Value { return v }}
}

// checkedFormat returns f after Check, failing the test when Check refuses it.
func checkedFormat(t testing.TB, f Format) Format {
	t.Helper()
	if err := f.Check(); err != nil {
		t.Fatalf("Format%+v.Check: %v", f, err)
	}
	return f
}

// oneRow writes one row of cols (no header) with the format f.
func oneRow(t testing.TB, f Format, cols ...Column) string {
	t.Helper()
	return string(NewEncoder(cols, checkedFormat(t, f)).AppendRow(nil, &Row{}))
}

func TestCells(t *testing.T) {
	tests := []struct {
		name string
		raw  string // JSON text of the value; "" is absent
		csv  string // the cell in CSV
		tsv  string // the cell in TSV
	}{
		{"absent", "", "", ""},
		{"null", "null", "", ""},
		{"true", "true", "true", "true"},
		{"false", "false", "false", "false"},
		{"zero", "0", "0", "0"},
		{"negative", "-5", "-5", "-5"},
		{"trailing zero kept", "1.50", "1.50", "1.50"},
		{"exponent kept", "1e3", "1e3", "1e3"},
		{"signed exponent kept", "-2.5E+03", "-2.5E+03", "-2.5E+03"},
		{"negative zero kept", "-0.0", "-0.0", "-0.0"},
		{"beyond int64 kept", "123456789012345678901234567890", "123456789012345678901234567890", "123456789012345678901234567890"},
		{"beyond float64 precision kept", "0.10000000000000000000001", "0.10000000000000000000001", "0.10000000000000000000001"},
		{"plain text", `"Hello"`, "Hello", "Hello"},
		{"empty string", `""`, `""`, ""},
		{"comma", `"a, b"`, `"a, b"`, "a, b"},
		{"quotes", `"say \"hi\""`, `"say ""hi"""`, `say "hi"`},
		{"only a quote", `"\""`, `""""`, `"`},
		{"newline", `"a\nb"`, "\"a\nb\"", `a\nb`},
		{"CR LF", `"a\r\nb"`, "\"a\r\nb\"", `a\r\nb`},
		{"lone CR", `"a\rb"`, "\"a\rb\"", `a\rb`},
		{"tab", `"a\tb"`, "a\tb", `a\tb`},
		{"leading space", `" lead"`, `" lead"`, " lead"},
		{"trailing space", `"trail "`, `"trail "`, "trail "},
		{"inner space", `"in side"`, "in side", "in side"},
		{"backslash", `"C:\\temp"`, `C:\temp`, `C:\\temp`},
		{"backslash before t", `"\\t"`, `\t`, `\\t`},
		{"escapes decoded", `"\u00e9\u0041\/"`, "éA/", "éA/"},
		{"surrogate pair decoded", `"\ud83d\ude00"`, "😀", "😀"},
		{"raw UTF-8", `"佐藤 花子 👍"`, "佐藤 花子 👍", "佐藤 花子 👍"},
		{"NUL", `"a\u0000b"`, "a\x00b", "a\x00b"},
		{"semicolon not special", `"a;b"`, "a;b", "a;b"},
		{"object compact, order and literals kept", `{ "b" : [1, 2.50, "x y"] , "a":null }`,
			`"{""b"":[1,2.50,""x y""],""a"":null}"`, `{"b":[1,2.50,"x y"],"a":null}`},
		{"object without quotes", `{}`, `{}`, `{}`},
		{"array compact", `[ 1 , true , null ]`, `"[1,true,null]"`, `[1,true,null]`},
		{"array of a string with a comma", `["a,b"]`, `"[""a,b""]"`, `["a,b"]`},
		{"object string escapes kept", `{"t":"a\tb\n"}`, `"{""t"":""a\tb\n""}"`, `{"t":"a\\tb\\n"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols := []Column{fixed("l", valueOf(t, `"L"`)), fixed("v", valueOf(t, tt.raw)), fixed("r", valueOf(t, `"R"`))}
			if got, want := oneRow(t, Format{To: "csv", Time: "ms"}, cols...), "L,"+tt.csv+",R\n"; got != want {
				t.Errorf("CSV row = %q, want %q", got, want)
			}
			if got, want := oneRow(t, Format{To: "tsv", Time: "ms"}, cols...), "L\t"+tt.tsv+"\tR\n"; got != want {
				t.Errorf("TSV row = %q, want %q", got, want)
			}
		})
	}
}

// A row whose only cell is empty must not be an empty line: encoding/csv and DuckDB skip
// empty lines and Python's csv module reads them as a row without fields. Python's
// csv.writer writes such a row as "" for that reason.
func TestCSVSingleEmptyCell(t *testing.T) {
	for _, tt := range []struct{ name, raw string }{{"absent", ""}, {"null", "null"}, {"empty string", `""`}} {
		t.Run(tt.name, func(t *testing.T) {
			got := oneRow(t, Format{To: "csv", Time: "ms"}, fixed("visitor.note", valueOf(t, tt.raw)))
			if got != "\"\"\n" {
				t.Errorf("row = %q, want %q (an empty line is read as no row at all)", got, "\"\"\n")
			}
		})
	}
}

func TestHeader(t *testing.T) {
	cols := []Column{
		fixed("accountId", payload.Value{}),
		fixed(`visitor.variables.k,"q".value`, payload.Value{}),
		fixed("visitor.variables.a\tb.value", payload.Value{}),
		fixed("visitor.variables.=x.value", payload.Value{}),
	}
	tests := []struct {
		name string
		f    Format
		want string
	}{
		{"csv", Format{To: "csv", Time: "ms"}, "accountId,\"visitor.variables.k,\"\"q\"\".value\",visitor.variables.a\tb.value,visitor.variables.=x.value\n"},
		{"csv excel-safe leaves names alone", Format{To: "csv", Time: "ms", ExcelSafe: true}, "accountId,\"visitor.variables.k,\"\"q\"\".value\",visitor.variables.a\tb.value,visitor.variables.=x.value\n"},
		{"semicolon", Format{To: "csv", Time: "ms", Delimiter: ';'}, "accountId;\"visitor.variables.k,\"\"q\"\".value\";visitor.variables.a\tb.value;visitor.variables.=x.value\n"},
		{"tsv", Format{To: "tsv", Time: "ms"}, "accountId\tvisitor.variables.k,\"q\".value\tvisitor.variables.a\\tb.value\tvisitor.variables.=x.value\n"},
		{"ndjson has none", Format{To: "ndjson", Time: "ms"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(NewEncoder(cols, checkedFormat(t, tt.f)).AppendHeader(nil))
			if got != tt.want {
				t.Errorf("header = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDelimiter(t *testing.T) {
	cols := []Column{
		fixed("a", valueOf(t, `"x;y"`)),
		fixed("b", valueOf(t, `"x,y"`)),
		fixed("c", valueOf(t, `"x|y"`)),
		fixed("d", valueOf(t, "1.50")),
		fixed("e", valueOf(t, "null")),
		fixed("f", valueOf(t, `"a\"b"`)),
	}
	tests := []struct {
		delim byte
		want  string
	}{
		{0, "x;y,\"x,y\",x|y,1.50,,\"a\"\"b\"\n"},
		{',', "x;y,\"x,y\",x|y,1.50,,\"a\"\"b\"\n"},
		{';', "\"x;y\";x,y;x|y;1.50;;\"a\"\"b\"\n"},
		{'|', "x;y|x,y|\"x|y\"|1.50||\"a\"\"b\"\n"},
		{'\t', "x;y\tx,y\tx|y\t1.50\t\t\"a\"\"b\"\n"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.delim), func(t *testing.T) {
			if got := oneRow(t, Format{To: "csv", Time: "ms", Delimiter: tt.delim}, cols...); got != tt.want {
				t.Errorf("row = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("a tab inside a tab-separated CSV cell is quoted", func(t *testing.T) {
		got := oneRow(t, Format{To: "csv", Time: "ms", Delimiter: '\t'}, fixed("a", valueOf(t, `"p\tq"`)), fixed("b", valueOf(t, "1")))
		if want := "\"p\tq\"\t1\n"; got != want {
			t.Errorf("row = %q, want %q", got, want)
		}
	})
}

func TestFormatCheck(t *testing.T) {
	tests := []struct {
		name string
		f    Format
		ok   bool
	}{
		{"csv", Format{To: "csv", Time: "rfc3339"}, true},
		{"tsv", Format{To: "tsv", Time: "ms"}, true},
		{"ndjson", Format{To: "ndjson", Time: "unix"}, true},
		{"unknown to", Format{To: "xlsx", Time: "ms"}, false},
		{"empty to", Format{Time: "ms"}, false},
		{"unknown time", Format{To: "csv", Time: "iso"}, false},
		{"quote delimiter", Format{To: "csv", Time: "ms", Delimiter: '"'}, false},
		{"newline delimiter", Format{To: "csv", Time: "ms", Delimiter: '\n'}, false},
		{"CR delimiter", Format{To: "csv", Time: "ms", Delimiter: '\r'}, false},
		{"non-ASCII delimiter", Format{To: "csv", Time: "ms", Delimiter: 0xA7}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			err := f.Check()
			if (err == nil) != tt.ok {
				t.Fatalf("Check() = %v, want ok %v", err, tt.ok)
			}
			if err == nil && f.TZ == nil {
				t.Errorf("Check left TZ nil, want UTC")
			}
		})
	}
	t.Run("tsv always separates with tabs", func(t *testing.T) {
		f := Format{To: "tsv", Time: "ms", Delimiter: ';'}
		if err := f.Check(); err != nil || f.Delimiter != '\t' {
			t.Errorf("Check() = %v, delimiter %q; want nil, tab", err, f.Delimiter)
		}
	})
}

func TestExcelSafe(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		time     bool
		csv, tsv string // the cell with --excel-safe
	}{
		{"equals", `"=SUM(A1:A9)"`, false, `"'=SUM(A1:A9)"`, `'=SUM(A1:A9)`},
		{"plus", `"+420 777 123 456"`, false, `"'+420 777 123 456"`, `'+420 777 123 456`},
		{"minus", `"-5"`, false, `"'-5"`, `'-5`},
		{"at", `"@cmd"`, false, `"'@cmd"`, `'@cmd`},
		{"tab", `"\t=1"`, false, "\"'\t=1\"", `'\t=1`},
		{"CR", `"\r=1"`, false, "\"'\r=1\"", `'\r=1`},
		{"formula with quotes", `"=HYPERLINK(\"http://x\")"`, false, `"'=HYPERLINK(""http://x"")"`, `'=HYPERLINK("http://x")`},
		{"escaped equals", `"\u003d1"`, false, `"'=1"`, `'=1`},
		{"not at the start", `"a=b"`, false, "a=b", "a=b"},
		{"space first", `" =1"`, false, `" =1"`, " =1"},
		{"empty", `""`, false, `""`, ""},
		{"plain", `"Hello"`, false, "Hello", "Hello"},
		{"negative number stays", "-5", false, "-5", "-5"},
		{"negative float stays", "-1.5e3", false, "-1.5e3", "-1.5e3"},
		{"boolean stays", "false", false, "false", "false"},
		{"null stays empty", "null", false, "", ""},
		{"negative ms time stays", "-1500", true, "-1500", "-1500"},
		{"array stays", `["=1"]`, false, `"[""=1""]"`, `["=1"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fixed("v", valueOf(t, tt.raw))
			c.Time = tt.time
			cols := []Column{fixed("l", valueOf(t, `"L"`)), c}
			if got, want := oneRow(t, Format{To: "csv", Time: "ms", ExcelSafe: true}, cols...), "L,"+tt.csv+"\n"; got != want {
				t.Errorf("CSV row = %q, want %q", got, want)
			}
			if got, want := oneRow(t, Format{To: "tsv", Time: "ms", ExcelSafe: true}, cols...), "L\t"+tt.tsv+"\n"; got != want {
				t.Errorf("TSV row = %q, want %q", got, want)
			}
		})
	}
	t.Run("off by default", func(t *testing.T) {
		got := oneRow(t, Format{To: "csv", Time: "ms"}, fixed("l", valueOf(t, `"L"`)), fixed("v", valueOf(t, `"=1"`)))
		if got != "L,=1\n" {
			t.Errorf("row = %q, want %q", got, "L,=1\n")
		}
	})
}

func TestTimes(t *testing.T) {
	prague, err := time.LoadLocation("Europe/Prague")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	tests := []struct {
		name                 string
		raw                  string
		ms, unix, utc, local string // cells for --time ms, unix, rfc3339 in UTC and in Europe/Prague
	}{
		{"doc example, winter time", "1427470439703", "1427470439703", "1427470439",
			"2015-03-27T15:33:59.703Z", "2015-03-27T16:33:59.703+01:00"},
		{"summer time", "1751328000000", "1751328000000", "1751328000",
			"2025-07-01T00:00:00.000Z", "2025-07-01T02:00:00.000+02:00"},
		{"epoch", "0", "0", "0", "1970-01-01T00:00:00.000Z", "1970-01-01T01:00:00.000+01:00"},
		{"under a second", "999", "999", "0", "1970-01-01T00:00:00.999Z", "1970-01-01T01:00:00.999+01:00"},
		{"negative ms", "-1500", "-1500", "-2", "1969-12-31T23:59:58.500Z", "1970-01-01T00:59:58.500+01:00"},
		{"negative whole second", "-1000", "-1000", "-1", "1969-12-31T23:59:59.000Z", "1970-01-01T00:59:59.000+01:00"},
		{"negative one ms", "-1", "-1", "-1", "1969-12-31T23:59:59.999Z", "1970-01-01T00:59:59.999+01:00"},
		{"null", "null", "", "", "", ""},
		{"absent", "", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fixed("at", valueOf(t, tt.raw))
			c.Time = true
			cases := []struct {
				f    Format
				want string
			}{
				{Format{To: "csv", Time: "ms"}, tt.ms},
				{Format{To: "csv", Time: "unix"}, tt.unix},
				{Format{To: "csv", Time: "rfc3339"}, tt.utc},
				{Format{To: "csv", Time: "rfc3339", TZ: time.UTC}, tt.utc},
				{Format{To: "csv", Time: "rfc3339", TZ: prague}, tt.local},
				{Format{To: "tsv", Time: "rfc3339", TZ: prague}, tt.local},
				{Format{To: "csv", Time: "unix", TZ: prague}, tt.unix},
			}
			for _, cs := range cases {
				got := oneRow(t, cs.f, fixed("l", valueOf(t, `"L"`)), c)
				if want := "L," + cs.want + "\n"; cs.f.To == "csv" && got != want {
					t.Errorf("--time %s --tz %v: row = %q, want %q", cs.f.Time, cs.f.TZ, got, want)
				}
				if want := "L\t" + cs.want + "\n"; cs.f.To == "tsv" && got != want {
					t.Errorf("tsv --time %s --tz %v: row = %q, want %q", cs.f.Time, cs.f.TZ, got, want)
				}
			}
		})
	}
	t.Run("not a time column", func(t *testing.T) {
		got := oneRow(t, Format{To: "csv", Time: "rfc3339"}, fixed("n", valueOf(t, "1427470439703")))
		if got != "1427470439703\n" {
			t.Errorf("row = %q, want the number as stored", got)
		}
	})
	t.Run("a non-integer time is written as stored", func(t *testing.T) {
		c := fixed("at", valueOf(t, "1.5e12"))
		c.Time = true
		for _, tf := range []string{"ms", "unix", "rfc3339"} {
			if got := oneRow(t, Format{To: "csv", Time: tf}, c); got != "1.5e12\n" {
				t.Errorf("--time %s: row = %q, want %q", tf, got, "1.5e12\n")
			}
		}
	})
}

// hostileDoc is a valid POST hook whose values test every cell rule; its variables and
// messages hold the number literals, escapes and types that must survive.
const hostileDoc = `{"accountId":208,"beginAt":1427470439703,"endAt":1427470476687,
"channel":{"id":55039,"isChat":true,"isMissed":false,"isTriggered":false,"isOffline":false,
 "isCompleted":true,"isDropped":false,"duration":36,"avgResponse":null,"firstResponse":14,
 "messagesCount":2,"wordsCount":11,"rating":null,"ratingDesc":" a, \"b\"\r\nc\td "},
"visitor":{"id":27671,"name":"=SUM(A1)","email":"","note":null,"groupKey":"legacy",
 "ipAddress":"89.235.0.55","city":"Brno","countryCode":"CZ","country":"Czech Republic",
 "userAgent":"UA","platform":"MacIntel","referer":"",
 "variables":{"price":{"label":"Price","value":1.50},"big":{"label":"Big","value":1e3},
  "neg":{"label":"Neg","value":-5},"text":{"label":"Text","value":"\u00e9\\"},
  "obj":{"label":"Obj","value":{"z":1, "a":[2.0]}}}},
"paths":[],
"messages":[
 {"type":"visitor","from":12,"content":"line1\nline2 \"q\"","sentAt":1427470439703,"triggeredBy":null},
 {"type":"agent","name":"John","from":null,"content":"-5","sentAt":1427470446219}]}`

func TestNDJSONRows(t *testing.T) {
	docs := [][]byte{[]byte(hostileDoc)}
	t.Run("messages", func(t *testing.T) {
		out := convertDocs(t, Format{To: "ndjson", Time: "rfc3339", ExcelSafe: true}, "messages", nil, false, docs)
		lines := ndjsonLines(t, out)
		if len(lines) != 2 {
			t.Fatalf("got %d lines, want 2:\n%s", len(lines), out)
		}
		want := []map[string]any{
			{"accountId": json.Number("208"), "channel.id": json.Number("55039"), "index": json.Number("0"), "type": "visitor",
				"sentAt": "2015-03-27T15:33:59.703Z", "name": nil, "from": json.Number("12"),
				"content": "line1\nline2 \"q\"", "triggeredBy": nil},
			{"accountId": json.Number("208"), "channel.id": json.Number("55039"), "index": json.Number("1"), "type": "agent",
				"sentAt": "2015-03-27T15:34:06.219Z", "name": "John", "from": nil,
				"content": "-5", "triggeredBy": nil},
		}
		keys := []string{"accountId", "channel.id", "index", "type", "sentAt", "name", "from", "content", "triggeredBy"}
		for i, line := range lines {
			checkObject(t, line, keys, want[i])
		}
	})
	t.Run("chats with all columns", func(t *testing.T) {
		out := convertDocs(t, Format{To: "ndjson", Time: "ms"}, "chats", nil, true, docs)
		lines := ndjsonLines(t, out)
		if len(lines) != 1 {
			t.Fatalf("got %d lines, want 1:\n%s", len(lines), out)
		}
		m := decodeObject(t, lines[0])
		want := map[string]any{
			"accountId": json.Number("208"), "beginAt": json.Number("1427470439703"),
			"channel.isChat": true, "channel.isMissed": false, "channel.avgResponse": nil,
			"channel.rating": nil, "channel.ratingDesc": " a, \"b\"\r\nc\td ",
			"visitor.name": "=SUM(A1)", "visitor.email": "", "visitor.note": nil, "visitor.group": "legacy",
			"paths.count": json.Number("0"), "messages.count": json.Number("2"),
			"visitor.variables.price.value": json.Number("1.50"), "visitor.variables.big.value": json.Number("1e3"),
			"visitor.variables.neg.value": json.Number("-5"), "visitor.variables.text.value": "é\\",
		}
		for k, w := range want {
			if got, ok := m[k]; !ok || !reflect.DeepEqual(got, w) {
				t.Errorf("%s = %#v (%T), want %#v (%T)", k, got, got, w, w)
			}
		}
		wantObj := map[string]any{"z": json.Number("1"), "a": []any{json.Number("2.0")}}
		if obj := m["visitor.variables.obj.value"]; !reflect.DeepEqual(obj, wantObj) {
			t.Errorf("visitor.variables.obj.value = %#v, want the object {z:1, a:[2.0]}", m["visitor.variables.obj.value"])
		}
		for _, lit := range []string{`"visitor.variables.price.value":1.50`, `"visitor.variables.big.value":1e3`,
			`"visitor.variables.obj.value":{"z":1,"a":[2.0]}`, `"beginAt":1427470439703`} {
			if !strings.Contains(lines[0], lit) {
				t.Errorf("line does not hold %s as stored:\n%s", lit, lines[0])
			}
		}
	})
	t.Run("unix times are numbers", func(t *testing.T) {
		out := convertDocs(t, Format{To: "ndjson", Time: "unix"}, "messages", []string{"sentAt"}, false, docs)
		lines := ndjsonLines(t, out)
		if len(lines) != 2 || lines[0] != `{"sentAt":1427470439}` || lines[1] != `{"sentAt":1427470446}` {
			t.Errorf("lines = %q, want sentAt in whole seconds", lines)
		}
	})
	t.Run("chats without columns are the documents, compacted", func(t *testing.T) {
		src := []byte("{\n \"b\" : 1.50 ,\"a\":[ 1e3 , \"x y\" ],\n\"accountId\":208,\"beginAt\":1427470439703,\"endAt\":1427470476687,\"channel\":{\"id\":1},\"messages\":[ ]}")
		out := convertDocs(t, Format{To: "ndjson", Time: "rfc3339", WholeDocs: true}, "chats", nil, false, [][]byte{src})
		var want bytes.Buffer
		if err := json.Compact(&want, src); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		if string(out) != want.String() {
			t.Errorf("got  %s\nwant %s", out, want.String())
		}
	})
}

// ndjsonLines splits NDJSON output into lines, checking each is one compact JSON object.
func ndjsonLines(t *testing.T, out []byte) []string {
	t.Helper()
	if len(out) > 0 && out[len(out)-1] != '\n' {
		t.Fatalf("output does not end with a newline: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(out) == 0 {
		lines = nil
	}
	for _, line := range lines {
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(line)); err != nil {
			t.Fatalf("line is not JSON: %v\n%s", err, line)
		}
		if compact.String() != line {
			t.Errorf("line is not compact:\n%s", line)
		}
	}
	return lines
}

// decodeObject decodes one NDJSON line into a map, numbers as json.Number.
func decodeObject(t *testing.T, line string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode %s: %v", line, err)
	}
	return m
}

// checkObject checks that line is an object with exactly keys, in that order, holding
// the values of want (numbers as json.Number).
func checkObject(t *testing.T, line string, keys []string, want map[string]any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("line does not start an object: %v %v", tok, err)
	}
	var got []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		key := tok.(string)
		got = append(got, key)
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(v, want[key]) {
			t.Errorf("%s = %#v (%T), want %#v (%T)", key, v, v, want[key], want[key])
		}
	}
	if strings.Join(got, " ") != strings.Join(keys, " ") {
		t.Errorf("keys = %v, want %v", got, keys)
	}
}

func TestDocumentCells(t *testing.T) {
	docs := [][]byte{[]byte(hostileDoc)}
	t.Run("chats csv", func(t *testing.T) {
		got := string(convertDocs(t, Format{To: "csv", Time: "ms"}, "chats",
			[]string{"channel.id", "channel.ratingDesc", "visitor.group", "channel.avgResponse", "visitor.variables.price", "visitor.variables.obj.value", "visitor.variables.nope.value", "visitor.variables.price.label"}, false, docs))
		want := "channel.id,channel.ratingDesc,visitor.group,channel.avgResponse,visitor.variables.price.value,visitor.variables.obj.value,visitor.variables.nope.value,visitor.variables.price.label\n" +
			"55039,\" a, \"\"b\"\"\r\nc\td \",legacy,,1.50,\"{\"\"z\"\":1,\"\"a\"\":[2.0]}\",,Price\n"
		if got != want {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	})
	t.Run("messages tsv", func(t *testing.T) {
		got := string(convertDocs(t, Format{To: "tsv", Time: "ms", ExcelSafe: true}, "messages", []string{"index", "from", "content", "triggeredBy", "name"}, false, docs))
		want := "index\tfrom\tcontent\ttriggeredBy\tname\n" +
			"0\t12\tline1\\nline2 \"q\"\t\t\n" +
			"1\t\t'-5\t\tJohn\n"
		if got != want {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	})
	t.Run("variables", func(t *testing.T) {
		got := string(convertDocs(t, Format{To: "csv", Time: "ms"}, "variables", nil, false, docs))
		want := "accountId,channel.id,key,label,value\n" +
			"208,55039,price,Price,1.50\n" +
			"208,55039,big,Big,1e3\n" +
			"208,55039,neg,Neg,-5\n" +
			"208,55039,text,Text,é\\\n" +
			"208,55039,obj,Obj,\"{\"\"z\"\":1,\"\"a\"\":[2.0]}\"\n"
		if got != want {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	})
}

func TestSelect(t *testing.T) {
	chats, err := LookupRowKind("chats")
	if err != nil {
		t.Fatal(err)
	}
	names := func(cols []Column) string {
		s := make([]string, len(cols))
		for i, c := range cols {
			s[i] = c.Name
		}
		return strings.Join(s, ",")
	}
	tests := []struct {
		name  string
		kind  string
		cols  []string
		all   bool
		keys  []string
		want  string
		fails bool
	}{
		{"chats default", "chats", nil, false, nil,
			"accountId,channel.id,beginAt,endAt,channel.duration,channel.isChat,channel.isMissed,channel.isTriggered,channel.isOffline,channel.rating,channel.ratingDesc,visitor.name,visitor.email,visitor.countryCode,messages.count", false},
		{"messages default", "messages", nil, false, nil, "accountId,channel.id,index,type,sentAt,name,from,content,triggeredBy", false},
		{"paths default", "paths", nil, false, nil, "accountId,channel.id,index,url,title", false},
		{"variables default", "variables", nil, false, nil, "accountId,channel.id,key,label,value", false},
		{"events default", "events", nil, false, nil, "timestamp,event,account_id,data.conversation.id,data.conversation.status", false},
		{"domains default", "domains", nil, false, nil, "hour,domain,visits,conversations,autoMessages,autoMessagesReply", false},
		{"chosen order", "chats", []string{"visitor.email", " accountId", "channel.id"}, false, nil, "visitor.email,accountId,channel.id", false},
		{"all with variables last", "chats", nil, true, []string{"b", "a"}, names(chats.Columns[:len(chats.Columns)-2]) + ",visitor.variables.b.value,visitor.variables.a.value", false},
		{"events all", "events", nil, true, nil, "timestamp,event,account_id,app_id,data.conversation.id,data.conversation.status,data.conversation.domain,data.conversation.channel.type,data.conversation.assigned_agent_ids,data.conversation.tags,data.conversation.created_at,data.close_type,data.agent_id,data.rating_value,data.rating_text,data.assigned,data.contact.id,data.contact.name,data.contact.email,data.message.id,data.message.sub_type,data.message.text,data", false},
		{"unknown column", "chats", []string{"accountId", "nope"}, false, nil, "", true},
		{"variables only on chats", "messages", []string{"visitor.variables.a.value"}, false, nil, "", true},
		{"column of another kind", "messages", []string{"visitor.email"}, false, nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rk, err := LookupRowKind(tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			cols, err := rk.Select(tt.cols, tt.all, tt.keys)
			if tt.fails {
				if err == nil {
					t.Fatalf("Select(%q) = %s, want an error", tt.cols, names(cols))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := names(cols); got != tt.want {
				t.Errorf("columns = %s\nwant      %s", got, tt.want)
			}
		})
	}
	t.Run("unknown row kind", func(t *testing.T) {
		if _, err := LookupRowKind("conversations"); err == nil {
			t.Error("LookupRowKind(conversations) succeeded, want an error")
		}
	})
}

// TestAppendTimeText: the fast RFC 3339 writer writes what time's AppendFormat writes,
// at random and edge instants (before 1970, leap days, year bounds, the last
// millisecond of a day) in zones with whole-hour, half-hour, 45-minute and changing
// offsets.
func TestAppendTimeText(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"UTC", "Europe/Prague", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Kiritimati", "America/Los_Angeles"} {
		z, err := time.LoadLocation(name)
		if err != nil {
			t.Logf("zone %s: %v", name, err)
			continue
		}
		zones = append(zones, z)
	}
	zones = append(zones, time.FixedZone("odd", 3600+30*60+17), time.FixedZone("west", -9*3600))
	ms := []int64{0, -1, 1, 86399999, 86400000, -86400000, 951782400000, 951868799999, 4102444800000,
		-62135596800000, -62167219200000, -62167219200001, 253402300799999, 253402300800000, 1767600000123}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		ms = append(ms, r.Int64N(2*253402300800000)-253402300800000/2)
	}
	for _, z := range zones {
		for _, m := range ms {
			want := time.UnixMilli(m).In(z).AppendFormat(nil, "2006-01-02T15:04:05.000Z07:00")
			if got := appendTimeText(nil, m, Format{TZ: z}); string(got) != string(want) {
				t.Fatalf("%d in %s: %s, want %s", m, z, got, want)
			}
		}
	}
}
