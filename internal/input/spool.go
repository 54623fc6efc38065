package input

import (
	"fmt"
	"io"
	"os"
)

// Spool keeps stdin in a temporary file so that a command can read its input more than
// once (a first pass for a header or the newest time, a second to work), still under
// the name "-" and in whatever form it came: NDJSON or concatenated documents.
type Spool struct{ f *os.File }

// SpoolStdin copies stdin into a temporary file in dir ("" for the system's) when paths
// read it, and returns nil when they do not.
func SpoolStdin(paths []string, stdin io.Reader, dir string) (*Spool, error) {
	uses := len(paths) == 0
	for _, p := range paths {
		uses = uses || p == "-"
	}
	if !uses {
		return nil, nil
	}
	if stdin == nil {
		stdin = os.Stdin
	}
	f, err := os.CreateTemp(dir, "smarthook-stdin-*")
	if err != nil {
		return nil, fmt.Errorf("spool stdin: %w", err)
	}
	// Unlinked at once where the system allows: nothing is left behind, whatever happens.
	os.Remove(f.Name())
	if _, err := io.Copy(f, stdin); err != nil {
		f.Close()
		return nil, fmt.Errorf("spool stdin: %w", err)
	}
	return &Spool{f: f}, nil
}

// Stdin rewinds the spool and returns it as stdin for the next pass; without a spool
// (a nil *Spool) it returns stdin unchanged.
func (s *Spool) Stdin(stdin io.Reader) io.Reader {
	if s == nil {
		return stdin
	}
	s.f.Seek(0, io.SeekStart)
	return s.f
}

// Close removes the spool. A nil *Spool is fine.
func (s *Spool) Close() {
	if s != nil {
		name := s.f.Name()
		s.f.Close()
		os.Remove(name)
	}
}
