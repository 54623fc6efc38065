package query

import (
	"errors"
	"strings"
	"testing"
)

func filterError(t *testing.T, src, name string) string {
	t.Helper()
	f, err := Parse(src, name)
	if err == nil {
		_, err = f.Compile(CompileOptions{Variables: []string{"$known"}})
	}
	var fe *FilterError
	if !errors.As(err, &fe) {
		t.Fatalf("%q: got %v, want a *FilterError", src, err)
	}
	return fe.Error()
}

func TestFilterErrorCaret(t *testing.T) {
	for _, c := range []struct {
		src, name, want string
	}{
		{`.a | ]`, "", "invalid filter: unexpected token \"]\"\n    .a | ]\n         ^"},
		{`.a | ]x`, "", "invalid filter: unexpected token \"]\"\n    .a | ]x\n         ^"},
		{`.a | `, "", "invalid filter: unexpected EOF\n    .a | \n         ^"},
		{`"abc`, "", "invalid filter: unterminated string literal\n    \"abc\n        ^"},
		{"\t.a |\t)", "", "invalid filter: unexpected token \")\"\n    \t.a |\t)\n    \t    \t^"},
		{`"é" | ]`, "", "invalid filter: unexpected token \"]\"\n    \"é\" | ]\n          ^"},
		{".a |\n  ) ", "", "invalid filter at filter:2:3: unexpected token \")\"\n    2 |   ) \n          ^"},
		{".a |\n)\n", "prog.jq", "invalid filter at prog.jq:2:1: unexpected token \")\"\n    2 | )\n        ^"},
		{`.a | foo(1)`, "", "invalid filter: function not defined: foo/1\n    .a | foo(1)\n         ^"},
		{`"foo" | foo`, "", "invalid filter: function not defined: foo/0\n    \"foo\" | foo\n            ^"},
		{`.foo | foo`, "", "invalid filter: function not defined: foo/0\n    .foo | foo\n           ^"},
		{`$known + $x`, "", "invalid filter: variable not defined: $x\n    $known + $x\n             ^"},
		{`input_line_number`, "", "invalid filter: function not defined: input_line_number/0\n    input_line_number\n    ^"},
		{`import "m" as m; m::f`, "", "invalid filter: cannot load module: \"m\""},
		{`import "m" as m; m::f`, "p.jq", "invalid filter in p.jq: cannot load module: \"m\""},
	} {
		t.Run(c.src, func(t *testing.T) {
			if got := filterError(t, c.src, c.name); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestFilterErrorLongLine(t *testing.T) {
	src := strings.Repeat(".a | ", 40) + ")" + strings.Repeat(" | .b", 40)
	got := filterError(t, src, "")
	lines := strings.Split(got, "\n")
	if len(lines) != 3 {
		t.Fatalf("got %q", got)
	}
	caret := strings.IndexByte(lines[2], '^')
	if caret < 0 || lines[1][caret] != ')' {
		t.Errorf("the caret is not under the place:\n%s", got)
	}
	if len(lines[1]) > maxShown+len("    ")+6 {
		t.Errorf("line not cut: %d characters", len(lines[1]))
	}
}

func TestEmptyFilterIsIdentity(t *testing.T) {
	got, err := eval(t, "  ", `{"a":1}`)
	if err != "" || len(got) != 1 {
		t.Fatalf("got %v, %s", got, err)
	}
}

func TestCodeOnly(t *testing.T) {
	src := `"a $x \(.b | "c $y") d" # $z` + "\n$w"
	got := codeOnly(src)
	// Blanked text keeps its length and newlines, code and quotes stay.
	if len(got) != len(src) || strings.Count(got, "\n") != 1 {
		t.Fatalf("got %q", got)
	}
	for _, name := range []string{"$x", "$y", "$z"} {
		if len(nameOffsets(got, name)) != 0 {
			t.Errorf("%s found in %q", name, got)
		}
	}
	if offs := nameOffsets(got, "$w"); len(offs) != 1 || offs[0] != strings.Index(src, "$w") {
		t.Errorf("$w at %v in %q", offs, got)
	}
}
