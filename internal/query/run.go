package query

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/itchyny/gojq"
	"github.com/smarthook/smarthook/internal/input"
)

// Options are what a run of a filter over inputs needs: the command line of
// `smarthook query`, read into values, and the streams to use. Zero values are jq's
// defaults except Indent (set it to 2).
type Options struct {
	Filter     string // the filter's text (the file's text with -f)
	FilterName string // "<arg>" for the command line, else the file it was read from
	Paths      []string
	Input      input.Options // how inputs are read; Input.Stdin is standard input
	Stdout     io.Writer
	Stderr     io.Writer

	Named       []NamedArg      // --arg, --argjson, --slurpfile, --rawfile, in order
	Positional  []Positional    // --args / --jsonargs values
	ModulePaths []string        // -L; nil means jq's defaults (~/.jq, $ORIGIN/../lib/jq, $ORIGIN/../lib)
	Environ     func() []string // for $ENV and env; nil means os.Environ

	RawInput, Stream, StreamErrors, Seq bool // -R, --stream, --stream-errors, --seq
	Slurp, NullInput                    bool // -s, -n
	Raw, Join, Raw0                     bool // -r, -j, --raw-output0
	Compact, Tab                        bool // -c, --tab
	Indent                              int  // --indent: 0 to 7 (ignored with Compact or Tab)
	Color                               bool // colour the output
	Colors                              *Palette
	ExitStatus                          bool // -e
	ASCII                               bool // -a: escape what is beyond ASCII
	Unbuffered                          bool // --unbuffered: flush after each output

	FullDecode bool // decode whole documents even when the filter reads fewer members (tests)
}

// NamedArg is one of --arg, --argjson, --slurpfile and --rawfile.
type NamedArg struct {
	Flag  string // "arg", "argjson", "slurpfile" or "rawfile"
	Name  string // the variable, without $
	Value string // the text, or the file
}

// Positional is a value of $ARGS.positional: a string, or JSON text (--jsonargs).
type Positional struct {
	Text string
	JSON bool
}

// Run compiles the filter and runs it over the inputs, writing results to Stdout and
// problems to Stderr, as the jq command does. The error it returns carries the exit
// code (ExitCode() int); one whose text is empty has been reported already.
func Run(ctx context.Context, opts Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.Environ == nil {
		opts.Environ = os.Environ
	}
	if opts.Input.Stdin == nil {
		opts.Input.Stdin = os.Stdin
	}
	switch {
	case opts.Indent > 7:
		return &ExitError{ExitRuntime, fmt.Errorf("too many indentation count: %d", opts.Indent)}
	case opts.Indent < 0:
		return &ExitError{ExitRuntime, fmt.Errorf("negative indentation count: %d", opts.Indent)}
	}
	filter, err := Parse(opts.Filter, opts.FilterName)
	if err != nil {
		return &ExitError{ExitCompile, err}
	}
	names, values, err := variables(opts)
	if err != nil {
		return &ExitError{ExitRuntime, err}
	}
	if o := opts; o.Input.Shard.On() && (o.RawInput || o.Stream || o.StreamErrors || o.Seq) {
		return &ExitError{ExitUsage, errors.New("--shard reads JSON documents: it does not work with -R, --stream, --stream-errors or --seq")}
	}
	r := newRun(opts, filter, names, values)
	r.large = r.largeInput()
	if r.parallel() {
		return r.runParallel(ctx)
	}
	return r.runInOrder(ctx)
}

// run is one run of a filter: its settings and what it has seen for its exit code.
type run struct {
	opts   Options
	filter *Filter
	names  []string
	values []any
	out    *bufio.Writer
	stdin  *prefetch // standard input, read ahead on a goroutine
	large  bool      // the inputs are decoded on every core (see largeInput)

	outputs, falsy bool  // for -e: something was output; the last output was false or null
	finding        error // the last of the core's findings about the inputs (in order)
}

func newRun(opts Options, f *Filter, names []string, values []any) *run {
	r := &run{opts: opts, filter: f, names: names, values: values, out: bufio.NewWriterSize(opts.Stdout, 64<<10)}
	r.stdin = newPrefetch(opts.Input.Stdin)
	r.opts.Input.Stdin = r.stdin
	return r
}

// encoder makes an encoder for the run's output settings.
func (r *run) encoder() *Encoder {
	indent := r.opts.Indent
	switch {
	case r.opts.Compact:
		indent = -1
	case r.opts.Tab:
		indent = 1
	}
	return &Encoder{Indent: indent, Tab: r.opts.Tab && !r.opts.Compact, Color: r.opts.Color, Colors: r.opts.Colors, ASCII: r.opts.ASCII}
}

// appendValue writes one output and what follows it (newline, NUL or nothing).
func (r *run) appendValue(buf []byte, enc *Encoder, v any) ([]byte, error) {
	s, raw := v.(string)
	raw = raw && (r.opts.Raw || r.opts.Join || r.opts.Raw0)
	if raw && r.opts.Raw0 && strings.IndexByte(s, 0) >= 0 {
		return buf, fmt.Errorf("cannot output a string containing NUL character: %q", s)
	}
	if r.opts.Seq {
		buf = append(buf, 0x1e) // RFC 7464: a record separator before each text
	}
	if raw {
		buf = append(buf, s...)
	} else {
		buf = enc.Append(buf, v)
	}
	switch {
	case r.opts.Raw0:
		buf = append(buf, 0)
	case !r.opts.Join:
		buf = append(buf, '\n')
	}
	return buf, nil
}

// noteOutput remembers the last output for -e.
func (r *run) noteOutput(v any) {
	r.outputs, r.falsy = true, v == nil || v == false
}

// report writes a problem on stderr, after the output so far.
func (r *run) report(err error) {
	_ = r.out.Flush()
	var f *Finding
	if errors.As(err, &f) {
		fmt.Fprintln(r.opts.Stderr, f.Text)
		return
	}
	fmt.Fprintf(r.opts.Stderr, "smarthook: %s\n", err)
}

// halted reports a halt's value on stderr as gojq does: strings as they are, other
// values as compact JSON.
func (r *run) halted(h *gojq.HaltError) {
	v := h.Value()
	if v == nil {
		return
	}
	_ = r.out.Flush()
	if s, ok := v.(string); ok {
		io.WriteString(r.opts.Stderr, s)
		return
	}
	r.opts.Stderr.Write((&Encoder{Indent: -1}).Append(nil, v))
}

// result is the run's end as an error carrying its exit code: the last error's code
// (5 for a runtime error), else -e's verdict.
func (r *run) result(last error) error {
	if last != nil {
		var h *gojq.HaltError
		if errors.As(last, &h) {
			if h.ExitCode() == 0 {
				return nil
			}
			return &ExitError{Code: h.ExitCode()}
		}
		var ee *ExitError
		if errors.As(last, &ee) {
			return &ExitError{Code: ee.Code}
		}
		var f *Finding
		if errors.As(last, &f) {
			return &ExitError{Code: f.Code}
		}
		return &ExitError{Code: ExitRuntime}
	}
	if r.opts.ExitStatus {
		switch {
		case !r.outputs:
			return &ExitError{Code: ExitNoValue}
		case r.falsy:
			return &ExitError{Code: ExitFalsy}
		}
	}
	return nil
}
