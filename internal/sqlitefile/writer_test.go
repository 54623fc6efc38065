package sqlitefile

import (
	"bytes"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // reads the written database back
)

// testTables are two tables like the ones convert writes: an integer key of two
// columns, a text key, an indexed column, texts of every length.
func testTables() []*Table {
	return []*Table{
		{
			Name:    "msgs",
			SQL:     `CREATE TABLE "msgs" ("acct" INTEGER, "chat" INTEGER, "body" TEXT, "at" TEXT, "n" INTEGER, PRIMARY KEY ("acct", "chat")) WITHOUT ROWID`,
			Columns: []string{"acct", "chat", "body", "at", "n"},
			Key:     []int{0, 1},
			Indexes: []Index{{Name: "msgs_at", SQL: `CREATE INDEX "msgs_at" ON "msgs" ("at")`, Column: 3}},
		},
		{
			Name:    "vars",
			SQL:     `CREATE TABLE "vars" ("v" TEXT, "chat" INTEGER, "key" TEXT, PRIMARY KEY ("chat", "key")) WITHOUT ROWID`,
			Columns: []string{"v", "chat", "key"},
			Key:     []int{1, 2},
			Indexes: []Index{{Name: "vars_chat", SQL: `CREATE INDEX "vars_chat" ON "vars" ("chat")`, Column: 1}},
		},
	}
}

// randText is a text of a length from none to several pages, sometimes with NUL bytes
// and non-ASCII letters.
func randText(r *rand.Rand) []byte {
	var n int
	switch r.IntN(10) {
	case 0:
		n = 0
	case 1:
		n = 500 + r.IntN(70000) // past a page, onto overflow pages
	default:
		n = r.IntN(60)
	}
	alphabet := []string{"a", "b", "ž", "\x00", "Ř", " ", "z", "\n"}
	var b []byte
	for len(b) < n {
		b = append(b, alphabet[r.IntN(len(alphabet))]...)
	}
	return b
}

func randInt(r *rand.Rand) int64 {
	switch r.IntN(6) {
	case 0:
		return int64(r.IntN(3)) // 0, 1 and 2: no body for 0 and 1
	case 1:
		return -r.Int64N(1 << 40)
	case 2:
		return []int64{math.MinInt64, math.MaxInt64, 127, 128, -128, -129, 32767, 32768, 8388607, 8388608, 1<<31 - 1, 1 << 31, 1<<47 - 1, 1 << 47}[r.IntN(14)]
	}
	return r.Int64N(1 << 20)
}

func randValue(r *rand.Rand, text bool) Value {
	if r.IntN(8) == 0 {
		return Value{Kind: Null}
	}
	if text {
		return Value{Kind: Text, Text: randText(r)}
	}
	return Value{Kind: Int, Int: randInt(r)}
}

// writeTestDB writes rows (by table) in a new database at path and returns what each
// table must hold: the last row given for each key, by key.
func writeTestDB(t *testing.T, path string, opts Options, tables []*Table, rows [][][]Value) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644) // a database there is added to
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts.TempDir = filepath.Dir(path)
	w, err := New(f, tables, opts)
	if err != nil {
		t.Fatal(err)
	}
	var enc Encoder
	for ti, tr := range rows {
		var batch []byte
		for i, row := range tr {
			if batch, err = enc.Append(batch, tables[ti], row); err != nil {
				t.Fatal(err)
			}
			if i%37 == 0 {
				if err := w.Add(ti, batch); err != nil {
					t.Fatal(err)
				}
				batch = nil // the writer keeps the batch
			}
		}
		if err := w.Add(ti, batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// want is the rows a table holds after rows were upserted in order, as text, by key.
func want(tb *Table, rows [][]Value) []string {
	last := map[string][]Value{}
	for _, row := range rows {
		var k []byte
		for _, c := range tb.Key {
			k = appendKey(k, &row[c])
		}
		last[string(k)] = row
	}
	keys := make([]string, 0, len(last))
	for k := range last {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = showRow(last[k])
	}
	return out
}

func showRow(row []Value) string {
	var b strings.Builder
	for _, v := range row {
		switch v.Kind {
		case Null:
			b.WriteString("null|")
		case Int:
			fmt.Fprintf(&b, "i%d|", v.Int)
		default:
			fmt.Fprintf(&b, "t%q|", v.Text)
		}
	}
	return b.String()
}

// read reads a table back through SQLite in key order, after an integrity check.
func read(t *testing.T, db *sql.DB, tb *Table) []string {
	t.Helper()
	var cols, order []string
	for _, c := range tb.Columns {
		cols = append(cols, fmt.Sprintf("typeof(%q), %q", c, c))
	}
	for _, k := range tb.Key {
		order = append(order, fmt.Sprintf("%q", tb.Columns[k]))
	}
	q := fmt.Sprintf("SELECT %s FROM %q ORDER BY %s", strings.Join(cols, ", "), tb.Name, strings.Join(order, ", "))
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		cells := make([]any, 2*len(tb.Columns))
		ptrs := make([]any, len(cells))
		for i := range cells {
			ptrs[i] = &cells[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]Value, len(tb.Columns))
		for i := range row {
			switch cells[2*i] {
			case "null":
				row[i] = Value{Kind: Null}
			case "integer":
				row[i] = Value{Kind: Int, Int: cells[2*i+1].(int64)}
			case "text":
				switch s := cells[2*i+1].(type) {
				case string:
					row[i] = Value{Kind: Text, Text: []byte(s)}
				case []byte:
					row[i] = Value{Kind: Text, Text: s}
				}
			default:
				t.Fatalf("%s: a value of type %v", tb.Name, cells[2*i])
			}
		}
		out = append(out, showRow(row))
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// openChecked opens the database at path, closed at the end of the test, after an
// integrity check.
func openChecked(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	integrity(t, db)
	return db
}

func integrity(t *testing.T, db *sql.DB) {
	t.Helper()
	rs, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var msgs []string
	for rs.Next() {
		var m string
		rs.Scan(&m)
		msgs = append(msgs, m)
	}
	if strings.Join(msgs, "\n") != "ok" {
		t.Fatalf("integrity check:\n%s", strings.Join(msgs, "\n"))
	}
}

// TestWriterMatchesSQLite writes random rows (duplicate keys, NULLs, texts from empty
// to several pages long, NUL bytes, integers of every width) at several page sizes and
// memory budgets small enough to spill sorted runs, and reads them back through
// SQLite: the file passes its integrity check (every B-tree, every index entry), each
// table holds the last row given for each key, typed as given, and SQLite can go on
// writing it.
func TestWriterMatchesSQLite(t *testing.T) {
	for _, tc := range []struct {
		pageSize, memory, rows int
	}{
		{1024, 4 << 10, 400},
		{2048, 64 << 10, 1500},
		{4096, 0, 3000},
		{16384, 200 << 10, 3000},
		{65536, 1 << 20, 2000},
		{4096, 0, 0},
	} {
		if testing.Short() {
			tc.rows /= 4 // the race detector makes each row slow
		}
		t.Run(fmt.Sprintf("page%d-mem%d-rows%d", tc.pageSize, tc.memory, tc.rows), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(tc.pageSize), uint64(tc.rows)))
			tables := testTables()
			rows := make([][][]Value, len(tables))
			for range tc.rows {
				acct := Value{Kind: Int, Int: int64(r.IntN(4))}
				chat := Value{Kind: Int, Int: randInt(r)}
				if r.IntN(5) == 0 && len(rows[0]) > 0 { // the same key again
					prev := rows[0][r.IntN(len(rows[0]))]
					acct, chat = prev[0], prev[1]
				}
				rows[0] = append(rows[0], []Value{acct, chat, randValue(r, true), randValue(r, true), randValue(r, false)})
				key := randText(r)
				if len(key) > 100 {
					key = key[:100]
				}
				rows[1] = append(rows[1], []Value{randValue(r, true), chat, {Kind: Text, Text: key}})
			}
			path := filepath.Join(t.TempDir(), "t.db")
			writeTestDB(t, path, Options{PageSize: tc.pageSize, Memory: tc.memory}, tables, rows)
			if names, _ := os.ReadDir(filepath.Dir(path)); len(names) != 1 {
				t.Fatalf("the folder holds %d files, want the database alone", len(names))
			}
			db := openChecked(t, path)
			for ti, tb := range tables {
				got, exp := read(t, db, tb), want(tb, rows[ti])
				if len(got) != len(exp) {
					t.Fatalf("%s: %d rows, want %d", tb.Name, len(got), len(exp))
				}
				for i := range got {
					if got[i] != exp[i] {
						t.Fatalf("%s row %d:\n got %.300s\nwant %.300s", tb.Name, i, got[i], exp[i])
					}
				}
				// The index holds every row, in its order.
				var n int
				if err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM %q INDEXED BY %q WHERE %q IS NOT NULL OR %q IS NULL",
					tb.Name, tb.Indexes[0].Name, tb.Columns[tb.Indexes[0].Column], tb.Columns[tb.Indexes[0].Column])).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != len(exp) {
					t.Fatalf("%s: the index counts %d rows, want %d", tb.Name, n, len(exp))
				}
			}
			var schema []string
			rs, err := db.Query("SELECT type || ' ' || name || ' ' || tbl_name || ' ' || sql FROM sqlite_schema")
			if err != nil {
				t.Fatal(err)
			}
			for rs.Next() {
				var s string
				rs.Scan(&s)
				schema = append(schema, s)
			}
			rs.Close()
			if len(schema) != 4 || !strings.HasPrefix(schema[1], "index msgs_at msgs CREATE INDEX") {
				t.Fatalf("sqlite_schema: %q", schema)
			}
			// SQLite goes on from here: new rows, an upsert, another table.
			if _, err := db.Exec(`INSERT INTO msgs VALUES (99, 1, 'x', 'y', 3) ON CONFLICT DO UPDATE SET n = 4;
				INSERT INTO msgs VALUES (99, 1, 'x', 'y', 3) ON CONFLICT DO UPDATE SET n = 4;
				CREATE TABLE more (a PRIMARY KEY, b); INSERT INTO more VALUES (1, 2)`); err != nil {
				t.Fatal(err)
			}
			var n int64
			if err := db.QueryRow("SELECT n FROM msgs WHERE acct = 99 AND chat = 1").Scan(&n); err != nil || n != 4 {
				t.Fatalf("upsert after the writer: %d, %v", n, err)
			}
			integrity(t, db)
		})
	}
}

// TestWriterNullKey: a NULL in a key column is refused, naming the table and column as
// SQLite does.
func TestWriterNullKey(t *testing.T) {
	tb := testTables()[0]
	var enc Encoder
	_, err := enc.Append(nil, tb, []Value{{Kind: Int, Int: 1}, {Kind: Null}, {}, {}, {}})
	if err == nil || err.Error() != "NOT NULL constraint failed: msgs.chat" {
		t.Fatalf("a NULL key: %v", err)
	}
}

// TestKeyOrder: the key encoding orders values as SQLite does (NULL, integers by value,
// texts byte by byte with a prefix first).
func TestKeyOrder(t *testing.T) {
	vals := []Value{
		{Kind: Null}, {Kind: Int, Int: math.MinInt64}, {Kind: Int, Int: -1}, {Kind: Int, Int: 0},
		{Kind: Int, Int: 1}, {Kind: Int, Int: math.MaxInt64}, {Kind: Text}, {Kind: Text, Text: []byte("\x00")},
		{Kind: Text, Text: []byte("\x00\x00")}, {Kind: Text, Text: []byte("\x01")}, {Kind: Text, Text: []byte("a")},
		{Kind: Text, Text: []byte("a\x00")}, {Kind: Text, Text: []byte("a\x00b")}, {Kind: Text, Text: []byte("a\x01")},
		{Kind: Text, Text: []byte("ab")}, {Kind: Text, Text: []byte("\xff")},
	}
	for i := 1; i < len(vals); i++ {
		a, b := appendKey(nil, &vals[i-1]), appendKey(nil, &vals[i])
		if bytes.Compare(a, b) >= 0 {
			t.Errorf("%s does not sort before %s", showRow(vals[i-1:i]), showRow(vals[i:i+1]))
		}
	}
}

// TestVarint checks the varint encoding against its reader at every length.
func TestVarint(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 16383, 16384, 1<<21 - 1, 1 << 21, 1<<56 - 1, 1 << 56, math.MaxUint64} {
		b := appendVarint(nil, v)
		got, n := readVarint(b)
		if got != v || n != len(b) || n != varintLen(v) {
			t.Errorf("%d: encoded in %d bytes (%d expected), read back %d in %d", v, len(b), varintLen(v), got, n)
		}
	}
}

// TestWriterTreeShapes writes every row count from 0 to 300 with records of a few
// sizes on small pages, so that each count ends the leaves and every interior level at
// another place (a full page with one entry left over included): each file passes
// SQLite's integrity check and holds every row.
func TestWriterTreeShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 900 small databases")
	}
	tb := &Table{Name: "t", SQL: `CREATE TABLE "t" ("k" INTEGER, "v" TEXT, PRIMARY KEY ("k")) WITHOUT ROWID`,
		Columns: []string{"k", "v"}, Key: []int{0}, Indexes: []Index{{Name: "t_v", SQL: `CREATE INDEX "t_v" ON "t" ("v")`, Column: 1}}}
	dir := t.TempDir()
	for _, size := range []int{90, 200, 700} {
		for n := 0; n <= 300; n++ {
			rows := make([]Value, 0, 2*n)
			var all [][]Value
			for i := range n {
				rows = append(rows, Value{Kind: Int, Int: int64(n - i)}, Value{Kind: Text, Text: bytes.Repeat([]byte{byte('a' + i%26)}, size)})
				all = append(all, rows[2*i:2*i+2])
			}
			path := filepath.Join(dir, fmt.Sprintf("s%d-n%d.db", size, n))
			writeTestDB(t, path, Options{PageSize: 1024}, []*Table{tb}, [][][]Value{all})
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			integrity(t, db)
			var count int
			if err := db.QueryRow(`SELECT count(*) FROM t WHERE length(v) = ?`, size).Scan(&count); err != nil || count != n {
				t.Fatalf("size %d: %d rows, want %d (%v)", size, count, n, err)
			}
			db.Close()
			os.Remove(path)
		}
	}
}

// TestWriterMergesRuns: with a tiny memory budget a table spills hundreds of runs;
// runs of one level are merged in rounds so that few are ever open at once, and the
// database is still exactly the rows given (the last of each key).
func TestWriterMergesRuns(t *testing.T) {
	old := mergeFanIn
	mergeFanIn = 3
	t.Cleanup(func() { mergeFanIn = old })
	tables := testTables()
	r := rand.New(rand.NewPCG(7, 7))
	rows := make([][][]Value, len(tables))
	for i := range 3000 {
		chat := Value{Kind: Int, Int: int64(r.IntN(2000))} // about a third given twice
		body := []byte(fmt.Sprint("row ", i))
		if i%500 == 0 {
			body = bytes.Repeat(body, 40000) // past a spilled run's read buffer
		}
		rows[0] = append(rows[0], []Value{{Kind: Int, Int: 1}, chat, {Kind: Text, Text: body}, randValue(r, true), randValue(r, false)})
		rows[1] = append(rows[1], []Value{randValue(r, true), chat, {Kind: Text, Text: []byte("k")}})
	}
	path := filepath.Join(t.TempDir(), "t.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := New(f, tables, Options{Memory: 2 << 10, TempDir: filepath.Dir(path)})
	if err != nil {
		t.Fatal(err)
	}
	var enc Encoder
	for i := range rows[0] {
		for ti := range tables {
			b, err := enc.Append(nil, tables[ti], rows[ti][i])
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Add(ti, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Runs of level L hold mergeFanIn^L spilled runs: there are at most log(count)
	// levels, with mergeFanIn-1 runs open each, and one more just spilled.
	rf := w.spills[0]
	levels := int(math.Ceil(math.Log(float64(rf.count))/math.Log(float64(mergeFanIn)))) + 1
	if rf.count < 50 || rf.peak > (mergeFanIn-1)*levels+1 {
		t.Errorf("%d runs spilled, at most %d open at once, want at most %d", rf.count, rf.peak, (mergeFanIn-1)*levels+1)
	}
	db := openChecked(t, path)
	for ti, tb := range tables {
		if got, exp := read(t, db, tb), want(tb, rows[ti]); !slices.Equal(got, exp) {
			t.Fatalf("%s: %d rows, want %d (or they differ)", tb.Name, len(got), len(exp))
		}
	}
}

// TestWriterAfterSQLite: tables are added after the pages of a database SQLite wrote
// (a rowid table with an index, rows updated and deleted so that pages were freed): the
// result passes the integrity check, keeps SQLite's tables, rows and free pages, and
// holds the written tables whole. A file that is not a database of the same page
// size is refused.
func TestWriterAfterSQLite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"PRAGMA page_size = 4096", "PRAGMA journal_mode = OFF",
		`CREATE TABLE "events" (id INTEGER, body TEXT, PRIMARY KEY (id))`,
		`CREATE INDEX "events_body" ON "events" (body)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 500 {
		if _, err := db.Exec(`INSERT INTO events VALUES (?, ?)`, i, strings.Repeat("e", 50+i*7)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`DELETE FROM events WHERE id % 3 = 0; UPDATE events SET body = 'short' WHERE id % 5 = 0`); err != nil {
		t.Fatal(err)
	}
	var free int
	db.QueryRow("PRAGMA freelist_count").Scan(&free)
	if free == 0 {
		t.Fatal("the test database has no free pages: the test proves less than it says")
	}
	db.Close()

	tables := testTables()
	r := rand.New(rand.NewPCG(3, 4))
	rows := make([][][]Value, len(tables))
	for i := range 2000 {
		rows[0] = append(rows[0], []Value{{Kind: Int, Int: int64(i % 3)}, {Kind: Int, Int: int64(i)}, randValue(r, true), randValue(r, true), randValue(r, false)})
		rows[1] = append(rows[1], []Value{randValue(r, true), {Kind: Int, Int: int64(i)}, {Kind: Text, Text: []byte("k")}})
	}
	writeTestDB(t, path, Options{PageSize: 4096, Memory: 64 << 10}, tables, rows)
	db = openChecked(t, path)
	for ti, tb := range tables {
		if got, exp := read(t, db, tb), want(tb, rows[ti]); !slices.Equal(got, exp) {
			t.Fatalf("%s: %d rows, want %d (or they differ)", tb.Name, len(got), len(exp))
		}
	}
	var n, short, free2 int
	if err := db.QueryRow("SELECT count(*), count(*) FILTER (WHERE body = 'short') FROM events INDEXED BY events_body WHERE body > ''").Scan(&n, &short); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA freelist_count").Scan(&free2); err != nil {
		t.Fatal(err)
	}
	if n != 333 || short != 66 || free2 != free {
		t.Fatalf("SQLite's table holds %d rows (%d short), %d free pages; want 333 (66), %d", n, short, free2, free)
	}
	if _, err := db.Exec(`INSERT INTO events VALUES (1000, 'new'); INSERT INTO msgs VALUES (9, 9, 'x', 'y', 1)`); err != nil {
		t.Fatal(err)
	}
	integrity(t, db)

	// Refused: another page size, a file that is not a database.
	for name, data := range map[string][]byte{"other.db": nil, "text.db": bytes.Repeat([]byte("x"), 8192)} {
		p := filepath.Join(dir, name)
		if data == nil {
			data, _ = os.ReadFile(path)
		}
		os.WriteFile(p, data, 0o644)
		f, _ := os.OpenFile(p, os.O_RDWR, 0)
		ps := 4096
		if name == "other.db" {
			ps = 8192
		}
		w, err := New(f, tables, Options{PageSize: ps, TempDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err == nil {
			t.Errorf("%s: tables added to it", name)
		}
		f.Close()
	}
}
