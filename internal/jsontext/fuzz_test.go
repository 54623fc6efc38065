package jsontext

import (
	"testing"
	"unicode/utf8"
)

// refString is the plain byte-by-byte reading of a string at data[pos] == '"' that
// String's word checks must agree with: the end offset, or the error's offset and EOF.
func refString(data []byte, pos int) (end int, escaped bool, errAt int, eof bool) {
	i := pos + 1
	for {
		if i >= len(data) {
			return 0, false, pos, true
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, escaped, -1, false
		case c == '\\':
			escaped = true
			if i+1 >= len(data) {
				return 0, false, pos, true
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for k := i + 2; k < min(i+6, len(data)); k++ {
					if hexVal(data[k]) < 0 {
						return 0, false, i, false
					}
				}
				if i+6 > len(data) {
					return 0, false, i, true
				}
				i += 6
			default:
				return 0, false, i, false
			}
		case c < 0x20:
			return 0, false, i, false
		case c < 0x80:
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				return 0, false, i, !utf8.FullRune(data[i:])
			}
			i += size
		}
	}
}

// FuzzString checks String and Key against refString on any bytes after a quote.
func FuzzString(f *testing.F) {
	for _, s := range []string{
		`abc"`, `"`, `a\"b"`, `\u00e9x"`, `\u12`, "é€😀\"", "\xff\"", "\xe2\x82\"", "\xe2\x82",
		"aaaaaaaaaaaaaaaaaaaaaaa\x01\"", "žluťoučký kůň úpěl ďábelské ódy\": 1", `key": 1`, "k\":\n1",
		"折り返しご連絡ください。\\nメール\"", "\xed\xa0\x80\"", "0123456789abcdef\"  :",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		data := append([]byte{'"'}, body...)
		end, escaped, errAt, eof := refString(data, 0)
		var sc Scanner
		sc.Reset(data)
		var raw []byte
		var esc bool
		var err error
		func() {
			defer Catch(&err)
			raw, esc = sc.String()
		}()
		if errAt >= 0 {
			se := syntaxError(t, err)
			if se.Offset != errAt || se.EOF != eof {
				t.Fatalf("String(%q): error at %d (EOF %v), want at %d (EOF %v): %v", data, se.Offset, se.EOF, errAt, eof, se)
			}
		} else if err != nil || sc.Pos != end || esc != escaped || string(raw) != string(data[1:end-1]) {
			t.Fatalf("String(%q) = %q, %v, pos %d, %v; want end %d, escaped %v", data, raw, esc, sc.Pos, err, end, escaped)
		}

		// Key reads the same string, then the colon.
		sc.Reset(data)
		err = nil
		func() {
			defer Catch(&err)
			raw, esc = sc.Key()
		}()
		if errAt >= 0 {
			if se := syntaxError(t, err); se.Offset != errAt || se.EOF != eof {
				t.Fatalf("Key(%q): error at %d (EOF %v), want at %d (EOF %v): %v", data, se.Offset, se.EOF, errAt, eof, se)
			}
			return
		}
		colon := end
		for colon < len(data) && (data[colon] == ' ' || data[colon] == '\n' || data[colon] == '\t' || data[colon] == '\r') {
			colon++
		}
		if colon >= len(data) || data[colon] != ':' {
			if se := syntaxError(t, err); se.Offset != colon {
				t.Fatalf("Key(%q): error at %d, want at %d: %v", data, se.Offset, colon, se)
			}
			return
		}
		if err != nil || string(raw) != string(data[1:end-1]) || esc != escaped || sc.Pos <= colon {
			t.Fatalf("Key(%q) = %q, %v, pos %d, %v; want colon at %d", data, raw, esc, sc.Pos, err, colon)
		}
		for k := colon + 1; k < sc.Pos; k++ {
			if data[k] != ' ' {
				t.Fatalf("Key(%q) stepped over %q after the colon", data, data[k])
			}
		}
	})
}
