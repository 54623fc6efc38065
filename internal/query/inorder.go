package query

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"strings"

	"github.com/itchyny/gojq"
	"github.com/smarthook/smarthook/internal/input"
)

// runInOrder runs the filter over the inputs one after another, as the jq command
// does: what -R, --stream, --seq, -s, -n, input and inputs need, and small inputs.
func (r *run) runInOrder(ctx context.Context) error {
	r.stdin.onWait = func() { _ = r.out.Flush() }
	src := r.sources(ctx)
	defer src.Close()
	fileArgs := len(r.opts.Paths) > 0
	fileName := func() any {
		if name := src.Name(); name != "" && (fileArgs || !r.opts.NullInput) {
			return name
		}
		return nil
	}
	prog, err := r.filter.Compile(r.compileOptions(src, fileName))
	if err != nil {
		return &ExitError{ExitCompile, err}
	}
	var docs docIter = src
	if r.opts.NullInput {
		docs = &nullIter{}
	}
	enc := r.encoder()
	var last error
	for {
		v, ok := docs.Next()
		if !ok {
			break
		}
		if err, ok := v.(error); ok {
			r.report(err)
			last = err
			continue
		}
		if err := r.runOne(ctx, prog, enc, v); err != nil {
			if h, ok := err.(*gojq.HaltError); ok {
				r.halted(h)
				last = h
				break
			}
			r.report(err)
			last = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if err := r.out.Flush(); err != nil {
		return &ExitError{ExitRuntime, err}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return r.result(last)
}

// compileOptions are the options every run compiles with.
func (r *run) compileOptions(inputs gojq.Iter, fileName func() any) CompileOptions {
	paths := r.opts.ModulePaths
	if paths == nil {
		paths = []string{"~/.jq", "$ORIGIN/../lib/jq", "$ORIGIN/../lib"}
	}
	return CompileOptions{
		Variables: r.names, Environ: r.opts.Environ, Inputs: inputs, FileName: fileName,
		ModulePaths: paths,
		Functions: []gojq.CompilerOption{
			gojq.WithFunction("debug", 0, 0, r.debug),
			gojq.WithFunction("stderr", 0, 0, r.stderr),
			// jq 1.7's build questions: numbers keep their literal text, as in
			// gojq, but are not arbitrary-precision decimals.
			gojq.WithFunction("have_literal_numbers", 0, 0, func(any, []any) any { return true }),
			gojq.WithFunction("have_decnum", 0, 0, func(any, []any) any { return false }),
		},
	}
}

// runOne runs the filter on v, writing its outputs; it returns the error it ends with.
func (r *run) runOne(ctx context.Context, prog *Program, enc *Encoder, v any) error {
	iter := prog.Run(ctx, v, r.values, nil)
	var buf []byte
	for {
		v, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, ok := v.(error); ok {
			return err
		}
		var err error
		if buf, err = r.appendValue(buf[:0], enc, v); err != nil {
			return err
		}
		if _, err := r.out.Write(buf); err != nil {
			return err
		}
		if r.opts.Unbuffered {
			if err := r.out.Flush(); err != nil {
				return err
			}
		}
		r.noteOutput(v)
	}
}

// debug writes ["DEBUG:", v] on stderr and passes v on.
func (r *run) debug(v any, _ []any) any {
	_ = r.out.Flush()
	line := (&Encoder{Indent: -1}).Append(nil, []any{"DEBUG:", v})
	if _, err := r.opts.Stderr.Write(append(line, '\n')); err != nil {
		return err
	}
	return v
}

// stderr writes v on stderr (a string as it is, else compact JSON) and passes it on.
func (r *run) stderr(v any, _ []any) any {
	_ = r.out.Flush()
	var text []byte
	if s, ok := v.(string); ok {
		text = []byte(s)
	} else {
		text = (&Encoder{Indent: -1}).Append(nil, v)
	}
	if _, err := r.opts.Stderr.Write(text); err != nil {
		return err
	}
	return v
}

// newIter makes the iterator that reads one input in the run's input mode.
func (r *run) newIter(rd io.Reader, name string) docIter {
	if r.opts.Seq {
		rd = &seqReader{rd}
	}
	switch {
	case r.opts.RawInput && r.opts.Slurp:
		return &wholeIter{r: rd, name: name}
	case r.opts.RawInput:
		return &lineIter{r: bufio.NewReader(rd), name: name}
	}
	if r.opts.Stream || r.opts.StreamErrors || !lineDelimited(name) {
		it := newJSONIter(rd, name, r.opts.Stream || r.opts.StreamErrors)
		it.streamErrors = r.opts.StreamErrors
		return it
	}
	return &ndjsonIter{r: bufio.NewReader(rd), name: name}
}

// sources is every input in order: stdin when no path is given.
func (r *run) sources(ctx context.Context) docIter {
	var it docIter
	switch {
	case r.large:
		it = newFeedIter(ctx, r.opts.Paths, r.opts.Input)
	case len(r.opts.Paths) == 0:
		it = r.newIter(r.opts.Input.Stdin, "<stdin>")
	default:
		it = &filesIter{names: r.opts.Paths, stdin: r.opts.Input.Stdin, newIter: r.newIter,
			open: func(name string) (docIter, io.Closer, error) { return r.open(ctx, name) }}
	}
	if r.opts.Slurp {
		it = &slurpIter{src: it, raw: r.opts.RawInput}
	}
	return it
}

// open opens one path: a plain file is read as a stream of documents; a directory,
// glob, archive or .gz file through the input core, document by document.
func (r *run) open(ctx context.Context, name string) (docIter, io.Closer, error) {
	if isContainer(name) {
		return newRecordsIter(ctx, name, r.opts.Input, r.newIter), nil, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return r.newIter(f, name), f, nil
}

// isContainer reports a path the input core must unpack or walk.
func isContainer(name string) bool {
	lower := strings.ToLower(name)
	for _, ext := range []string{".gz", ".tgz", ".tar", ".zip"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	info, err := os.Stat(name)
	if err != nil {
		return os.IsNotExist(err) && strings.ContainsAny(name, "*?[")
	}
	return info.IsDir()
}

// seqReader reads RFC 7464 text (--seq): record separators count as white space.
type seqReader struct{ r io.Reader }

func (s *seqReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	for i, c := range p[:n] {
		if c == 0x1e {
			p[i] = ' '
		}
	}
	return n, err
}

// recordsIter reads the documents the input core finds under a path (archive
// members, files of a directory), each record through its own iterator.
type recordsIter struct {
	cancel  context.CancelFunc
	batches <-chan *input.Batch
	batch   *input.Batch
	pos     int
	cur     docIter
	newIter func(io.Reader, string) docIter
	name    string
}

func newRecordsIter(ctx context.Context, path string, opts input.Options, newIter func(io.Reader, string) docIter) *recordsIter {
	ctx, cancel := context.WithCancel(ctx)
	return &recordsIter{cancel: cancel, batches: input.Read(ctx, []string{path}, opts), newIter: newIter, name: path}
}

func (it *recordsIter) Next() (any, bool) {
	for {
		if it.cur != nil {
			if v, ok := it.cur.Next(); ok {
				return v, true
			}
			it.cur = nil
		}
		if it.batch == nil || it.pos == len(it.batch.Records) {
			if it.batch != nil {
				it.batch.Release()
				it.batch = nil
			}
			b, ok := <-it.batches
			if !ok {
				return nil, false
			}
			b.Load()
			it.batch, it.pos = b, 0
			continue
		}
		rec := it.batch.Records[it.pos]
		it.pos++
		it.name = rec.Origin.Name()
		if rec.Err != nil {
			return readError(rec.Err), true
		}
		it.cur = it.newIter(bytes.NewReader(rec.Raw), it.name)
		switch cur := it.cur.(type) {
		case *jsonIter:
			cur.line = rec.Origin.Line - 1
		case *ndjsonIter:
			cur.line = rec.Origin.Line - 1
		}
	}
}

func (it *recordsIter) Name() string { return it.name }

func (it *recordsIter) Close() {
	it.cancel()
	for b := range it.batches {
		b.Release()
	}
}
