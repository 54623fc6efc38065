package convert

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/plural"
)

// maxOpenParts bounds the partition files open at once: each buffers a row group. A
// partition whose file was closed to make room continues in its next part file.
const maxOpenParts = 16

// parquetSink writes one Parquet file (to the run's Output) or a Hive-style folder of
// them, one folder per partition value, on disk or under an s3:// prefix. Partition
// files are written invisibly (temporary names, staged uploads) and all appear at the
// end of a successful run.
type parquetSink struct {
	cfg    SinkConfig
	schema *parquet.Schema
	codec  compress.Codec
	single *parquetFile
	target partTarget
	open   map[string]*partFile // partition → its file being written
	closed []*partFile          // written, waiting for the end of the run
	next   map[string]int       // partition → number of its next part file
	clock  int
	files  int
}

// partFile is one file of a partition.
type partFile struct {
	*parquetFile
	file     partOut
	replaces bool // a file of its name existed (--force)
	used     int  // the sink's clock when last written, to close the least recently used
}

func openParquet(cfg SinkConfig) (Sink, error) {
	c, err := codec(cfg.Compression)
	if err != nil {
		return nil, exit.UsageError(err)
	}
	s := &parquetSink{cfg: cfg, schema: parquetSchema(cfg.Kind.Name, cfg.Columns), codec: c}
	if cfg.PartitionBy == "" {
		w, err := cfg.Output.Open()
		if err != nil {
			return nil, err
		}
		s.single = newParquetFile(w, s.schema, c)
		return s, nil
	}
	if !slices.Contains(PartitionKeys, cfg.PartitionBy) {
		return nil, exit.Usagef("unknown --partition-by %q: use %s", cfg.PartitionBy, strings.Join(PartitionKeys, ", "))
	}
	if s.target, err = openPartTarget(cfg); err != nil {
		return nil, err
	}
	s.open, s.next = map[string]*partFile{}, map[string]int{}
	return s, nil
}

func (s *parquetSink) Worker() SinkWorker {
	return &parquetWorker{cols: s.cfg.Columns, leaf: leafIndexes(s.cfg.Columns), rk: s.cfg.Kind,
		ki: kindIndex(s.cfg.Kind), f: s.cfg.Format, by: s.cfg.PartitionBy}
}

func (s *parquetSink) Write(batch any) error {
	b := batch.(*parquetBatch)
	if s.single != nil {
		return s.single.write(b.rows, b.size, rowGroupBytes)
	}
	per := b.size/max(len(b.rows), 1) + 1
	for start := 0; start < len(b.rows); {
		end := start + 1
		for end < len(b.rows) && b.parts[end] == b.parts[start] {
			end++
		}
		p, err := s.part(b.parts[start])
		if err != nil {
			return err
		}
		if err := p.write(b.rows[start:end], per*(end-start), rowGroupBytes/4); err != nil {
			return fmt.Errorf("write %s: %w", p.file.Name(), err)
		}
		start = end
	}
	return nil
}

// part is the open file of a partition, opened (and the least recently used one
// closed) as needed.
func (s *parquetSink) part(name string) (*partFile, error) {
	s.clock++
	if p := s.open[name]; p != nil {
		p.used = s.clock
		return p, nil
	}
	if len(s.open) >= maxOpenParts {
		var oldest string
		for k, p := range s.open {
			if oldest == "" || p.used < s.open[oldest].used {
				oldest = k
			}
		}
		if err := s.closePart(oldest); err != nil {
			return nil, err
		}
	}
	f, replaces, err := s.target.create(fmt.Sprintf("%s/part-%04d.parquet", name, s.next[name]))
	if err != nil {
		return nil, err
	}
	s.next[name]++
	p := &partFile{parquetFile: newParquetFile(f, s.schema, s.codec), file: f, replaces: replaces, used: s.clock}
	s.open[name] = p
	return p, nil
}

// closePart writes the footer of a partition's open file; it is named at the end.
func (s *parquetSink) closePart(name string) error {
	p := s.open[name]
	delete(s.open, name)
	s.closed = append(s.closed, p)
	if err := p.w.Close(); err != nil {
		return fmt.Errorf("write %s: %w", p.file.Name(), err)
	}
	return p.file.finish() // its errors name the file
}

func (s *parquetSink) Close(ok bool) error {
	if s.single != nil {
		err := s.single.w.Close()
		if ferr := s.cfg.Output.Finish(ok && err == nil); err == nil {
			err = ferr
		}
		return err
	}
	var errs []error
	for name, p := range s.open {
		if !ok { // no use finishing the others: they are all abandoned
			delete(s.open, name)
			s.closed = append(s.closed, p)
			continue
		}
		if err := s.closePart(name); err != nil {
			errs = append(errs, err)
			ok = false
		}
	}
	if !ok {
		for _, p := range s.closed {
			p.file.Abort()
		}
		return errors.Join(errs...)
	}
	return s.commitAll()
}

// commitAll makes the partition files appear. Should one fail, the rest are
// abandoned and those already committed removed again, so that a failed run leaves
// nothing new; files that replaced one of the same name (--force) cannot be undone
// and are named.
func (s *parquetSink) commitAll() error {
	slices.SortFunc(s.closed, func(a, b *partFile) int { return strings.Compare(a.file.Name(), b.file.Name()) })
	for i, p := range s.closed {
		err := p.file.Commit()
		if err == nil {
			s.files++
			continue
		}
		for _, q := range s.closed[i+1:] {
			q.file.Abort()
		}
		var replaced []string
		for _, q := range s.closed[:i] {
			if q.replaces {
				replaced = append(replaced, q.file.Name())
			} else if rerr := s.target.remove(q.file); rerr != nil {
				replaced = append(replaced, q.file.Name()+" (could not be removed: "+rerr.Error()+")")
			}
		}
		s.files = 0
		if len(replaced) > 0 {
			return fmt.Errorf("%w; these files were written and stay: %s", err, strings.Join(replaced, ", "))
		}
		return fmt.Errorf("%w; no file was written", err)
	}
	return nil
}

func (s *parquetSink) Where() string {
	if s.single != nil {
		if s.cfg.Dest == "" || s.cfg.Dest == "-" {
			return "stdout"
		}
		return s.cfg.Dest
	}
	return fmt.Sprintf("%s (%s)", s.target, plural.Of(s.files, "file"))
}
