package convert

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// Format says how rows are written.
type Format struct {
	To        string         // csv, tsv or ndjson
	Delimiter byte           // CSV field separator; 0 means ','
	Time      string         // ms, rfc3339 or unix
	TZ        *time.Location // for rfc3339; nil means UTC
	ExcelSafe bool           // neutralise cells a spreadsheet would run as a formula
	WholeDocs bool           // ndjson of chats: each document as stored, compacted
}

// Check validates the format's settings.
func (f *Format) Check() error {
	switch f.To {
	case "csv", "tsv", "ndjson":
	default:
		return fmt.Errorf("unknown --to %q: use csv, tsv or ndjson", f.To)
	}
	switch f.Time {
	case "ms", "rfc3339", "unix":
	default:
		return fmt.Errorf("unknown --time %q: use rfc3339, ms or unix", f.Time)
	}
	if f.Delimiter == 0 {
		f.Delimiter = ','
	}
	if f.To == "tsv" {
		f.Delimiter = '\t'
	}
	if f.Delimiter == '"' || f.Delimiter == '\n' || f.Delimiter == '\r' || f.Delimiter >= 0x80 {
		return fmt.Errorf("--delimiter %q cannot separate fields", f.Delimiter)
	}
	if f.TZ == nil {
		f.TZ = time.UTC
	}
	return nil
}

// Encoder writes rows of one set of columns.
type Encoder struct {
	cols []Column
	f    Format
	text []byte // a cell's decoded text, reused
}

// NewEncoder makes an encoder; f must have passed Check. Each worker needs its own.
func NewEncoder(cols []Column, f Format) *Encoder {
	return &Encoder{cols: cols, f: f}
}

// AppendHeader appends the header line (CSV/TSV only).
func (e *Encoder) AppendHeader(dst []byte) []byte {
	if e.f.To == "ndjson" {
		return dst
	}
	for i, c := range e.cols {
		if i > 0 {
			dst = append(dst, e.f.Delimiter)
		}
		dst = e.appendText(dst, []byte(c.Name), false)
	}
	return append(dst, '\n')
}

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
	if e.f.To == "ndjson" {
		if e.f.WholeDocs {
			return append(jsontext.AppendCompact(dst, r.Doc.Raw), '\n')
		}
		return e.appendObject(dst, r)
	}
	start := len(dst)
	for i := range e.cols {
		if i > 0 {
			dst = append(dst, e.f.Delimiter)
		}
		dst = e.appendCell(dst, &e.cols[i], e.cols[i].Get(r))
	}
	if len(dst) == start && e.f.To == "csv" {
		// A row of one empty cell must not read as a blank line, which CSV readers skip.
		dst = append(dst, '"', '"')
	}
	return append(dst, '\n')
}

// appendCell writes one CSV/TSV cell: null and absent are empty, numbers as stored,
// strings decoded then quoted or escaped, objects and arrays as compact JSON.
func (e *Encoder) appendCell(dst []byte, c *Column, v payload.Value) []byte {
	switch v.Kind {
	case jsontext.Invalid, jsontext.Null:
		return dst
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
		return e.appendText(dst, e.text, e.f.ExcelSafe)
	}
	e.text = jsontext.AppendCompact(e.text[:0], v.Raw)
	return e.appendText(dst, e.text, false)
}

// appendTime writes a millisecond timestamp as --time says.
func (e *Encoder) appendTime(dst []byte, v payload.Value, quoted bool) []byte {
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
		dst = time.UnixMilli(ms).In(e.f.TZ).AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
		if quoted {
			dst = append(dst, '"')
		}
		return dst
	}
	return append(dst, v.Raw...)
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

// appendText writes text as a CSV field (RFC 4180 quoting) or a TSV field (escapes).
func (e *Encoder) appendText(dst, text []byte, excelSafe bool) []byte {
	neutralise := excelSafe && len(text) > 0 && formulaStart(text[0])
	if e.f.To == "tsv" {
		if neutralise {
			dst = append(dst, '\'')
		}
		return appendTSV(dst, text)
	}
	if !neutralise && !needsQuotes(text, e.f.Delimiter) {
		return append(dst, text...)
	}
	dst = append(dst, '"')
	if neutralise {
		dst = append(dst, '\'')
	}
	for {
		i := bytes.IndexByte(text, '"')
		if i < 0 {
			break
		}
		dst = append(dst, text[:i+1]...)
		dst = append(dst, '"')
		text = text[i+1:]
	}
	dst = append(dst, text...)
	return append(dst, '"')
}

func needsQuotes(text []byte, delim byte) bool {
	if len(text) == 0 {
		return false
	}
	if text[0] == ' ' || text[len(text)-1] == ' ' {
		return true // some readers trim unquoted spaces
	}
	for _, c := range text {
		if c == delim || c == '"' || c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// appendTSV escapes what a TSV field cannot hold, as jq's @tsv and PostgreSQL do.
func appendTSV(dst, text []byte) []byte {
	for _, c := range text {
		switch c {
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// appendObject writes a row as one flat JSON object keyed by column names.
func (e *Encoder) appendObject(dst []byte, r *Row) []byte {
	dst = append(dst, '{')
	for i := range e.cols {
		c := &e.cols[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsontext.AppendQuote(dst, c.Name)
		dst = append(dst, ':')
		v := c.Get(r)
		switch {
		case v.Kind == jsontext.Invalid:
			dst = append(dst, "null"...)
		case v.Kind == jsontext.String:
			dst = append(dst, '"')
			dst = append(dst, v.Raw...)
			dst = append(dst, '"')
		case c.Time && v.Kind == jsontext.Number:
			dst = e.appendTime(dst, v, true)
		default:
			dst = jsontext.AppendCompact(dst, v.Raw)
		}
	}
	return append(dst, '}', '\n')
}
