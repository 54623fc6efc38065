package convert

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/input"
)

// The load tests put the outputs into the real tools (SQLite, DuckDB, PostgreSQL) and
// compare every loaded value with the source documents, decoded here with
// encoding/json, independently of the converter.

// awkwardHooks are chats with what loaders get wrong: multi-line text with CR LF,
// quotes, commas and tabs, non-ASCII, an empty name next to an absent one, a null
// rating and comment next to a rating with an empty comment.
var awkwardHooks = []string{
	`{"accountId":7,"beginAt":1767600000123,"endAt":1767600060000,"channel":{"id":1,"isMissed":false,"rating":null,"ratingDesc":null},` +
		`"visitor":{"email":"","variables":{}},"messages":[` +
		`{"type":"visitor","content":"line one\r\nline \"two\", with\ttab\n\nend","sentAt":1767600000123},` +
		`{"type":"agent","name":"","content":"Žluťoučký kůň 😀 — 日本語","sentAt":1767600001999},` +
		`{"type":"agent","name":"Ann","content":"","sentAt":1767600002000}]}`,
	`{"accountId":7,"beginAt":1767686400000,"endAt":1767686460000,"channel":{"id":2,"isMissed":true,"rating":4,"ratingDesc":""},` +
		`"visitor":{"email":null},"messages":[{"type":"visitor","content":"\\N","sentAt":1767686400000}]}`,
}

// loadInput writes generated hooks and the awkward ones as one NDJSON file.
func loadInput(t *testing.T) (string, [][]byte) {
	t.Helper()
	g := fake.New(fake.Options{Seed: 15})
	var docs [][]byte
	for i := range 300 {
		docs = append(docs, g.Append(nil, i))
	}
	for _, h := range awkwardHooks {
		docs = append(docs, []byte(h))
	}
	file := filepath.Join(t.TempDir(), "hooks.ndjson")
	if err := os.WriteFile(file, append(bytes.Join(docs, []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	return file, docs
}

// cell is a loaded or expected value as text; nil is NULL.
type cell = *string

func str(s string) cell { return &s }

// wantMessages is what the messages table must hold: account_id, chat_id, index,
// sent_ms, name, content, in key order.
func wantMessages(t *testing.T, docs [][]byte) [][]cell {
	t.Helper()
	var rows [][]cell
	for _, raw := range docs {
		var d struct {
			AccountID int64 `json:"accountId"`
			Channel   struct {
				ID int64 `json:"id"`
			} `json:"channel"`
			Messages []struct {
				SentAt  int64   `json:"sentAt"`
				Name    *string `json:"name"`
				Content *string `json:"content"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		for i, m := range d.Messages {
			rows = append(rows, []cell{str(fmt.Sprint(d.AccountID)), str(fmt.Sprint(d.Channel.ID)), str(fmt.Sprint(i)),
				str(fmt.Sprint(m.SentAt)), m.Name, m.Content})
		}
	}
	sortRows(rows)
	return rows
}

// wantChats is what the chats table must hold: account_id, chat_id, begin_ms,
// is_missed, rating, rating_desc, visitor_email, in key order.
func wantChats(t *testing.T, docs [][]byte) [][]cell {
	t.Helper()
	var rows [][]cell
	for _, raw := range docs {
		var d struct {
			AccountID int64 `json:"accountId"`
			BeginAt   int64 `json:"beginAt"`
			Channel   struct {
				ID         int64   `json:"id"`
				IsMissed   *bool   `json:"isMissed"`
				Rating     *int64  `json:"rating"`
				RatingDesc *string `json:"ratingDesc"`
			} `json:"channel"`
			Visitor struct {
				Email *string `json:"email"`
			} `json:"visitor"`
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		row := []cell{str(fmt.Sprint(d.AccountID)), str(fmt.Sprint(d.Channel.ID)), str(fmt.Sprint(d.BeginAt)), nil, nil,
			d.Channel.RatingDesc, d.Visitor.Email}
		if d.Channel.IsMissed != nil {
			row[3] = str(fmt.Sprint(*d.Channel.IsMissed))
		}
		if d.Channel.Rating != nil {
			row[4] = str(fmt.Sprint(*d.Channel.Rating))
		}
		rows = append(rows, row)
	}
	sortRows(rows)
	return rows
}

// sortRows orders rows by their first three cells, numerically.
func sortRows(rows [][]cell) {
	key := func(r []cell) string {
		var b strings.Builder
		for _, c := range r[:3] {
			fmt.Fprintf(&b, "%020s|", *c)
		}
		return b.String()
	}
	slices.SortStableFunc(rows, func(a, b []cell) int { return strings.Compare(key(a), key(b)) })
}

// jsonRows reads rows printed as one JSON array of objects or one object a line, the
// values of names in that order; numbers and booleans become their text.
func jsonRows(t *testing.T, out []byte, names []string) [][]cell {
	t.Helper()
	var objs []map[string]any
	trimmed := bytes.TrimSpace(out)
	if bytes.HasPrefix(trimmed, []byte("[")) {
		if err := json.Unmarshal(trimmed, &objs); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
	} else {
		for _, line := range bytes.Split(trimmed, []byte("\n")) {
			var o map[string]any
			if err := json.Unmarshal(line, &o); err != nil {
				t.Fatalf("%v in %s", err, line)
			}
			objs = append(objs, o)
		}
	}
	rows := make([][]cell, len(objs))
	for i, o := range objs {
		for _, n := range names {
			v, ok := o[n]
			if !ok {
				t.Fatalf("row %d has no %q: %v", i, n, o)
			}
			var c cell
			switch v := v.(type) {
			case nil:
			case string:
				c = str(v)
			case float64:
				c = str(fmt.Sprintf("%.0f", v))
			default:
				c = str(fmt.Sprint(v))
			}
			rows[i] = append(rows[i], c)
		}
	}
	sortRows(rows)
	return rows
}

// compareRows reports the first rows that differ.
func compareRows(t *testing.T, what string, got, want [][]cell) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows loaded, want %d", what, len(got), len(want))
	}
	bad := 0
	for i := range min(len(got), len(want)) {
		if g, w := show(got[i]), show(want[i]); g != w {
			t.Errorf("%s row %d:\n got %s\nwant %s", what, i, g, w)
			if bad++; bad > 5 {
				return
			}
		}
	}
}

func show(r []cell) string {
	parts := make([]string, len(r))
	for i, c := range r {
		if c == nil {
			parts[i] = "NULL"
		} else {
			parts[i] = fmt.Sprintf("%q", *c)
		}
	}
	return strings.Join(parts, " ")
}

var (
	messageNames = []string{"account_id", "chat_id", "index", "sent_ms", "name", "content"}
	chatNames    = []string{"account_id", "chat_id", "begin_ms", "is_missed", "rating", "rating_desc", "visitor_email"}
)

// convertTo runs a conversion of file into dest (a file or folder), or to a file
// named dest through the run's Output for the text formats and single Parquet files.
func convertTo(t *testing.T, file string, opts Options) {
	t.Helper()
	opts.Paths = []string{file}
	opts.Input = input.Options{}
	if opts.Format.Time == "" {
		opts.Format.Time = "rfc3339"
	}
	if opts.Rows == "" {
		opts.Rows = "chats"
	}
	var errOut bytes.Buffer
	opts.Err = &errOut
	var f *os.File
	if opts.Output == nil && opts.Dest != "" && opts.Format.To != "sqlite" && opts.PartitionBy == "" && opts.DDL == "" {
		var err error
		if f, err = os.Create(opts.Dest); err != nil {
			t.Fatal(err)
		}
		opts.Output = Writer(f)
	}
	if err := Run(context.Background(), opts); err != nil {
		t.Fatalf("convert %+v: %v\n%s", opts.Format, err, errOut.String())
	}
	if f != nil {
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// ddlText is the DDL of a row kind's columns as --to csv writes them.
// csvWithDDL converts file to dir/ROWS.csv (every column for chats, whose header then
// names the DDL's columns) and returns the CSV's name and the CREATE TABLE dialect
// prints for exactly those columns.
func csvWithDDL(t *testing.T, file, dir, dialect, rows string) (csvFile, ddl string) {
	t.Helper()
	csvFile = filepath.Join(dir, rows+".csv")
	convertTo(t, file, Options{Rows: rows, Format: Format{To: "csv"}, Dest: csvFile, AllColumns: rows == "chats"})
	var cols []string
	if rows == "chats" {
		var err error
		if cols, err = ColumnsFrom(csvFile, ','); err != nil {
			t.Fatal(err)
		}
	}
	return csvFile, ddlText(t, dialect, rows, cols)
}

func ddlText(t *testing.T, dialect, rows string, columns []string) string {
	t.Helper()
	var out bytes.Buffer
	err := Run(context.Background(), Options{Rows: rows, Columns: columns, DDL: dialect,
		Format: Format{To: "csv", Time: "rfc3339"}, Output: Writer(&out), Err: &out})
	if err != nil {
		t.Fatal(err)
	}
	return out.String()
}
