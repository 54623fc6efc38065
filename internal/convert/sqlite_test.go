package convert

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/testutil"
)

// sqliteChatRows opens db and counts its chats, failing the test when the database is
// not whole.
func sqliteChatRows(t *testing.T, db string) int {
	t.Helper()
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("%s: integrity check says %q (%v)", db, check, err)
	}
	var n int
	if err := conn.QueryRow("SELECT count(*) FROM chats").Scan(&n); err != nil {
		t.Fatalf("%s: %v", db, err)
	}
	return n
}

// sqliteTestSink opens a sink on db and writes docs, chat documents, in one batch.
func sqliteTestSink(t *testing.T, db string, docs ...string) *sqliteSink {
	t.Helper()
	sink, err := openSQLite(SinkConfig{Format: checkedFormat(t, Format{To: "sqlite", Time: "rfc3339"}), Dest: db})
	if err != nil {
		t.Fatal(err)
	}
	s := sink.(*sqliteSink)
	w := s.Worker()
	rows := make([]int, len(RowKinds))
	for _, d := range docs {
		doc, _ := new(payload.Decoder).Decode([]byte(d))
		w.Add(&Row{Doc: doc}, rows)
	}
	if err := s.Write(w.Take()); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSQLiteNewDatabaseAppearsWhole: a new database is written under a temporary name
// and appears only when the run succeeds; a failed run leaves nothing, not even the
// temporary file.
func TestSQLiteNewDatabaseAppearsWhole(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hooks.db")
	chat := `{"accountId":7,"beginAt":1767600000123,"channel":{"id":1},"messages":[{"type":"visitor","content":"a","sentAt":1767600000123}]}`

	s := sqliteTestSink(t, db, chat)
	if _, err := os.Lstat(db); err == nil {
		t.Fatalf("%s exists before the run ends", db)
	}
	if err := s.Close(false); err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Fatalf("a failed run into a new database left %v", names)
	}

	s = sqliteTestSink(t, db, chat)
	if err := s.Close(true); err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, dir); strings.Join(names, ",") != "hooks.db" {
		t.Fatalf("the folder holds %v, want the database alone", names)
	}
	if n := sqliteChatRows(t, db); n != 1 {
		t.Fatalf("%d chats, want 1", n)
	}
}

// TestSQLiteExistingDatabaseKeepsCommittedBatches: into an existing database, a failed
// run keeps the batches it wrote (converting again completes them) and the database
// stays whole.
func TestSQLiteExistingDatabaseKeepsCommittedBatches(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hooks.db")
	s := sqliteTestSink(t, db, `{"accountId":7,"beginAt":1767600000123,"channel":{"id":1}}`)
	if err := s.Close(true); err != nil {
		t.Fatal(err)
	}
	s = sqliteTestSink(t, db, `{"accountId":7,"beginAt":1767600000123,"channel":{"id":2}}`,
		`{"accountId":7,"beginAt":1767600000123,"channel":{"id":1}}`)
	if err := s.Close(false); err != nil {
		t.Fatal(err)
	}
	if n := sqliteChatRows(t, db); n != 2 {
		t.Fatalf("%d chats after upserting chats 1 and 2 over chat 1, want 2", n)
	}
}

// TestSQLiteKilledRunLeavesNoPartialDatabase kills a conversion into a new database at
// several moments: the database's name then holds nothing or a whole database of
// every chat, never a part of one.
func TestSQLiteKilledRunLeavesNoPartialDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and converts 20,000 hooks several times")
	}
	bin := testutil.BuildSmarthook(t)
	dir := t.TempDir()
	hooks := filepath.Join(dir, "hooks.ndjson")
	f, err := os.Create(hooks)
	if err != nil {
		t.Fatal(err)
	}
	fake := exec.Command(bin, "fake", "-n", "20000", "--seed", "3")
	fake.Stdout = f
	if err := fake.Run(); err != nil {
		t.Fatalf("fake: %v", err)
	}
	f.Close()
	for i, after := range []time.Duration{50 * time.Millisecond, 300 * time.Millisecond, 800 * time.Millisecond, time.Minute} {
		db := filepath.Join(dir, "run"+string(rune('a'+i))+".db")
		cmd := exec.Command(bin, "convert", "--to", "sqlite", "-o", db, hooks)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("convert: %v", err)
			}
		case <-time.After(after):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
		}
		if _, err := os.Lstat(db); err != nil {
			continue // killed before the end: nothing under the name is right
		}
		if n := sqliteChatRows(t, db); n != 20000 {
			t.Fatalf("killed after %v: %s holds %d chats, want all 20,000 or no file", after, db, n)
		}
	}

	// A killed run's temporary file is swept away by the next run into the name.
	killed := filepath.Join(dir, "runa.db")
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".runa.db.*.tmp"))
	if _, err := os.Lstat(killed); err == nil || len(leftovers) == 0 {
		t.Logf("the run killed at 50 ms left no temporary file: nothing to sweep")
	}
	old := time.Now().Add(-time.Hour)
	for _, l := range leftovers {
		os.Chtimes(l, old, old)
	}
	if out, err := exec.Command(bin, "convert", "--to", "sqlite", "-o", killed, hooks).CombinedOutput(); err != nil {
		t.Fatalf("convert: %v\n%s", err, out)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".runa.db.*")); len(left) != 0 {
		t.Errorf("after a run into the name of a killed one, %v is still there", left)
	}

	// Upserting into an existing database, killed midway: the database stays whole, with
	// at least the chats it had (WAL: committed batches stay, the open one is undone).
	db := filepath.Join(dir, "existing.db")
	head := filepath.Join(dir, "head.ndjson")
	data, err := os.ReadFile(hooks)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfterN(string(data), "\n", 101)
	if err := os.WriteFile(head, []byte(strings.Join(lines[:100], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "convert", "--to", "sqlite", "-o", db, head).CombinedOutput(); err != nil {
		t.Fatalf("convert: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "convert", "--to", "sqlite", "-o", db, hooks)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if n := sqliteChatRows(t, db); n < 100 || n > 20000 {
		t.Fatalf("an upsert killed midway left %d chats, want 100 to 20,000 in a whole database", n)
	}
}

// TestSQLiteFullDisk converts onto a small file system (tmpfs, needs root) that fills
// up: a new database fails with a clear error and leaves nothing; an existing one
// fails and stays whole, with the rows it had.
func TestSQLiteFullDisk(t *testing.T) {
	dir := t.TempDir()
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).Run(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	small, big := filepath.Join(t.TempDir(), "small.ndjson"), filepath.Join(t.TempDir(), "big.ndjson")
	var chats strings.Builder
	for i := range 3000 {
		if i == 10 {
			if err := os.WriteFile(small, []byte(chats.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		fmt.Fprintf(&chats, `{"accountId":7,"beginAt":1767600000123,"endAt":1767600060000,"channel":{"id":%d},"visitor":{},"paths":[],"messages":[{"type":"visitor","content":"%s","sentAt":1767600000123}]}`+"\n",
			i, strings.Repeat("x", 400))
	}
	if err := os.WriteFile(big, []byte(chats.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "new.db")
	err := Run(context.Background(), Options{Paths: []string{big}, Rows: "chats", Format: Format{To: "sqlite", Time: "rfc3339"}, Dest: db, Err: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "database or disk is full") || !strings.Contains(err.Error(), db) {
		t.Fatalf("a new database on a full disk: %v", err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Fatalf("a new database that did not fit left %v", names)
	}

	// The same with rows spilled to temporary files beside the database, which fill
	// the disk first: the same error, and nothing left.
	old := sqliteMemory
	sqliteMemory = 32 << 10
	err = Run(context.Background(), Options{Paths: []string{big}, Rows: "chats", Format: Format{To: "sqlite", Time: "rfc3339"}, Dest: db, Err: io.Discard})
	sqliteMemory = old
	if err == nil || !strings.Contains(err.Error(), "database or disk is full") || !strings.Contains(err.Error(), db) {
		t.Fatalf("a new database whose spilled rows fill the disk: %v", err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Fatalf("a new database whose spilled rows did not fit left %v", names)
	}
	t.Logf("spilled rows on a full disk: %v", err)

	db = filepath.Join(dir, "old.db")
	if err := Run(context.Background(), Options{Paths: []string{small}, Rows: "chats", Format: Format{To: "sqlite", Time: "rfc3339"}, Dest: db, Err: io.Discard}); err != nil {
		t.Fatal(err)
	}
	err = Run(context.Background(), Options{Paths: []string{big}, Rows: "chats", Format: Format{To: "sqlite", Time: "rfc3339"}, Dest: db, Err: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "database or disk is full") {
		t.Fatalf("upserting into a database on a full disk: %v", err)
	}
	if n := sqliteChatRows(t, db); n < 10 {
		t.Fatalf("the existing database holds %d chats after the failed run, want its 10 and more", n)
	}
}

// TestSQLiteTextTooLong: a text past what SQLite stores fails the batch with an error
// naming the limit (not a length that wraps around in the C call).
func TestSQLiteTextTooLong(t *testing.T) {
	old := sqliteMaxText
	sqliteMaxText = 10
	t.Cleanup(func() { sqliteMaxText = old })
	sink, err := openSQLite(SinkConfig{Format: checkedFormat(t, Format{To: "sqlite", Time: "rfc3339"}), Dest: filepath.Join(t.TempDir(), "x.db")})
	if err != nil {
		t.Fatal(err)
	}
	s := sink.(*sqliteSink)
	w := s.Worker()
	doc, _ := new(payload.Decoder).Decode([]byte(`{"accountId":7,"beginAt":1,"channel":{"id":1},"visitor":{"email":"someone.long@example.com"}}`))
	w.Add(&Row{Doc: doc}, make([]int, len(RowKinds)))
	err = s.Write(w.Take())
	if err == nil || !strings.Contains(err.Error(), "longer than SQLite stores") {
		t.Errorf("a too long text: %v", err)
	}
	s.Close(false)
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestSQLiteNewDatabaseEqualsUpserts: a new database, whose chat tables are written
// straight in SQLite's file format, holds exactly what upserting the same documents
// through SQLite into an existing (empty) database gives: every table, every value and
// its type, every rowid, with chats delivered twice, webhooks, stats reports, times
// as text and as numbers. It passes SQLite's integrity check, and a later conversion
// into it upserts as into any database.
func TestSQLiteNewDatabaseEqualsUpserts(t *testing.T) {
	dir := t.TempDir()
	var docs bytes.Buffer
	for _, k := range []fake.Kind{fake.KindHook, fake.KindWebhook, fake.KindStats, fake.KindHook} {
		g := fake.New(fake.Options{Seed: 11, Kind: k})
		for i := range 400 {
			docs.Write(g.Append(nil, i))
			docs.WriteByte('\n')
		}
	}
	// A chat delivered again with other content: the last delivery wins.
	docs.WriteString(`{"accountId":7,"beginAt":1767600000123,"endAt":1767600060000,"channel":{"id":1},"visitor":{},"paths":[],"messages":[{"type":"visitor","content":"first","sentAt":1767600000123},{"type":"visitor","content":"second","sentAt":1767600000124}]}` + "\n")
	docs.WriteString(`{"accountId":7,"beginAt":1767600000999,"endAt":1767600060000,"channel":{"id":1},"visitor":{},"paths":[],"messages":[{"type":"visitor","content":"again","sentAt":1767600000123}]}` + "\n")
	file := filepath.Join(dir, "docs.ndjson")
	if err := os.WriteFile(file, docs.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.ndjson")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tf := range []string{"rfc3339", "unix", "ms"} {
		f := Format{To: "sqlite", Time: tf}
		fresh, upserted := filepath.Join(dir, "fresh-"+tf+".db"), filepath.Join(dir, "upserted-"+tf+".db")
		convertTo(t, file, Options{Format: f, Dest: fresh})
		convertTo(t, empty, Options{Format: f, Dest: upserted})
		convertTo(t, file, Options{Format: f, Dest: upserted})
		a, b := sqliteDump(t, fresh), sqliteDump(t, upserted)
		for table, rows := range b {
			if len(rows) == 0 && table != "domains" && table != "variables" {
				t.Errorf("--time %s: table %s is empty: the test proves nothing of it", tf, table)
			}
			if !slices.Equal(a[table], rows) {
				t.Errorf("--time %s: table %s: the new database holds %d rows, upserting gives %d; first difference:\n%s",
					tf, table, len(a[table]), len(rows), firstDiff(a[table], rows))
			}
		}
		if len(a) != len(b) {
			t.Errorf("--time %s: %d tables in the new database, %d upserted", tf, len(a), len(b))
		}
		// The written database takes upserts like any other.
		convertTo(t, file, Options{Format: f, Dest: fresh})
		if c := sqliteDump(t, fresh); !slices.Equal(c["messages"], b["messages"]) {
			t.Errorf("--time %s: converting the same documents again into the new database changed its messages", tf)
		}
	}
}

// sqliteDump reads every table of db (after an integrity check): each row as its
// rowid (if any) and its values with their types, in key order.
func sqliteDump(t *testing.T, db string) map[string][]string {
	t.Helper()
	sqliteChatRows(t, db) // the integrity check
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	out := map[string][]string{}
	for _, tb := range sqliteTables() {
		name := tb.kind.Name
		sel := []string{}
		if !tb.keyed() {
			sel = append(sel, "rowid")
		}
		for _, c := range tb.names {
			sel = append(sel, fmt.Sprintf("typeof(%s)", quoteIdent(c)), quoteIdent(c))
		}
		q := fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", strings.Join(sel, ", "), quoteIdent(name), quoteList(sqliteKeys[name]))
		if !tb.keyed() {
			q += ", rowid"
		}
		rs, err := conn.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", db, err)
		}
		rows := []string{}
		for rs.Next() {
			cells := make([]any, len(sel))
			ptrs := make([]any, len(sel))
			for i := range cells {
				ptrs[i] = &cells[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, fmt.Sprintf("%#v", cells))
		}
		rs.Close()
		out[name] = rows
	}
	return out
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf(" new: %.400s\n upserted: %.400s", a[i], b[i])
		}
	}
	return "(one is a prefix of the other)"
}
