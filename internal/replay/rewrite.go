package replay

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// Set is one --set: the member at Path (member names from the top) gets Value, raw
// JSON; it is added when its object lacks it.
type Set struct {
	Path  []string
	Value []byte
}

// ParseSet reads "path=value": path dotted (accountId, channel.rating), value taken as
// JSON when it is valid JSON, else as a string.
func ParseSet(s string) (Set, error) {
	name, value, ok := strings.Cut(s, "=")
	if !ok {
		return Set{}, fmt.Errorf("--set %q: want path=value, e.g. accountId=999", s)
	}
	path := strings.Split(name, ".")
	for _, p := range path {
		if p == "" {
			return Set{}, fmt.Errorf("--set %q: empty member name in path %q", s, name)
		}
	}
	raw := []byte(value)
	if jsontext.Valid(raw) != nil {
		raw = jsontext.AppendQuote(nil, value)
	}
	return Set{Path: path, Value: raw}, nil
}

// Rewriter changes the documents before they are sent. It is safe for concurrent use
// as long as Redact is.
type Rewriter struct {
	// Shift is added to every timestamp of a POST hook (beginAt, endAt and every
	// messages[].sentAt), in milliseconds.
	Shift int64
	// Sets replace or add members; for one path the last wins.
	Sets []Set
	// Redact, when set, replaces personal data; it runs first, so values of Sets stay as
	// given. It is called from several goroutines at once.
	Redact func(dst, doc []byte) ([]byte, error)
}

// Active reports whether the rewriter changes anything.
func (rw *Rewriter) Active() bool {
	return rw != nil && (rw.Shift != 0 || len(rw.Sets) > 0 || rw.Redact != nil)
}

// dedupeSets keeps the last Set of each path, in the order of those last ones.
func dedupeSets(sets []Set) []Set {
	var out []Set
	for i, s := range sets {
		later := false
		for _, t := range sets[i+1:] {
			if samePath(s.Path, t.Path) {
				later = true
				break
			}
		}
		if !later {
			out = append(out, s)
		}
	}
	return out
}

func samePath(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Apply appends doc, rewritten, to dst; doc must be valid JSON. isHook says whether
// it is a POST hook, whose timestamps Shift moves. Key order, white space and every
// value not rewritten stay byte for byte.
func (rw *Rewriter) Apply(dst, doc []byte, isHook bool) ([]byte, error) {
	src := doc
	if rw.Redact != nil {
		red, err := rw.Redact(nil, doc)
		if err != nil {
			return dst, fmt.Errorf("redact: %w", err)
		}
		src = red
	}
	sets := dedupeSets(rw.Sets)
	shift := rw.Shift
	if !isHook {
		shift = 0
	}
	if shift == 0 && len(sets) == 0 {
		return append(dst, src...), nil
	}
	var scratch []byte
	var shiftErr error
	edit := func(p jsontext.Path, k jsontext.Kind, raw []byte) ([]byte, bool) {
		for _, s := range sets {
			if pathIs(p, s.Path) {
				return s.Value, true
			}
		}
		if shift != 0 && k == jsontext.Number && isTimestamp(p) {
			if v, ok := jsontext.ParseInt(raw); ok {
				shifted, err := payload.ShiftMillis(v, shift)
				if err != nil {
					if shiftErr == nil {
						shiftErr = fmt.Errorf("%s: %w", p.Pointer(), err)
					}
					return nil, false
				}
				scratch = strconv.AppendInt(scratch[:0], shifted, 10)
				return scratch, true
			}
		}
		return nil, false
	}
	inserts := make([]jsontext.Insert, 0, len(sets))
	for _, s := range sets {
		inserts = append(inserts, jsontext.Insert{Parent: s.Path[:len(s.Path)-1], Key: s.Path[len(s.Path)-1], Value: s.Value})
	}
	out, err := jsontext.Rewrite(dst, src, edit, inserts)
	if err == nil && shiftErr != nil {
		err = shiftErr
	}
	if err != nil {
		return dst, fmt.Errorf("rewrite: %w", err)
	}
	return out, nil
}

// pathIs reports whether p is the member path names.
func pathIs(p jsontext.Path, names []string) bool {
	if len(p) != len(names) {
		return false
	}
	for i, e := range p {
		if e.IsIndex || e.Key != names[i] {
			return false
		}
	}
	return true
}

// isTimestamp reports a POST hook's timestamps: /beginAt, /endAt, /messages/N/sentAt.
func isTimestamp(p jsontext.Path) bool {
	switch len(p) {
	case 1:
		return !p[0].IsIndex && (p[0].Key == "beginAt" || p[0].Key == "endAt")
	case 3:
		return !p[0].IsIndex && p[0].Key == "messages" && p[1].IsIndex && !p[2].IsIndex && p[2].Key == "sentAt"
	}
	return false
}
