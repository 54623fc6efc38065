package convert

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// DDLDialects are the values of --ddl.
var DDLDialects = []string{"postgres", "sqlite", "duckdb", "bigquery"}

// sqlType is a column's type in a dialect, for the cells the text formats write with f:
// times are timestamps when written as RFC 3339, integers with --time ms or unix.
func sqlType(dialect string, c *Column, f Format) string {
	t := c.Type
	if t == Time && c.Time && f.Time != "rfc3339" {
		t = Int64
	}
	types := map[Type][4]string{ // postgres, sqlite, duckdb, bigquery
		Text:  {"text", "TEXT", "VARCHAR", "STRING"},
		Int64: {"bigint", "INTEGER", "BIGINT", "INT64"},
		Int32: {"integer", "INTEGER", "INTEGER", "INT64"},
		Bool:  {"boolean", "BOOLEAN", "BOOLEAN", "BOOL"},
		Time:  {"timestamptz", "TEXT", "TIMESTAMPTZ", "TIMESTAMP"},
		JSON:  {"json", "TEXT", "JSON", "JSON"},
		Map:   {"json", "TEXT", "JSON", "JSON"},
	}
	for i, d := range DDLDialects {
		if d == dialect {
			return types[t][i]
		}
	}
	return ""
}

// writeDDL writes the CREATE TABLE of cols in dialect (a JSON schema for BigQuery) to
// out: the table the text formats' rows load into with the same options.
func writeDDL(out Output, dialect string, rk *RowKind, cols []Column, f Format) (err error) {
	if sqlType(dialect, &Column{}, f) == "" {
		return fmt.Errorf("unknown --ddl %q: use %s", dialect, strings.Join(DDLDialects, ", "))
	}
	w, err := out.Open()
	if err != nil {
		return err
	}
	defer func() {
		if ferr := out.Finish(err == nil); err == nil {
			err = ferr
		}
	}()
	bw := bufio.NewWriter(w)
	bw.WriteString(DDL(dialect, rk.Name, cols, f))
	return bw.Flush()
}

// DDL is the CREATE TABLE statement (or BigQuery JSON schema) of a table named table
// with cols as the text formats write them with f.
func DDL(dialect, table string, cols []Column, f Format) string {
	names := sqlNames(cols)
	var b strings.Builder
	if dialect == "bigquery" {
		b.WriteString("[\n")
		for i := range cols {
			sep := ","
			if i == len(cols)-1 {
				sep = ""
			}
			fmt.Fprintf(&b, "  {\"name\": %s, \"type\": %q, \"mode\": \"NULLABLE\", \"description\": %s}%s\n",
				jsontext.AppendQuote(nil, names[i]), sqlType(dialect, &cols[i], f), jsontext.AppendQuote(nil, cols[i].Name), sep)
		}
		b.WriteString("]\n")
		return b.String()
	}
	fmt.Fprintf(&b, "CREATE TABLE %s (\n", quoteIdent(table))
	for i := range cols {
		sep := ","
		if i == len(cols)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "  %s %s%s\n", quoteIdent(names[i]), sqlType(dialect, &cols[i], f), sep)
	}
	b.WriteString(");\n")
	return b.String()
}

// quoteIdent quotes an SQL identifier (PostgreSQL, SQLite and DuckDB alike).
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
