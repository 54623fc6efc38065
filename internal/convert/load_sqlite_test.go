package convert

import (
	"database/sql"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // reads the database back through the database/sql driver
)

const (
	sqliteMessages = `SELECT account_id, chat_id, "index", CAST(round((julianday(sent_at) - 2440587.5) * 86400000) AS INTEGER) AS sent_ms,
		name, content FROM messages`
	sqliteChats = `SELECT account_id, chat_id, CAST(round((julianday(begin_at) - 2440587.5) * 86400000) AS INTEGER) AS begin_ms,
		CASE channel_is_missed WHEN 1 THEN 'true' WHEN 0 THEN 'false' END AS is_missed,
		channel_rating AS rating, channel_rating_desc AS rating_desc, visitor_email FROM chats`
)

// TestLoadSQLite converts into a database twice (the second run must upsert, adding
// nothing) and reads it back through the library and the sqlite3 command.
func TestLoadSQLite(t *testing.T) {
	file, docs := loadInput(t)
	db := filepath.Join(t.TempDir(), "hooks.db")
	for range 2 {
		convertTo(t, file, Options{Format: Format{To: "sqlite"}, Dest: db})
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	compareRows(t, "messages", queryRows(t, conn, sqliteMessages), wantMessages(t, docs))
	compareRows(t, "chats", queryRows(t, conn, sqliteChats), wantChats(t, docs))
	var keys, pk int
	if err := conn.QueryRow(`SELECT count(*) FROM pragma_table_info('messages') WHERE pk > 0`).Scan(&pk); err != nil || pk != 3 {
		t.Errorf("messages primary key has %d columns (%v), want 3", pk, err)
	}
	if err := conn.QueryRow(`SELECT count(*) FROM pragma_index_list('chats') WHERE name = 'chats_begin_at'`).Scan(&keys); err != nil || keys != 1 {
		t.Errorf("chats has no index on begin_at (%v)", err)
	}
	var typ string
	if err := conn.QueryRow(`SELECT typeof(channel_duration) FROM chats WHERE channel_duration IS NOT NULL LIMIT 1`).Scan(&typ); err != nil || typ != "integer" {
		t.Errorf("channel_duration is stored as %q (%v), want integer", typ, err)
	}

	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not installed (apt-get install sqlite3): the command-line check is skipped")
	}
	out, err := exec.Command(sqlite3, "-json", db, sqliteMessages+";").CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	compareRows(t, "sqlite3 messages", jsonRows(t, out, messageNames), wantMessages(t, docs))
}

// TestLoadSQLiteDDL loads the CSV through the sqlite3 command into the table --ddl
// sqlite creates.
func TestLoadSQLiteDDL(t *testing.T) {
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not installed (apt-get install sqlite3)")
	}
	file, docs := loadInput(t)
	dir := t.TempDir()
	csvFile := filepath.Join(dir, "messages.csv")
	convertTo(t, file, Options{Rows: "messages", Format: Format{To: "csv"}, Dest: csvFile, NoHeader: true})
	ddl := ddlText(t, "sqlite", "messages", nil)
	script := ddl + ".mode csv\n.import '" + csvFile + "' messages\n.mode json\n" + sqliteMessages + ";\n"
	cmd := exec.Command(sqlite3, filepath.Join(dir, "x.db"))
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	got := jsonRows(t, out, messageNames)
	// sqlite3's .import has no NULL: an empty cell is an empty string there.
	want := wantMessages(t, docs)
	for _, r := range want {
		for i, c := range r {
			if c == nil {
				r[i] = str("")
			}
		}
	}
	compareRows(t, "sqlite3 .import messages", got, want)
}

// queryRows runs a query and returns its cells as text.
func queryRows(t *testing.T, conn *sql.DB, query string) [][]cell {
	t.Helper()
	rs, err := conn.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var rows [][]cell
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]cell, len(cols))
		for i, v := range vals {
			if v.Valid {
				row[i] = str(v.String)
			}
		}
		rows = append(rows, row)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	sortRows(rows)
	return rows
}
