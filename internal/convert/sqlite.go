package convert

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, "sqlite"

	"github.com/smarthook/smarthook/internal/exit"
)

// sqliteFormat is a SQLite database of every row kind, one table each, upserted so that
// converting overlapping inputs again adds no duplicates.
var sqliteFormat = &OutputFormat{
	Name:     "sqlite",
	Summary:  "a SQLite database (-o FILE): a table per row kind (chats, messages, paths, variables, events, webhook-messages, contacts, domains)",
	Open:     openSQLite,
	AllKinds: true,
}

// sqliteKeys are each table's primary key, by SQL column name.
var sqliteKeys = map[string][]string{
	"chats":     {"account_id", "chat_id"},
	"messages":  {"account_id", "chat_id", "index"},
	"paths":     {"account_id", "chat_id", "index"},
	"variables": {"account_id", "chat_id", "key"},
	"events":    {"account_id", "event", "timestamp", "data"},
	"domains":   {"hour", "domain"},
	// A message or a contact is the same one in every webhook that carries it: the
	// newest webhook's copy wins.
	"webhook-messages": {"account_id", "conversation_id", "id"},
	"contacts":         {"account_id", "id"},
}

// sqliteNullableKeys are the tables whose key may hold a null (the hour of a report
// whose file name tells none): rowid tables, where a primary key may be null. Rows with
// a null key are not matched on conversion again.
var sqliteNullableKeys = []string{"events", "domains", "webhook-messages", "contacts"}

// sqliteTimes are the indexed time columns.
var sqliteTimes = map[string]string{"chats": "begin_at", "messages": "sent_at", "events": "timestamp", "domains": "hour", "webhook-messages": "created_at"}

// sqliteRowsPerInsert is how many rows one INSERT statement carries.
const sqliteRowsPerInsert = 64

// sqliteRowsPerTx is about how many rows one transaction writes: input batches are
// grouped until then, for fewer, larger commits.
const sqliteRowsPerTx = 50000

// sqliteTable is one table: its columns (every column of its row kind but the
// variables map, which the variables table holds), names and upsert statements.
type sqliteTable struct {
	kind  *RowKind
	ki    int
	cols  []Column
	names []string
	many  *sql.Stmt // sqliteRowsPerInsert rows
	one   *sql.Stmt
}

func sqliteTables() []*sqliteTable {
	tables := make([]*sqliteTable, len(RowKinds))
	for i, rk := range RowKinds {
		t := &sqliteTable{kind: rk, ki: i}
		for _, c := range rk.Columns {
			if c.Type != Map {
				t.cols = append(t.cols, c)
			}
		}
		t.names = sqlNames(t.cols)
		tables[i] = t
	}
	return tables
}

// create is the table's CREATE TABLE statement.
func (t *sqliteTable) create(f Format) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (\n", quoteIdent(t.kind.Name))
	for i := range t.cols {
		fmt.Fprintf(&b, "  %s %s,\n", quoteIdent(t.names[i]), sqlType("sqlite", &t.cols[i], f))
	}
	fmt.Fprintf(&b, "  PRIMARY KEY (%s)\n)", quoteList(sqliteKeys[t.kind.Name]))
	if !slices.Contains(sqliteNullableKeys, t.kind.Name) {
		// Stored in key order, without a second index; its key columns cannot be null.
		b.WriteString(" WITHOUT ROWID")
	}
	b.WriteString(";\n")
	return b.String()
}

// index is the CREATE INDEX of the table's time column, "" when it has none. The run
// creates it at the end: building an index once is faster than keeping it up to date
// row by row (an existing one is kept up to date, as usual).
func (t *sqliteTable) index() string {
	col, ok := sqliteTimes[t.kind.Name]
	if !ok {
		return ""
	}
	return fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s (%s)",
		quoteIdent(t.kind.Name+"_"+col), quoteIdent(t.kind.Name), quoteIdent(col))
}

// upsert is an INSERT of n rows that replaces the rows of the same key.
func (t *sqliteTable) upsert(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", quoteIdent(t.kind.Name), quoteList(t.names))
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.cols)), ",") + ")"
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	fmt.Fprintf(&b, " ON CONFLICT (%s) DO UPDATE SET ", quoteList(sqliteKeys[t.kind.Name]))
	for i, name := range t.names {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s = excluded.%s", quoteIdent(name), quoteIdent(name))
	}
	return b.String()
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// sqliteSink upserts every row kind into its table, a transaction per ~50,000 rows.
type sqliteSink struct {
	cfg     SinkConfig
	db      *sql.DB
	tables  []*sqliteTable
	tx      *sql.Tx // the open transaction, nil between them
	pending int     // rows written in tx
}

func openSQLite(cfg SinkConfig) (Sink, error) {
	if cfg.Dest == "" || cfg.Dest == "-" {
		return nil, exit.Usagef("--to sqlite writes a database file: name it with -o FILE")
	}
	db, err := sql.Open("sqlite", cfg.Dest)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", cfg.Dest, err)
	}
	db.SetMaxOpenConns(1)
	s := &sqliteSink{cfg: cfg, db: db, tables: sqliteTables()}
	if err := s.prepare(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", cfg.Dest, err)
	}
	return s, nil
}

// prepare sets the database up for a bulk load, creates the tables and prepares the
// upserts.
func (s *sqliteSink) prepare() error {
	ctx := context.Background()
	for _, p := range []string{
		"PRAGMA page_size = 16384", // for a new database; an existing one keeps its own
		"PRAGMA journal_mode = WAL", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -16384",
		"PRAGMA wal_autocheckpoint = 4096", "PRAGMA temp_store = MEMORY",
	} {
		if _, err := s.db.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	for _, t := range s.tables {
		if _, err := s.db.ExecContext(ctx, t.create(s.cfg.Format)); err != nil {
			return err
		}
		var err error
		if t.many, err = s.db.PrepareContext(ctx, t.upsert(sqliteRowsPerInsert)); err != nil {
			return err
		}
		if t.one, err = s.db.PrepareContext(ctx, t.upsert(1)); err != nil {
			return err
		}
	}
	return nil
}

func (s *sqliteSink) Worker() SinkWorker {
	return &sqliteWorker{tables: s.tables, f: s.cfg.Format, args: make([][]any, len(s.tables))}
}

// Write upserts a batch's rows, in the open transaction; it commits once about
// sqliteRowsPerTx rows are in it.
func (s *sqliteSink) Write(batch any) error {
	args := batch.([][]any)
	if s.tx == nil {
		tx, err := s.db.Begin()
		if err != nil {
			return fmt.Errorf("write %s: %w", s.cfg.Dest, err)
		}
		s.tx = tx
	}
	for i, t := range s.tables {
		if err := t.insert(s.tx, args[i]); err != nil {
			s.tx.Rollback()
			s.tx = nil
			return fmt.Errorf("write %s: table %s: %w", s.cfg.Dest, t.kind.Name, err)
		}
		s.pending += len(args[i]) / len(t.cols)
	}
	if s.pending >= sqliteRowsPerTx {
		return s.commit()
	}
	return nil
}

// commit ends the open transaction.
func (s *sqliteSink) commit() error {
	if s.tx == nil {
		return nil
	}
	err := s.tx.Commit()
	s.tx, s.pending = nil, 0
	if err != nil {
		return fmt.Errorf("write %s: %w", s.cfg.Dest, err)
	}
	return nil
}

// insert upserts rows given as their cells one after the other.
func (t *sqliteTable) insert(tx *sql.Tx, args []any) error {
	n := len(t.cols)
	many, one := tx.Stmt(t.many), tx.Stmt(t.one)
	for len(args) >= n*sqliteRowsPerInsert {
		if _, err := many.Exec(args[:n*sqliteRowsPerInsert]...); err != nil {
			return err
		}
		args = args[n*sqliteRowsPerInsert:]
	}
	for len(args) > 0 {
		if _, err := one.Exec(args[:n]...); err != nil {
			return err
		}
		args = args[n:]
	}
	return nil
}

// Close commits what was written (the rows of a failed run's good batches are kept:
// converting again completes them), creates the time indexes and closes the database.
func (s *sqliteSink) Close(bool) error {
	err := s.commit()
	for _, t := range s.tables {
		if q := t.index(); q != "" && err == nil {
			_, err = s.db.Exec(q)
		}
	}
	if err == nil {
		_, err = s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", s.cfg.Dest, err)
	}
	return nil
}

func (s *sqliteSink) Where() string { return s.cfg.Dest }

// sqliteWorker turns documents into the cells of every table's rows.
type sqliteWorker struct {
	tables []*sqliteTable
	f      Format
	args   [][]any
	text   []byte
}

func (w *sqliteWorker) Add(r *Row, rows []int) {
	for _, t := range w.tables {
		if r.Doc.Kind != t.kind.Doc {
			continue
		}
		n := 1
		if t.kind.Count != nil {
			n = t.kind.Count(r.Doc)
		}
		for i := range n {
			r.Index = i
			r.scratch = r.scratch[:0]
			for c := range t.cols {
				w.args[t.ki] = append(w.args[t.ki], w.value(&t.cols[c], r))
			}
		}
		rows[t.ki] += n
	}
}

// value is a cell as SQLite stores it: integers (booleans 1 or 0), text, NULL; times
// as the text formats write them with --time.
func (w *sqliteWorker) value(c *Column, r *Row) any {
	cell := c.Cell(r)
	switch {
	case cell.Null:
		return nil
	case c.Type == Time && (w.f.Time == "rfc3339" || !c.Time):
		w.text = appendTimeText(w.text[:0], cell.Int, w.f)
		return string(w.text)
	case c.Type == Time && w.f.Time == "unix":
		return floorDiv(cell.Int, 1000)
	case c.Type == Text || c.Type == JSON || c.Type == Map:
		return string(cell.Text)
	}
	return cell.Int
}

func (w *sqliteWorker) Take() any {
	out := w.args
	w.args = make([][]any, len(w.tables))
	return out
}
