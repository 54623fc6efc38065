package convert

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// postgres starts a throwaway PostgreSQL cluster on a Unix socket in a temporary
// folder (as the postgres user when the test runs as root, since PostgreSQL refuses
// root) and returns a function running psql with arguments and stdin. The test is
// skipped when PostgreSQL is not installed or cannot be started.
func postgres(t *testing.T) func(stdin string, args ...string) []byte {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Skip("PostgreSQL is not installed (apt-get install postgresql): the PostgreSQL checks are skipped")
	}
	slices.Sort(bins)
	bin := filepath.Dir(bins[len(bins)-1])
	var prefix []string
	if os.Geteuid() == 0 {
		runuser, err := exec.LookPath("runuser")
		if _, uerr := user.Lookup("postgres"); err != nil || uerr != nil {
			t.Skip("running as root without runuser or a postgres user: PostgreSQL cannot be started")
		}
		prefix = []string{runuser, "-u", "postgres", "--"}
	}
	dir, err := os.MkdirTemp("", "smarthook-pg-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	run := func(stdin string, name string, args ...string) ([]byte, error) {
		argv := append(append(append([]string{}, prefix...), filepath.Join(bin, name)), args...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Stdin = strings.NewReader(stdin)
		cmd.Dir = dir
		return cmd.CombinedOutput()
	}
	data := filepath.Join(dir, "data")
	if out, err := run("", "initdb", "-D", data, "-A", "trust", "-U", "smarthook", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		t.Skipf("initdb failed, PostgreSQL checks skipped: %v\n%s", err, out)
	}
	opts := "-k " + dir + " -c listen_addresses= -F"
	if out, err := run("", "pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		t.Skipf("pg_ctl start failed, PostgreSQL checks skipped: %v\n%s%s", err, out, log)
	}
	t.Cleanup(func() {
		run("", "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
		os.RemoveAll(dir)
	})
	return func(stdin string, args ...string) []byte {
		t.Helper()
		out, err := run(stdin, "psql", append([]string{"-h", dir, "-U", "smarthook", "-d", "postgres", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"}, args...)...)
		if err != nil {
			t.Fatalf("psql %q: %v\n%s", args, err, out)
		}
		return out
	}
}

// TestLoadPostgres creates the tables --ddl postgres prints and loads the CSV with
// COPY ... (FORMAT csv, HEADER), unchanged.
func TestLoadPostgres(t *testing.T) {
	psql := postgres(t)
	file, docs := loadInput(t)
	dir := t.TempDir()
	for _, rows := range []string{"messages", "chats"} {
		csvFile, ddl := csvWithDDL(t, file, dir, "postgres", rows)
		psql("", "-c", ddl)
		data, err := os.ReadFile(csvFile)
		if err != nil {
			t.Fatal(err)
		}
		psql(string(data), "-c", "COPY "+rows+" FROM STDIN (FORMAT csv, HEADER)")
	}
	ms := func(col string) string { return "(extract(epoch FROM " + col + ") * 1000)::bigint" }
	messages := psql("", "-c", `SELECT json_agg(m) FROM (SELECT account_id, chat_id, "index", `+ms("sent_at")+` AS sent_ms, name, content FROM messages) m`)
	compareRows(t, "PostgreSQL messages", jsonRows(t, messages, messageNames), wantMessages(t, docs))
	chats := psql("", "-c", `SELECT json_agg(c) FROM (SELECT account_id, chat_id, `+ms("begin_at")+` AS begin_ms, channel_is_missed AS is_missed,
		channel_rating AS rating, channel_rating_desc AS rating_desc, visitor_email FROM chats) c`)
	compareRows(t, "PostgreSQL chats", jsonRows(t, chats, chatNames), wantChats(t, docs))
	types := string(psql("", "-c", `SELECT string_agg(column_name || ' ' || data_type, ', ') FROM information_schema.columns WHERE table_name = 'chats'`))
	for _, want := range []string{"chat_id bigint", "begin_at timestamp with time zone", "channel_is_missed boolean", "channel_rating integer"} {
		if !strings.Contains(types, want) {
			t.Errorf("chats types %s: no %q", types, want)
		}
	}
}
