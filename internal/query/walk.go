package query

import "github.com/itchyny/gojq"

// walk calls visit on every *gojq.Query, *gojq.Term, *gojq.ObjectKeyVal and
// *gojq.PatternObject of q, parents
// before children and otherwise in the order they are written in the filter, so that
// the n-th node found matches the n-th occurrence in the source text.
func walk(q *gojq.Query, visit func(node any)) {
	if q == nil {
		return
	}
	visit(q)
	for _, fd := range q.FuncDefs {
		walk(fd.Body, visit)
	}
	if q.Term != nil {
		walkTerm(q.Term, visit)
		return
	}
	walk(q.Left, visit)
	walkPatterns(q.Patterns, visit)
	walk(q.Right, visit)
}

func walkTerm(t *gojq.Term, visit func(node any)) {
	visit(t)
	switch t.Type {
	case gojq.TermTypeIndex:
		walkIndex(t.Index, visit)
	case gojq.TermTypeFunc:
		for _, a := range t.Func.Args {
			walk(a, visit)
		}
	case gojq.TermTypeObject:
		for _, kv := range t.Object.KeyVals {
			visit(kv)
			walkString(kv.KeyString, visit)
			walk(kv.KeyQuery, visit)
			walk(kv.Val, visit)
		}
	case gojq.TermTypeArray:
		walk(t.Array.Query, visit)
	case gojq.TermTypeUnary:
		walkTerm(t.Unary.Term, visit)
	case gojq.TermTypeFormat, gojq.TermTypeString:
		walkString(t.Str, visit)
	case gojq.TermTypeIf:
		walk(t.If.Cond, visit)
		walk(t.If.Then, visit)
		for _, e := range t.If.Elif {
			walk(e.Cond, visit)
			walk(e.Then, visit)
		}
		walk(t.If.Else, visit)
	case gojq.TermTypeTry:
		walk(t.Try.Body, visit)
		walk(t.Try.Catch, visit)
	case gojq.TermTypeReduce:
		walk(t.Reduce.Query, visit)
		walkPatterns(t.Reduce.Patterns, visit)
		walk(t.Reduce.Start, visit)
		walk(t.Reduce.Update, visit)
	case gojq.TermTypeForeach:
		walk(t.Foreach.Query, visit)
		walkPatterns(t.Foreach.Patterns, visit)
		walk(t.Foreach.Start, visit)
		walk(t.Foreach.Update, visit)
		walk(t.Foreach.Extract, visit)
	case gojq.TermTypeLabel:
		walk(t.Label.Body, visit)
	case gojq.TermTypeQuery:
		walk(t.Query, visit)
	}
	for _, s := range t.SuffixList {
		walkIndex(s.Index, visit)
	}
}

func walkIndex(x *gojq.Index, visit func(node any)) {
	if x == nil {
		return
	}
	walkString(x.Str, visit)
	walk(x.Start, visit)
	walk(x.End, visit)
}

func walkString(s *gojq.String, visit func(node any)) {
	if s == nil {
		return
	}
	for _, q := range s.Queries {
		walk(q, visit)
	}
}

func walkPatterns(ps []*gojq.Pattern, visit func(node any)) {
	for _, p := range ps {
		walkPatterns(p.Array, visit)
		for _, o := range p.Object {
			visit(o)
			walkString(o.KeyString, visit)
			walk(o.KeyQuery, visit)
			if o.Val != nil {
				walkPatterns([]*gojq.Pattern{o.Val}, visit)
			}
		}
	}
}

// callsAny reports whether q calls a function or reads a variable named in names
// (variables with their $), anywhere, function definitions included.
func callsAny(q *gojq.Query, names ...string) bool {
	found := false
	walk(q, func(node any) {
		if t, ok := node.(*gojq.Term); ok && t.Type == gojq.TermTypeFunc {
			for _, n := range names {
				if t.Func.Name == n {
					found = true
				}
			}
		}
	})
	return found
}

// definesFunctions reports whether q defines functions or imports modules anywhere.
func definesFunctions(q *gojq.Query) bool {
	found := false
	walk(q, func(node any) {
		if q, ok := node.(*gojq.Query); ok && (len(q.FuncDefs) > 0 || len(q.Imports) > 0 || q.Meta != nil) {
			found = true
		}
	})
	return found
}
