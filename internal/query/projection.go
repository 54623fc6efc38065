package query

import (
	"slices"
	"strings"

	"github.com/itchyny/gojq"
)

// projection finds the top-level members of the input document that q can read, so
// that the decoder can leave out the others. It returns ok=false whenever q might
// observe the document in any other way: a bare `.`, `..`, `.[]`, a key that is not a
// constant, a function applied to the document itself (keys, length, has, tojson,
// select, del, paths, to_entries, ...), an update, an `if` without `else` (which
// passes `.` on), user-defined functions, imports. Any doubt means a full decode:
// the output must not change.
//
// The analysis follows what `.` is at each point: the document ("root") on the left
// of a pipe, in the operands of ',' and of operators, in arguments and in array,
// object and string parts; a value derived from it on the right of a pipe, in the
// update of reduce and foreach and in a catch handler. Derived values are decoded in
// full, so nothing done to them matters; nothing can lead back to the document from
// there except a variable bound to it, and binding it takes a bare `.`.
func projection(q *gojq.Query) (keys []string, ok bool) {
	if definesFunctions(q) || callsAny(q, "input", "inputs") {
		return nil, false
	}
	p := projector{keys: map[string]bool{}}
	p.query(q, true)
	if p.full {
		return nil, false
	}
	keys = make([]string, 0, len(p.keys))
	for k := range p.keys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, true
}

type projector struct {
	keys map[string]bool
	full bool
}

func (p *projector) query(q *gojq.Query, root bool) {
	if q == nil || !root || p.full {
		return
	}
	if q.Term != nil {
		p.term(q.Term)
		return
	}
	switch q.Op {
	case gojq.OpPipe:
		p.query(q.Left, true)
		p.patterns(q.Patterns)
		// `x as $v | body` runs body on the same input; `x | body` on x's outputs.
		p.query(q.Right, len(q.Patterns) > 0)
	case gojq.OpAssign, gojq.OpModify, gojq.OpUpdateAdd, gojq.OpUpdateSub, gojq.OpUpdateMul,
		gojq.OpUpdateDiv, gojq.OpUpdateMod, gojq.OpUpdateAlt:
		p.full = true // outputs the updated document
	default: // ',', arithmetic, comparison, and, or, //
		p.query(q.Left, true)
		p.query(q.Right, true)
	}
}

// term reads a term whose input is the document.
func (p *projector) term(t *gojq.Term) {
	switch t.Type {
	case gojq.TermTypeNull, gojq.TermTypeTrue, gojq.TermTypeFalse, gojq.TermTypeNumber, gojq.TermTypeBreak:
	case gojq.TermTypeIndex:
		if k, ok := constKey(t.Index); ok {
			p.keys[k] = true
		} else {
			p.full = true
		}
	case gojq.TermTypeFunc:
		p.call(t.Func)
	case gojq.TermTypeObject:
		p.object(t.Object)
	case gojq.TermTypeArray:
		p.query(t.Array.Query, true)
	case gojq.TermTypeUnary:
		p.term(t.Unary.Term)
	case gojq.TermTypeFormat:
		if t.Str == nil {
			p.full = true // @csv, @base64, ... applied to the document
		}
		p.str(t.Str)
	case gojq.TermTypeString:
		p.str(t.Str)
	case gojq.TermTypeIf:
		p.ifTerm(t.If)
	case gojq.TermTypeTry:
		p.query(t.Try.Body, true) // the handler gets the error, not the document
	case gojq.TermTypeReduce:
		p.query(t.Reduce.Query, true)
		p.patterns(t.Reduce.Patterns)
		p.query(t.Reduce.Start, true) // the update works on the accumulator
	case gojq.TermTypeForeach:
		p.query(t.Foreach.Query, true)
		p.patterns(t.Foreach.Patterns)
		p.query(t.Foreach.Start, true)
	case gojq.TermTypeLabel:
		p.query(t.Label.Body, true)
	case gojq.TermTypeQuery:
		p.query(t.Query, true)
	default: // `.`, `..`, `.[]` and anything new
		p.full = true
	}
	// Index expressions in suffixes see the term's input: `.a[.i]` reads .i.
	for _, s := range t.SuffixList {
		if x := s.Index; x != nil {
			p.str(x.Str)
			p.query(x.Start, true)
			p.query(x.End, true)
		}
	}
}

// constKey returns the member name of `.name`, `."name"` or `.["name"]`.
func constKey(x *gojq.Index) (string, bool) {
	switch {
	case x.IsSlice || x.End != nil:
		return "", false
	case x.Name != "":
		return x.Name, true
	case x.Str != nil:
		return x.Str.Str, len(x.Str.Queries) == 0
	case x.Start != nil && x.Start.Term != nil && x.Start.Term.Type == gojq.TermTypeString &&
		len(x.Start.Term.SuffixList) == 0:
		s := x.Start.Term.Str
		return s.Str, len(s.Queries) == 0
	}
	return "", false
}

func (p *projector) object(o *gojq.Object) {
	for _, kv := range o.KeyVals {
		switch {
		case kv.Val != nil:
			p.str(kv.KeyString)
			p.query(kv.KeyQuery, true)
			p.query(kv.Val, true)
		case strings.HasPrefix(kv.Key, "$"): // {$x}
		case kv.Key != "": // {name} is {name: .name}
			p.keys[kv.Key] = true
		case kv.KeyString != nil && len(kv.KeyString.Queries) == 0:
			p.keys[kv.KeyString.Str] = true
		default:
			p.full = true
		}
	}
}

func (p *projector) ifTerm(x *gojq.If) {
	if x.Else == nil {
		p.full = true // no else: the document itself passes through
		return
	}
	p.query(x.Cond, true)
	p.query(x.Then, true)
	for _, e := range x.Elif {
		p.query(e.Cond, true)
		p.query(e.Then, true)
	}
	p.query(x.Else, true)
}

func (p *projector) str(s *gojq.String) {
	if s == nil {
		return
	}
	for _, q := range s.Queries {
		p.query(q, true)
	}
}

func (p *projector) patterns(ps []*gojq.Pattern) {
	for _, pt := range ps {
		p.patterns(pt.Array)
		for _, o := range pt.Object {
			p.str(o.KeyString)
			p.query(o.KeyQuery, true)
			if o.Val != nil {
				p.patterns([]*gojq.Pattern{o.Val})
			}
		}
	}
}

// harmless lists built-ins that neither output nor inspect their input, with how their
// arguments see it: 'R' the same input (the document), 'D' values derived from it.
var harmless = map[string]string{
	"empty/0": "", "not/0": "", "type/0": "", "now/0": "", "env/0": "", "builtins/0": "",
	"input_filename/0": "", "halt/0": "", "infinite/0": "", "nan/0": "", "null/0": "",
	"error/1": "R", "first/1": "R", "last/1": "R", "isempty/1": "R", "add/1": "R",
	"limit/2": "RR", "skip/2": "RR", "range/1": "R", "range/2": "RR", "range/3": "RRR",
	"any/2": "RD", "all/2": "RD",
}

// call reads a function call (or a variable) whose input is the document.
func (p *projector) call(f *gojq.Func) {
	if strings.HasPrefix(f.Name, "$") {
		return // a variable; none can hold the document (binding it takes a bare `.`)
	}
	if h := lookupFunction(f.Name, len(f.Args)); h != nil {
		if h.Touches == nil {
			p.full = true
			return
		}
		for _, k := range h.Touches {
			p.keys[k] = true
		}
		for _, a := range f.Args {
			p.query(a, true)
		}
		return
	}
	roles, ok := harmless[f.Name+"/"+string(rune('0'+len(f.Args)))]
	if !ok || len(f.Args) > 9 {
		p.full = true
		return
	}
	for i, a := range f.Args {
		p.query(a, roles[i] == 'R')
	}
}
