package convert

import (
	"strconv"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// Type is what a column holds in the typed outputs (Parquet, SQLite) and the DDL.
type Type uint8

// The column types. The zero Type is text.
const (
	Text  Type = iota // UTF-8 text; numbers kept as written, objects as compact JSON
	Int64             // an integer: ids, counts, seconds
	Int32             // a small integer (the rating)
	Bool              // true or false
	Time              // a moment: milliseconds since 1970 (TIMESTAMP(MILLIS, UTC) in Parquet)
	JSON              // compact JSON text
	Map               // the visitor variables: key → value as text (a JSON object in text formats)
)

// Cell is one typed value of a row.
type Cell struct {
	Null bool
	Int  int64  // Int64, Int32, Time (milliseconds), Bool (0 or 1)
	Text []byte // Text and JSON; valid while the row is being made (until its scratch is reset)
}

// Cell reads column c of row r as its Type says. A value that does not fit the type (a
// number with a fraction in an integer column, a time that does not parse) is null.
func (c *Column) Cell(r *Row) Cell {
	v := c.Get(r)
	if v.Kind == jsontext.Invalid || v.Kind == jsontext.Null {
		return Cell{Null: true}
	}
	switch c.Type {
	case Int64, Int32:
		n, ok := v.Int()
		return Cell{Int: n, Null: !ok}
	case Bool:
		switch v.Kind {
		case jsontext.True:
			return Cell{Int: 1}
		case jsontext.False:
			return Cell{}
		}
		return Cell{Null: true}
	case Time:
		if v.Kind == jsontext.String {
			t, err := time.Parse(time.RFC3339Nano, v.Text())
			return Cell{Int: t.UnixMilli(), Null: err != nil}
		}
		n, ok := v.Int()
		return Cell{Int: n, Null: !ok}
	}
	if v.Kind == jsontext.String && !v.Escaped {
		// The text as it stands in the document: no copy. Like a text in scratch, it
		// is valid while the row is being made.
		return Cell{Text: v.Raw}
	}
	start := len(r.scratch)
	switch v.Kind {
	case jsontext.String:
		r.scratch = v.AppendText(r.scratch)
	case jsontext.Object, jsontext.Array:
		r.scratch = jsontext.AppendCompact(r.scratch, v.Raw)
	default:
		r.scratch = append(r.scratch, v.Raw...)
	}
	return Cell{Text: r.scratch[start:len(r.scratch):len(r.scratch)]}
}

// SQLName is the column's name in databases and Parquet: the dotted camelCase name in
// snake_case (channel.isMissed → channel_is_missed), or the column's own SQL name
// (channel.id → chat_id, accountId → account_id).
func (c *Column) SQLName() string {
	if c.SQL != "" {
		return c.SQL
	}
	return snakeCase(c.Name)
}

// snakeCase turns a dotted camelCase name into lower-case letters, digits and
// underscores.
func snakeCase(name string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range name {
		switch {
		case r >= 'A' && r <= 'Z':
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(r + 'a' - 'A')
			prevLower = false
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			prevLower = true
		default:
			if s := b.String(); s != "" && !strings.HasSuffix(s, "_") {
				b.WriteByte('_')
			}
			prevLower = false
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// sqlNames gives each column its SQL name, numbered (_2, _3) where two would clash.
func sqlNames(cols []Column) []string {
	names := make([]string, len(cols))
	seen := map[string]int{}
	for i := range cols {
		n := cols[i].SQLName()
		if n == "" {
			n = "column"
		}
		seen[n]++
		if k := seen[n]; k > 1 {
			n += "_" + strconv.Itoa(k)
		}
		names[i] = n
	}
	return names
}

// variablesMap is the visitor.variables column: the variables as a JSON object of key →
// value in the text formats, a MAP in Parquet.
func variablesMap(r *Row) payload.Value {
	vars := r.Doc.Hook.Visitor.Variables
	if len(vars) == 0 {
		return payload.Value{}
	}
	start := len(r.scratch)
	r.scratch = append(r.scratch, '{')
	for i := range vars {
		if i > 0 {
			r.scratch = append(r.scratch, ',')
		}
		r.scratch = jsontext.AppendQuote(r.scratch, vars[i].Key.Text())
		r.scratch = append(r.scratch, ':')
		r.scratch = jsontext.AppendQuote(r.scratch, variableText(vars[i].Val))
	}
	r.scratch = append(r.scratch, '}')
	return payload.Value{Kind: jsontext.Object, Raw: r.scratch[start:len(r.scratch):len(r.scratch)]}
}

// variableText is a variable's value as text: a string decoded, anything else as written.
func variableText(v payload.Value) string {
	switch v.Kind {
	case jsontext.String:
		return v.Text()
	case jsontext.Invalid, jsontext.Null:
		return ""
	}
	return string(jsontext.AppendCompact(nil, v.Raw))
}
