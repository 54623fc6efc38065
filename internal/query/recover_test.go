package query

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/input"
)

// brokenStream has a broken document after many good lines (more than the reader
// keeps behind it), then documents the core reads on with, then one its brackets
// close around (a broken one followed by more), then a good one.
func brokenStream(before int) string {
	var b strings.Builder
	for i := 0; i < before; i++ {
		fmt.Fprintf(&b, "{\"i\":%d,\"pad\":\"%s\"}\n", i, strings.Repeat("x", 40))
	}
	b.WriteString("{\"a\":\n{\"b\":1}\n{\"c\":2}\n{\"d\" x}\n{\"e\":3}\n")
	return b.String()
}

// TestReadsOnAfterBrokenDocument: wherever the input core reads on after a broken
// document, query does too, on stdin or in a file, in order or in parallel, with the
// core's finding; the exit code is 1.
func TestReadsOnAfterBrokenDocument(t *testing.T) {
	for _, before := range []int{0, 1000} {
		text := brokenStream(before)
		n := before + 1
		wantErr := fmt.Sprintf("%%[1]s:%d:6: error: unexpected end of input, expected a value; reading resumed at %%[1]s:%d:1, the next line that begins a document [syntax] (/a)\n"+
			"%%[1]s:%d:6: error: unexpected character 'x', expected ':' after member name [syntax]\n", n, n+1, n+3)
		wantTail := "{\"b\":1}\n{\"c\":2}\n{\"e\":3}\n"
		check := func(name, out, errOut string, code int, origin string) {
			t.Helper()
			if !strings.HasSuffix(out, wantTail) || strings.Count(out, "\n") != before+3 {
				t.Errorf("%s: stdout ends %q, %d lines", name, out[max(len(out)-60, 0):], strings.Count(out, "\n"))
			}
			if want := fmt.Sprintf(wantErr, origin); errOut != want || code != 1 {
				t.Errorf("%s: exit %d, stderr\n%s\nwant exit 1, stderr\n%s", name, code, errOut, want)
			}
		}
		opts := Options{Filter: ".", Compact: true}
		out, errOut, code := runQuery(t, opts, text)
		check(fmt.Sprintf("stdin, %d before", before), out, errOut, code, "-")

		path := filepath.Join(t.TempDir(), "hooks.json")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		opts.Paths = []string{path}
		out, errOut, code = runQuery(t, opts, "")
		check(fmt.Sprintf("file, %d before", before), out, errOut, code, path)
		func() {
			defer func(n int) { smallInput = n }(smallInput)
			smallInput = 0
			out, errOut, code = runQuery(t, opts, "")
			check(fmt.Sprintf("file in parallel, %d before", before), out, errOut, code, path)
			o := opts
			o.Filter, o.NullInput = "[inputs] | length", true
			out, errOut, code = runQuery(t, o, "")
			if want := fmt.Sprintf("%d\n", before+3); out != want || code != 1 || strings.Count(errOut, "\n") != 2 {
				t.Errorf("inputs in order over the core: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		}()
	}
}

// TestStopsAsGojq: where nothing follows the broken document (the input ends inside
// it, or only white space is left), the reading stops with gojq's error and exit 5.
func TestStopsAsGojq(t *testing.T) {
	for _, c := range []struct{ stdin, out, errOut string }{
		{"{\"x\":1}\n{\"a\":\n", "{\"x\":1}\n", "smarthook: invalid json: <stdin>:2\n    2 | {\"a\":\n             ^  unexpected EOF\n"},
		{"{\"x\":1}\n{\"a\" x}\n  \n", "{\"x\":1}\n", "smarthook: invalid json: <stdin>:2\n    2 | {\"a\" x}\n             ^  invalid character 'x' after object key\n"},
		{"[1,\n2", "", "smarthook: invalid json: <stdin>:2\n    2 | 2\n         ^  unexpected EOF\n"},
	} {
		out, errOut, code := runQuery(t, Options{Filter: ".", Compact: true}, c.stdin)
		if out != c.out || errOut != c.errOut || code != 5 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q\nwant exit 5, stdout %q, stderr %q", c.stdin, code, out, errOut, c.out, c.errOut)
		}
	}
}

// TestFindingsAreNotFilterErrors: -s and inputs read on past the core's findings.
func TestFindingsAreNotFilterErrors(t *testing.T) {
	text := "{\"a\":\n{\"b\":1}\n{\"c\":2}\n"
	for _, opts := range []Options{
		{Filter: "length", Slurp: true, Compact: true},
		{Filter: "[inputs] | length", NullInput: true, Compact: true},
	} {
		out, errOut, code := runQuery(t, opts, text)
		if out != "2\n" || code != 1 || !strings.HasPrefix(errOut, "-:1:6: error: ") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", opts.Filter, code, out, errOut)
		}
	}
}

// TestCoreReading: --max-doc-size, --split-arrays and origins given back are read by
// the core, small inputs too; a top-level array of payloads read as one document is
// noted once (plain arrays are jq input, said nothing of).
func TestCoreReading(t *testing.T) {
	write := tempWriter(t)
	export := write("export.json", `[{"accountId":1,"channel":{"id":5}},{"accountId":2,"channel":{"id":6}}]`)
	plain := write("plain.json", `[{"a":1}]`)
	lines := write("chats.ndjson", "{\"n\":1}\n{\"n\":2,\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n{\"n\":3}\n")
	note := "smarthook: " + export + ": " + input.NoteArrayAsOne + "\n"
	for _, c := range []struct {
		name         string
		opts         Options
		out, errOut  string
		code         int
		noticesEmpty bool
	}{
		{"array of payloads", Options{Filter: "length", Paths: []string{export}}, "2\n", note, 0, false},
		{"plain array", Options{Filter: "length", Paths: []string{plain}}, "1\n", "", 0, true},
		{"--split-arrays", Options{Filter: ".channel.id", Paths: []string{export}, Input: input.Options{SplitArrays: true}}, "5\n6\n",
			"smarthook: " + export + ": a top-level array: each element is read as a document\n", 0, false},
		{"--max-doc-size", Options{Filter: ".n", Paths: []string{lines}, Input: input.Options{MaxDocSize: 20}}, "1\n3\n",
			lines + ":2:1: error: document larger than the size limit of 20 bytes (--max-doc-size): skipped [read]\n", 1, false},
		{"origin given back", Options{Filter: ".n", Paths: []string{lines + ":3"}}, "3\n", "", 0, true},
		{"origin naming nothing", Options{Filter: ".n", Paths: []string{lines + ":9"}}, "",
			lines + ":1:1: error: no document at line 9 [read]\n", 2, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var notices strings.Builder
			c.opts.Input.Notices = &notices
			out, errOut, code := runQuery(t, c.opts, "")
			errOut = notices.String() + errOut
			errOut = strings.ReplaceAll(errOut, "smarthook: no document was read: nothing was processed\n", "")
			if out != c.out || errOut != c.errOut || code != c.code {
				t.Errorf("exit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr %q", code, out, errOut, c.code, c.out, c.errOut)
			}
		})
	}
}

// tempWriter returns a function that writes a file of a test's temporary folder and
// returns its path.
func tempWriter(t *testing.T) func(name, text string) string {
	dir := t.TempDir()
	return func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}
