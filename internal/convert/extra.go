package convert

import (
	pathpkg "path"
	"regexp"
	"strconv"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// The extra columns: written only when named with --columns or --columns-from, and by
// the typed outputs, so the default and --all-columns outputs stay as they were.
var (
	originColumn = Column{Name: "origin", Extra: true, Doc: "where the document was read: path[:member]:line",
		Get: origin}
	variablesColumn = Column{Name: "visitor.variables", Extra: true, Type: Map,
		Doc: "every visitor variable: key → value (a JSON object; a MAP in Parquet)", Get: variablesMap}
	// hourColumn is no extra: it is the first column of the domains rows, whose other
	// columns tell no time.
	hourColumn = Column{Name: "hour", Time: true, Type: Time, Default: true,
		Doc: "the report's hour, from its file name (stats-YYYYMMDDHH or a receive time)", Get: reportHour}
)

// withExtras is a row kind's columns followed by its extra ones.
func withExtras(cols []Column, extra ...Column) []Column {
	out := append([]Column(nil), cols...)
	return append(append(out, extra...), originColumn)
}

// origin is the row's document's origin: path[:member]:line.
func origin(r *Row) payload.Value {
	if r.Origin == nil || r.Origin.Path == "" {
		return payload.Value{}
	}
	start := len(r.scratch)
	r.scratch = append(r.scratch, r.Origin.Path...)
	if r.Origin.Member != "" {
		r.scratch = append(append(r.scratch, ':'), r.Origin.Member...)
	}
	if r.Origin.Line > 0 {
		r.scratch = strconv.AppendInt(append(r.scratch, ':'), int64(r.Origin.Line), 10)
	}
	text := r.scratch[start:]
	if plainASCII(text) {
		return payload.Value{Kind: jsontext.String, Raw: r.scratch[start:len(r.scratch):len(r.scratch)]}
	}
	// A string Value holds the content between quotes: escape what JSON needs escaped.
	esc := jsontext.AppendQuote(nil, string(text))
	r.scratch = append(r.scratch[:start], esc[1:len(esc)-1]...)
	return payload.Value{Kind: jsontext.String, Raw: r.scratch[start:len(r.scratch):len(r.scratch)],
		Escaped: len(esc)-2 != len(text)}
}

// plainASCII tells whether text is printable ASCII without a quote or a backslash:
// nothing JSON escapes.
func plainASCII(text []byte) bool {
	for _, c := range text {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

var (
	reportHourName  = regexp.MustCompile(`stats-(\d{10})`)
	receiveTimeName = regexp.MustCompile(`(\d{8}T\d{6})`)
)

// reportHour is a stats report's hour in milliseconds, read from the name of its file or
// archive member (stats-2026010514.json, or the receive time listen puts in names).
func reportHour(r *Row) payload.Value {
	if r.Origin == nil {
		return payload.Value{}
	}
	name := pathpkg.Base(r.Origin.Name())
	var t time.Time
	var err error
	if m := reportHourName.FindStringSubmatch(name); m != nil {
		t, err = time.Parse("2006010215", m[1])
	} else if m := receiveTimeName.FindStringSubmatch(name); m != nil {
		t, err = time.Parse("20060102T150405", m[1])
		t = t.Truncate(time.Hour)
	} else {
		return payload.Value{}
	}
	if err != nil {
		return payload.Value{}
	}
	return r.number(t.UnixMilli())
}
