package convert

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// Format says how rows are written.
type Format struct {
	To        string         // one of FormatNames
	Delimiter byte           // CSV field separator; 0 means ','
	Time      string         // ms, rfc3339 or unix
	TZ        *time.Location // for rfc3339; nil means UTC
	ExcelSafe bool           // neutralise cells a spreadsheet would run as a formula
	Null      string         // CSV/TSV: what a null or absent value is written as ("" by default)
	WholeDocs bool           // ndjson of chats: each document as stored, compacted
	out       *OutputFormat  // To, looked up by Check
}

// TimeFormats are the values of --time.
var TimeFormats = []string{"rfc3339", "ms", "unix"}

// Check validates the format's settings.
func (f *Format) Check() error {
	out, err := LookupFormat(f.To)
	if err != nil {
		return err
	}
	f.out = out
	switch f.Time {
	case "ms", "rfc3339", "unix":
	default:
		return fmt.Errorf("unknown --time %q: use rfc3339, ms or unix", f.Time)
	}
	if f.Delimiter == 0 {
		f.Delimiter = ','
	}
	if out.Delimiter != 0 {
		f.Delimiter = out.Delimiter
	}
	if f.Delimiter == '"' || f.Delimiter == '\n' || f.Delimiter == '\r' || f.Delimiter >= 0x80 {
		return fmt.Errorf("--delimiter %q cannot separate fields", f.Delimiter)
	}
	if strings.ContainsAny(f.Null, string(f.Delimiter)+"\"\r\n") {
		// Written as is: quoted, a database would read it as text, not as null.
		return fmt.Errorf("--null %q holds a separator, quote or line break", f.Null)
	}
	if f.TZ == nil {
		f.TZ = time.UTC
	}
	return nil
}

// Encoder writes rows of one set of columns in the format's encoding.
type Encoder struct {
	enc Encoding
}

// NewEncoder makes an encoder; f must have passed Check. Each worker needs its own.
func NewEncoder(cols []Column, f Format) *Encoder {
	return &Encoder{enc: f.out.New(&cells{cols: cols, f: f})}
}

// AppendHeader appends the header line (CSV/TSV only).
func (e *Encoder) AppendHeader(dst []byte) []byte { return e.enc.Header(dst) }

// AppendClose appends what ends the output (nothing for the line formats).
func (e *Encoder) AppendClose(dst []byte) []byte { return e.enc.Close(dst) }

// AppendRows appends every row that doc gives as rows of kind rk (none when doc is of
// another kind) and returns how many. row is scratch space, reused between calls.
func (e *Encoder) AppendRows(dst []byte, rk *RowKind, row *Row, doc *payload.Doc) ([]byte, int) {
	if doc.Kind != rk.Doc {
		return dst, 0
	}
	n := 1
	if rk.Count != nil {
		n = rk.Count(doc)
	}
	row.Doc = doc
	for i := range n {
		row.Index = i
		dst = e.AppendRow(dst, row)
	}
	return dst, n
}

// AppendRow appends one row.
func (e *Encoder) AppendRow(dst []byte, r *Row) []byte {
	r.scratch = r.scratch[:0]
	return e.enc.Row(dst, r)
}

// cells is what the encodings share: the columns, the settings, and the writing of one
// cell as text.
type cells struct {
	cols   []Column
	f      Format
	escape bool   // delimited fields escaped as TSV (appendTSVField), else quoted as CSV
	text   []byte // a cell's decoded text, reused
}

// field writes a cell's text as a field of a delimited format. A switch rather than a
// function value: this runs for every cell, and direct calls are cheaper.
func (e *cells) field(dst, text []byte, excelSafe bool) []byte {
	if e.escape {
		return appendTSVField(dst, text, excelSafe)
	}
	return appendCSVField(dst, text, excelSafe, e.f.Delimiter)
}

// appendHeader writes the column names as one delimited line.
func (e *cells) appendHeader(dst []byte) []byte {
	for i, c := range e.cols {
		if i > 0 {
			dst = append(dst, e.f.Delimiter)
		}
		dst = e.field(dst, []byte(c.Name), false)
	}
	return append(dst, '\n')
}

// appendCells writes a row's cells as one delimited line.
func (e *cells) appendCells(dst []byte, r *Row) []byte {
	for i := range e.cols {
		if i > 0 {
			dst = append(dst, e.f.Delimiter)
		}
		dst = e.appendCell(dst, &e.cols[i], e.cols[i].Get(r))
	}
	return append(dst, '\n')
}

// appendCell writes one CSV/TSV cell: null and absent are empty, numbers as stored,
// strings decoded then quoted or escaped, objects and arrays as compact JSON.
func (e *cells) appendCell(dst []byte, c *Column, v payload.Value) []byte {
	switch v.Kind {
	case jsontext.Invalid, jsontext.Null:
		return append(dst, e.f.Null...)
	case jsontext.True:
		return append(dst, "true"...)
	case jsontext.False:
		return append(dst, "false"...)
	case jsontext.Number:
		if c.Time {
			return e.appendTime(dst, v, false)
		}
		return append(dst, v.Raw...)
	case jsontext.String:
		e.text = v.AppendText(e.text[:0])
		if len(e.text) == 0 && !e.escape {
			// A quoted empty string, apart from the null cell (PostgreSQL's CSV convention).
			return append(dst, '"', '"')
		}
		return e.field(dst, e.text, e.f.ExcelSafe)
	}
	e.text = jsontext.AppendCompact(e.text[:0], v.Raw)
	return e.field(dst, e.text, false)
}

// appendTime writes a millisecond timestamp as --time says.
func (e *cells) appendTime(dst []byte, v payload.Value, quoted bool) []byte {
	ms, ok := v.Int()
	if !ok {
		return append(dst, v.Raw...)
	}
	switch e.f.Time {
	case "unix":
		return strconv.AppendInt(dst, floorDiv(ms, 1000), 10)
	case "rfc3339":
		if quoted {
			dst = append(dst, '"')
		}
		dst = appendTimeText(dst, ms, e.f)
		if quoted {
			dst = append(dst, '"')
		}
		return dst
	}
	return append(dst, v.Raw...)
}

// appendTimeText writes milliseconds as RFC 3339 with milliseconds, in f's zone: what
// time's AppendFormat with "2006-01-02T15:04:05.000Z07:00" writes, several times
// faster (a time column is formatted once per row, a million times in a large run).
func appendTimeText(dst []byte, ms int64, f Format) []byte {
	off := 0
	if f.TZ != time.UTC && f.TZ != nil {
		_, off = time.UnixMilli(ms).In(f.TZ).Zone()
	}
	local := ms + int64(off)*1000
	// Years 0 to 9999 only, and whole-minute offsets, as AppendFormat writes them.
	if local < -62167219200000 || local >= 253402300800000 || off%60 != 0 {
		return time.UnixMilli(ms).In(f.TZ).AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
	}
	days := floorDiv(local, 86400000)
	msOfDay := int(local - days*86400000)
	y, m, d := civilDate(days)
	var b [29]byte
	put2(b[0:], y/100)
	put2(b[2:], y%100)
	b[4] = '-'
	put2(b[5:], m)
	b[7] = '-'
	put2(b[8:], d)
	b[10] = 'T'
	put2(b[11:], msOfDay/3600000)
	b[13] = ':'
	put2(b[14:], msOfDay/60000%60)
	b[16] = ':'
	put2(b[17:], msOfDay/1000%60)
	b[19] = '.'
	b[20] = byte('0' + msOfDay%1000/100)
	put2(b[21:], msOfDay%100)
	if off == 0 {
		b[23] = 'Z'
		return append(dst, b[:24]...)
	}
	b[23] = '+'
	if off < 0 {
		b[23], off = '-', -off
	}
	put2(b[24:], off/3600)
	b[26] = ':'
	put2(b[27:], off/60%60)
	return append(dst, b[:]...)
}

// twoDigits is every number from 00 to 99 in two digits.
const twoDigits = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// put2 writes v (0 to 99) in two digits at b.
func put2(b []byte, v int) {
	b[0], b[1] = twoDigits[2*v], twoDigits[2*v+1]
}

// civilDate is the proleptic Gregorian date of a day counted from 1970-01-01 (Howard
// Hinnant's days_from_civil, inverted).
func civilDate(days int64) (y, m, d int) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) {
		q--
	}
	return q
}

// formulaStart marks the first bytes that make a spreadsheet evaluate a cell.
func formulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}
