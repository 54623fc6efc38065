package convert

import (
	"fmt"
	"io"
	"reflect"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/gzip"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/compress/uncompressed"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/smarthook/smarthook/internal/payload"
)

// parquetFormat is Apache Parquet: typed columns (Column.Type), one file or, with
// --partition-by, a Hive-style folder of them.
var parquetFormat = &OutputFormat{
	Name:    "parquet",
	Summary: "Apache Parquet, typed columns (-o FILE, or -o DIR with --partition-by)",
	Open:    openParquet,
	Flags:   []string{"compression", "partition-by"},
}

// Compressions are the values of --compression.
var Compressions = []string{"zstd", "snappy", "gzip", "none"}

// PartitionKeys are the values of --partition-by.
var PartitionKeys = []string{"day", "month", "account"}

// rowGroupBytes is about how much text a Parquet file buffers before it writes a row
// group: what keeps memory flat however large the input.
const rowGroupBytes = 16 << 20

func codec(name string) (compress.Codec, error) {
	switch name {
	case "", "zstd":
		return &zstd.Codec{Level: zstd.SpeedFastest}, nil
	case "snappy":
		return &snappy.Codec{}, nil
	case "gzip":
		return &gzip.Codec{Level: gzip.BestSpeed}, nil
	case "none":
		return &uncompressed.Codec{}, nil
	}
	return nil, fmt.Errorf("unknown --compression %q: use zstd, snappy, gzip or none", name)
}

// parquetSchema is the schema named name (the row kind) of cols: each column optional
// (null stays null), in the columns' order, named by SQLName.
func parquetSchema(name string, cols []Column) *parquet.Schema {
	names := sqlNames(cols)
	g := orderedGroup{Group: parquet.Group{}}
	for i := range cols {
		var n parquet.Node
		switch cols[i].Type {
		case Int64:
			n = parquet.Optional(parquet.Int(64))
		case Int32:
			n = parquet.Optional(parquet.Int(32))
		case Bool:
			n = parquet.Optional(parquet.Leaf(parquet.BooleanType))
		case Time:
			n = parquet.Optional(parquet.Timestamp(parquet.Millisecond))
		case JSON:
			n = parquet.Optional(parquet.JSON())
		case Map:
			n = parquet.Map(parquet.String(), parquet.Optional(parquet.String()))
		default:
			n = parquet.Optional(parquet.String())
		}
		g.Group[names[i]] = n
		g.fields = append(g.fields, field{Node: n, name: names[i]})
	}
	return parquet.NewSchema(name, g)
}

// orderedGroup is a parquet.Group whose fields keep the order they were added in
// (parquet.Group sorts them by name).
type orderedGroup struct {
	parquet.Group
	fields []field
}

func (g orderedGroup) Fields() []parquet.Field {
	out := make([]parquet.Field, len(g.fields))
	for i := range g.fields {
		out[i] = &g.fields[i]
	}
	return out
}

type field struct {
	parquet.Node
	name string
}

func (f *field) Name() string                          { return f.name }
func (f *field) Value(reflect.Value) (v reflect.Value) { return v }

// parquetBatch is a worker's rows, with the partition of each when partitioned.
type parquetBatch struct {
	rows  []parquet.Row
	parts []string
	size  int // bytes of text, to size row groups
}

// parquetWorker turns documents into Parquet rows.
type parquetWorker struct {
	cols    []Column
	leaf    []int // each column's first leaf column (a map has two leaves)
	rk      *RowKind
	ki      int
	f       Format
	by      string
	batch   parquetBatch
	values  []parquet.Value // backing of the batch's rows
	arena   []byte          // backing of the batch's text
	partBuf []byte
}

func (w *parquetWorker) Add(r *Row, rows []int) {
	if r.Doc.Kind != w.rk.Doc {
		return
	}
	n := 1
	if w.rk.Count != nil {
		n = w.rk.Count(r.Doc)
	}
	part := ""
	if w.by != "" {
		part = w.partition(r)
	}
	for i := range n {
		r.Index = i
		r.scratch = r.scratch[:0]
		w.addRow(r)
		if w.by != "" {
			w.batch.parts = append(w.batch.parts, part)
		}
	}
	rows[w.ki] += n
}

// addRow appends one row's values, column by column.
func (w *parquetWorker) addRow(r *Row) {
	start := len(w.values)
	for i := range w.cols {
		c := &w.cols[i]
		if c.Type == Map {
			w.addMap(r, w.leaf[i])
			continue
		}
		cell := c.Cell(r)
		var v parquet.Value
		switch {
		case cell.Null:
			w.values = append(w.values, parquet.NullValue().Level(0, 0, w.leaf[i]))
			continue
		case c.Type == Int64 || c.Type == Time:
			v = parquet.Int64Value(cell.Int)
		case c.Type == Int32:
			v = parquet.Int32Value(int32(cell.Int))
		case c.Type == Bool:
			v = parquet.BooleanValue(cell.Int != 0)
		default:
			at := len(w.arena)
			w.arena = append(w.arena, cell.Text...)
			v = parquet.ByteArrayValue(w.arena[at:len(w.arena):len(w.arena)])
			w.batch.size += len(cell.Text)
		}
		w.values = append(w.values, v.Level(0, 1, w.leaf[i]))
	}
	w.batch.size += 8 * len(w.cols)
	w.batch.rows = append(w.batch.rows, w.values[start:len(w.values):len(w.values)])
}

// addMap appends the visitor variables as the key and value columns of a MAP: an empty
// map when there are none.
func (w *parquetWorker) addMap(r *Row, keyCol int) {
	vars := r.Doc.Hook.Visitor.Variables
	if len(vars) == 0 {
		w.values = append(w.values, parquet.NullValue().Level(0, 0, keyCol), parquet.NullValue().Level(0, 0, keyCol+1))
		return
	}
	keys := make([]parquet.Value, 0, len(vars))
	vals := make([]parquet.Value, 0, len(vars))
	for i := range vars {
		rep := min(i, 1)
		at := len(w.arena)
		w.arena = append(w.arena, vars[i].Key.Text()...)
		keys = append(keys, parquet.ByteArrayValue(w.arena[at:]).Level(rep, 1, keyCol))
		if !vars[i].Val.Present() || vars[i].Val.IsNull() {
			vals = append(vals, parquet.NullValue().Level(rep, 1, keyCol+1))
			continue
		}
		at = len(w.arena)
		w.arena = append(w.arena, variableText(vars[i].Val)...)
		vals = append(vals, parquet.ByteArrayValue(w.arena[at:]).Level(rep, 2, keyCol+1))
		w.batch.size += len(w.arena) - at
	}
	w.values = append(append(w.values, keys...), vals...)
}

// leafIndexes is the first leaf column of each column (a map has two leaves).
func leafIndexes(cols []Column) []int {
	out := make([]int, len(cols))
	n := 0
	for i := range cols {
		out[i] = n
		n++
		if cols[i].Type == Map {
			n++
		}
	}
	return out
}

func (w *parquetWorker) Take() any {
	b := w.batch
	// The batch keeps what it was made of; the next one, likely of the same size, gets
	// room for as much, instead of growing (a copy each time) row by row.
	w.batch = parquetBatch{rows: make([]parquet.Row, 0, len(b.rows)+len(b.rows)/8)}
	w.values = make([]parquet.Value, 0, len(w.values)+len(w.values)/8)
	w.arena = make([]byte, 0, len(w.arena)+len(w.arena)/8)
	return &b
}

// partition is the Hive folder of a row's document: day=2026-01-05, month=2026-01 or
// account=208, from the chat's start, the event's time or the report's hour, in --tz.
func (w *parquetWorker) partition(r *Row) string {
	if w.by == "account" {
		var v Cell
		switch {
		case r.Doc.Hook.AccountID.Present():
			v = chatColumns[0].Cell(r)
		default:
			v = eventColumns[2].Cell(r)
		}
		if v.Null {
			return "account=" + hiveNull
		}
		if len(v.Text) > 0 {
			return "account=" + escapePartition(string(v.Text))
		}
		return "account=" + strconv.FormatInt(v.Int, 10)
	}
	var c Cell
	switch w.rk.Doc {
	case payload.KindHook:
		c = chatColumns[2].Cell(r)
	case payload.KindWebhook:
		c = eventColumns[0].Cell(r)
	default:
		c = hourColumn.Cell(r)
	}
	if c.Null {
		return w.by + "=" + hiveNull
	}
	layout := "2006-01-02"
	if w.by == "month" {
		layout = "2006-01"
	}
	w.partBuf = time.UnixMilli(c.Int).In(w.f.TZ).AppendFormat(w.partBuf[:0], layout)
	return w.by + "=" + string(w.partBuf)
}

// hiveNull is the folder Hive, Spark and DuckDB read as a null partition value.
const hiveNull = "__HIVE_DEFAULT_PARTITION__"

// escapePartition percent-escapes what cannot stand in a folder name, as Hive does.
func escapePartition(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '/' || c == '\\' || c == '=' || c == '%' || c == ':' || c == '"' || c == '\'' || c == 0x7f {
			b = fmt.Appendf(b, "%%%02X", c)
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// parquetFile is one Parquet file being written.
type parquetFile struct {
	w        *parquet.GenericWriter[any]
	buffered int // bytes of text since the last row group
}

func newParquetFile(out io.Writer, schema *parquet.Schema, c compress.Codec) *parquetFile {
	return &parquetFile{w: parquet.NewGenericWriter[any](out, schema, parquet.Compression(c),
		parquet.PageBufferSize(256<<10), parquet.MaxRowsPerRowGroup(1<<20))}
}

// write writes rows, ending the row group once about rowGroupBytes are buffered.
func (p *parquetFile) write(rows []parquet.Row, size, limit int) error {
	if _, err := p.w.WriteRows(rows); err != nil {
		return err
	}
	p.buffered += size
	if p.buffered >= limit {
		p.buffered = 0
		return p.w.Flush()
	}
	return nil
}
