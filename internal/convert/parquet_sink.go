package convert

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"

	"github.com/smarthook/smarthook/internal/atomicfile"
	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/plural"
)

// maxOpenParts bounds the partition files open at once: each buffers a row group. A
// partition whose file was closed to make room continues in its next part file.
const maxOpenParts = 16

// parquetSink writes one Parquet file (to the run's Output) or a Hive-style folder of
// them, one folder per partition value. Partition files are written under temporary
// names and all take their names at the end of a successful run.
type parquetSink struct {
	cfg    SinkConfig
	schema *parquet.Schema
	codec  compress.Codec
	single *parquetFile
	open   map[string]*partFile // partition → its file being written
	closed []*partFile          // written, waiting for the end of the run
	next   map[string]int       // partition → number of its next part file
	clock  int
	files  int
}

// partFile is one file of a partition.
type partFile struct {
	*parquetFile
	file *atomicfile.File
	used int // the sink's clock when last written, to close the least recently used
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
	if cfg.Dest == "" || cfg.Dest == "-" {
		return nil, exit.Usagef("--partition-by writes a folder of files: name it with -o DIR")
	}
	if info, err := os.Stat(cfg.Dest); err == nil {
		if !info.IsDir() {
			return nil, exit.Usagef("-o %s is a file: --partition-by writes a folder", cfg.Dest)
		}
		if entries, _ := os.ReadDir(cfg.Dest); len(entries) > 0 && !cfg.Force {
			return nil, exit.Usagef("%s exists and is not empty: use --force to write into it (files of the same name are replaced)", cfg.Dest)
		}
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
	final := filepath.Join(s.cfg.Dest, name, fmt.Sprintf("part-%04d.parquet", s.next[name]))
	s.next[name]++
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return nil, err
	}
	var f *atomicfile.File
	var err error
	if s.cfg.Force {
		f, err = atomicfile.Replace(final)
	} else {
		f, err = atomicfile.Create(final)
	}
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", final, err)
	}
	p := &partFile{parquetFile: newParquetFile(f, s.schema, s.codec), file: f, used: s.clock}
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
	return nil
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
	for name := range s.open {
		if err := s.closePart(name); err != nil {
			errs = append(errs, err)
			ok = false
		}
	}
	for _, p := range s.closed {
		if !ok {
			p.file.Abort()
			continue
		}
		if err := p.file.Commit(); err != nil {
			errs = append(errs, fmt.Errorf("write %s: %w", p.file.Name(), err))
			continue
		}
		s.files++
	}
	return errors.Join(errs...)
}

func (s *parquetSink) Where() string {
	if s.single != nil {
		if s.cfg.Dest == "" || s.cfg.Dest == "-" {
			return "stdout"
		}
		return s.cfg.Dest
	}
	return fmt.Sprintf("%s (%s)", s.cfg.Dest, plural.Of(s.files, "file"))
}
