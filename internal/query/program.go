package query

import (
	"context"

	"github.com/itchyny/gojq"
)

// Filter is a parsed jq filter and what it needs to run.
type Filter struct {
	src   string // the text as given
	name  string // the file it came from, "<arg>" for the command line
	query *gojq.Query

	// UsesInput is set when the filter calls input or inputs: then the documents must
	// be fed to one run in order, not spread over the cores.
	UsesInput bool

	keys        []string
	projectable bool
}

// Parse parses a filter. name is where it came from, as gojq names it in errors:
// "<arg>" for the command line, else the file. Errors are *QueryError, or
// *CompileError for what jq refuses before running (a literal number as an object key).
func Parse(src, name string) (*Filter, error) {
	q, err := gojq.Parse(src)
	if err != nil {
		return nil, &QueryError{Name: name, Source: src, Err: err}
	}
	if err := constantKeyError(q); err != nil {
		return nil, &CompileError{err}
	}
	rewriteLoc(q, src)
	f := &Filter{src: src, name: name, query: q, UsesInput: callsAny(q, "input", "inputs")}
	f.keys, f.projectable = projection(q)
	return f, nil
}

// writesStderr reports a filter that may write on stderr while it runs: one calling
// debug or stderr, or importing modules (which may call them).
func (f *Filter) writesStderr() bool {
	return len(f.query.Imports) > 0 || callsAny(f.query, "debug", "stderr")
}

// Projection returns the only top-level members of a document that the filter can
// read, sorted, and true; or false when it needs whole documents.
func (f *Filter) Projection() ([]string, bool) { return f.keys, f.projectable }

// CompileOptions are what a filter is compiled with.
type CompileOptions struct {
	Variables []string        // names of the variables given to Run, with their $
	Environ   func() []string // for $ENV and env; nil: empty
	// Inputs feeds input and inputs; nil forbids them.
	Inputs gojq.Iter
	// FileName answers input_filename when set; otherwise each Run passes the file
	// name of its document (which is what workers running in parallel need).
	FileName func() any
	// ModulePaths are searched by import and include.
	ModulePaths []string
	// Functions are added to the language (debug, stderr, ...), after the helpers.
	Functions []gojq.CompilerOption
}

// fileVar carries the document's file name to input_filename in parallel runs.
const fileVar = "$__smarthook_input_filename"

// Program is a compiled filter. Its Run is safe for concurrent use.
type Program struct {
	code    *gojq.Code
	nvars   int
	fileArg bool
}

// Compile compiles the filter with the Smartsupp helpers. Errors are *CompileError
// or, for a module that does not parse, *QueryError.
func (f *Filter) Compile(opts CompileOptions) (*Program, error) {
	q := *f.query // a shallow copy: the definition below must not stay in f
	vars := opts.Variables
	copts := functionOptions()
	if opts.FileName != nil {
		fn := opts.FileName
		copts = append(copts, gojq.WithFunction("input_filename", 0, 0, func(any, []any) any { return fn() }))
	} else {
		def, _ := gojq.Parse("def input_filename: " + fileVar + "; .")
		q.FuncDefs = append(def.FuncDefs, q.FuncDefs...)
		vars = append(vars[:len(vars):len(vars)], fileVar)
	}
	if opts.Environ != nil {
		copts = append(copts, gojq.WithEnvironLoader(opts.Environ))
	}
	if opts.Inputs != nil {
		copts = append(copts, gojq.WithInputIter(opts.Inputs))
	}
	copts = append(copts, gojq.WithModuleLoader(gojq.NewModuleLoader(opts.ModulePaths)))
	copts = append(copts, opts.Functions...)
	copts = append(copts, gojq.WithVariables(vars))
	code, err := gojq.Compile(&q, copts...)
	if err != nil {
		return nil, f.compileError(err)
	}
	return &Program{code: code, nvars: len(opts.Variables), fileArg: opts.FileName == nil}, nil
}

// compileError is a compile error as gojq's command shows it: a module that does not
// parse is a *QueryError about that module, others are *CompileError.
func (f *Filter) compileError(err error) error {
	if pe, ok := err.(interface {
		QueryParseError() (string, string, error)
	}); ok {
		name, src, err := pe.QueryParseError()
		return &QueryError{Name: name, Source: src, Err: err}
	}
	if je, ok := err.(interface {
		JSONParseError() (string, string, error)
	}); ok {
		name, contents, err := je.JSONParseError()
		return &CompileError{&JSONError{Name: name, Contents: contents, Err: err}}
	}
	return &CompileError{err}
}

// Run runs the program on v with the variables' values in the order of
// CompileOptions.Variables; file is the document's file name for input_filename (nil
// for none), ignored when CompileOptions.FileName was set.
func (p *Program) Run(ctx context.Context, v any, values []any, file any) gojq.Iter {
	if p.fileArg {
		all := make([]any, len(values)+1)
		copy(all, values)
		all[len(values)] = file
		values = all
	}
	return p.code.RunWithContext(ctx, v, values...)
}
