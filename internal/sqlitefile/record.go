// Package sqlitefile writes a new SQLite database file directly in the file format SQLite
// documents (https://sqlite.org/fileformat2.html), for tables whose rows are all known
// before the file is finished: WITHOUT ROWID tables and their indexes.
//
// Rows come in any order. Each table's rows are sorted by primary key (sorted runs are
// spilled to temporary files past a memory budget and merged at the end), a key given
// twice keeps the row given last (as an upsert would), and every B-tree is built bottom
// up, each page written once, filled, in key order. No SQLite code runs while the file
// is written; SQLite reads and extends it afterwards like any database it made itself.
// The file may also hold a database SQLite wrote already (with rowid tables, say): the
// tables are then added after its pages, its header and schema rows kept.
package sqlitefile

import (
	"bytes"
	"fmt"
)

// Kind is a value's storage class.
type Kind uint8

const (
	Null Kind = iota
	Int
	Text
)

// Value is one column's value: NULL, an integer or a text (UTF-8).
type Value struct {
	Kind Kind
	Int  int64
	Text []byte
}

// MaxLength is the largest record (and so text) SQLite reads back by default
// (SQLITE_MAX_LENGTH).
const MaxLength = 1_000_000_000

// appendVarint appends v as an SQLite varint: big-endian, 7 bits a byte with the high bit
// telling that more follow, the ninth byte (if any) holding 8 bits.
func appendVarint(dst []byte, v uint64) []byte {
	if v <= 0x7f {
		return append(dst, byte(v))
	}
	if v > 0x00ffffffffffffff {
		var b [9]byte
		b[8] = byte(v)
		v >>= 8
		for i := 7; i >= 0; i-- {
			b[i] = byte(v&0x7f) | 0x80
			v >>= 7
		}
		return append(dst, b[:]...)
	}
	var b [9]byte
	n := 0
	for v > 0 {
		b[n] = byte(v&0x7f) | 0x80
		v >>= 7
		n++
	}
	b[0] &= 0x7f // the last byte (first in b) has no continuation bit
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, b[i])
	}
	return dst
}

// varintLen is the length of v as an SQLite varint.
func varintLen(v uint64) int {
	n := 1
	for v > 0x7f && n < 9 {
		v >>= 7
		n++
	}
	return n
}

// readVarint reads an SQLite varint from b, returning it and its length (0 if b ends
// inside it).
func readVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 9; i++ {
		if i >= len(b) {
			return 0, 0
		}
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return v, 9
}

// intSerial is the serial type SQLite gives integer v (in a schema format 4 file, where
// 0 and 1 take no bytes) and its length in bytes.
func intSerial(v int64) (uint64, int) {
	if v == 0 || v == 1 {
		return 8 + uint64(v), 0
	}
	u := uint64(v)
	if v < 0 {
		u = ^u
	}
	switch {
	case u <= 127:
		return 1, 1
	case u <= 32767:
		return 2, 2
	case u <= 8388607:
		return 3, 3
	case u <= 2147483647:
		return 4, 4
	case u <= 0x00007fffffffffff:
		return 5, 6
	}
	return 6, 8
}

// appendRecord appends the record of vals in SQLite's record format: a header of the
// values' serial types, then their bodies.
func appendRecord(dst []byte, vals []Value) ([]byte, error) {
	hl, _, err := recordSize(vals)
	if err != nil {
		return dst, err
	}
	return writeRecord(dst, vals, hl), nil
}

// recordSize is the length of vals' record header and of the whole record.
func recordSize(vals []Value) (hl, size int, err error) {
	hdr, body := 0, 0
	for i := range vals {
		st, n, err := serial(&vals[i])
		if err != nil {
			return 0, 0, err
		}
		hdr += varintLen(st)
		body += n
	}
	hl = headerLen(hdr)
	if hl+body > MaxLength {
		return 0, 0, fmt.Errorf("a row of %d bytes: longer than SQLite reads (%d)", hl+body, MaxLength)
	}
	return hl, hl + body, nil
}

// headerLen is the length of a record header whose serial types take hdr bytes: the
// header's length counts the varint that holds it.
func headerLen(hdr int) int {
	hl := hdr + 1
	for varintLen(uint64(hl)) > hl-hdr {
		hl++
	}
	return hl
}

// writeRecord appends the record of vals, whose header is hl bytes long.
func writeRecord(dst []byte, vals []Value, hl int) []byte {
	dst = appendVarint(dst, uint64(hl))
	for i := range vals {
		st, _, _ := serial(&vals[i])
		dst = appendVarint(dst, st)
	}
	for i := range vals {
		dst = appendBody(dst, &vals[i])
	}
	return dst
}

// appendBody appends v's body in a record: an integer's big-endian bytes (as many as
// its serial type says), a text's bytes, nothing for NULL, 0 and 1.
func appendBody(dst []byte, v *Value) []byte {
	switch v.Kind {
	case Int:
		_, n := intSerial(v.Int)
		for j := n - 1; j >= 0; j-- {
			dst = append(dst, byte(v.Int>>(8*j)))
		}
	case Text:
		dst = append(dst, v.Text...)
	}
	return dst
}

// serial is v's serial type and body length.
func serial(v *Value) (uint64, int, error) {
	switch v.Kind {
	case Null:
		return 0, 0, nil
	case Int:
		st, n := intSerial(v.Int)
		return st, n, nil
	case Text:
		if len(v.Text) > MaxLength {
			return 0, 0, fmt.Errorf("a text of %d bytes: longer than SQLite reads (%d)", len(v.Text), MaxLength)
		}
		return 13 + 2*uint64(len(v.Text)), len(v.Text), nil
	}
	return 0, 0, fmt.Errorf("a value of unknown kind %d", v.Kind)
}

// appendKey appends v in an encoding whose byte order (bytes.Compare) is SQLite's order
// of values under the BINARY collation: NULL, then integers by value, then texts byte
// by byte (a prefix first). An integer takes a byte telling its sign and length, then
// its shortest big-endian bytes, so that small keys compare within a word.
func appendKey(dst []byte, v *Value) []byte {
	switch v.Kind {
	case Null:
		return append(dst, 0x05)
	case Int:
		u := uint64(v.Int)
		n := intBytes(u)
		tag := byte(0x18 + n) // 0x19 to 0x20: more bytes, a larger number
		if v.Int < 0 {
			n = intBytes(^u)
			tag = byte(0x17 - n) // 0x16 to 0x0f: more bytes, a smaller number
		}
		dst = append(dst, tag)
		for i := n - 1; i >= 0; i-- {
			dst = append(dst, byte(u>>(8*i)))
		}
		return dst
	}
	dst = append(dst, 0x30)
	t := v.Text
	for {
		i := bytes.IndexByte(t, 0)
		if i < 0 {
			break
		}
		dst = append(append(dst, t[:i]...), 0, 0xff)
		t = t[i+1:]
	}
	return append(append(dst, t...), 0, 0x01)
}

// intBytes is how many bytes (1 to 8) hold u without its leading zero bytes.
func intBytes(u uint64) int {
	n := 1
	for u > 0xff {
		u >>= 8
		n++
	}
	return n
}
