package replay

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/smarthook/smarthook/internal/query"
)

// Filter chooses the documents a run sends: --events keeps the REST webhooks of the
// named events, --where the documents for which a jq expression is truthy. The others
// are skipped and counted. Its zero value keeps everything.
type Filter struct {
	Events []string // webhook event names; empty keeps every document
	Where  *Where   // nil keeps every document
}

// active reports whether the filter drops anything.
func (f *Filter) active() bool { return f != nil && (len(f.Events) > 0 || f.Where != nil) }

// ParseEvents reads --events: event names, comma-separated.
func ParseEvents(list []string) ([]string, error) {
	var out []string
	for _, item := range list {
		for _, e := range strings.Split(item, ",") {
			e = strings.TrimSpace(e)
			if e == "" {
				continue
			}
			if strings.ContainsAny(e, " \t\"") {
				return nil, fmt.Errorf("--events: %q is not an event name such as conversation.closed", e)
			}
			out = append(out, e)
		}
	}
	if len(list) > 0 && len(out) == 0 {
		return nil, errors.New("--events: name at least one event, e.g. conversation.closed")
	}
	return out, nil
}

// Where is a compiled --where expression. It goes through the query engine (package
// query) here only, so that a change there is adapted in one place.
type Where struct {
	prog        *query.Program
	keys        []string
	projectable bool
}

// CompileWhere compiles a jq expression for --where. Its errors point at the place in
// the expression.
func CompileWhere(expr string) (*Where, error) {
	f, err := query.Parse(expr, "")
	if err != nil {
		return nil, fmt.Errorf("--where: %w", err)
	}
	if f.UsesInput {
		return nil, errors.New("--where: input and inputs cannot be used: the expression sees one document at a time")
	}
	prog, err := f.Compile(query.CompileOptions{})
	if err != nil {
		return nil, fmt.Errorf("--where: %w", err)
	}
	w := &Where{prog: prog}
	w.keys, w.projectable = f.Projection()
	return w, nil
}

// whereMatcher evaluates a Where on one worker's documents.
type whereMatcher struct {
	w   *Where
	dec *query.Decoder
}

func (w *Where) matcher() *whereMatcher {
	dec := query.NewDecoder()
	if w.projectable {
		dec.Project(w.keys)
	}
	return &whereMatcher{w: w, dec: dec}
}

// match reports whether the expression's first output for the document raw (read
// from file) is truthy: neither false nor null, as jq's select.
func (m *whereMatcher) match(raw []byte, file string) (bool, error) {
	v, err := m.dec.Decode(raw)
	if err != nil {
		return false, err
	}
	iter := m.w.prog.Run(context.Background(), v, nil, file)
	out, ok := iter.Next()
	if !ok {
		return false, nil
	}
	if err, isErr := out.(error); isErr {
		return false, fmt.Errorf("--where: %w", err)
	}
	return out != nil && out != false, nil
}

// docMatcher applies a Filter on one worker of the input.
type docMatcher struct {
	f     *Filter
	where *whereMatcher
}

func (f *Filter) matcher() *docMatcher {
	if !f.active() {
		return nil
	}
	m := &docMatcher{f: f}
	if f.Where != nil {
		m.where = f.Where.matcher()
	}
	return m
}

// keep says whether the document inspected as in is sent; a --where that fails on it
// says why (the document is then skipped).
func (m *docMatcher) keep(in *inspection, file string) (bool, string) {
	if m == nil || len(in.errs) > 0 {
		return true, ""
	}
	if len(m.f.Events) > 0 && !slices.Contains(m.f.Events, in.event) {
		return false, ""
	}
	if m.where != nil {
		ok, err := m.where.match(in.raw, file)
		if err != nil {
			return false, err.Error()
		}
		return ok, ""
	}
	return true, ""
}
