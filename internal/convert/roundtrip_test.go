package convert

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
)

// roundTripCount is how many fake hooks the round trip converts.
const roundTripCount = 1000

// hostileDoc2 adds what the fake vocabulary lacks: a lone CR, formulas, escapes that
// decode to line and paragraph separators, spaces at both ends, and variable keys with
// dots, commas and quotes.
const hostileDoc2 = `{"accountId":9007199254740993,"beginAt":1751328000000,"endAt":1751328060000,
"channel":{"id":1,"isChat":false,"isMissed":true,"isTriggered":false,"isOffline":true,"duration":60,"rating":null,"ratingDesc":null},
"visitor":{"id":2,"name":"  Ann  ","email":"+1@x","note":"a\rb","group":null,"city":"\u2028\u2029",
 "variables":{"a.b,c":{"label":"dots, commas","value":"=1+1"},"q\"k":{"label":"quote","value":0.1e-2},"e":{"label":"e","value":-0}}},
"paths":[{"url":"https://x.example/?a=1,2&b=\"3\"","title":" \t"}],
"messages":[{"type":"visitor","from":"visitor:k","content":"\r","sentAt":1751328000000,"triggeredBy":null},
 {"type":"visitor","content":"\"\"","sentAt":1751328001000},
 {"type":"visitor","name":"-","content":"@SUM(1)\r\n\r\n","sentAt":1751328002000,"triggeredBy":"  "}]}`

// roundTripDocs returns the fake hooks and the hand-made hostile documents.
func roundTripDocs() [][]byte {
	g := fake.New(fake.Options{Seed: 3})
	docs := make([][]byte, 0, roundTripCount+2)
	for i := range roundTripCount {
		docs = append(docs, g.Append(nil, i))
	}
	return append(docs, []byte(hostileDoc), []byte(hostileDoc2))
}

// objectCache keeps the objects encoding/json has already split, by their text, because
// every cell of a row looks into the same few objects.
var objectCache = map[string]map[string]json.RawMessage{}

// member returns the value at keys inside raw, decoded with encoding/json.
func member(t *testing.T, raw json.RawMessage, keys ...string) (json.RawMessage, bool) {
	t.Helper()
	for _, k := range keys {
		obj, cached := objectCache[string(raw)]
		if !cached {
			if err := json.Unmarshal(raw, &obj); err != nil {
				obj = nil // not an object: nothing inside
			}
			if len(objectCache) > 10000 {
				clear(objectCache)
			}
			objectCache[string(raw)] = obj
		}
		v, ok := obj[k]
		if !ok {
			return nil, false
		}
		raw = v
	}
	return raw, true
}

// elements returns the elements of the array at keys inside raw.
func elements(t *testing.T, raw json.RawMessage, keys ...string) []json.RawMessage {
	t.Helper()
	v, ok := member(t, raw, keys...)
	if !ok {
		return nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil {
		t.Fatalf("%v is not an array: %v", keys, err)
	}
	return list
}

// textOf is the cell that encoding/json's reading of raw must give: strings exactly,
// numbers by their literal, true/false, "" for null or absent, objects and arrays as
// compact JSON.
func textOf(t *testing.T, raw json.RawMessage, present bool) string {
	t.Helper()
	if !present {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	switch v := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return string(v)
	case string:
		return v
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// timeText is the cell of a millisecond timestamp under f.
func timeText(t *testing.T, raw json.RawMessage, present bool, f Format) string {
	t.Helper()
	lit := textOf(t, raw, present)
	if lit == "" {
		return ""
	}
	ms, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		t.Fatalf("timestamp %s: %v", lit, err)
	}
	switch f.Time {
	case "unix":
		sec := ms / 1000
		if ms%1000 < 0 {
			sec--
		}
		return strconv.FormatInt(sec, 10)
	case "rfc3339":
		tz := f.TZ
		if tz == nil {
			tz = time.UTC
		}
		return time.UnixMilli(ms).In(tz).Format("2006-01-02T15:04:05.000Z07:00")
	}
	return lit
}

var timeColumns = map[string]bool{"beginAt": true, "endAt": true, "sentAt": true}

// chatCell is what the chat column name must hold for doc.
func chatCell(t *testing.T, doc json.RawMessage, name string, f Format) string {
	t.Helper()
	switch name {
	case "paths.count":
		return strconv.Itoa(len(elements(t, doc, "paths")))
	case "messages.count":
		return strconv.Itoa(len(elements(t, doc, "messages")))
	case "visitor.group":
		if v, ok := member(t, doc, "visitor", "group"); ok {
			return textOf(t, v, true)
		}
		v, ok := member(t, doc, "visitor", "groupKey")
		return textOf(t, v, ok)
	}
	if rest, ok := strings.CutPrefix(name, VariablePrefix); ok {
		key, part := rest, "value"
		if k, ok := strings.CutSuffix(rest, ".value"); ok {
			key = k
		} else if k, ok := strings.CutSuffix(rest, ".label"); ok {
			key, part = k, "label"
		}
		v, ok := member(t, doc, "visitor", "variables", key, part)
		return textOf(t, v, ok)
	}
	v, ok := member(t, doc, strings.Split(name, ".")...)
	if timeColumns[name] {
		return timeText(t, v, ok, f)
	}
	return textOf(t, v, ok)
}

// messageCell is what the message column name must hold for message i of doc.
func messageCell(t *testing.T, doc, msg json.RawMessage, i int, name string, f Format) string {
	t.Helper()
	switch name {
	case "accountId", "channel.id":
		return chatCell(t, doc, name, f)
	case "index":
		return strconv.Itoa(i)
	}
	v, ok := member(t, msg, name)
	if timeColumns[name] {
		return timeText(t, v, ok, f)
	}
	return textOf(t, v, ok)
}

// expectedChats is the table of chats with header, from encoding/json.
func expectedChats(t *testing.T, docs [][]byte, header []string, f Format) [][]string {
	t.Helper()
	rows := [][]string{header}
	for _, doc := range docs {
		row := make([]string, len(header))
		for j, name := range header {
			row[j] = chatCell(t, doc, name, f)
		}
		rows = append(rows, row)
	}
	return rows
}

// expectedMessages is the table of messages with header, from encoding/json.
func expectedMessages(t *testing.T, docs [][]byte, header []string, f Format) [][]string {
	t.Helper()
	rows := [][]string{header}
	for _, doc := range docs {
		for i, msg := range elements(t, doc, "messages") {
			row := make([]string, len(header))
			for j, name := range header {
				row[j] = messageCell(t, doc, msg, i, name, f)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// variableKeys is the set of visitor variable keys of docs, from encoding/json.
func variableKeys(t *testing.T, docs [][]byte) []string {
	t.Helper()
	seen := map[string]bool{}
	for _, doc := range docs {
		v, ok := member(t, doc, "visitor", "variables")
		if !ok {
			continue
		}
		var vars map[string]json.RawMessage
		if err := json.Unmarshal(v, &vars); err != nil {
			t.Fatal(err)
		}
		for k := range vars {
			seen[k] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// checkAllColumnsHeader checks that the --all-columns header is every chat column, then
// each variable key of the documents once.
func checkAllColumnsHeader(t *testing.T, header []string, docs [][]byte) {
	t.Helper()
	chats, err := LookupRowKind("chats")
	if err != nil {
		t.Fatal(err)
	}
	var cols []Column // the extra columns are only written when named
	for _, c := range chats.Columns {
		if !c.Extra {
			cols = append(cols, c)
		}
	}
	if len(header) < len(cols) {
		t.Fatalf("header has %d columns, want at least %d", len(header), len(cols))
	}
	for i, c := range cols {
		if header[i] != c.Name {
			t.Errorf("header[%d] = %q, want %q", i, header[i], c.Name)
		}
	}
	var keys []string
	for _, name := range header[len(cols):] {
		rest, ok := strings.CutPrefix(name, VariablePrefix)
		key, ok2 := strings.CutSuffix(rest, ".value")
		if !ok || !ok2 {
			t.Errorf("header column %q is not a visitor variable's value", name)
			continue
		}
		keys = append(keys, key)
	}
	slices.Sort(keys)
	if want := variableKeys(t, docs); !slices.Equal(keys, want) {
		t.Errorf("variable columns = %q\nwant one for each of %q", keys, want)
	}
}

// readCSV parses data with encoding/csv, strictly.
func readCSV(t *testing.T, data []byte, delim byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = rune(delim)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv: %v", err)
	}
	return rows
}

// normaliseCRLF is what encoding/csv and Miller do to text: they turn every CR LF,
// inside quoted fields too, into LF (documented for encoding/csv).
func normaliseCRLF(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, row := range rows {
		out[i] = make([]string, len(row))
		for j, cell := range row {
			out[i][j] = strings.ReplaceAll(cell, "\r\n", "\n")
		}
	}
	return out
}

// compareTables reports the first differing cells of got and want (header first).
func compareTables(t *testing.T, reader string, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d", reader, len(got), len(want))
	}
	bad := 0
	for i := 0; i < len(got) && i < len(want); i++ {
		if len(got[i]) != len(want[i]) {
			t.Errorf("%s: row %d has %d cells, want %d", reader, i, len(got[i]), len(want[i]))
			bad++
			continue
		}
		for j := range got[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("%s: row %d column %s = %q, want %q", reader, i, want[0][j], got[i][j], want[i][j])
				bad++
			}
			if bad >= 10 {
				t.Fatalf("%s: too many differences", reader)
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	docs := roundTripDocs()
	prague, err := time.LoadLocation("Europe/Prague")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	tests := []struct {
		name string
		rows string
		all  bool
		f    Format
	}{
		{"csv chats all columns", "chats", true, Format{To: "csv", Time: "ms"}},
		{"csv messages", "messages", false, Format{To: "csv", Time: "rfc3339", TZ: prague}},
		{"csv semicolon chats all columns", "chats", true, Format{To: "csv", Time: "unix", Delimiter: ';'}},
		{"tsv chats all columns", "chats", true, Format{To: "tsv", Time: "rfc3339"}},
		{"tsv messages", "messages", false, Format{To: "tsv", Time: "ms"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := convertDocs(t, tt.f, tt.rows, nil, tt.all, docs)
			f := checkedFormat(t, tt.f)
			var got [][]string
			if f.To == "tsv" {
				got = parseTSV(t, out)
			} else {
				got = readCSV(t, out, f.Delimiter)
			}
			if len(got) == 0 {
				t.Fatal("no header")
			}
			var want [][]string
			if tt.rows == "chats" {
				checkAllColumnsHeader(t, got[0], docs)
				want = expectedChats(t, docs, got[0], f)
			} else {
				want = expectedMessages(t, docs, got[0], f)
			}
			if f.To == "tsv" {
				compareTables(t, "TSV", got, want)
				return
			}
			compareTables(t, "encoding/csv", got, normaliseCRLF(want))
			t.Run("python3 csv", func(t *testing.T) {
				compareTables(t, "python3 csv", readWithPython(t, out, f.Delimiter), want)
			})
			t.Run("miller", func(t *testing.T) {
				compareTables(t, "mlr", readWithMiller(t, out, f.Delimiter), normaliseCRLF(want))
			})
		})
	}
}

// writeTemp stores data in a file of the test's temporary folder.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pythonCSV reads the CSV file argv[1] with Python's csv module (strict, delimiter
// argv[2]) and prints its rows as JSON, ASCII-escaped so that no text is re-encoded.
const pythonCSV = `import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter=sys.argv[2], strict=True))
json.dump(rows, sys.stdout)
`

// readWithPython parses CSV with Python's csv module; the test skips without python3.
func readWithPython(t *testing.T, data []byte, delim byte) [][]string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH")
	}
	path := writeTemp(t, "table.csv", data)
	out, err := exec.Command(python, "-c", pythonCSV, path, string(delim)).Output()
	if err != nil {
		t.Fatalf("python3 csv: %v\n%s", err, stderrOf(err))
	}
	var rows [][]string
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatalf("python3 output: %v", err)
	}
	return rows
}

// readWithMiller parses CSV with Miller; the test skips without mlr. Miller is told not
// to nest dotted names (--no-auto-unflatten) and not to type values (--infer-none), so
// every cell comes back as the string it read.
func readWithMiller(t *testing.T, data []byte, delim byte) [][]string {
	t.Helper()
	mlr, err := exec.LookPath("mlr")
	if err != nil {
		t.Skip("mlr (Miller) is not on PATH")
	}
	path := writeTemp(t, "table.csv", data)
	out, err := exec.Command(mlr, "--icsv", "--ifs", string(delim), "--ojson", "--jvstack",
		"--no-auto-unflatten", "--infer-none", "cat", path).Output()
	if err != nil {
		t.Fatalf("mlr: %v\n%s", err, stderrOf(err))
	}
	// Miller gives records as objects: keep the header's order to compare as a table.
	header := readCSV(t, data, delim)[0]
	var records []map[string]string
	if err := json.Unmarshal(out, &records); err != nil {
		t.Fatalf("mlr output: %v\n%.500s", err, out)
	}
	rows := [][]string{header}
	for i, rec := range records {
		if len(rec) != len(header) {
			t.Errorf("mlr record %d has %d fields, want %d", i+1, len(rec), len(header))
		}
		row := make([]string, len(header))
		for j, name := range header {
			v, ok := rec[name]
			if !ok {
				t.Errorf("mlr record %d has no field %q", i+1, name)
			}
			row[j] = v
		}
		rows = append(rows, row)
	}
	return rows
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return fmt.Sprint(err)
}
