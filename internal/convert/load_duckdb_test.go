package convert

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// duckDBScript runs SQL statements (its arguments) in an in-memory DuckDB and prints
// the last one's rows as a JSON array.
const duckDBScript = `import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
let rows = [];
for (const sql of process.argv.slice(2)) rows = (await conn.runAndReadAll(sql)).getRowObjectsJson();
console.log(JSON.stringify(rows));
`

// duckDB finds node and @duckdb/node-api: in the folder SMARTHOOK_DUCKDB_NODE names, or
// bench/.node where the bench scripts install it; the test is skipped without them.
func duckDB(t *testing.T) func(sql ...string) []byte {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the DuckDB checks are skipped")
	}
	dir := os.Getenv("SMARTHOOK_DUCKDB_NODE")
	if dir == "" {
		dir, _ = filepath.Abs(filepath.Join("..", "..", "bench", ".node"))
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api")); err != nil {
		t.Skipf("@duckdb/node-api is not installed in %s (npm install --prefix %s @duckdb/node-api, or set SMARTHOOK_DUCKDB_NODE): the DuckDB checks are skipped", dir, dir)
	}
	script := filepath.Join(dir, "smarthook-load-test.mjs")
	if err := os.WriteFile(script, []byte(duckDBScript), 0o644); err != nil {
		t.Fatal(err)
	}
	return func(sql ...string) []byte {
		t.Helper()
		out, err := exec.Command(node, append([]string{script}, sql...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("duckdb %q: %v\n%s", sql, err, out)
		}
		return out
	}
}

const (
	duckMessages = `SELECT account_id, chat_id, "index", epoch_ms(sent_at) AS sent_ms, name, content FROM `
	duckChats    = `SELECT account_id, chat_id, epoch_ms(begin_at) AS begin_ms, channel_is_missed AS is_missed,
		channel_rating AS rating, channel_rating_desc AS rating_desc, visitor_email FROM `
)

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// TestLoadDuckDBParquet reads Parquet files with DuckDB: their column types, every
// value, and a Hive-partitioned folder as one table.
func TestLoadDuckDBParquet(t *testing.T) {
	query := duckDB(t)
	file, docs := loadInput(t)
	dir := t.TempDir()
	messages := filepath.Join(dir, "messages.parquet")
	convertTo(t, file, Options{Rows: "messages", Format: Format{To: "parquet"}, Dest: messages})
	compareRows(t, "parquet messages", jsonRows(t, query(duckMessages+sqlString(messages)), messageNames), wantMessages(t, docs))

	chats := filepath.Join(dir, "chats.parquet")
	convertTo(t, file, Options{Format: Format{To: "parquet"}, Dest: chats, Compression: "snappy"})
	compareRows(t, "parquet chats", jsonRows(t, query(duckChats+sqlString(chats)), chatNames), wantChats(t, docs))
	types := string(query(`SELECT string_agg(column_name || ' ' || column_type, ', ') AS t FROM (DESCRIBE SELECT * FROM ` + sqlString(chats) + `)`))
	for _, want := range []string{"account_id BIGINT", "chat_id BIGINT", "begin_at TIMESTAMP WITH TIME ZONE",
		"channel_is_missed BOOLEAN", "channel_rating INTEGER", "channel_rating_desc VARCHAR", "messages_count BIGINT"} {
		if !strings.Contains(types, want) {
			t.Errorf("chats.parquet types %s: no %q", types, want)
		}
	}

	lake := filepath.Join(dir, "lake")
	convertTo(t, file, Options{Format: Format{To: "parquet"}, Dest: lake, PartitionBy: "day"})
	glob := sqlString(filepath.Join(lake, "*", "*.parquet"))
	compareRows(t, "partitioned chats", jsonRows(t, query(duckChats+"read_parquet("+glob+", hive_partitioning = true)"), chatNames), wantChats(t, docs))
	days := jsonRows(t, query(`SELECT count(*) AS bad FROM read_parquet(`+glob+`, hive_partitioning = true)
		WHERE day <> CAST(begin_at AT TIME ZONE 'UTC' AS DATE)`), []string{"bad"})
	if len(days) != 1 || *days[0][0] != "0" {
		t.Errorf("rows in the wrong day= folder: %s", show(days[0]))
	}
}

// TestLoadDuckDBCSV creates the table --ddl duckdb prints and loads the CSV into it.
func TestLoadDuckDBCSV(t *testing.T) {
	query := duckDB(t)
	file, docs := loadInput(t)
	dir := t.TempDir()
	for _, rows := range []string{"messages", "chats"} {
		csvFile, ddl := csvWithDDL(t, file, dir, "duckdb", rows)
		// DuckDB reads a quoted "" as NULL unless told not to (allow_quoted_nulls).
		load := `COPY ` + rows + ` FROM ` + sqlString(csvFile) + ` (FORMAT csv, HEADER, allow_quoted_nulls false)`
		if rows == "messages" {
			compareRows(t, "CSV messages", jsonRows(t, query(ddl, load, duckMessages+"messages"), messageNames), wantMessages(t, docs))
		} else {
			compareRows(t, "CSV chats", jsonRows(t, query(ddl, load, duckChats+"chats"), chatNames), wantChats(t, docs))
		}
	}
}
