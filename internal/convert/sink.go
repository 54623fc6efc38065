package convert

import (
	"context"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/progress"
	"github.com/smarthook/smarthook/internal/rules"
)

// A Sink is a typed output format's writer (Parquet, SQLite): it takes rows as typed
// cells (Column.Cell) rather than text, and owns its output (a file, a folder of
// partitions, a database). Workers turn documents into batches in parallel; the run
// hands the batches to Write one at a time, in input order.
type Sink interface {
	// Worker makes the converter of one worker.
	Worker() SinkWorker
	// Write writes a batch a worker made.
	Write(batch any) error
	// Close finishes the output when ok, or undoes it (temporary files removed, the
	// transaction rolled back) when the run failed.
	Close(ok bool) error
	// Where names the output for the closing summary.
	Where() string
}

// A SinkWorker turns documents into a batch of typed rows, on one worker.
type SinkWorker interface {
	// Add adds the rows of r.Doc (r.Origin is its origin) and counts them in rows,
	// indexed like RowKinds.
	Add(r *Row, rows []int)
	// Take returns the batch so far and starts a new one.
	Take() any
}

// SinkConfig is what a typed format's Open gets.
type SinkConfig struct {
	Kind        *RowKind
	Columns     []Column
	Format      Format
	Output      Output // the file, for formats written as one stream
	Dest        string // -o: the file or folder
	Force       bool   // replace existing files
	PartitionBy string // Parquet: "", day, month or account
	Compression string // Parquet: zstd, snappy, gzip or none
	Ctx         context.Context
	S3Endpoint  string // where -o s3://… is written ("" for AWS_ENDPOINT_URL or AWS's own)
}

// writeTyped converts the documents of opts.Paths through a typed format's sink.
func writeTyped(ctx context.Context, opts Options, in input.Options, sink Sink, st *stats) error {
	newWork := func() func(*input.Batch) converted {
		var dec payload.Decoder
		sw := sink.Worker()
		var row Row
		return func(b *input.Batch) converted {
			c := convertEach(&dec, &row, b, func(r *Row, c *converted) { sw.Add(r, c.rowsBy[:]) })
			c.batch = sw.Take()
			return c
		}
	}
	emit := func(b *input.Batch, c converted) error {
		st.add(b, &c)
		return sink.Write(c.batch)
	}
	return input.Run(ctx, opts.Paths, in, newWork, emit)
}

// convertEach decodes a batch's documents and passes each good one to add; documents
// with errors are kept in the result's problems.
func convertEach(dec *payload.Decoder, row *Row, b *input.Batch, add func(*Row, *converted)) converted {
	var c converted
	for i, rec := range b.Records {
		c.bytes += progress.ReadSize(rec)
		if rec.Err != nil {
			continue
		}
		doc, fs := dec.Decode(rec.Raw)
		if errs := rules.Errors(fs); len(errs) > 0 {
			if c.problems == nil {
				c.problems = make(map[int][]rules.Finding)
			}
			c.problems[i] = errs
			continue
		}
		c.kinds[doc.Kind]++
		row.Doc, row.Origin, row.Index = doc, &b.Records[i].Origin, 0
		add(row, &c)
	}
	return c
}

// add counts what a batch did and reports its problems.
func (s *stats) add(b *input.Batch, c *converted) {
	for i, rec := range b.Records {
		if fs, bad := c.problems[i]; bad || rec.Err != nil {
			s.problems.Check(rec, fs)
		}
	}
	for k, n := range c.kinds {
		s.kinds[k] += n
	}
	for k, n := range c.rowsBy {
		s.rowsBy[k] += n
	}
	s.meter.Add(len(b.Records), c.bytes)
}

// kindIndex is rk's index in RowKinds.
func kindIndex(rk *RowKind) int {
	for i, k := range RowKinds {
		if k == rk {
			return i
		}
	}
	return 0
}
