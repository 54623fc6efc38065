package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/itchyny/gojq"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/query"
	"github.com/smarthook/smarthook/internal/rules"
)

// queryRun is one run of `smarthook query`: the compiled filter, the output settings
// and what the run has seen so far for its exit status.
type queryRun struct {
	opts   *QueryOptions
	filter *query.Filter
	names  []string // the variables: named arguments, then $ARGS
	values []any
	out    *bufio.Writer
	rep    *problemReporter

	indent     int
	tab, color bool
	raw        bool   // -r, -j or -0: strings go out as they are
	sep        string // after each output: "\n", "" (-j) or NUL (-0)

	outputs bool // some value was output (for -e)
	falsy   bool // the last one was false or null (for -e)
	failed  int  // documents the filter failed on
	halt    *gojq.HaltError
	errLine []byte
}

// errHalted stops the input pipeline after halt or halt_error.
var errHalted = errors.New("halted")

func newQueryRun(ctx context.Context, opts *QueryOptions) (*queryRun, error) {
	if opts.Indent < 0 || opts.Indent > 9 {
		return nil, usageErrorf("--indent %d: use 0 to 9 spaces", opts.Indent)
	}
	colorFlag := opts.Color
	switch {
	case opts.ColorOff:
		colorFlag = "never"
	case opts.ColorOn:
		colorFlag = "always"
	}
	color, err := colorEnabled(colorFlag, opts.IO.OutTTY, opts.IO.Getenv)
	if err != nil {
		return nil, err
	}
	filter, err := query.Parse(opts.Filter, opts.FilterFile)
	if err != nil {
		return nil, &exitError{Code: ExitUsage, Err: err}
	}
	r := &queryRun{opts: opts, filter: filter, out: newQueryOutput(opts.IO), rep: newProblemReporter(opts.IO), color: color}
	if r.names, r.values, err = variables(ctx, opts); err != nil {
		return nil, err
	}
	r.indent = 2
	switch {
	case opts.Compact:
		r.indent = -1
	case opts.Tab:
		r.indent, r.tab = 1, true
	default:
		r.indent = opts.Indent
	}
	r.raw = opts.Raw || opts.Join || opts.Raw0
	switch {
	case opts.Raw0:
		r.sep = "\x00"
	case opts.Join:
		r.sep = ""
	default:
		r.sep = "\n"
	}
	return r, nil
}

// compile compiles the filter with the run's variables and environment.
func (r *queryRun) compile(co query.CompileOptions) (*query.Program, error) {
	co.Variables = r.names
	co.Environ = r.opts.Environ
	if co.Environ == nil {
		co.Environ = os.Environ
	}
	p, err := r.filter.Compile(co)
	if err != nil {
		return nil, &exitError{Code: ExitUsage, Err: err}
	}
	return p, nil
}

func (r *queryRun) newEncoder() *query.Encoder {
	return query.NewEncoder(r.indent, r.tab, r.color)
}

// docResult is what running the filter on one document produced, besides its output.
type docResult struct {
	end     int            // where the document's output ends in the batch's buffer
	bad     *rules.Finding // a syntax error: the document was skipped
	errMsg  string         // the filter failed after the output before end
	halt    *gojq.HaltError
	outputs bool // some value was output
	falsy   bool // the last value output was false or null
}

// queryBatch is a batch's output, made on a worker and written by emit.
type queryBatch struct {
	buf  *[]byte
	docs []docResult
}

var queryBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// runParallel runs the filter on every document on every core.
func (r *queryRun) runParallel(ctx context.Context) error {
	prog, err := r.compile(query.CompileOptions{})
	if err != nil {
		return err
	}
	keys, project := r.filter.Projection()
	project = project && !r.opts.fullDecode
	newWork := func() func(*input.Batch) *queryBatch {
		dec := query.NewDecoder()
		if project {
			dec.Project(keys)
		}
		enc := r.newEncoder()
		return func(b *input.Batch) *queryBatch { return r.runBatch(ctx, prog, dec, enc, b) }
	}
	emit := func(b *input.Batch, qb *queryBatch) error {
		defer func() {
			if cap(*qb.buf) <= 16<<20 { // one huge output must not stay in the pool
				queryBuffers.Put(qb.buf)
			}
		}()
		if ctx.Err() != nil {
			return ctx.Err() // interrupted: the results may be cut short
		}
		return r.emit(b, qb)
	}
	err = input.Run(ctx, r.opts.Paths, r.opts.IO.readOptions(), newWork, emit)
	if err == errHalted {
		return nil
	}
	return err
}

// runBatch decodes and filters the documents of a batch (on a worker).
func (r *queryRun) runBatch(ctx context.Context, prog *query.Program, dec *query.Decoder, enc *query.Encoder, b *input.Batch) *queryBatch {
	qb := &queryBatch{buf: queryBuffers.Get().(*[]byte), docs: make([]docResult, len(b.Records))}
	buf := (*qb.buf)[:0]
	for i, rec := range b.Records {
		d := &qb.docs[i]
		if rec.Err == nil {
			v, err := dec.Decode(rec.Raw)
			if err != nil {
				f := payload.SyntaxFinding(rec.Raw, err)
				d.bad = &f
			} else {
				buf = r.runOne(ctx, prog, enc, buf, v, fileName(rec.Origin), d, nil)
			}
		}
		d.end = len(buf)
		if d.halt != nil {
			break // nothing after a halt is written
		}
	}
	*qb.buf = buf
	return qb
}

// fileName is what input_filename returns for a document: its path[:member], null
// for stdin as in jq.
func fileName(o input.Origin) any {
	if o.Path == "-" {
		return nil
	}
	return o.Name()
}

// runOne runs the filter on v and appends its outputs to buf. When flush is set it is
// handed buf whenever that grows large, and returns the buffer to go on with.
func (r *queryRun) runOne(ctx context.Context, prog *query.Program, enc *query.Encoder, buf []byte, v any, file any, d *docResult, flush func([]byte) []byte) []byte {
	iter := prog.Run(ctx, v, r.values, file)
	for {
		v, ok := iter.Next()
		if !ok {
			return buf
		}
		if err, ok := v.(error); ok {
			if h, ok := err.(*gojq.HaltError); ok {
				d.halt = h
			} else if ctx.Err() == nil {
				d.errMsg = errorText(err)
			}
			return buf
		}
		var err error
		if buf, err = r.appendValue(buf, enc, v); err != nil {
			d.errMsg = err.Error()
			return buf
		}
		d.outputs, d.falsy = true, v == nil || v == false
		if flush != nil && len(buf) >= 64<<10 {
			buf = flush(buf)
		}
	}
}

// errorText is a filter error as the user reads it: error("x") says just x.
func errorText(err error) string {
	msg := err.Error()
	if _, ok := err.(gojq.ValueError); ok {
		msg = strings.TrimPrefix(msg, "error: ")
	} else if msg == "break" {
		msg = "no more inputs" // what gojq's input says when the documents have run out
	}
	return msg
}

// appendValue writes one output value and its separator.
func (r *queryRun) appendValue(buf []byte, enc *query.Encoder, v any) ([]byte, error) {
	if s, ok := v.(string); ok && r.raw {
		if r.opts.Raw0 && strings.IndexByte(s, 0) >= 0 {
			return buf, fmt.Errorf("cannot output a string containing NUL character: %q", s)
		}
		buf = append(buf, s...)
	} else {
		buf = enc.Append(buf, v)
	}
	return append(buf, r.sep...), nil
}

// emit writes a batch's results in input order and reports its problems.
func (r *queryRun) emit(b *input.Batch, qb *queryBatch) error {
	buf := *qb.buf
	start := 0
	for i, rec := range b.Records {
		d := &qb.docs[i]
		if rec.Err != nil || d.bad != nil {
			var fs []rules.Finding
			if d.bad != nil {
				fs = []rules.Finding{*d.bad}
			}
			r.flushBeforeProblem()
			r.rep.checkSyntax(rec, fs)
			start = d.end
			continue
		}
		if _, err := r.out.Write(buf[start:d.end]); err != nil {
			return err
		}
		start = d.end
		if r.note(&rec.Origin, d) {
			return errHalted
		}
	}
	return nil
}

// note records what a document's run ended with, and reports whether it halted.
func (r *queryRun) note(o *input.Origin, d *docResult) bool {
	if d.outputs {
		r.outputs, r.falsy = true, d.falsy
	}
	if d.errMsg != "" {
		r.filterFailed(o, d.errMsg)
	}
	if d.halt == nil {
		return false
	}
	r.halt = d.halt
	if v := d.halt.Value(); v != nil {
		r.flushBeforeProblem()
		if s, ok := v.(string); ok {
			fmt.Fprint(r.opts.IO.Err, s)
		} else {
			r.opts.IO.Err.Write(append(query.NewEncoder(-1, false, false).Append(nil, v), '\n'))
		}
	}
	return true
}

// filterFailed reports that the filter failed on the document at o (nil when no
// document is concerned, as with -n).
func (r *queryRun) filterFailed(o *input.Origin, msg string) {
	r.failed++
	r.flushBeforeProblem()
	if o == nil {
		fmt.Fprintf(r.opts.IO.Err, "smarthook: error: %s\n", msg)
		return
	}
	f := rules.Finding{Rule: "query", Severity: rules.Error, Message: msg}
	r.errLine = appendFindingText(r.errLine[:0], *o, o.Line, o.Col, f, r.rep.color)
	r.opts.IO.Err.Write(r.errLine)
}

// flushBeforeProblem writes pending output first, so that on a terminal a problem
// shows up after the outputs that came before it.
func (r *queryRun) flushBeforeProblem() { _ = r.out.Flush() }

// result maps the run's end to the command's error (and so its exit code).
func (r *queryRun) result(runErr error) error {
	if r.halt != nil {
		if code := r.halt.ExitCode(); code != 0 {
			return &exitError{Code: code}
		}
		return nil
	}
	if runErr != nil {
		return runErr
	}
	if err := r.rep.err(); err != nil {
		return err
	}
	if r.failed > 0 {
		return errProblems
	}
	if r.opts.ExitStatus && (!r.outputs || r.falsy) {
		return errProblems
	}
	return nil
}
