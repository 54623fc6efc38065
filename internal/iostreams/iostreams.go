// Package iostreams is where a command reads and writes: the process's standard
// streams, or buffers in tests (Test), and whether each stream is a terminal.
package iostreams

import (
	"bytes"
	"os"

	"io"

	"golang.org/x/term"
)

// IO is where a command reads and writes, and whether each stream is a terminal.
type IO struct {
	In                    io.Reader
	Out, Err              io.Writer
	InTTY, OutTTY, ErrTTY bool
	Getenv                func(string) string
}

// System is the process's standard streams and environment.
func System() IO {
	return IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY: isTerminal(os.Stdin), OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr),
		Getenv: os.Getenv,
	}
}

// isTerminal reports a terminal (not any character device: /dev/null is one too).
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// Test is IO for tests: stdin, stdout and stderr are the returned buffers, no stream
// is a terminal, and the environment holds only env's "NAME=value" entries.
func Test(env ...string) (streams IO, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return IO{In: in, Out: out, Err: errOut, Getenv: Env(env...)}, in, out, errOut
}

// Env is a Getenv that knows only env's "NAME=value" entries.
func Env(env ...string) func(string) string {
	vars := make(map[string]string, len(env))
	for _, kv := range env {
		name, value, _ := bytes.Cut([]byte(kv), []byte("="))
		vars[string(name)] = string(value)
	}
	return func(name string) string { return vars[name] }
}
