package convert

// tsvFormat is tab-separated values with escapes, as jq's @tsv and PostgreSQL write.
var tsvFormat = &OutputFormat{
	Name:      "tsv",
	Summary:   "tab-separated values, tab, newline, CR and backslash escaped",
	Delimiter: '\t',
	Flags:     []string{"bom", "excel-safe", "no-header", "null", "ddl"},
	New: func(c *cells) Encoding {
		c.escape = true
		return tsvEncoding{c}
	},
}

type tsvEncoding struct{ *cells }

func (e tsvEncoding) Header(dst []byte) []byte      { return e.appendHeader(dst) }
func (e tsvEncoding) Row(dst []byte, r *Row) []byte { return e.appendCells(dst, r) }
func (e tsvEncoding) Close(dst []byte) []byte       { return dst }

// appendTSVField writes text as a TSV field, neutralised with ' for spreadsheets when
// excelSafe and it starts like a formula.
func appendTSVField(dst, text []byte, excelSafe bool) []byte {
	if excelSafe && len(text) > 0 && formulaStart(text[0]) {
		dst = append(dst, '\'')
	}
	return appendTSV(dst, text)
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
