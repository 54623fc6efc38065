package convert

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/smarthook/smarthook/internal/atomicfile"
	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/sqlitefile"
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
	// direct is the table's place among those a new database's writer writes.
	direct int
}

// keyed tells whether the table is a WITHOUT ROWID table, keyed by columns that are
// never null.
func (t *sqliteTable) keyed() bool {
	return !slices.Contains(sqliteNullableKeys, t.kind.Name)
}

// sqlitefile is the table as sqlitefile writes it: the statement SQLite keeps for it,
// its key and the index of its time column.
func (t *sqliteTable) sqlitefile(f Format) *sqlitefile.Table {
	// SQLite keeps a CREATE statement from the name on, after "CREATE TABLE " (or
	// INDEX), and without the closing semicolon.
	kept := func(create string) string {
		create = strings.TrimSuffix(strings.TrimSpace(create), ";")
		for _, p := range []string{"CREATE TABLE IF NOT EXISTS ", "CREATE INDEX IF NOT EXISTS "} {
			if rest, ok := strings.CutPrefix(create, p); ok {
				return strings.TrimSuffix(p, "IF NOT EXISTS ") + rest
			}
		}
		return create
	}
	ft := &sqlitefile.Table{Name: t.kind.Name, SQL: kept(t.create(f)), Columns: t.names}
	for _, k := range sqliteKeys[t.kind.Name] {
		ft.Key = append(ft.Key, slices.Index(t.names, k))
	}
	if col, ok := sqliteTimes[t.kind.Name]; ok {
		ft.Indexes = []sqlitefile.Index{{Name: t.kind.Name + "_" + col, SQL: kept(t.index()), Column: slices.Index(t.names, col)}}
	}
	return ft
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
//
// A new database is written in two parts. The rowid tables (events, webhook messages,
// contacts, domain reports) are upserted through SQLite, as into an existing database.
// The tables keyed by chat (chats, messages, paths, variables: WITHOUT ROWID tables,
// most of the rows) are written by sqlitefile straight in SQLite's file format, after
// SQLite's pages once SQLite is done: their rows are sorted by key and each B-tree
// built once, bottom up, several times faster than inserting them one by one into
// B-trees that keep rebalancing.
type sqliteSink struct {
	cfg     SinkConfig
	db      *sqliteConn // the database (for a new one, its rowid tables)
	tables  []*sqliteTable
	inTx    bool // a transaction is open
	pending int  // rows written in it
	// fresh is the new database being written under a temporary name, published whole
	// when the run succeeds; nil when the run upserts into an existing database.
	fresh *atomicfile.File
	file  *os.File            // fresh's file, for w
	w     *sqlitefile.Writer  // writes fresh's WITHOUT ROWID tables
	keyed []*sqlitefile.Table // those tables, as w knows them
}

// sqliteMemory is about how many bytes of rows a new database's writer keeps before it
// sorts and spills them to a temporary file beside the database; a variable for the
// tests.
var sqliteMemory = 32 << 20

func openSQLite(cfg SinkConfig) (Sink, error) {
	if cfg.Dest == "" || cfg.Dest == "-" {
		return nil, exit.Usagef("--to sqlite writes a database file: name it with -o FILE")
	}
	s := &sqliteSink{cfg: cfg, tables: sqliteTables()}
	if _, err := os.Lstat(cfg.Dest); errors.Is(err, fs.ErrNotExist) {
		if err := s.startFresh(); err != nil {
			if s.fresh != nil {
				s.closeFresh(false)
			}
			return nil, fmt.Errorf("open %s: %w", cfg.Dest, err)
		}
		return s, nil
	}
	if err := s.openConn(cfg.Dest); err != nil {
		return nil, fmt.Errorf("open %s: %w", cfg.Dest, err)
	}
	return s, nil
}

// startFresh starts a new database: a temporary file that takes the name at the end.
func (s *sqliteSink) startFresh() error {
	atomicfile.SweepStale(s.cfg.Dest) // what killed runs into this name left behind
	var err error
	if s.fresh, err = atomicfile.Create(s.cfg.Dest); err != nil {
		return err
	}
	if s.file, err = os.OpenFile(s.fresh.TempName(), os.O_RDWR, 0); err != nil {
		return err
	}
	for _, t := range s.tables {
		if t.keyed() {
			t.direct = len(s.keyed)
			s.keyed = append(s.keyed, t.sqlitefile(s.cfg.Format))
		}
	}
	s.w, err = sqlitefile.New(s.file, s.keyed, sqlitefile.Options{
		PageSize: sqlitePageSize, Memory: sqliteMemory,
		TempDir: filepath.Dir(s.cfg.Dest), TempPattern: "." + filepath.Base(s.cfg.Dest) + ".*.sort.tmp",
	})
	if err != nil {
		return err
	}
	return s.openConn(s.fresh.TempName())
}

// openConn opens the database at path through SQLite and prepares the upserts of the
// tables it holds: every table of an existing database; the rowid tables of a new one.
func (s *sqliteSink) openConn(path string) error {
	db, err := openSQLiteConn(path)
	if err != nil {
		return err
	}
	s.db = db
	if err := s.prepare(); err != nil {
		s.closeDB()
		s.db = nil
		return err
	}
	return nil
}

// sqlitePageSize is a new database's page size.
const sqlitePageSize = 16384

// prepare sets the database up for a bulk load, creates the tables and prepares the
// upserts. A new one is written without a journal, by this connection alone: it is a
// temporary file until the run succeeds. An existing one is upserted in WAL mode, so
// a run that stops keeps the batches it committed and leaves the database whole.
func (s *sqliteSink) prepare() error {
	journal := []string{"PRAGMA journal_mode = WAL", "PRAGMA wal_autocheckpoint = 4096"}
	if s.fresh != nil {
		journal = []string{"PRAGMA journal_mode = OFF", "PRAGMA locking_mode = EXCLUSIVE"}
	}
	for _, p := range append([]string{
		fmt.Sprintf("PRAGMA page_size = %d", sqlitePageSize), // for a new database; an existing one keeps its own
		"PRAGMA synchronous = OFF", "PRAGMA cache_size = -32768", "PRAGMA temp_store = MEMORY",
	}, journal...) {
		if err := s.db.exec(p); err != nil {
			return err
		}
	}
	for _, t := range s.tables {
		if s.w != nil && t.keyed() {
			continue
		}
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
	if s.db == nil {
		return nil
	}
	for _, t := range s.tables {
		t.one.finalize()
		t.many.finalize()
		t.one, t.many = nil, nil
	}
	err := s.db.close()
	s.db = nil
	return err
}

func (s *sqliteSink) Worker() SinkWorker {
	return &sqliteWorker{tables: s.tables, keyed: s.keyed, f: s.cfg.Format, batch: newSQLiteBatch(len(s.tables))}
}

// Write upserts a batch's rows, in the open transaction; it commits once about
// sqliteRowsPerTx rows are in it. A new database's WITHOUT ROWID rows go to its writer.
func (s *sqliteSink) Write(batch any) error {
	b := batch.(*sqliteBatch)
	if b.err != nil {
		return fmt.Errorf("write %s: %w", s.cfg.Dest, b.err)
	}
	for i, t := range s.tables {
		if s.w != nil && t.keyed() {
			if err := s.w.Add(t.direct, b.entries[i]); err != nil {
				return fmt.Errorf("write %s: %w", s.cfg.Dest, diskFull(err))
			}
			continue
		}
		if len(b.cells[i]) == 0 {
			continue
		}
		if err := s.begin(); err != nil {
			return fmt.Errorf("write %s: %w", s.cfg.Dest, err)
		}
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

// begin opens a transaction if none is.
func (s *sqliteSink) begin() error {
	if !s.inTx {
		if err := s.db.exec("BEGIN"); err != nil {
			return err
		}
		s.inTx = true
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
				return errTextTooLong()
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

func errTextTooLong() error {
	return fmt.Errorf("a text longer than SQLite stores (%d bytes)", sqliteMaxText)
}

// diskFull says so in SQLite's words when err is a full disk.
func diskFull(err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("database or disk is full (%w)", err)
	}
	return err
}

// Close finishes the database: it commits what was written, creates the time indexes
// and closes it. A new database then takes its name; when the run failed it is
// removed instead, as the other formats' files are. An existing database keeps the
// batches a failed run committed: converting again completes them.
func (s *sqliteSink) Close(ok bool) error {
	if s.fresh != nil {
		err := s.closeFresh(ok)
		if err != nil && ok {
			return fmt.Errorf("close %s: %w", s.cfg.Dest, diskFull(err))
		}
		return nil
	}
	err := s.commit()
	for _, t := range s.tables {
		if q := t.index(); q != "" && err == nil {
			err = s.db.exec(q)
		}
	}
	if err == nil {
		err = s.db.exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	if cerr := s.closeDB(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", s.cfg.Dest, err)
	}
	return nil
}

// closeFresh finishes a new database, or removes every file of it when the run failed
// or finishing fails: SQLite commits the rowid tables and builds their time indexes,
// then the WITHOUT ROWID tables and theirs are written after SQLite's pages.
func (s *sqliteSink) closeFresh(ok bool) (err error) {
	defer func() {
		if s.file != nil {
			s.file.Close()
		}
		if err == nil && ok {
			err = s.fresh.Commit()
		}
		if err != nil || !ok {
			s.fresh.Abort()
		}
	}()
	if s.db != nil {
		if ok {
			err = s.commit()
			for _, t := range s.tables {
				if q := t.index(); q != "" && !t.keyed() && err == nil {
					err = s.db.exec(q)
				}
			}
		}
		if cerr := s.closeDB(); err == nil {
			err = cerr
		}
	}
	if s.w == nil {
		return err
	}
	if !ok || err != nil {
		s.w.Abort()
		return err
	}
	return s.w.Close()
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

// sqliteBatch is the rows of a batch by table: cells, and the texts they point into;
// for a new database's WITHOUT ROWID tables, the rows as sqlitefile entries instead.
// It holds no pointer per value, so a batch costs the garbage collector nothing to scan.
type sqliteBatch struct {
	cells   [][]sqliteCell
	text    [][]byte
	entries [][]byte
	err     error // the first row that cannot be stored
}

func newSQLiteBatch(tables int) *sqliteBatch {
	return &sqliteBatch{cells: make([][]sqliteCell, tables), text: make([][]byte, tables), entries: make([][]byte, tables)}
}

// sqliteWorker turns documents into the cells of every table's rows.
type sqliteWorker struct {
	tables []*sqliteTable
	keyed  []*sqlitefile.Table // a new database's WITHOUT ROWID tables, nil otherwise
	f      Format
	batch  *sqliteBatch
	enc    sqlitefile.Encoder
	vals   []sqlitefile.Value
	text   []byte // the texts encode makes for a row
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
			if w.keyed != nil && t.keyed() {
				w.encode(t, r)
				continue
			}
			w.text = w.text[:0]
			for c := range t.cols {
				w.add(t.ki, &t.cols[c], r)
			}
		}
		rows[t.ki] += n
	}
}

// encode adds a row of a new database's WITHOUT ROWID table as an entry of its
// writer's; the values are those add makes cells of.
func (w *sqliteWorker) encode(t *sqliteTable, r *Row) {
	b := w.batch
	w.vals, w.text = w.vals[:0], w.text[:0]
	for i := range t.cols {
		v := w.value(&t.cols[i], r)
		if len(v.Text) > sqliteMaxText && b.err == nil {
			b.err = fmt.Errorf("table %s: %w", t.kind.Name, errTextTooLong())
		}
		w.vals = append(w.vals, v)
	}
	var err error
	if b.entries[t.ki], err = w.enc.Append(b.entries[t.ki], w.keyed[t.direct], w.vals); err != nil && b.err == nil {
		b.err = fmt.Errorf("table %s: %w", t.kind.Name, err)
	}
}

// value is column c of row r as SQLite stores it: an integer (booleans 1 or 0), text
// or NULL; times as the text formats write them with --time. A text made here (a time)
// is kept in w.text, which the caller empties for each row: a longer one moves the
// rest of the row's to a new array, and the old one stays for the values pointing
// into it.
func (w *sqliteWorker) value(c *Column, r *Row) sqlitefile.Value {
	cell := c.Cell(r)
	switch {
	case cell.Null:
		return sqlitefile.Value{Kind: sqlitefile.Null}
	case c.Type == Time && w.f.Time == "unix" && c.Time:
		return sqlitefile.Value{Kind: sqlitefile.Int, Int: floorDiv(cell.Int, 1000)}
	case c.Type == Time && (w.f.Time == "rfc3339" || !c.Time):
		start := len(w.text)
		w.text = appendTimeText(w.text, cell.Int, w.f)
		return sqlitefile.Value{Kind: sqlitefile.Text, Text: w.text[start:len(w.text):len(w.text)]}
	case c.Type == Text || c.Type == JSON || c.Type == Map:
		return sqlitefile.Value{Kind: sqlitefile.Text, Text: cell.Text}
	}
	return sqlitefile.Value{Kind: sqlitefile.Int, Int: cell.Int}
}

// add appends column c of row r as a cell of table ki (see value).
func (w *sqliteWorker) add(ki int, c *Column, r *Row) {
	v := w.value(c, r)
	b := w.batch
	switch v.Kind {
	case sqlitefile.Null:
		b.cells[ki] = append(b.cells[ki], sqliteCell{kind: sqliteNull})
	case sqlitefile.Int:
		b.cells[ki] = append(b.cells[ki], sqliteCell{kind: sqliteInt, v: v.Int})
	default:
		start := len(b.text[ki])
		b.text[ki] = append(b.text[ki], v.Text...)
		n := int32(len(v.Text))
		if len(v.Text) > sqliteMaxText {
			// Past what SQLite stores (and what the length's int32 holds): the
			// batch's write fails, naming the limit.
			n = -1
		}
		b.cells[ki] = append(b.cells[ki], sqliteCell{kind: sqliteText, v: int64(start), n: n})
	}
}

func (w *sqliteWorker) Take() any {
	out := w.batch
	w.batch = newSQLiteBatch(len(w.tables))
	for i, e := range out.entries {
		// The next batch is likely the size of this one: room for it saves growing
		// the entries (a copy each time) as they are written.
		if len(e) > 0 {
			w.batch.entries[i] = make([]byte, 0, len(e)+len(e)/8)
		}
	}
	return out
}
