package convert

import "github.com/smarthook/smarthook/internal/jsontext"

// ndjsonFormat is one JSON object a line, keyed by column names, or with WholeDocs each
// document as stored, compacted.
var ndjsonFormat = &OutputFormat{
	Name:    "ndjson",
	Summary: "one JSON object a line, keyed by column name",
	New:     func(c *cells) Encoding { return ndjsonEncoding{c} },
}

type ndjsonEncoding struct{ *cells }

func (e ndjsonEncoding) Header(dst []byte) []byte { return dst }
func (e ndjsonEncoding) Close(dst []byte) []byte  { return dst }

// Row writes a row as one flat JSON object keyed by column names.
func (e ndjsonEncoding) Row(dst []byte, r *Row) []byte {
	if e.f.WholeDocs {
		return append(jsontext.AppendCompact(dst, r.Doc.Raw), '\n')
	}
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
