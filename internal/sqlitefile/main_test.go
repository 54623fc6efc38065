package sqlitefile

import (
	"os"
	"testing"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// testPendingByte moves SQLite's lock-byte page (the page holding byte 0x40000000,
// which no database uses) to 64 KiB for these tests, in SQLite and in the writer alike:
// every test database then crosses it (page 65 of 1 KiB pages, page 2 of 64 KiB ones),
// which only a database of over 1 GiB would otherwise.
const testPendingByte = 0x10000

func TestMain(m *testing.M) {
	tls := libc.NewTLS()
	va := libc.NewVaList(uint32(testPendingByte))
	sqlite3.Xsqlite3_test_control(tls, sqlite3.SQLITE_TESTCTRL_PENDING_BYTE, va)
	libc.Xfree(tls, va)
	tls.Close()
	pendingByte = testPendingByte
	os.Exit(m.Run())
}
