package convert

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/smarthook/smarthook/internal/atomicfile"
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

// sqliteRowsPerStmt is how many rows one INSERT statement carries.
const sqliteRowsPerStmt = 64

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
	one   *sqliteStmt // the upsert of one row
	many  *sqliteStmt // of sqliteRowsPerStmt rows
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

// upsert is the INSERT of rows that replaces the rows of the same key. Several rows a
// statement save SQLite's per-statement work; a new database, written without a
// journal, pays no statement journal for them either.
func (t *sqliteTable) upsert(rows int) string {
	var b strings.Builder
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.cols)), ",") + ")"
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES %s", quoteIdent(t.kind.Name), quoteList(t.names),
		strings.TrimSuffix(strings.Repeat(row+",", rows), ","))
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
	db      *sqliteConn
	tables  []*sqliteTable
	inTx    bool // a transaction is open
	pending int  // rows written in it
	// fresh is the new database being written under a temporary name, published whole
	// when the run succeeds; nil when the run upserts into an existing database.
	fresh *atomicfile.File
}

func openSQLite(cfg SinkConfig) (Sink, error) {
	if cfg.Dest == "" || cfg.Dest == "-" {
		return nil, exit.Usagef("--to sqlite writes a database file: name it with -o FILE")
	}
	s := &sqliteSink{cfg: cfg, tables: sqliteTables()}
	path := cfg.Dest
	if _, err := os.Lstat(cfg.Dest); errors.Is(err, fs.ErrNotExist) {
		if s.fresh, err = atomicfile.Create(cfg.Dest); err != nil {
			return nil, fmt.Errorf("open %s: %w", cfg.Dest, err)
		}
		path = s.fresh.TempName()
	}
	db, err := openSQLiteConn(path)
	if err == nil {
		s.db = db
		err = s.prepare()
	}
	if err != nil {
		if s.db != nil {
			s.closeDB()
		}
		if s.fresh != nil {
			s.fresh.Abort()
		}
		return nil, fmt.Errorf("open %s: %w", cfg.Dest, err)
	}
	return s, nil
}

// prepare sets the database up for a bulk load, creates the tables and prepares the
// upserts. A new database is written without a journal, by this connection alone: it
// is a temporary file until the run succeeds, so there is nothing to roll back to. An
// existing one is upserted in WAL mode, so a run that stops keeps the batches it
// committed and leaves the database whole.
func (s *sqliteSink) prepare() error {
	journal := []string{"PRAGMA journal_mode = WAL", "PRAGMA wal_autocheckpoint = 4096"}
	if s.fresh != nil {
		journal = []string{"PRAGMA journal_mode = OFF", "PRAGMA locking_mode = EXCLUSIVE"}
	}
	for _, p := range append([]string{
		"PRAGMA page_size = 16384", // for a new database; an existing one keeps its own
		"PRAGMA synchronous = OFF", "PRAGMA cache_size = -32768", "PRAGMA temp_store = MEMORY",
	}, journal...) {
		if err := s.db.exec(p); err != nil {
			return err
		}
	}
	for _, t := range s.tables {
		if err := s.db.exec(t.create(s.cfg.Format)); err != nil {
			return err
		}
		var err error
		if t.one, err = s.db.prepare(t.upsert(1)); err != nil {
			return err
		}
		if t.many, err = s.db.prepare(t.upsert(sqliteRowsPerStmt)); err != nil {
			return err
		}
	}
	return nil
}

// closeDB finalizes the statements and closes the database.
func (s *sqliteSink) closeDB() error {
	for _, t := range s.tables {
		t.one.finalize()
		t.many.finalize()
	}
	return s.db.close()
}

func (s *sqliteSink) Worker() SinkWorker {
	return &sqliteWorker{tables: s.tables, f: s.cfg.Format, batch: newSQLiteBatch(len(s.tables))}
}

// Write upserts a batch's rows, in the open transaction; it commits once about
// sqliteRowsPerTx rows are in it.
func (s *sqliteSink) Write(batch any) error {
	b := batch.(*sqliteBatch)
	if !s.inTx {
		if err := s.db.exec("BEGIN"); err != nil {
			return fmt.Errorf("write %s: %w", s.cfg.Dest, err)
		}
		s.inTx = true
	}
	for i, t := range s.tables {
		if err := t.insert(s.db, b.cells[i], b.text[i]); err != nil {
			s.db.exec("ROLLBACK")
			s.inTx = false
			return fmt.Errorf("write %s: table %s: %w", s.cfg.Dest, t.kind.Name, err)
		}
		s.pending += len(b.cells[i]) / len(t.cols)
	}
	if s.pending >= sqliteRowsPerTx {
		return s.commit()
	}
	return nil
}

// commit ends the open transaction.
func (s *sqliteSink) commit() error {
	if !s.inTx {
		return nil
	}
	err := s.db.exec("COMMIT")
	s.inTx, s.pending = false, 0
	if err != nil {
		return fmt.Errorf("write %s: %w", s.cfg.Dest, err)
	}
	return nil
}

// insert upserts rows given as their cells one after the other, their texts in text.
func (t *sqliteTable) insert(db *sqliteConn, cells []sqliteCell, text []byte) error {
	if len(cells) == 0 {
		return nil
	}
	base, err := db.cText(text)
	if err != nil {
		return err
	}
	defer db.freeC(base)
	n := len(t.cols)
	for len(cells) >= n {
		st, k := t.one, n
		if len(cells) >= n*sqliteRowsPerStmt {
			st, k = t.many, n*sqliteRowsPerStmt
		}
		for i, c := range cells[:k] {
			if c.kind == sqliteText && c.n < 0 {
				return fmt.Errorf("a text longer than SQLite stores (%d bytes)", sqliteMaxText)
			}
			var rc int32
			switch c.kind {
			case sqliteNull:
				rc = st.bindNull(i + 1)
			case sqliteInt:
				rc = st.bindInt(i+1, c.v)
			default:
				rc = st.bindText(i+1, base+uintptr(c.v), c.n)
			}
			if rc != 0 {
				return db.err(rc)
			}
		}
		if err := st.run(); err != nil {
			return err
		}
		cells = cells[k:]
	}
	return nil
}

// Close finishes the database: it commits what was written, creates the time indexes
// and closes it. A new database then takes its name; when the run failed it is
// removed instead, as the other formats' files are. An existing database keeps the
// batches a failed run committed: converting again completes them.
func (s *sqliteSink) Close(ok bool) error {
	if s.fresh != nil && !ok {
		s.closeDB()
		s.fresh.Abort()
		return nil
	}
	err := s.commit()
	for _, t := range s.tables {
		if q := t.index(); q != "" && err == nil {
			err = s.db.exec(q)
		}
	}
	if err == nil && s.fresh == nil {
		err = s.db.exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	if cerr := s.closeDB(); err == nil {
		err = cerr
	}
	if s.fresh != nil {
		if err == nil {
			err = s.fresh.Commit()
		} else {
			s.fresh.Abort()
		}
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", s.cfg.Dest, err)
	}
	return nil
}

func (s *sqliteSink) Where() string { return s.cfg.Dest }

// sqliteCell is one value of a row: NULL, an integer (v), or text (n bytes at offset v
// of its batch's text).
type sqliteCell struct {
	v    int64
	n    int32
	kind uint8
}

// sqliteMaxText is the longest text SQLite stores by default (SQLITE_MAX_LENGTH); a
// variable for the tests.
var sqliteMaxText = 1_000_000_000

const (
	sqliteNull uint8 = iota
	sqliteInt
	sqliteText
)

// sqliteBatch is the rows of a batch by table: cells, and the texts they point into.
// It holds no pointer per value, so a batch costs the garbage collector nothing to scan.
type sqliteBatch struct {
	cells [][]sqliteCell
	text  [][]byte
}

func newSQLiteBatch(tables int) *sqliteBatch {
	return &sqliteBatch{cells: make([][]sqliteCell, tables), text: make([][]byte, tables)}
}

// sqliteWorker turns documents into the cells of every table's rows.
type sqliteWorker struct {
	tables []*sqliteTable
	f      Format
	batch  *sqliteBatch
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
				w.add(t.ki, &t.cols[c], r)
			}
		}
		rows[t.ki] += n
	}
}

// add appends a cell as SQLite stores it: integers (booleans 1 or 0), text, NULL;
// times as the text formats write them with --time.
func (w *sqliteWorker) add(ki int, c *Column, r *Row) {
	cell := c.Cell(r)
	b := w.batch
	switch {
	case cell.Null:
		b.cells[ki] = append(b.cells[ki], sqliteCell{kind: sqliteNull})
		return
	case c.Type == Time && w.f.Time == "unix" && c.Time:
		b.cells[ki] = append(b.cells[ki], sqliteCell{kind: sqliteInt, v: floorDiv(cell.Int, 1000)})
		return
	case c.Type == Time && (w.f.Time == "rfc3339" || !c.Time):
		start := len(b.text[ki])
		b.text[ki] = appendTimeText(b.text[ki], cell.Int, w.f)
		b.cells[ki] = append(b.cells[ki], sqliteCell{kind: sqliteText, v: int64(start), n: int32(len(b.text[ki]) - start)})
		return
	case c.Type == Text || c.Type == JSON || c.Type == Map:
		start := len(b.text[ki])
		b.text[ki] = append(b.text[ki], cell.Text...)
		if len(cell.Text) > sqliteMaxText {
			// Past what SQLite stores (and what the length's int32 holds): the
			// batch's write fails, naming the limit.
			b.cells[ki] = append(b.cells[ki], sqliteCell{kind: sqliteText, v: int64(start), n: -1})
			return
		}
		b.cells[ki] = append(b.cells[ki], sqliteCell{kind: sqliteText, v: int64(start), n: int32(len(cell.Text))})
		return
	}
	b.cells[ki] = append(b.cells[ki], sqliteCell{kind: sqliteInt, v: cell.Int})
}

func (w *sqliteWorker) Take() any {
	out := w.batch
	w.batch = newSQLiteBatch(len(w.tables))
	return out
}
