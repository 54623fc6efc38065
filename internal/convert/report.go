package convert

import (
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/report"
)

// json is what the run did, as --report json writes it.
func (s *stats) json(rk *RowKind, shard input.Shard) report.Convert {
	rows := 0
	for _, n := range s.rowsBy {
		rows += n // every row kind's rows: one for --rows, all of them for SQLite
	}
	r := report.Convert{
		Kind: report.KindConvert, Shard: shard.String(), Rows: rk.Name, RowCount: rows,
		Kinds: map[string]int{}, Skipped: s.problems.Skipped(), Unreadable: s.problems.Unreadable(),
	}
	for _, k := range payload.Kinds {
		n := s.kinds[k]
		r.Kinds[k.String()] = n
		r.Documents += n
		if k == rk.Doc {
			r.Converted += n
		} else {
			r.LeftOut += n
		}
	}
	r.Documents += r.Skipped
	return r
}
