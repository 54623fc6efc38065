package validate

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/olekukonko/tablewriter"
	"github.com/smarthook/smarthook/internal/findings"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/report"
	"github.com/smarthook/smarthook/internal/rules"
)

// summary counts what a validation run saw.
type summary struct {
	files, docs, unreadable int
	byKind                  [4]int
	errors, warnings        int
	badDocs                 int
}

func (s *summary) add(rec input.Record, fs []rules.Finding, kind payload.Kind) {
	if rec.Err != nil {
		var re *input.ReadError
		if errors.As(rec.Err, &re) && re.Unopened {
			s.unreadable++
		}
	} else {
		s.docs++
		s.byKind[kind]++
	}
	bad := false
	for _, f := range fs {
		if f.Severity == rules.Error {
			s.errors++
			bad = true
		} else {
			s.warnings++
		}
	}
	if bad && rec.Err == nil {
		s.badDocs++
	}
}

// report is the summary as --report json writes it.
func (s *summary) report(shard input.Shard) report.Validate {
	r := report.Validate{
		Kind: report.KindValidate, Shard: shard.String(), Files: s.files, Documents: s.docs,
		Kinds: map[string]int{}, DocumentsErrors: s.badDocs, Errors: s.errors, Warnings: s.warnings,
		Unreadable: s.unreadable,
	}
	for _, k := range payload.Kinds {
		r.Kinds[k.String()] = s.byKind[k]
	}
	return r
}

func (s *summary) print(w io.Writer) {
	t := tablewriter.NewWriter(w)
	t.Header("checked", "count")
	rows := [][]string{
		{"files", strconv.Itoa(s.files)},
		{"documents", strconv.Itoa(s.docs)},
	}
	for _, k := range payload.Kinds {
		if n := s.byKind[k]; n > 0 || k == payload.KindHook {
			rows = append(rows, []string{findings.KindLabel[k], strconv.Itoa(n)})
		}
	}
	rows = append(rows,
		[]string{"documents with errors", strconv.Itoa(s.badDocs)},
		[]string{"errors", strconv.Itoa(s.errors)},
		[]string{"warnings", strconv.Itoa(s.warnings)},
	)
	if s.unreadable > 0 {
		rows = append(rows, []string{"unreadable paths", strconv.Itoa(s.unreadable)})
	}
	if err := t.Bulk(rows); err == nil {
		_ = t.Render()
	} else {
		fmt.Fprintln(w, err)
	}
}
