package convert

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
)

// parquetOf converts the awkward hooks to Parquet in memory and opens the file.
func parquetOf(t *testing.T, rows string, columns []string) (*parquet.File, []byte) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), Options{Paths: []string{"-"}, Input: input.Options{Stdin: strings.NewReader(strings.Join(awkwardHooks, "\n"))},
		Rows: rows, Columns: columns, Format: Format{To: "parquet", Time: "rfc3339"}, Output: Writer(&out), Err: &errOut})
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	f, err := parquet.OpenFile(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return f, out.Bytes()
}

// TestParquetSchema checks the column order, names and types that readers see.
func TestParquetSchema(t *testing.T) {
	f, _ := parquetOf(t, "chats", []string{"accountId", "channel.id", "beginAt", "channel.isMissed", "channel.rating", "channel.ratingDesc", "visitor.variables", "origin"})
	want := []struct{ name, typ string }{
		{"account_id", "INT(64,true)"}, {"chat_id", "INT(64,true)"}, {"begin_at", "TIMESTAMP(isAdjustedToUTC=true,unit=MILLIS)"},
		{"channel_is_missed", "BOOLEAN"}, {"channel_rating", "INT(32,true)"}, {"channel_rating_desc", "STRING"},
		{"visitor_variables", "MAP"}, {"origin", "STRING"},
	}
	fields := f.Schema().Fields()
	if len(fields) != len(want) {
		t.Fatalf("%d fields, want %d: %v", len(fields), len(want), f.Schema())
	}
	for i, w := range want {
		got := fields[i].Type().String()
		if fields[i].Name() != w.name || !strings.Contains(got, w.typ) {
			t.Errorf("field %d = %s %s, want %s %s", i, fields[i].Name(), got, w.name, w.typ)
		}
		if fields[i].Leaf() && !fields[i].Optional() {
			t.Errorf("field %s is not optional: nulls could not stay null", w.name)
		}
	}
	if f.NumRows() != 2 {
		t.Errorf("%d rows, want 2", f.NumRows())
	}
}

// TestParquetValues reads the rows back: null apart from "", multi-line and
// non-ASCII text, times in milliseconds, the variables map.
func TestParquetValues(t *testing.T) {
	f, _ := parquetOf(t, "messages", []string{"channel.id", "index", "sentAt", "name", "content"})
	var got []string
	for _, r := range flatRows(t, f) {
		got = append(got, strings.Join(r, "|"))
	}
	want := []string{
		`1|0|1767600000123|NULL|"line one\r\nline \"two\", with\ttab\n\nend"`,
		`1|1|1767600001999|""|"Žluťoučký kůň 😀 — 日本語"`,
		`1|2|1767600002000|"Ann"|""`,
		`2|0|1767686400000|NULL|"\\N"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	f, _ = parquetOf(t, "chats", []string{"channel.id", "channel.rating", "channel.ratingDesc", "channel.isMissed"})
	got = nil
	for _, r := range flatRows(t, f) {
		got = append(got, strings.Join(r, "|"))
	}
	if want := `1|NULL|NULL|false` + "\n" + `2|4|""|true`; strings.Join(got, "\n") != want {
		t.Errorf("chats:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

// flatRows reads a file without nested columns: each value as text, strings quoted,
// NULL for null.
func flatRows(t *testing.T, f *parquet.File) [][]string {
	t.Helper()
	var out [][]string
	for _, rg := range f.RowGroups() {
		rows := rg.Rows()
		buf := make([]parquet.Row, rg.NumRows())
		n, err := rows.ReadRows(buf)
		if err != nil && n < len(buf) {
			t.Fatal(err)
		}
		rows.Close()
		for _, row := range buf[:n] {
			var cells []string
			for _, v := range row {
				switch {
				case v.IsNull():
					cells = append(cells, "NULL")
				case v.Kind() == parquet.ByteArray:
					cells = append(cells, fmt.Sprintf("%q", v.ByteArray()))
				default:
					cells = append(cells, v.String())
				}
			}
			out = append(out, cells)
		}
	}
	return out
}

// TestParquetPartitions checks the Hive folders, that an existing folder's files are
// not replaced without --force, and that a failed run leaves no file behind.
func TestParquetPartitions(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.ndjson")
	if err := os.WriteFile(in, []byte(strings.Join(awkwardHooks, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lake := filepath.Join(t.TempDir(), "lake")
	ctx := context.Background()
	run := func(by string, force bool, paths ...string) error {
		var errOut bytes.Buffer
		return Run(ctx, Options{Paths: paths, Rows: "messages", Format: Format{To: "parquet", Time: "rfc3339"},
			Dest: lake, Force: force, PartitionBy: by, Err: &errOut})
	}
	if err := run("day", false, in); err != nil {
		t.Fatal(err)
	}
	for _, day := range []string{"2026-01-05", "2026-01-06"} {
		if _, err := os.Stat(filepath.Join(lake, "day="+day, "part-0000.parquet")); err != nil {
			t.Error(err)
		}
	}
	if err := run("day", false, in); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("second run without --force: %v", err)
	}
	if err := run("account", true, in); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(lake, "account=7", "part-0000.parquet")); err != nil {
		t.Error(err)
	}
	// A failed run leaves nothing: no file appears, no temporary file stays.
	fresh := filepath.Join(t.TempDir(), "fresh")
	rk, _ := LookupRowKind("chats")
	cols, _ := rk.Select(nil, false, nil)
	sink, err := openParquet(SinkConfig{Kind: rk, Columns: cols, Format: checkedFormat(t, Format{To: "parquet", Time: "ms"}),
		Dest: fresh, PartitionBy: "month"})
	if err != nil {
		t.Fatal(err)
	}
	w := sink.Worker()
	var row Row
	var counts [maxKinds]int
	for _, h := range awkwardHooks {
		doc, _ := new(payload.Decoder).Decode([]byte(h))
		row.Doc = doc
		w.Add(&row, counts[:])
	}
	if err := sink.Write(w.Take()); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(filepath.Join(fresh, "month=2026-01")); len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".tmp") {
		t.Fatalf("while writing: %v, want one temporary file", entries)
	}
	if err := sink.Close(false); err != nil {
		t.Fatal(err)
	}
	var left []string
	filepath.Walk(fresh, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("a failed run left %q", left)
	}
}
