package convert

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// fuzzDelimiters are the CSV separators FuzzCSVCell picks from.
var fuzzDelimiters = []byte{',', ';', '\t', '|', ' ', ':', '\''}

// FuzzCSVCell writes hostile text, given as a JSON string value, as the middle cell of
// a three-cell row and reads it back: from CSV with encoding/csv (strict quotes), from
// TSV by unescaping. With --excel-safe no cell may start with a formula byte.
func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{
		"", " ", "plain", "a,b", `"`, `""`, `a"b`, "\r", "\n", "\r\n", "\n\r", "a\r\nb\rc\nd",
		"=1+1", "+420", "-5", "@SUM(A1)", "\t=1", "\r=1", "'=1", " lead", "trail ", "\\", "\\t",
		"\\\\n", `\.`, "a;b|c:d'e", "a\x00b", "\xff\xfe", "é😀佐藤", "\u2028\u2029", "\ufeffBOM",
		"\"\r\n\"", ",\n,", "\"=1\"",
	} {
		f.Add(s, byte(0))
		f.Add(s, byte(2))
	}
	f.Fuzz(func(t *testing.T, text string, choice byte) {
		delim := fuzzDelimiters[int(choice)%len(fuzzDelimiters)]
		// The text as a JSON string, quoted two ways: minimal escapes, and encoding/json's
		// \u escapes (of <, >, &, U+2028 and U+2029). Invalid UTF-8 becomes U+FFFD either
		// way; want is what encoding/json reads from the quoted string.
		quoted, err := json.Marshal(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range [][]byte{jsontext.AppendQuote(nil, text), quoted} {
			var want string
			if err := json.Unmarshal(q, &want); err != nil {
				t.Fatalf("unmarshal %s: %v", q, err)
			}
			v := payload.Value{Kind: jsontext.String, Raw: q[1 : len(q)-1], Escaped: bytes.IndexByte(q, '\\') >= 0}
			checkCSVCell(t, v, want, delim)
			checkTSVCell(t, v, want)
		}
	})
}

// cellRow is a row of three columns with v in the middle.
func cellRow(v payload.Value) []Column {
	return []Column{
		fixed("l", payload.Value{Kind: jsontext.String, Raw: []byte("L")}),
		fixed("v", v),
		fixed("r", payload.Value{Kind: jsontext.String, Raw: []byte("R")}),
	}
}

// checkCSVCell writes v as a CSV cell, plain and excel-safe, and reads it back.
func checkCSVCell(t *testing.T, v payload.Value, want string, delim byte) {
	t.Helper()
	for _, excel := range []bool{false, true} {
		out := oneRow(t, Format{To: "csv", Time: "ms", Delimiter: delim, ExcelSafe: excel}, cellRow(v)...)
		r := csv.NewReader(strings.NewReader(out))
		r.Comma = rune(delim)
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("delimiter %q, excel-safe %v: encoding/csv cannot read %q: %v", delim, excel, out, err)
		}
		if len(rows) != 1 || len(rows[0]) != 3 || rows[0][0] != "L" || rows[0][2] != "R" {
			t.Fatalf("delimiter %q, excel-safe %v: %q reads back as %q, want one row of 3 cells", delim, excel, out, rows)
		}
		checkRFC4180(t, out, delim)
		got := rows[0][1]
		// encoding/csv turns every CR LF into LF, even inside quoted fields.
		expect := strings.ReplaceAll(want, "\r\n", "\n")
		if excel && formulaByte(want) {
			expect = "'" + expect
			if formulaByte(got) {
				t.Fatalf("delimiter %q: excel-safe cell %q starts with a formula byte", delim, got)
			}
		}
		if got != expect {
			t.Fatalf("delimiter %q, excel-safe %v: cell %q written as %q reads back as %q, want %q", delim, excel, want, out, got, expect)
		}
	}
}

// checkRFC4180 checks the shape of the middle field of the row out: RFC 4180 allows it
// bare only without CR, LF, quotes and the delimiter, and quoted it must double its
// quotes. (encoding/csv alone would let a bare CR through.)
func checkRFC4180(t *testing.T, out string, delim byte) {
	t.Helper()
	field, ok := strings.CutPrefix(out, "L"+string(delim))
	if ok {
		field, ok = strings.CutSuffix(field, string(delim)+"R\n")
	}
	if !ok {
		t.Fatalf("row %q does not start with L and end with R", out)
	}
	if strings.HasPrefix(field, `"`) {
		if len(field) < 2 || !strings.HasSuffix(field, `"`) ||
			strings.Contains(strings.ReplaceAll(field[1:len(field)-1], `""`, ""), `"`) {
			t.Fatalf("field %q is not quoted as RFC 4180 says", field)
		}
		return
	}
	if strings.ContainsAny(field, "\r\n\"") || strings.IndexByte(field, delim) >= 0 {
		t.Fatalf("field %q holds CR, LF, a quote or the delimiter %q without quotes", field, delim)
	}
}

// checkTSVCell writes v as a TSV cell, plain and excel-safe, and unescapes it.
func checkTSVCell(t *testing.T, v payload.Value, want string) {
	t.Helper()
	for _, excel := range []bool{false, true} {
		out := oneRow(t, Format{To: "tsv", Time: "ms", ExcelSafe: excel}, cellRow(v)...)
		line, ok := strings.CutSuffix(out, "\n")
		if !ok || strings.ContainsAny(line, "\r\n") {
			t.Fatalf("excel-safe %v: TSV row %q is not one line", excel, out)
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 3 || fields[0] != "L" || fields[2] != "R" {
			t.Fatalf("excel-safe %v: TSV row %q does not split into 3 cells", excel, out)
		}
		got, err := unescapeTSV(fields[1])
		if err != nil {
			t.Fatal(err)
		}
		expect := want
		if excel && formulaByte(want) {
			expect = "'" + want
			if formulaByte(got) {
				t.Fatalf("excel-safe TSV cell %q starts with a formula byte", got)
			}
		}
		if got != expect {
			t.Fatalf("excel-safe %v: TSV cell %q written as %q unescapes to %q, want %q", excel, want, fields[1], got, expect)
		}
	}
}

// formulaByte reports text a spreadsheet would evaluate: = + - @ tab or CR first.
func formulaByte(text string) bool {
	return text != "" && strings.IndexByte("=+-@\t\r", text[0]) >= 0
}

// unescapeTSV undoes the escapes of a TSV field (\\, \t, \n, \r); any other backslash
// sequence is an error because the writer never makes one.
func unescapeTSV(field string) (string, error) {
	if !strings.Contains(field, `\`) {
		return field, nil
	}
	var b strings.Builder
	for i := 0; i < len(field); i++ {
		c := field[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(field) {
			return "", fmt.Errorf("field %q ends inside an escape", field)
		}
		i++
		switch field[i] {
		case '\\':
			b.WriteByte('\\')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf("field %q holds unknown escape \\%c", field, field[i])
		}
	}
	return b.String(), nil
}

// parseTSV splits TSV text into unescaped rows.
func parseTSV(t testing.TB, data []byte) [][]string {
	t.Helper()
	text := string(data)
	if text == "" {
		return nil
	}
	if !strings.HasSuffix(text, "\n") {
		t.Fatalf("TSV does not end with a newline: %q", text)
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if strings.Contains(line, "\r") {
			t.Fatalf("TSV line holds a raw CR: %q", line)
		}
		fields := strings.Split(line, "\t")
		for i, fd := range fields {
			s, err := unescapeTSV(fd)
			if err != nil {
				t.Fatal(err)
			}
			fields[i] = s
		}
		rows = append(rows, fields)
	}
	return rows
}
