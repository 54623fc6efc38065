package report

import "github.com/smarthook/smarthook/internal/exit"

// mergeValidate adds up validate reports.
func mergeValidate(reports []found, full map[int]bool) (*Validate, error) {
	out := &Validate{Kind: KindValidate, Kinds: map[string]int{}}
	var files, unreadable perInput
	for _, r := range reports {
		v, err := decode[Validate](r)
		if err != nil {
			return nil, err
		}
		files.add(r.shard, v.Files)
		unreadable.add(r.shard, v.Unreadable)
		out.Documents += v.Documents
		addKinds(out.Kinds, v.Kinds)
		out.DocumentsErrors += v.DocumentsErrors
		out.Errors += v.Errors
		out.Warnings += v.Warnings
	}
	out.Files, out.Unreadable = files.total(), unreadable.total()
	out.Shard = partial(full)
	return out, nil
}

// mergeConvert adds up convert reports of the same --rows.
func mergeConvert(reports []found, full map[int]bool) (*Convert, error) {
	out := &Convert{Kind: KindConvert, Kinds: map[string]int{}}
	var unreadable perInput
	for i, r := range reports {
		c, err := decode[Convert](r)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			out.Rows = c.Rows
		} else if c.Rows != out.Rows {
			return nil, exit.Usagef("%s counts --rows %s, %s --rows %s: they do not add up", reports[0].where, out.Rows, r.where, c.Rows)
		}
		unreadable.add(r.shard, c.Unreadable)
		out.RowCount += c.RowCount
		out.Documents += c.Documents
		out.Converted += c.Converted
		addKinds(out.Kinds, c.Kinds)
		out.LeftOut += c.LeftOut
		out.Skipped += c.Skipped
	}
	out.Unreadable = unreadable.total()
	out.Shard = partial(full)
	return out, nil
}

// partial is the merged report's shard: "" when every shard is there, "partial" when
// some are missing (warned about).
func partial(full map[int]bool) string {
	for _, ok := range full {
		if !ok {
			return "partial"
		}
	}
	return ""
}
