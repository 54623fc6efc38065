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

	"github.com/smarthook/smarthook/internal/input"
)

// TestCountsAgainstSQLite recomputes the counts, rates, ratings and the percentiles of
// the hooks' response times in SQL (SQLite's JSON functions over the raw documents),
// an implementation that shares nothing with ours.
func TestCountsAgainstSQLite(t *testing.T) {
	path, docs := generate(t, 2500, 23)
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
	sql := sqliteAnswer(t, docs, "SELECT "+query+" FROM raw;")
	rep := collect(t, Options{Paths: []string{path}, TZ: time.UTC})
	f := &rep.Chats
	ours := []string{itoa(f.Chats), itoa(f.IsChat), itoa(f.Missed), itoa(f.Offline), itoa(f.Triggered), itoa(f.Completed), itoa(f.Dropped),
		itoa(f.Ratings.Rated), num(f.Ratings.Mean), itoa(f.Ratings.Distribution[4]), itoa(f.Ratings.WithComment),
		num(f.FirstResponseTime.Hook.Mean),
		num(f.FirstResponseTime.Hook.P50), num(f.FirstResponseTime.Hook.P90), num(f.FirstResponseTime.Hook.P99),
		num(f.ResponseTime.Hook.P50), num(f.Duration.P90), itoa(rep.Heatmap.Counts[0][9])}
	if len(sql) != len(ours) {
		t.Fatalf("sqlite3 answered %q", sql)
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

// sqliteAnswer runs query over docs, one a row of table raw (rowid in their order),
// and returns the comma-separated answer; it skips the test without sqlite3.
func sqliteAnswer(t *testing.T, docs [][]byte, query string) []string {
	t.Helper()
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not installed: the SQL cross-check is skipped")
	}
	rows := filepath.Join(t.TempDir(), "rows.txt")
	if err := os.WriteFile(rows, bytes.Join(docs, []byte{0x1e}), 0o644); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf("CREATE TABLE raw(doc TEXT);\n.mode ascii\n.import %s raw\n.mode list\n.separator ,\n%s\n", rows, query)
	cmd := exec.Command(sqlite, ":memory:")
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	return strings.Split(strings.TrimSpace(string(out)), ",")
}

// TestDuplicatesAgainstSQLite: the chats of a stream with re-deliveries, their first
// copies chosen in SQL (the lowest rowid of each accountId and channel.id), and the
// REST webhooks' ratings, one per conversation (the latest by timestamp) after
// identical deliveries are dropped.
func TestDuplicatesAgainstSQLite(t *testing.T) {
	_, hooks := generate(t, 800, 59)
	_, webhooks := generateWebhooks(t, 1200, 61)
	docs := append(deliveries(t, hooks, 11), redeliver(webhooks)...)
	query := `CREATE TABLE firsts AS SELECT doc FROM raw WHERE json_extract(doc,'$.accountId') IS NOT NULL AND rowid IN
  (SELECT min(rowid) FROM raw GROUP BY json_extract(doc,'$.accountId'), json_extract(doc,'$.channel.id'));
CREATE TABLE hooks AS SELECT doc FROM raw WHERE json_extract(doc,'$.accountId') IS NOT NULL;
CREATE TABLE wh AS SELECT rowid r, doc,
  coalesce(json_extract(doc,'$.data.conversation.id'), json_extract(doc,'$.data.conversation_id'), json_extract(doc,'$.data.message.conversation_id')) conv,
  CASE WHEN json_type(doc,'$.data.rating_value') = 'integer' THEN json_extract(doc,'$.data.rating_value') ELSE json_extract(doc,'$.data.conversation.rating_value') END rating,
  CASE WHEN json_type(doc,'$.data.rating_value') = 'integer' THEN json_extract(doc,'$.data.rating_text') ELSE json_extract(doc,'$.data.conversation.rating_text') END txt
  FROM raw WHERE json_extract(doc,'$.account_id') IS NOT NULL AND rowid IN
  (SELECT min(rowid) FROM raw GROUP BY json_extract(doc,'$.account_id'), json_extract(doc,'$.event'), json_extract(doc,'$.timestamp'), json(json_extract(doc,'$.data')));
CREATE TABLE latest AS SELECT rating, txt FROM (SELECT rating, txt, row_number() OVER
  (PARTITION BY json_extract(doc,'$.account_id'), conv ORDER BY julianday(json_extract(doc,'$.timestamp')) DESC, r DESC) n
  FROM wh WHERE conv IS NOT NULL AND rating BETWEEN 1 AND 5) WHERE n = 1
  UNION ALL SELECT rating, txt FROM wh WHERE conv IS NULL AND rating BETWEEN 1 AND 5;
CREATE TABLE allratings AS SELECT json_extract(doc,'$.channel.rating') rating, json_extract(doc,'$.channel.ratingDesc') txt FROM firsts
  WHERE json_extract(doc,'$.channel.rating') IS NOT NULL UNION ALL SELECT rating, txt FROM latest;
SELECT (SELECT count(*) FROM firsts), (SELECT sum(json_extract(doc,'$.channel.isMissed')) FROM firsts),
  (SELECT round(avg(json_extract(doc,'$.channel.firstResponse')), 3) FROM firsts),
  (SELECT (SELECT count(*) FROM hooks) - count(*) FROM firsts),
  (SELECT count(*) FROM raw WHERE json_extract(doc,'$.account_id') IS NOT NULL) - (SELECT count(*) FROM wh),
  (SELECT count(*) FROM wh), (SELECT count(DISTINCT json_extract(doc,'$.account_id') || ' ' || conv) FROM wh WHERE conv IS NOT NULL),
  (SELECT count(*) FROM wh WHERE conv IS NULL AND rating BETWEEN 1 AND 5),
  count(*), round(avg(rating), 4), sum(rating = 1), sum(rating = 5), sum(trim(txt) != ''), (SELECT count(*) FROM latest)
  FROM allratings;`
	sql := sqliteAnswer(t, docs, query)
	if len(sql) != 14 {
		t.Fatalf("sqlite3 answered %q", sql)
	}
	// The duplicates of hooks and of webhooks are one figure in the report.
	hookDups, _ := strconv.ParseInt(sql[3], 10, 64)
	whDups, _ := strconv.ParseInt(sql[4], 10, 64)
	sql = append(append(sql[:3:3], itoa(hookDups+whDups)), sql[5:]...)
	rep := collect(t, Options{Paths: []string{writeNDJSON(t, docs)}, TZ: time.UTC, Input: input.Options{BlockSize: 16 << 10}})
	f, d, r := &rep.Chats, &rep.Documents, &rep.Chats.Ratings
	ours := []string{itoa(f.Chats), itoa(f.Missed), num(f.FirstResponseTime.Hook.Mean), itoa(d.Duplicates),
		itoa(d.Webhooks), itoa(rep.Webhooks.Conversations), itoa(r.Of - f.Chats - rep.Webhooks.Conversations),
		itoa(r.Rated), num(r.Mean), itoa(r.Distribution[0]), itoa(r.Distribution[4]), itoa(r.WithComment), itoa(r.FromWebhooks)}
	names := []string{"chats", "missed", "first response mean", "duplicates", "webhooks", "conversations",
		"ratings naming no conversation", "rated", "mean", "rated 1", "rated 5", "with comment", "from webhooks"}
	for i := range ours {
		if sql[i] != ours[i] {
			t.Errorf("%s: SQL %s, stats %s", names[i], sql[i], ours[i])
		}
	}
	if hookDups == 0 || whDups == 0 || r.FromWebhooks == 0 {
		t.Errorf("the data hold %d hook and %d webhook duplicates and %d webhook ratings: too few to test", hookDups, whDups, r.FromWebhooks)
	}
}
