package render

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// Styles of text in transcripts, as SGR parameters.
const (
	styleTitle   = "1"
	styleLabel   = "1"
	styleTime    = "90"
	styleVisitor = "36"
	styleAgent   = "32"
	styleTrigger = "35"
	styleSystem  = "33"
)

// appendStyled appends text in style when color is set.
func appendStyled(dst []byte, color bool, style, text string) []byte {
	if !color || style == "" || text == "" {
		return append(dst, text...)
	}
	dst = append(dst, "\x1b["...)
	dst = append(dst, style...)
	dst = append(dst, 'm')
	dst = append(dst, text...)
	return append(dst, reset...)
}

// cleanText makes text safe to print on a terminal: control characters other than tab
// and newline (which could move the cursor or change colours) are shown as \xNN
// escapes, invalid UTF-8 as U+FFFD, and "\r\n" becomes "\n".
func cleanText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			// Dropped: the newline after it ends the line.
		case r == utf8.RuneError && size == 1:
			b = append(b, "\ufffd"...)
		case (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0):
			b = append(b, `\x`...)
			b = append(b, hexDigit[r>>4], hexDigit[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

const hexDigit = "0123456789abcdef"

// textOf is a string value's text made safe for a terminal ("" for other kinds).
func textOf(v payload.Value) string { return cleanText(v.Text()) }

// width is the number of terminal columns s takes, counting East Asian ambiguous
// characters as narrow so that output does not depend on the locale.
func width(s string) int { return twwidth.WidthWithOptions(s, twwidth.Options{}) }

// truncate shortens s to at most max columns, ending it with "…" when cut.
func truncate(s string, max int) string {
	if width(s) <= max {
		return s
	}
	w := 0
	for i, r := range s {
		rw := width(string(r))
		if w+rw > max-1 {
			return s[:i] + "…"
		}
		w += rw
	}
	return s
}

// pad appends spaces to fill n columns after text of width w.
func pad(dst []byte, w, n int) []byte {
	for ; w < n; w++ {
		dst = append(dst, ' ')
	}
	return dst
}

// formatTime is a Unix time in milliseconds in RFC 3339, in loc.
func formatTime(ms int64, loc *time.Location) string {
	return time.UnixMilli(ms).In(loc).Format(time.RFC3339)
}

// formatDuration is a number of seconds as people write it: 36s, 4m05s, 1h02m03s.
func formatDuration(sec int64) string {
	if sec < 0 {
		return "-" + formatDuration(-sec)
	}
	h, m, s := sec/3600, sec/60%60, sec%60
	switch {
	case h > 0:
		return strconv.FormatInt(h, 10) + "h" + two(m) + "m" + two(s) + "s"
	case m > 0:
		return strconv.FormatInt(m, 10) + "m" + two(s) + "s"
	}
	return strconv.FormatInt(s, 10) + "s"
}

func two(v int64) string {
	if v < 10 {
		return "0" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}

// duration is a chat's length in seconds: channel.duration when it is an integer, else
// the time from beginAt to endAt.
func duration(h *payload.Hook) (int64, bool) {
	if d, ok := h.Channel.Duration.Int(); ok {
		return d, true
	}
	b, okB := h.BeginAt.Int()
	e, okE := h.EndAt.Int()
	if okB && okE {
		return (e - b) / 1000, true
	}
	return 0, false
}

// flags names the channel's notable flags that are true, in a fixed order.
func flags(c *payload.Channel) []string {
	var out []string
	for _, f := range [...]struct {
		name string
		v    payload.Value
	}{{"missed", c.IsMissed}, {"offline", c.IsOffline}, {"triggered", c.IsTriggered}, {"dropped", c.IsDropped}} {
		if f.v.Kind == jsontext.True {
			out = append(out, f.name)
		}
	}
	return out
}

// rating is the chat's rating as text ("" when not rated) and its comment.
func rating(c *payload.Channel) (string, string) {
	if c.Rating.IsNull() || !c.Rating.Present() {
		return "", ""
	}
	return string(c.Rating.Raw), textOf(c.RatingDesc)
}

// visitorName is the visitor's name, or "" when it has none.
func visitorName(v *payload.Visitor) string { return textOf(v.Name) }

// raw is a scalar value's text as written, for numbers and ids shown as they are.
func raw(v payload.Value) string {
	if v.Kind == jsontext.String {
		return textOf(v)
	}
	return string(v.Raw)
}
