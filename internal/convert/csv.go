package convert

import "bytes"

// csvFormat is RFC 4180 CSV: a header line of column names, quoted cells when needed.
var csvFormat = &OutputFormat{
	Name:    "csv",
	Summary: "comma-separated values (RFC 4180), a header line first",
	New:     func(c *cells) Encoding { return csvEncoding{c} },
	Flags:   []string{"bom", "delimiter", "excel-safe", "no-header", "null", "ddl"},
}

type csvEncoding struct{ *cells }

func (e csvEncoding) Header(dst []byte) []byte { return e.appendHeader(dst) }
func (e csvEncoding) Close(dst []byte) []byte  { return dst }

func (e csvEncoding) Row(dst []byte, r *Row) []byte {
	start := len(dst)
	dst = e.appendCells(dst, r)
	if len(dst) == start+1 {
		// A row of one empty cell must not read as a blank line, which CSV readers skip.
		dst = append(dst[:start], '"', '"', '\n')
	}
	return dst
}

// appendCSVField writes text as a CSV field (RFC 4180 quoting), neutralised with ' for
// spreadsheets when excelSafe and it starts like a formula.
func appendCSVField(dst, text []byte, excelSafe bool, delim byte) []byte {
	neutralise := excelSafe && len(text) > 0 && formulaStart(text[0])
	if !neutralise && !needsQuotes(text, delim) {
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
