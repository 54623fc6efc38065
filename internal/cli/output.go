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
	abs, _ := filepath.Abs(name)
	for _, in := range inputs {
		if a, _ := filepath.Abs(in); a == abs {
			return nil, usageErrorf("-o %s is also an input: refusing to overwrite it", name)
		}
	}
	if _, err := os.Stat(name); err == nil && !force {
		return nil, usageErrorf("%s exists: use --force to replace it", name)
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

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// spoolStdin copies stdin to a temporary file when paths read it, for commands that read
// their input twice. It returns the paths to read and a cleanup function.
func spoolStdin(paths []string, stdin io.Reader) ([]string, func(), error) {
	uses := len(paths) == 0
	for _, p := range paths {
		uses = uses || p == "-"
	}
	if !uses {
		return paths, func() {}, nil
	}
	tmp, err := os.CreateTemp("", "smarthook-stdin-*.ndjson")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { os.Remove(tmp.Name()) }
	_, err = io.Copy(tmp, stdin)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("read stdin: %w", err)
	}
	out := make([]string, 0, len(paths)+1)
	for _, p := range paths {
		if p == "-" {
			p = tmp.Name()
		}
		out = append(out, p)
	}
	if len(paths) == 0 {
		out = append(out, tmp.Name())
	}
	return out, cleanup, nil
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
				if doc, _ := dec.Decode(rec.Raw); doc.Kind == payload.KindHook {
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
	err := input.Run(ctx, paths, input.Options{Stdin: stdin}, newWork, emit)
	return keys, err
}
