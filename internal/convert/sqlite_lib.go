package convert

import (
	"encoding/binary"
	"errors"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// The SQLite sink talks to SQLite's C API (the pure-Go translation modernc.org/sqlite
// is built on) rather than through database/sql. A bulk load binds about 15 values per
// row, a million rows and more: database/sql boxes every value in an interface, and the
// driver looks each parameter's name up and copies each text into its own C buffer.
// Here a batch's texts go to C memory in one copy and are bound in place.

// sqliteConn is an open database, used from one goroutine at a time.
type sqliteConn struct {
	tls *libc.TLS
	db  uintptr
}

// sqliteStmt is a prepared statement of a sqliteConn.
type sqliteStmt struct {
	c *sqliteConn
	p uintptr
}

// openSQLiteConn opens (or creates) the database file name.
func openSQLiteConn(name string) (*sqliteConn, error) {
	c := &sqliteConn{tls: libc.NewTLS()}
	cname, err := libc.CString(name)
	if err != nil {
		c.tls.Close()
		return nil, err
	}
	defer libc.Xfree(c.tls, cname)
	out, err := c.pointerCell()
	if err != nil {
		c.tls.Close()
		return nil, err
	}
	defer libc.Xfree(c.tls, out)
	rc := sqlite3.Xsqlite3_open_v2(c.tls, cname, out,
		sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_CREATE|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	c.db = readPointer(out)
	if rc != sqlite3.SQLITE_OK {
		err := c.err(rc)
		c.close()
		return nil, err
	}
	sqlite3.Xsqlite3_extended_result_codes(c.tls, c.db, 1)
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, 5000)
	return c, nil
}

// pointerCell allocates C memory for one pointer, zeroed, for the API to write into.
func (c *sqliteConn) pointerCell() (uintptr, error) {
	p := libc.Xcalloc(c.tls, 1, libc.Tsize_t(unsafe.Sizeof(uintptr(0))))
	if p == 0 {
		return 0, errors.New("out of memory")
	}
	return p, nil
}

// readPointer reads the pointer stored at C address p.
func readPointer(p uintptr) uintptr {
	b := libc.GoBytes(p, int(unsafe.Sizeof(uintptr(0))))
	if len(b) == 8 {
		return uintptr(binary.NativeEndian.Uint64(b))
	}
	return uintptr(binary.NativeEndian.Uint32(b))
}

// err is SQLite's message for the last failure on the connection.
func (c *sqliteConn) err(rc int32) error {
	msg := ""
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	if msg == "" {
		msg = libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc))
	}
	return errors.New(msg)
}

// exec runs SQL statements that return no rows.
func (c *sqliteConn) exec(sql string) error {
	z, err := libc.CString(sql)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, z)
	if rc := sqlite3.Xsqlite3_exec(c.tls, c.db, z, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return c.err(rc)
	}
	return nil
}

// prepare compiles one statement.
func (c *sqliteConn) prepare(sql string) (*sqliteStmt, error) {
	z, err := libc.CString(sql)
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(c.tls, z)
	out, err := c.pointerCell()
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(c.tls, out)
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, z, -1, out, 0); rc != sqlite3.SQLITE_OK {
		return nil, c.err(rc)
	}
	return &sqliteStmt{c: c, p: readPointer(out)}, nil
}

// close closes the database; statements must be finalized first.
func (c *sqliteConn) close() error {
	var err error
	if c.db != 0 {
		if rc := sqlite3.Xsqlite3_close_v2(c.tls, c.db); rc != sqlite3.SQLITE_OK {
			err = c.err(rc)
		}
		c.db = 0
	}
	if c.tls != nil {
		c.tls.Close()
		c.tls = nil
	}
	return err
}

// cText copies a batch's texts to C memory, to bind in place; free it with freeC once
// the statements that bound it have run. The copy is never a null pointer, even when
// empty: SQLite binds a null pointer as NULL, not as "".
func (c *sqliteConn) cText(text []byte) (uintptr, error) {
	return libc.CString(unsafe.String(unsafe.SliceData(text), len(text)))
}

func (c *sqliteConn) freeC(p uintptr) {
	if p != 0 {
		libc.Xfree(c.tls, p)
	}
}

func (s *sqliteStmt) bindInt(i int, v int64) int32 {
	return sqlite3.Xsqlite3_bind_int64(s.c.tls, s.p, int32(i), v)
}

func (s *sqliteStmt) bindNull(i int) int32 {
	return sqlite3.Xsqlite3_bind_null(s.c.tls, s.p, int32(i))
}

// bindText binds n bytes at C address p, which must stay valid until the step.
func (s *sqliteStmt) bindText(i int, p uintptr, n int32) int32 {
	return sqlite3.Xsqlite3_bind_text(s.c.tls, s.p, int32(i), p, n, 0) // SQLITE_STATIC
}

// run steps a statement that returns no rows and resets it for the next.
func (s *sqliteStmt) run() error {
	rc := sqlite3.Xsqlite3_step(s.c.tls, s.p)
	sqlite3.Xsqlite3_reset(s.c.tls, s.p)
	if rc != sqlite3.SQLITE_DONE {
		return s.c.err(rc)
	}
	return nil
}

func (s *sqliteStmt) finalize() {
	if s != nil && s.p != 0 {
		sqlite3.Xsqlite3_finalize(s.c.tls, s.p)
		s.p = 0
	}
}
