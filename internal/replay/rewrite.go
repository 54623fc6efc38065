package replay

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// Rewriter changes the documents before they are sent. It is safe for concurrent use
// as long as Redact is.
type Rewriter struct {
	// Shift is added to every timestamp, in milliseconds: a POST hook's beginAt, endAt
	// and messages[].sentAt; a REST webhook's ISO times (timestamp, created_at and every
	// other member named *_at).
	Shift int64
	// Sets replace or add values, in order (for one path the last wins).
	Sets []Set
	// Redact, when set, replaces personal data; it runs first, so values of Sets stay as
	// given. It is called from several goroutines at once.
	Redact func(dst, doc []byte) ([]byte, error)
}

// Active reports whether the rewriter changes anything.
func (rw *Rewriter) Active() bool {
	return rw != nil && (rw.Shift != 0 || len(rw.Sets) > 0 || rw.Redact != nil)
}

// errNothingShifted says a document has no timestamp --shift-time knows how to move.
var errNothingShifted = errors.New("--shift-time: no timestamp to move in this document, sent unshifted")

// Apply appends doc, rewritten, to dst; doc must be valid JSON of the given kind
// (whose timestamps Shift moves). Key order, white space and every value not
// rewritten stay byte for byte. A set that cannot be applied or a shift that would
// overflow is an error; a document with nothing to shift is rewritten all the same and
// errNothingShifted returned with it.
func (rw *Rewriter) Apply(dst, doc []byte, kind payload.Kind) ([]byte, error) {
	src := doc
	if rw.Redact != nil {
		red, err := rw.Redact(nil, doc)
		if err != nil {
			return dst, fmt.Errorf("redact: %w", err)
		}
		src = red
	}
	var warn error
	if rw.Shift != 0 {
		shifted, n, err := shiftTimes(src, kind, rw.Shift)
		if err != nil {
			return dst, err
		}
		if n == 0 {
			warn = errNothingShifted
		}
		src = shifted
	}
	for _, s := range rw.Sets {
		out, err := applySet(src, s)
		if err != nil {
			return dst, err
		}
		src = out
	}
	return append(dst, src...), warn
}

// shiftTimes moves the timestamps of doc by shift ms and says how many it moved.
func shiftTimes(doc []byte, kind payload.Kind, shift int64) ([]byte, int, error) {
	var scratch []byte
	var failure error
	n := 0
	edit := func(p jsontext.Path, k jsontext.Kind, raw []byte) ([]byte, bool) {
		if failure != nil {
			return nil, false
		}
		switch {
		case kind == payload.KindHook && k == jsontext.Number && isHookTimestamp(p):
			v, ok := jsontext.ParseInt(raw)
			if !ok {
				return nil, false
			}
			if (shift > 0 && v > math.MaxInt64-shift) || (shift < 0 && v < math.MinInt64-shift) {
				failure = fmt.Errorf("--shift-time: %s %d moved by %d ms overflows 64-bit milliseconds", p.Pointer(), v, shift)
				return nil, false
			}
			n++
			scratch = strconv.AppendInt(scratch[:0], v+shift, 10)
			return scratch, true
		case kind == payload.KindWebhook && k == jsontext.String && isWebhookTime(p):
			out, ok, err := shiftISO(raw, shift)
			if err != nil {
				failure = fmt.Errorf("--shift-time: %s: %w", p.Pointer(), err)
			}
			if !ok {
				return nil, false
			}
			n++
			scratch = append(scratch[:0], out...)
			return scratch, true
		}
		return nil, false
	}
	out, err := jsontext.Rewrite(nil, doc, edit, nil)
	if err == nil {
		err = failure
	}
	if err != nil {
		return nil, 0, err
	}
	return out, n, nil
}

// isHookTimestamp reports a POST hook's timestamps: /beginAt, /endAt, /messages/N/sentAt.
func isHookTimestamp(p jsontext.Path) bool {
	switch len(p) {
	case 1:
		return !p[0].IsIndex && (p[0].Key == "beginAt" || p[0].Key == "endAt")
	case 3:
		return !p[0].IsIndex && p[0].Key == "messages" && p[1].IsIndex && !p[2].IsIndex && p[2].Key == "sentAt"
	}
	return false
}

// isWebhookTime reports a REST webhook's time members: timestamp and any *_at.
func isWebhookTime(p jsontext.Path) bool {
	if len(p) == 0 || p[len(p)-1].IsIndex {
		return false
	}
	k := p[len(p)-1].Key
	return k == "timestamp" || strings.HasSuffix(k, "_at")
}

// maxISOTime is the last instant an ISO time of four-digit years can name.
var maxISOTime = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)

// shiftISO moves the ISO 8601 time in the JSON string raw (quotes included) by shift
// ms, keeping its offset and its number of fractional digits. ok is false for a
// string that is not such a time (or holds escapes): it is left alone.
func shiftISO(raw []byte, shift int64) (out []byte, ok bool, err error) {
	if len(raw) < 2 || strings.IndexByte(string(raw), '\\') >= 0 {
		return nil, false, nil
	}
	s := string(raw[1 : len(raw)-1])
	t, perr := time.Parse(time.RFC3339Nano, s)
	if perr != nil {
		return nil, false, nil
	}
	d := time.Duration(shift) * time.Millisecond
	if shift > math.MaxInt64/int64(time.Millisecond) || shift < math.MinInt64/int64(time.Millisecond) {
		return nil, false, fmt.Errorf("%s moved by %d ms leaves the years 0000-9999", s, shift)
	}
	moved := t.Add(d)
	if moved.Before(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)) || moved.After(maxISOTime) {
		return nil, false, fmt.Errorf("%s moved by %d ms leaves the years 0000-9999", s, shift)
	}
	layout := "2006-01-02T15:04:05"
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		digits := 0
		for i := dot + 1; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
		layout += "." + strings.Repeat("0", digits)
	}
	layout += "Z07:00"
	b := append([]byte{'"'}, moved.Format(layout)...)
	return append(b, '"'), true, nil
}
