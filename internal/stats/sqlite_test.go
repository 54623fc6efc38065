package stats

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCountsAgainstSQLite recomputes the counts, rates, ratings and the percentiles of
// the hooks' response times in SQL (SQLite's JSON functions over the raw documents),
// an implementation that shares nothing with ours.
func TestCountsAgainstSQLite(t *testing.T) {
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not installed: the SQL cross-check is skipped")
	}
	path, docs := generate(t, 2500, 23)
	// One document a record, separated by the ASCII record separator for .mode ascii.
	rows := filepath.Join(t.TempDir(), "rows.txt")
	if err := os.WriteFile(rows, bytes.Join(docs, []byte{0x1e}), 0o644); err != nil {
		t.Fatal(err)
	}
	pct := func(field string, q int) string {
		return fmt.Sprintf(`(WITH v AS (SELECT json_extract(doc,'$.channel.%[1]s') x FROM raw WHERE json_type(doc,'$.channel.%[1]s')='integer'),
 o AS (SELECT x, row_number() OVER (ORDER BY x) rn, count(*) OVER () n FROM v)
 SELECT x FROM o WHERE rn = (n*%[2]d + 99)/100)`, field, q)
	}
	flag := func(f string) string { return fmt.Sprintf("sum(json_extract(doc,'$.channel.%s'))", f) }
	query := strings.Join([]string{
		"count(*)", flag("isChat"), flag("isMissed"), flag("isOffline"), flag("isTriggered"), flag("isCompleted"), flag("isDropped"),
		"count(json_extract(doc,'$.channel.rating'))", "round(avg(json_extract(doc,'$.channel.rating')), 4)",
		"sum(json_extract(doc,'$.channel.rating') = 5)", "sum(json_extract(doc,'$.channel.ratingDesc') != '')",
		"round(avg(json_extract(doc,'$.channel.firstResponse')), 3)",
		pct("firstResponse", 50), pct("firstResponse", 90), pct("firstResponse", 99), pct("avgResponse", 50), pct("duration", 90),
		"sum(strftime('%w', json_extract(doc,'$.beginAt')/1000, 'unixepoch') = '1' AND strftime('%H', json_extract(doc,'$.beginAt')/1000, 'unixepoch') = '09')",
	}, ", ")
	script := fmt.Sprintf("CREATE TABLE raw(doc TEXT);\n.mode ascii\n.import %s raw\n.mode list\n.separator ,\nSELECT %s FROM raw;\n", rows, query)
	cmd := exec.Command(sqlite, ":memory:")
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	sql := strings.Split(strings.TrimSpace(string(out)), ",")
	rep := collect(t, Options{Paths: []string{path}, TZ: time.UTC})
	f := &rep.Chats
	ours := []string{itoa(f.Chats), itoa(f.IsChat), itoa(f.Missed), itoa(f.Offline), itoa(f.Triggered), itoa(f.Completed), itoa(f.Dropped),
		itoa(f.Ratings.Rated), num(f.Ratings.Mean), itoa(f.Ratings.Distribution[4]), itoa(f.Ratings.WithComment),
		num(f.FirstResponseTime.Hook.Mean),
		num(f.FirstResponseTime.Hook.P50), num(f.FirstResponseTime.Hook.P90), num(f.FirstResponseTime.Hook.P99),
		num(f.ResponseTime.Hook.P50), num(f.Duration.P90), itoa(rep.Heatmap.Counts[0][9])}
	if len(sql) != len(ours) {
		t.Fatalf("sqlite3 answered %q", out)
	}
	for i := range ours {
		a, _ := strconv.ParseFloat(sql[i], 64)
		b, _ := strconv.ParseFloat(ours[i], 64)
		// Durations have more distinct values than the sketch keeps exactly.
		tol := 0.0
		if i == 16 {
			tol = a*Alpha + 0.05
		}
		if d := a - b; d > tol || d < -tol {
			t.Errorf("figure %d: SQL %s, stats %s", i, sql[i], ours[i])
		}
	}
}
