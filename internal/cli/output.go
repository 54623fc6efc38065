package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/smarthook/smarthook/internal/convert"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
)

// output is where a command writes: stdout, or a file written through a temporary file
// in the same folder and renamed over the final name only when the run succeeds, so an
// interrupted run never leaves half a file under that name.
type output struct {
	w     io.Writer
	tmp   *os.File
	final string
}

func openOutput(name string, force bool, inputs []string, stdout io.Writer) (*output, error) {
	if name == "" || name == "-" {
		return &output{w: stdout}, nil
	}
	if info, err := os.Stat(name); err == nil {
		if !force {
			return nil, usageErrorf("%s exists: use --force to replace it", name)
		}
		if readsFile(inputs, info) {
			return nil, usageErrorf("-o %s is also an input: refusing to overwrite it", name)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return nil, usageErrorf("create %s: %v", name, unwrapPath(err))
	}
	return &output{w: tmp, tmp: tmp, final: name}, nil
}

// finish makes the file final (ok) or removes the temporary file.
func (o *output) finish(ok bool) error {
	if o.tmp == nil {
		return nil
	}
	name := o.tmp.Name()
	err := o.tmp.Sync()
	if cerr := o.tmp.Close(); err == nil {
		err = cerr
	}
	if !ok || err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Chmod(name, 0o644); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, o.final); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", o.final, err)
	}
	return nil
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

// collectVariableKeys reads the input once for the union of visitor variable keys, in
// order of first appearance.
func collectVariableKeys(ctx context.Context, paths []string, stdin io.Reader) ([]string, error) {
	var keys []string
	seen := map[string]bool{}
	newWork := func() func(*input.Batch) []string {
		var dec payload.Decoder
		return func(b *input.Batch) []string {
			var local []string
			localSeen := map[string]bool{}
			for _, rec := range b.Records {
				if rec.Err != nil {
					continue
				}
				// Broken documents are skipped by the conversion: their keys are not wanted.
				if doc, fs := dec.Decode(rec.Raw); doc.Kind == payload.KindHook && len(errorFindings(fs)) == 0 {
					local = convert.VariableKeys(local, localSeen, doc)
				}
			}
			return local
		}
	}
	emit := func(_ *input.Batch, local []string) error {
		for _, k := range local {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		return nil
	}
	err := input.Run(ctx, paths, input.Options{Stdin: stdin, SplitArrays: true}, newWork, emit) // as convert reads
	return keys, err
}
