package query

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/itchyny/gojq"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
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
	if last == nil && r.finding != nil {
		last = r.finding
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
		it = r.openIter(ctx, r.opts.Input.Stdin, "<stdin>")
	default:
		it = &filesIter{names: r.opts.Paths, stdin: r.opts.Input.Stdin,
			newIter: func(rd io.Reader, name string) docIter { return r.openIter(ctx, rd, name) },
			open:    func(name string) (docIter, io.Closer, error) { return r.open(ctx, name) }}
	}
	it = &findingsIter{docIter: it, r: r}
	if r.opts.Slurp {
		it = &slurpIter{src: it, raw: r.opts.RawInput}
	}
	return it
}

// open opens one path: a plain file is read as a stream of documents; a directory,
// glob, archive or .gz file through the input core, document by document.
func (r *run) open(ctx context.Context, name string) (docIter, io.Closer, error) {
	if isContainer(name) {
		it := newRecordsIter(ctx, func(ctx context.Context) <-chan *input.Batch {
			return input.Read(ctx, []string{name}, r.opts.Input)
		}, r.newIter)
		it.notes = r.notes
		return it, nil, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return r.openIter(ctx, f, name), f, nil
}

// openIter is newIter for a whole file or stdin. Read as JSON text, a broken document
// followed by a line that begins one is cut there and the rest read by the input core
// (see jsonIter.resume), and a top-level array read as one document is noted.
func (r *run) openIter(ctx context.Context, rd io.Reader, name string) docIter {
	it := r.newIter(rd, name)
	j, ok := it.(*jsonIter)
	if !ok || j.events != nil || r.opts.Seq {
		return it
	}
	j.takeOver = func(o input.Origin, rest io.Reader) *recordsIter {
		it := newRecordsIter(ctx, func(ctx context.Context) <-chan *input.Batch {
			return input.ReadStream(ctx, o, rest, r.opts.Input)
		}, r.newIter)
		it.stream = true
		return it
	}
	path := name
	if path == "<stdin>" {
		path = "-"
	}
	j.seen = func(_ int, v any) bool {
		// A .json file of several documents is jq input, said nothing of (gojq's
		// suite has one); an array of payloads is most likely an export.
		if topArray(v) {
			r.notes(input.EscapeName(path) + ": " + input.NoteArrayAsOne)
		}
		return false
	}
	return it
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

// recordsIter reads the documents the input core finds (archive members, files of a
// directory, the rest of an input after a broken document), each record through its
// own iterator. After broken text (as jq reads it) the rest of that input is not read.
type recordsIter struct {
	ctx     context.Context
	cancel  context.CancelFunc
	batches <-chan *input.Batch
	batch   *input.Batch
	pos     int
	cur     docIter
	newIter func(io.Reader, string) docIter
	name    string
	notes   func(string)          // says the core's notes about the reading (nil: not said)
	broken  map[string]bool       // inputs whose text broke
	queue   []*input.Batch        // batches taken off the channel to look ahead
	rests   []<-chan *input.Batch // the Rest of loaded batches, the last read first
	stream  bool                  // the rest of a stream: a broken record with more after it is a finding
}

func newRecordsIter(ctx context.Context, read func(context.Context) <-chan *input.Batch, newIter func(io.Reader, string) docIter) *recordsIter {
	ctx, cancel := context.WithCancel(ctx)
	return &recordsIter{ctx: ctx, cancel: cancel, batches: read(ctx), newIter: newIter, broken: map[string]bool{}}
}

// peek returns the next record without taking it; false at the end.
func (it *recordsIter) peek() (input.Record, bool) {
	ok := true
	for it.batch == nil || it.pos == len(it.batch.Records) {
		if it.batch != nil {
			it.batch.Release()
			it.batch = nil
		}
		var b *input.Batch
		if n := len(it.rests); n > 0 {
			if b, ok = <-it.rests[n-1]; !ok {
				it.rests = it.rests[:n-1]
				continue
			}
		} else if len(it.queue) > 0 {
			b, it.queue = it.queue[0], it.queue[1:]
		} else if b, ok = <-it.batches; !ok {
			return input.Record{}, false
		}
		b.Load()
		if rest := b.Rest(it.ctx); rest != nil {
			// A file too large to load: its batches come before the queue's.
			it.rests = append(it.rests, rest)
		}
		if it.notes != nil {
			for _, n := range b.Notes {
				it.notes(n)
			}
		}
		it.batch, it.pos = b, 0
	}
	return it.batch.Records[it.pos], true
}

// more reports whether a record follows the next one.
func (it *recordsIter) more() bool {
	if _, ok := it.peek(); !ok {
		return false
	}
	if it.pos+1 < len(it.batch.Records) || len(it.rests) > 0 {
		return true
	}
	for _, b := range it.queue {
		if len(b.Records) > 0 {
			return true
		}
	}
	for b := range it.batches {
		it.queue = append(it.queue, b)
		if len(b.Records) > 0 {
			return true
		}
	}
	return false
}

func (it *recordsIter) Next() (any, bool) {
	for {
		if it.cur != nil {
			if v, ok := it.cur.Next(); ok {
				var je *JSONError
				if err, isErr := v.(error); isErr && errors.As(err, &je) && !lineDelimited(it.name) {
					it.broken[it.name] = true
				}
				return v, true
			}
			it.cur = nil
		}
		rec, ok := it.peek()
		if !ok {
			return nil, false
		}
		name, _ := sourceName(rec.Origin).(string)
		if it.broken[name] {
			it.pos++
			continue
		}
		it.name = name
		if err := recordProblem(rec); err != nil {
			it.pos++
			return err, true
		}
		if it.stream && !json.Valid(rec.Raw) && it.more() {
			// The core reads on after it: its finding, not jq's error.
			if err := syntaxError(rec.Raw); err != nil {
				it.pos++
				return newFinding(rec, payload.SyntaxFinding(rec.Raw, err), 1), true
			}
		}
		it.pos++
		it.cur = it.newIter(bytes.NewReader(rec.Raw), name)
		switch cur := it.cur.(type) {
		case *jsonIter:
			cur.line = rec.Origin.Line - 1
		case *ndjsonIter:
			cur.line = rec.Origin.Line - 1
		}
	}
}

func (it *recordsIter) Name() string { return it.name }

// Close stops the reading. The reader may be waiting on its source (a live stream):
// what it still sends is released as it comes, without waiting for it.
func (it *recordsIter) Close() {
	it.cancel()
	if it.batch != nil {
		it.batch.Release()
		it.batch = nil
	}
	for _, b := range it.queue {
		b.Release()
	}
	it.queue = nil
	for _, ch := range append(it.rests, it.batches) {
		go func(batches <-chan *input.Batch) {
			for b := range batches {
				b.Release()
			}
		}(ch)
	}
	it.rests = nil
}
