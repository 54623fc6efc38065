package query

import (
	"fmt"

	"github.com/itchyny/gojq"
)

// constantKeyError finds an object key, in a construction ({(0): 1}) or a
// destructuring pattern (. as {(true): $x}), that is a literal other than a string:
// jq refuses it when compiling, where gojq would fail only when running.
func constantKeyError(q *gojq.Query) error {
	var err error
	check := func(key *gojq.Query) {
		if err != nil || key == nil || key.Term == nil || len(key.Term.SuffixList) > 0 {
			return
		}
		var v any
		switch t := key.Term; t.Type {
		case gojq.TermTypeNumber:
			v = t.Number
		case gojq.TermTypeNull:
			v = "null"
		case gojq.TermTypeTrue:
			v = "true"
		case gojq.TermTypeFalse:
			v = "false"
		default:
			return
		}
		typ := map[gojq.TermType]string{gojq.TermTypeNumber: "number", gojq.TermTypeNull: "null",
			gojq.TermTypeTrue: "boolean", gojq.TermTypeFalse: "boolean"}[key.Term.Type]
		err = fmt.Errorf("cannot use %s (%v) as object key", typ, v)
	}
	walk(q, func(node any) {
		switch n := node.(type) {
		case *gojq.ObjectKeyVal:
			check(n.KeyQuery)
		case *gojq.PatternObject:
			check(n.KeyQuery)
		}
	})
	return err
}
