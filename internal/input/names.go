package input

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrNoDocuments is what Run returns, with Options.FailEmpty, when the inputs held no
// document at all (an empty folder, empty stdin): nothing was checked.
var ErrNoDocuments = errors.New("no document was read")

// EscapeName makes a file or member name safe to print in text output: control
// characters, newlines and escape sequences are shown as \n, \t, \x1b, \u2028, and a
// backslash as \\, so a crafted name cannot forge a line of output or drive the terminal.
// Names without such characters come back unchanged.
func EscapeName(name string) string {
	if !needsEscape(name) {
		return name
	}
	var b strings.Builder
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, name[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) || unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(name[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == 0x7f || c == '\\' || c >= 0x80 {
			if c >= 0x80 {
				return !utf8.ValidString(name) || strings.IndexFunc(name, func(r rune) bool {
					return unicode.IsControl(r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) || unicode.Is(unicode.Cf, r) || r == '\\' || r < 0x20
				}) >= 0
			}
			return true
		}
	}
	return false
}

// TextName is the origin's Name escaped for text output (see EscapeName).
func (o Origin) TextName() string { return EscapeName(o.Name()) }

// Text is the origin's String escaped for text output (see EscapeName).
func (o Origin) Text() string {
	return EscapeName(o.Name()) + ":" + strconv.Itoa(o.Line) + ":" + strconv.Itoa(o.Col)
}

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
}

// ParseSize reads a size such as 512MiB, 10MB, 1G or 4096 (bytes). 0 means no limit
// to the callers of this package's options.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range sizeUnits {
		if len(t) > len(u.suffix) && strings.EqualFold(t[len(t)-len(u.suffix):], u.suffix) {
			mult, t = u.mult, strings.TrimSpace(t[:len(t)-len(u.suffix)])
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n < 0 || n != n {
		return 0, fmt.Errorf("invalid size %q: use a number of bytes or units such as 512MiB, 10MB, 1G", s)
	}
	v := n * float64(mult)
	if v >= 1<<62 {
		return 0, fmt.Errorf("invalid size %q: too large", s)
	}
	return int64(v), nil
}

// FormatSize writes a size in the largest binary unit that keeps it whole (512 MiB).
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		mult int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + " " + u.name
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
