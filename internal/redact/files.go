package redact

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/atomicfile"
	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/progress"
)

// CheckOutDir refuses an --out folder inside a folder being read: the walk would read
// what the run writes.
func CheckOutDir(out string, paths []string) error {
	outAbs := resolvedPath(out)
	for _, p := range paths {
		if info, err := os.Stat(p); err != nil || !info.IsDir() {
			continue
		}
		if rel, err := filepath.Rel(resolvedPath(p), outAbs); err == nil && (rel == "." || filepath.IsLocal(rel)) {
			return exit.Usagef("--out %s is inside the input folder %s: choose a folder outside it", out, p)
		}
	}
	return nil
}

// resolvedPath is p absolute, links resolved (those of its folder when p is not there).
func resolvedPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	if real, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(real, filepath.Base(abs))
	}
	return abs
}

// mirrorName is where --out puts the documents of an origin, relative to DIR.
func mirrorName(o input.Origin) (string, error) {
	if o.Path == "-" {
		return "stdin.ndjson", nil
	}
	name := o.Path
	if filepath.IsAbs(name) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, name); err == nil && filepath.IsLocal(rel) {
				name = rel
			}
		}
	}
	name = localName(name)
	if o.Member != "" {
		name = filepath.Join(name, localName(o.Member))
	}
	if !filepath.IsLocal(name) {
		return "", fmt.Errorf("%s: cannot make a file name under --out from it", o.Name())
	}
	return name, nil
}

// localName drops a name's root and leading .. elements, as tar does: archive members
// cannot write outside DIR.
func localName(name string) string {
	slashed := filepath.ToSlash(strings.TrimPrefix(name, filepath.VolumeName(name)))
	return filepath.FromSlash(strings.TrimPrefix(path.Clean("/"+slashed), "/"))
}

// sink is where redacted documents go.
type sink interface {
	write(rec input.Record, doc []byte) error
	close(ok bool) error
	where() string // the output, for the closing summary
}

// streamSink writes NDJSON to stdout.
type streamSink struct{ w *bufio.Writer }

func (s *streamSink) write(_ input.Record, doc []byte) error { _, err := s.w.Write(doc); return err }
func (s *streamSink) close(bool) error                       { return s.w.Flush() }
func (s *streamSink) where() string                          { return "stdout" }

// dirSink writes each input file's documents to its mirror under root, one file at a
// time (the records of a file come one after another).
type dirSink struct {
	root  string
	key   string // path and member of the file being written
	file  *atomicfile.File
	gz    *gzip.Writer // on file, for names ending in .gz
	w     io.Writer    // file or gz
	array bool         // the file is a top-level array being written element by element
	docs  int          // documents written to the file
	last  []byte       // the last byte written
	files int
	line  int            // the line of the last document written
	names map[string]int // the names written in this run, and how often each was wanted
	notes []string       // what the user should know: names that were taken
}

func (d *dirSink) write(rec input.Record, doc []byte) error {
	o := rec.Origin
	// A new file starts with a new origin, and with a member of the same name as the
	// last one: its first document is a whole .json file's (not a later element of its
	// array, nor its second document), or its lines start again.
	key := o.Path + "\x00" + o.Member
	first := rec.Element <= 1 && !rec.Several && (o.WholeFile() || o.Line <= d.line)
	if d.file == nil || key != d.key || first {
		if err := d.commit(); err != nil {
			return err
		}
		rel, err := mirrorName(o)
		if err != nil {
			return err
		}
		name, err := d.claim(o, rel)
		if err != nil {
			return err
		}
		if d.file, err = atomicfile.Create(name); err != nil {
			return outErr(name, err)
		}
		d.key, d.gz, d.w = key, nil, d.file
		if strings.HasSuffix(strings.ToLower(name), ".gz") {
			d.gz = gzip.NewWriter(d.file)
			d.w = d.gz
		}
	}
	sep := ""
	switch {
	case rec.Element > 0 && !d.array:
		sep, d.array = "[\n", true // a top-level array read element by element stays an array
	case rec.Element > 0:
		sep = ",\n"
	case d.docs > 0 && !bytes.HasSuffix(d.last, []byte("\n")):
		sep = "\n" // a .json of several documents: one a line, as they were
	}
	if _, err := io.WriteString(d.w, sep); err != nil {
		return err
	}
	d.docs++
	d.last = append(d.last[:0], doc[max(len(doc)-1, 0):]...)
	d.line = o.Line
	_, err := d.w.Write(doc)
	return err
}

// claim returns where the file of origin o goes: root/rel, unless this run wrote that
// name already (an archive holding two members of one name), then root/rel with ~2,
// ~3 ... before its extension, noted for the user. It refuses a path that goes
// through a symbolic link inside root: the copy must not land outside it.
func (d *dirSink) claim(o input.Origin, rel string) (string, error) {
	if d.names == nil {
		d.names = map[string]int{}
	}
	d.names[rel]++
	final := rel
	if n := d.names[rel]; n > 1 {
		ext := filepath.Ext(rel)
		if strings.HasSuffix(strings.ToLower(rel), ".gz") {
			ext = filepath.Ext(strings.TrimSuffix(rel, filepath.Ext(rel))) + filepath.Ext(rel)
		}
		final = strings.TrimSuffix(rel, ext) + "~" + strconv.Itoa(n) + ext
		d.notes = append(d.notes, fmt.Sprintf("%s: a file of this name was written already: written as %s", o.Name(), filepath.Join(d.root, final)))
	}
	if err := noLinks(d.root, final); err != nil {
		return "", err
	}
	return filepath.Join(d.root, final), nil
}

// noLinks refuses a relative path whose folders under root hold a symbolic link.
func noLinks(root, rel string) error {
	dir := root
	parts := strings.Split(filepath.Dir(rel), string(filepath.Separator))
	for _, part := range parts {
		if part == "." || part == "" {
			continue
		}
		dir = filepath.Join(dir, part)
		info, err := os.Lstat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // made by the run: no link below
		}
		if err != nil {
			return fmt.Errorf("write under %s: %w", root, err)
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return exit.Usagef("%s is a symbolic link: refusing to write through it (choose another --out folder)", dir)
		}
	}
	return nil
}

func outErr(name string, err error) error {
	if errors.Is(err, fs.ErrExist) {
		return exit.Usagef("%s exists: refusing to overwrite it (choose another --out folder)", name)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("write %s: %w", name, err)
}

// commit makes the file being written final.
func (d *dirSink) commit() error {
	f := d.file
	if f == nil {
		return nil
	}
	end := ""
	switch {
	case d.array:
		end = "\n]\n"
	case d.docs > 1 && !bytes.HasSuffix(d.last, []byte("\n")):
		end = "\n"
	}
	d.file, d.docs, d.array = nil, 0, false
	if _, err := io.WriteString(d.w, end); err != nil {
		f.Abort()
		return outErr(f.Name(), err)
	}
	if d.gz != nil {
		if err := d.gz.Close(); err != nil {
			f.Abort()
			return outErr(f.Name(), err)
		}
	}
	if err := f.Commit(); err != nil {
		return outErr(f.Name(), err)
	}
	d.files++
	return nil
}

// close makes the last file final, or drops it when the run failed or was interrupted.
func (d *dirSink) close(ok bool) error {
	if !ok && d.file != nil {
		d.file.Abort()
		d.file = nil
	}
	return d.commit()
}

func (d *dirSink) where() string {
	return fmt.Sprintf("%s (%s)", d.root, progress.Of(int64(d.files), "file"))
}
