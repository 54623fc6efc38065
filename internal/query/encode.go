package query

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Encoder writes gojq values as JSON text exactly as the gojq command does: object keys
// sorted, numbers formatted like encoding/json (json.Number as written), strings with
// the same escapes (\b, \f and DEL escaped, invalid UTF-8 replaced), the same
// indentation and the same colours. The zero Encoder is compact and colourless; set
// its fields before use. An Encoder reuses scratch memory and is not safe for
// concurrent use.
type Encoder struct {
	Indent int  // spaces (or tabs) per level; negative: compact, all on one line
	Tab    bool // indent with tabs instead of spaces
	Color  bool // colour with ANSI escapes
	ASCII  bool // escape every character beyond ASCII as \uXXXX (jq's -a)
	// Colors are the escapes used when Color is set; nil means gojq's defaults.
	Colors *Palette

	depth int
	kvs   []member // the members of the objects being written, innermost last
}

type member struct {
	key string
	val any
}

// Palette holds the escape sequence ("\x1b[32m") that colours each kind of token, in
// the order of GOJQ_COLORS; an empty one leaves that kind uncoloured. Arrays and
// objects colour their brackets, commas and colons.
type Palette struct {
	Null, False, True, Number, String, Key, Array, Object string
}

// DefaultPalette is gojq's.
var DefaultPalette = Palette{
	Null: "\x1b[90m", False: "\x1b[33m", True: "\x1b[33m", Number: "\x1b[36m",
	String: "\x1b[32m", Key: "\x1b[34;1m",
}

const colorReset = "\x1b[0m"

// NewEncoder returns an encoder that indents by indent spaces (tabs when tab is set;
// compact when indent is negative) and colours when color is set.
func NewEncoder(indent int, tab, color bool) *Encoder {
	return &Encoder{Indent: indent, Tab: tab, Color: color}
}

// Append appends the JSON text of v to dst. v must be one of the values gojq works
// with (nil, bool, int, float64, *big.Int, json.Number, string, []any, map[string]any);
// anything else is a bug in a custom function and panics, as in gojq.
func (e *Encoder) Append(dst []byte, v any) []byte {
	e.depth = 0
	if e.Color && e.Colors == nil {
		e.Colors = &DefaultPalette
	}
	return e.value(dst, v)
}

func (e *Encoder) value(dst []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return e.colored(dst, e.pal().Null, "null")
	case bool:
		if v {
			return e.colored(dst, e.pal().True, "true")
		}
		return e.colored(dst, e.pal().False, "false")
	case int:
		dst = e.start(dst, e.pal().Number)
		return e.end(strconv.AppendInt(dst, int64(v), 10), e.pal().Number)
	case float64:
		return e.float(dst, v)
	case *big.Int:
		dst = e.start(dst, e.pal().Number)
		return e.end(v.Append(dst, 10), e.pal().Number)
	case json.Number:
		return e.colored(dst, e.pal().Number, string(v))
	case string:
		return e.str(dst, v, e.pal().String)
	case []any:
		return e.array(dst, v)
	case map[string]any:
		return e.object(dst, v)
	default:
		panic(fmt.Sprintf("invalid type: %[1]T (%[1]v)", v))
	}
}

// pal is the palette in use: empty when not colouring.
func (e *Encoder) pal() *Palette {
	if !e.Color {
		return &noColors
	}
	return e.Colors
}

var noColors Palette

func (e *Encoder) start(dst []byte, color string) []byte {
	return append(dst, color...)
}

func (e *Encoder) end(dst []byte, color string) []byte {
	if color != "" {
		dst = append(dst, colorReset...)
	}
	return dst
}

// punct writes a bracket, comma or colon of an array or object.
func (e *Encoder) punct(dst []byte, color string, c byte) []byte {
	return e.end(append(e.start(dst, color), c), color)
}

func (e *Encoder) colored(dst []byte, color, text string) []byte {
	return e.end(append(e.start(dst, color), text...), color)
}

// float formats like gojq (after encoding/json): NaN is null, infinities are clamped
// to the largest finite numbers, exponents only for very small or large magnitudes.
func (e *Encoder) float(dst []byte, f float64) []byte {
	if math.IsNaN(f) {
		return e.colored(dst, e.pal().Null, "null")
	}
	f = min(max(f, -math.MaxFloat64), math.MaxFloat64)
	format := byte('f')
	if x := math.Abs(f); x != 0 && x < 1e-6 || x >= 1e21 {
		format = 'e'
	}
	dst = e.start(dst, e.pal().Number)
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		if n := len(dst); n-start >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return e.end(dst, e.pal().Number)
}

const hexDigits = "0123456789abcdef"

// str quotes s as gojq does: only printable ASCII other than '"' and '\\' goes as it is
// among the ASCII bytes, and invalid UTF-8 becomes \ufffd.
func (e *Encoder) str(dst []byte, s, color string) []byte {
	dst = e.start(dst, color)
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if ' ' <= b && b <= '~' && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if e.ASCII {
			dst = appendEscapedRune(append(dst, s[start:i]...), r)
			start = i + size
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	dst = append(dst, '"')
	return e.end(dst, color)
}

// appendEscapedRune writes r as \uXXXX, as a surrogate pair beyond the BMP.
func appendEscapedRune(dst []byte, r rune) []byte {
	hex := func(dst []byte, u rune) []byte {
		return append(dst, '\\', 'u', hexDigits[u>>12&0xF], hexDigits[u>>8&0xF], hexDigits[u>>4&0xF], hexDigits[u&0xF])
	}
	if r > 0xFFFF {
		r -= 0x10000
		return hex(hex(dst, 0xD800+r>>10), 0xDC00+r&0x3FF)
	}
	return hex(dst, r)
}

func (e *Encoder) array(dst []byte, vs []any) []byte {
	c := e.pal().Array
	dst = e.punct(dst, c, '[')
	e.depth += e.Indent
	for i, v := range vs {
		if i > 0 {
			dst = e.punct(dst, c, ',')
		}
		dst = e.newline(dst)
		dst = e.value(dst, v)
	}
	e.depth -= e.Indent
	if len(vs) > 0 {
		dst = e.newline(dst)
	}
	return e.punct(dst, c, ']')
}

func (e *Encoder) object(dst []byte, m map[string]any) []byte {
	c := e.pal().Object
	dst = e.punct(dst, c, '{')
	e.depth += e.Indent
	// The members gather on a shared stack, sorted there, and are read back by index:
	// nested objects push their own members above them meanwhile.
	base := len(e.kvs)
	for k, v := range m {
		e.kvs = append(e.kvs, member{k, v})
	}
	slices.SortFunc(e.kvs[base:], func(x, y member) int { return strings.Compare(x.key, y.key) })
	for i := base; i < base+len(m); i++ {
		kv := e.kvs[i]
		if i > base {
			dst = e.punct(dst, c, ',')
		}
		dst = e.newline(dst)
		dst = e.str(dst, kv.key, e.pal().Key)
		dst = e.punct(dst, c, ':')
		if e.Indent >= 0 {
			dst = append(dst, ' ')
		}
		dst = e.value(dst, kv.val)
	}
	clear(e.kvs[base:])
	e.kvs = e.kvs[:base]
	e.depth -= e.Indent
	if len(m) > 0 {
		dst = e.newline(dst)
	}
	return e.punct(dst, c, '}')
}

// newline starts a new line at the current depth, unless the output is compact.
func (e *Encoder) newline(dst []byte) []byte {
	if e.Indent < 0 {
		return dst
	}
	dst = append(dst, '\n')
	c := byte(' ')
	if e.Tab {
		c = '\t'
	}
	for range e.depth {
		dst = append(dst, c)
	}
	return dst
}

// PaletteFromEnv reads the output colours from the environment: SMARTHOOK_COLORS or
// else JQ_COLORS in jq's format (null:false:true:numbers:strings:arrays:objects:keys,
// the colours not given keep gojq's defaults), or else GOJQ_COLORS in gojq's
// (null:false:true:numbers:strings:keys:arrays:objects, the colours not given are
// none). Unset, it is gojq's defaults.
func PaletteFromEnv(getenv func(string) string) (*Palette, error) {
	p := DefaultPalette
	for _, name := range []string{"SMARTHOOK_COLORS", "JQ_COLORS"} {
		if spec := getenv(name); spec != "" {
			f := []*string{&p.Null, &p.False, &p.True, &p.Number, &p.String, &p.Array, &p.Object, &p.Key}
			return &p, setColors(f, spec, false)
		}
	}
	if spec := getenv("GOJQ_COLORS"); spec != "" {
		f := []*string{&p.Null, &p.False, &p.True, &p.Number, &p.String, &p.Key, &p.Array, &p.Object}
		return &p, setColors(f, spec, true)
	}
	return &p, nil
}

// setColors sets the colours of spec, colon-separated SGR codes, in the order of f;
// clearRest empties the colours spec does not reach, as GOJQ_COLORS does.
func setColors(f []*string, spec string, clearRest bool) error {
	parts := strings.Split(spec, ":")
	for i, target := range f {
		if i >= len(parts) {
			if clearRest {
				*target = ""
			}
			continue
		}
		c := parts[i]
		switch {
		case c == "":
			*target = ""
		case !validColor(c):
			return fmt.Errorf("invalid color: %q", c)
		default:
			*target = "\x1b[" + c + "m"
		}
	}
	return nil
}

// validColor reports SGR parameters: numbers separated by single semicolons.
func validColor(c string) bool {
	num := false
	for _, r := range c {
		switch {
		case '0' <= r && r <= '9':
			num = true
		case r == ';' && num:
			num = false
		default:
			return false
		}
	}
	return num
}
