package jsontext

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSpecialFindsFirstNonPlainByte: the word check must point at exactly the first
// byte the plain table refuses, whatever bytes follow it (they may raise false alarms).
func TestSpecialFindsFirstNonPlainByte(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var w [8]byte
	for b := range 256 {
		for pos := range 8 {
			for range 200 {
				for k := range w {
					switch {
					case k < pos:
						w[k] = byte(0x20 + rng.IntN(0x60))
						for !plain[w[k]] {
							w[k] = byte(0x20 + rng.IntN(0x60))
						}
					case k == pos:
						w[k] = byte(b)
					default:
						w[k] = byte(rng.IntN(256))
					}
				}
				want := 8
				for k, c := range w {
					if !plain[c] {
						want = k
						break
					}
				}
				got := 8
				if m := special(binary.LittleEndian.Uint64(w[:])); m != 0 {
					got = bits.TrailingZeros64(m) >> 3
				}
				if got != want {
					t.Fatalf("special(% x): first special byte at %d, want %d", w, got, want)
				}
			}
		}
	}
}

// TestStringUTF8Runs: long runs of characters are checked a run at a time; a broken
// byte anywhere in one must still be reported at its own offset.
func TestStringUTF8Runs(t *testing.T) {
	for _, char := range []string{"é", "€", "😀", "žluťoučký"} {
		for n := range 12 {
			run := strings.Repeat(char, n)
			for _, tail := range []string{"", "x", "ab cd"} {
				s := `"` + run + tail + `"`
				if err := Valid([]byte(s)); err != nil {
					t.Fatalf("Valid(%q) = %v", s, err)
				}
				for _, bad := range []string{"\xff", "\x80", "\xed\xa0\x80", "\xc3"} {
					for _, before := range []string{"", "a"} {
						doc := `"` + run + before + bad + run + tail + `"`
						at := 1 + len(run) + len(before)
						se := syntaxError(t, Valid([]byte(doc)))
						if se.Offset != at || se.EOF {
							t.Fatalf("Valid(%q): error at %d (EOF %v), want at %d: %v", doc, se.Offset, se.EOF, at, se)
						}
					}
				}
				// A character cut by the end of the data: more data could complete it.
				cut := `"` + run + char[:len(char)-1]
				_, last := utf8.DecodeLastRuneInString(char)
				at := 1 + len(run) + len(char) - last
				se := syntaxError(t, Valid([]byte(cut)))
				if se.Offset != at || !se.EOF {
					t.Fatalf("Valid(%q): error at %d (EOF %v), want EOF at %d: %v", cut, se.Offset, se.EOF, at, se)
				}
			}
		}
	}
}

// TestKeyEveryLength: member names of every length around the short-name fast path,
// plain or not, followed at once or after white space by the colon, or broken.
func TestKeyEveryLength(t *testing.T) {
	for n := range 40 {
		for _, name := range []string{strings.Repeat("k", n), strings.Repeat("k", n) + `\n`, strings.Repeat("k", n) + "é"} {
			for _, colon := range []string{":", " :", "\n\t:", ": ", ":  ", ": \n", " : "} {
				for _, pad := range []string{"", strings.Repeat(" ", 20)} {
					doc := `"` + name + `"` + colon + `1` + pad
					var sc Scanner
					sc.Reset([]byte(doc))
					var key []byte
					var esc bool
					var err error
					func() {
						defer Catch(&err)
						key, esc = sc.Key()
					}()
					// Key may stop before or after white space following the colon.
					colonAt := len(name) + 2 + strings.IndexByte(colon, ':')
					want := len(name) + 2 + len(colon)
					pos := sc.Pos
					sc.SkipSpace()
					if err != nil || string(key) != name || esc != strings.Contains(name, `\`) || pos <= colonAt || pos > want || sc.Pos != want {
						t.Fatalf("Key() of %q = %q, %v, pos %d, %v; want %q at %d", doc, key, esc, sc.Pos, err, name, want)
					}
				}
			}
			for _, bad := range []string{`"` + name + `"` + " 1", `"` + name + "\x01" + `":1` + strings.Repeat(" ", 20), `"` + name} {
				var sc Scanner
				sc.Reset([]byte(bad))
				var err error
				func() {
					defer Catch(&err)
					sc.Key()
				}()
				if err == nil {
					t.Fatalf("Key() of %q: no error", bad)
				}
			}
		}
	}
}

// TestMoreIndented: elements after a comma, a newline and indentation of any width;
// a trailing comma is reported at the comma however the closer is indented.
func TestMoreIndented(t *testing.T) {
	for n := range 20 {
		for _, ws := range []string{"\n" + strings.Repeat(" ", n), "\r\n" + strings.Repeat(" ", n), "\n" + strings.Repeat("\t", n)} {
			for _, pad := range []string{"", strings.Repeat(" ", 12)} {
				ok := `[1,` + ws + `2,` + ws + `{"a":1,` + ws + `"b":2}]` + pad
				if err := Valid([]byte(ok)); err != nil {
					t.Fatalf("Valid(%q) = %v", ok, err)
				}
				for _, closer := range []string{"]", "}"} {
					open := map[string]string{"]": "[1", "}": `{"a":1`}[closer]
					bad := open + `,` + ws + closer + pad
					se := syntaxError(t, Valid([]byte(bad)))
					if at := len(open); se.Offset != at || !strings.Contains(se.Msg, "trailing comma") {
						t.Fatalf("Valid(%q): %v, want a trailing comma at %d", bad, se, at)
					}
				}
			}
		}
	}
}
