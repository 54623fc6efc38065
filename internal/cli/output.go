package cli

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/smarthook/smarthook/internal/atomicfile"
)

// output is where a command writes: stdout, or a file written through a temporary file
// in the same folder that replaces the final name only when the run succeeds
// (atomicfile's replace mode), so an interrupted run never leaves half a file under
// that name.
type output struct {
	w       io.Writer
	file    *atomicfile.File
	special *os.File // a device, FIFO or socket written in place
}

func openOutput(name string, force bool, inputs []string, stdout io.Writer) (*output, error) {
	if name == "" || name == "-" {
		return &output{w: stdout}, nil
	}
	if info, err := os.Stat(name); err == nil {
		if info.IsDir() {
			return nil, usageErrorf("-o %s is a directory: name a file", name)
		}
		if !info.Mode().IsRegular() {
			// A device, FIFO or socket (/dev/null, /dev/stdout, a pipe) is written to as
			// it is: replacing it by renaming a file over it would destroy it.
			f, err := os.OpenFile(name, os.O_WRONLY, 0)
			if err != nil {
				return nil, usageErrorf("open %s: %v", name, unwrapPath(err))
			}
			return &output{w: f, special: f}, nil
		}
		if !force {
			return nil, usageErrorf("%s exists: use --force to replace it", name)
		}
		if readsFile(inputs, info) {
			return nil, usageErrorf("-o %s is also an input: refusing to overwrite it", name)
		}
	}
	atomicfile.SweepStale(name) // what killed runs writing this file left behind
	f, err := atomicfile.Replace(name)
	if err != nil {
		return nil, usageErrorf("create %s: %v", name, unwrapPath(err))
	}
	return &output{w: f, file: f}, nil
}

// finish makes the file final (ok) or removes the temporary file.
func (o *output) finish(ok bool) error {
	if o.special != nil {
		return o.special.Close()
	}
	if o.file == nil {
		return nil
	}
	if !ok {
		o.file.Abort()
		return nil
	}
	return o.file.Commit()
}

// fileOutput is a command's -o FILE (stdout when empty or "-"), opened when the run is
// ready to write; it is convert's Output.
type fileOutput struct {
	name   string
	force  bool
	inputs []string
	stdout io.Writer
	out    *output
}

func (f *fileOutput) Open() (io.Writer, error) {
	out, err := openOutput(f.name, f.force, f.inputs, f.stdout)
	if err != nil {
		return nil, err
	}
	f.out = out
	return out.w, nil
}

func (f *fileOutput) Finish(ok bool) error {
	if f.out == nil {
		return nil
	}
	return f.out.finish(ok)
}

// readsFile reports whether reading paths (files, folders, globs, links) would read the
// file target.
func readsFile(paths []string, target os.FileInfo) bool {
	same := func(p string) bool {
		info, err := os.Stat(p) // follows links, as reading does
		return err == nil && os.SameFile(info, target)
	}
	for _, p := range paths {
		matches := []string{p}
		if _, err := os.Stat(p); err != nil {
			matches, _ = filepath.Glob(p)
		}
		for _, m := range matches {
			if same(m) {
				return true
			}
			found := false
			filepath.WalkDir(m, func(q string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && same(q) {
					found = true
					return filepath.SkipAll
				}
				return nil
			})
			if found {
				return true
			}
		}
	}
	return false
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
