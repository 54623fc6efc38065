package render

import (
	"fmt"
	"strings"
)

// Colors are the SGR parameters ("0;32", "1;39", ...) that colour each kind of JSON
// token, in the order of jq's JQ_COLORS: null, false, true, numbers, strings, arrays,
// objects and object keys. Arrays and objects colour their brackets and the commas and
// colons between their members.
type Colors struct {
	Null, False, True, Number, String, Array, Object, Key string
}

// DefaultColors are jq 1.7's defaults.
var DefaultColors = Colors{
	Null: "0;90", False: "0;39", True: "0;39", Number: "0;39", String: "0;32",
	Array: "1;39", Object: "1;39", Key: "34;1",
}

// ColorsEnv is the environment variable that overrides DefaultColors, in the format
// of jq's JQ_COLORS.
const ColorsEnv = "SMARTHOOK_COLORS"

// fields lists the colours in JQ_COLORS order, for parsing and printing.
func (c *Colors) fields() [8]*string {
	return [8]*string{&c.Null, &c.False, &c.True, &c.Number, &c.String, &c.Array, &c.Object, &c.Key}
}

// Spec is the colours in JQ_COLORS format, as ParseColors reads them.
func (c Colors) Spec() string {
	var parts [8]string
	for i, f := range c.fields() {
		parts[i] = *f
	}
	return strings.Join(parts[:], ":")
}

// ParseColors reads a colour specification in JQ_COLORS format: up to eight
// colon-separated SGR parameter lists (digits and semicolons). Like jq, a shorter list
// overrides only the first colours and leaves the rest at their defaults; an empty
// specification gives DefaultColors. A malformed one gives an error and DefaultColors.
func ParseColors(spec string) (Colors, error) {
	c := DefaultColors
	if spec == "" {
		return c, nil
	}
	parts := strings.Split(spec, ":")
	if len(parts) > 8 {
		return DefaultColors, fmt.Errorf("%d colours given, at most 8 (null:false:true:numbers:strings:arrays:objects:keys)", len(parts))
	}
	fields := c.fields()
	for i, p := range parts {
		if len(p) > 16 {
			return DefaultColors, fmt.Errorf("colour %d %q is longer than 16 characters", i+1, p)
		}
		for _, r := range p {
			if (r < '0' || r > '9') && r != ';' {
				return DefaultColors, fmt.Errorf("colour %d %q is not an SGR code (digits and ';' only, such as 1;31)", i+1, p)
			}
		}
		*fields[i] = p
	}
	return c, nil
}

// palette holds the escape sequences of a Colors, ready to append.
type palette struct {
	null, falseC, trueC, number, str, array, object, key []byte
}

const reset = "\x1b[0m"

func sgr(code string) []byte { return []byte("\x1b[" + code + "m") }

func newPalette(c *Colors) *palette {
	if c == nil {
		return nil
	}
	return &palette{
		null: sgr(c.Null), falseC: sgr(c.False), trueC: sgr(c.True), number: sgr(c.Number),
		str: sgr(c.String), array: sgr(c.Array), object: sgr(c.Object), key: sgr(c.Key),
	}
}
