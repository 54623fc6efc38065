package convert

import (
	"fmt"
	"slices"
	"strings"
)

// Encoding writes rows in one output format. Each worker has its own, made by its
// format's New for one set of columns; rows are appended to byte buffers that the run
// writes in input order.
type Encoding interface {
	// Header appends what comes before the first row (CSV's header line); the run
	// leaves it out with --no-header.
	Header(dst []byte) []byte
	// Row appends one row.
	Row(dst []byte, r *Row) []byte
	// Close appends what comes after the last row (nothing for line formats).
	Close(dst []byte) []byte
}

// OutputFormat is one value of convert --to.
type OutputFormat struct {
	Name    string
	Summary string
	// Delimiter, when not 0, is the format's own field separator (--delimiter is for
	// CSV).
	Delimiter byte
	// New makes an encoding of cells (its columns and settings); nil for a typed format.
	New func(c *cells) Encoding
	// Open, for a typed format (Parquet, SQLite), starts its output; nil for the text
	// formats.
	Open func(cfg SinkConfig) (Sink, error)
	// AllKinds marks a format that writes every row kind at once (SQLite), not --rows.
	AllKinds bool
	// Flags are the format-specific flags it takes (FormatFlags); any other is refused.
	Flags []string
}

// FormatFlags are the flags that only some formats take.
var FormatFlags = []string{"bom", "delimiter", "excel-safe", "no-header", "null", "compression", "partition-by", "ddl"}

// Accepts reports whether the format takes the format-specific flag name.
func (f *OutputFormat) Accepts(name string) bool { return slices.Contains(f.Flags, name) }

// Takers lists the formats that take flag name.
func Takers(name string) []string {
	var out []string
	for _, f := range Formats {
		if f.Accepts(name) {
			out = append(out, f.Name)
		}
	}
	return out
}

// Formats is the registry of output formats, in the order help lists them. Adding a
// format is one file implementing Encoding and one line here.
var Formats = []*OutputFormat{
	csvFormat,
	tsvFormat,
	ndjsonFormat,
	parquetFormat,
	sqliteFormat,
}

// FormatNames lists the names of Formats, the values of --to.
func FormatNames() []string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = f.Name
	}
	return names
}

// LookupFormat finds an output format by name.
func LookupFormat(name string) (*OutputFormat, error) {
	for _, f := range Formats {
		if f.Name == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown --to %q: use %s", name, strings.Join(FormatNames(), ", "))
}
