package sqlitefile

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FuzzWriter reads rows out of the fuzzer's bytes (keys that repeat, integers of every
// width, texts from empty to past a page, NULLs) and writes them with a small memory
// budget on small pages: SQLite must find the file whole and holding the last row of
// each key, whatever the rows.
func FuzzWriter(f *testing.F) {
	f.Add([]byte("seed"), uint16(0))
	f.Add([]byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"), uint16(3))
	f.Add(make([]byte, 3000), uint16(7))
	long := make([]byte, 5000)
	for i := range long {
		long[i] = byte(i * 7)
	}
	f.Add(long, uint16(300))
	f.Fuzz(func(t *testing.T, data []byte, memory uint16) {
		tables := testTables()
		rows := make([][][]Value, len(tables))
		next := func(n int) []byte {
			n = min(n, len(data))
			b := data[:n]
			data = data[n:]
			return b
		}
		value := func(text bool) Value {
			tag := next(1)
			if len(tag) == 0 || tag[0]%7 == 0 {
				return Value{Kind: Null}
			}
			if text {
				size := int(tag[0]) * int(tag[0]) / 8 // up to ~8 KB: onto overflow pages
				return Value{Kind: Text, Text: slices.Clone(next(size))}
			}
			var b [8]byte
			copy(b[:], next(int(tag[0]%9)))
			return Value{Kind: Int, Int: int64(binary.LittleEndian.Uint64(b[:])) >> (tag[0] % 64)}
		}
		key := func() Value {
			b := next(1)
			if len(b) == 0 {
				return Value{Kind: Int}
			}
			return Value{Kind: Int, Int: int64(b[0]%32) - 8} // few keys: they repeat
		}
		for len(data) > 0 && len(rows[0]) < 400 {
			chat := key()
			rows[0] = append(rows[0], []Value{{Kind: Int, Int: 1}, chat, value(true), value(true), value(false)})
			k := value(true)
			if k.Kind == Null {
				k = Value{Kind: Text}
			}
			rows[1] = append(rows[1], []Value{value(true), chat, k})
		}
		path := filepath.Join(t.TempDir(), "f.db")
		writeTestDB(t, path, Options{PageSize: 1024, Memory: int(memory)%8192 + 256}, tables, rows)
		if names, _ := os.ReadDir(filepath.Dir(path)); len(names) != 1 {
			t.Fatalf("the folder holds %d files, want the database alone", len(names))
		}
		db := openChecked(t, path)
		for ti, tb := range tables {
			if got, exp := read(t, db, tb), want(tb, rows[ti]); !slices.Equal(got, exp) {
				t.Fatalf("%s: %d rows, want %d (or they differ)", tb.Name, len(got), len(exp))
			}
		}
	})
}
