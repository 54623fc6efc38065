package query

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/input"
)

// runQuery runs a filter with opts over stdin and returns stdout, stderr and the
// exit code.
func runQuery(t *testing.T, opts Options, stdin string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	opts.Stdout, opts.Stderr = &out, &errOut
	opts.Input.Stdin = strings.NewReader(stdin)
	if opts.FilterName == "" {
		opts.FilterName = "<arg>"
	}
	if opts.Indent == 0 && !opts.Compact {
		opts.Indent = 2
	}
	code := 0
	if err := Run(context.Background(), opts); err != nil {
		var ee *ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("Run: %v", err)
		}
		code = ee.Code
		if ee.Err != nil {
			errOut.WriteString("smarthook: " + ee.Err.Error() + "\n")
		}
	}
	return out.String(), errOut.String(), code
}

// TestParallelMatchesInOrder runs the same filters over the same files down both
// paths (the parallel one forced by a tiny size threshold) and wants the same bytes
// on stdout and stderr and the same exit code.
func TestParallelMatchesInOrder(t *testing.T) {
	write := tempWriter(t)
	lines := write("chats.ndjson", "{\"a\":1,\"b\":[1.0,2]}\n{\"a\":2,}\n{\"a\":\"x\"}\n\n{\"a\":4}\n")
	good := write("good.json", `{"a":"ok","n":1e1000}`)
	multi := write("multi.json", "{\"a\":1} {\"a\":2}\n[3]\n{\"a\":\n")
	for _, c := range []struct {
		name  string
		opts  Options
		paths []string
	}{
		{"identity", Options{Filter: "."}, []string{lines, good}},
		{"compact member", Options{Filter: ".a", Compact: true}, []string{lines, good}},
		{"runtime error", Options{Filter: ".a + 1"}, []string{lines, good}},
		{"raw", Options{Filter: ".a", Raw: true}, []string{good, lines}},
		{"input_filename", Options{Filter: "input_filename"}, []string{good}},
		{"missing file", Options{Filter: ".a"}, []string{filepath.Join(filepath.Dir(good), "none.json"), good}},
		{"halt_error", Options{Filter: `if .a == "x" then "stop\n" | halt_error(3) else .a end`}, []string{lines, good}},
		{"-e", Options{Filter: ".a == 4", ExitStatus: true}, []string{lines}},
		{"several documents in a .json file", Options{Filter: ".a?", Compact: true}, []string{multi, good}},
		{"several documents, runtime errors", Options{Filter: ".a", Compact: true}, []string{multi, good}},
		{"-n inputs", Options{Filter: "[inputs | .a?]", NullInput: true, Compact: true}, []string{lines, good, multi}},
		{"-n inputs, input_filename", Options{Filter: "[inputs | input_filename]", NullInput: true, Compact: true}, []string{good, multi}},
		{"-s", Options{Filter: "map(.a?)", Slurp: true, Compact: true}, []string{good, multi}},
		{"input", Options{Filter: "[., input]", Compact: true}, []string{lines, good}},
		{"debug", Options{Filter: ".a? | debug", Compact: true}, []string{lines, good}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.opts.Paths = c.paths
			out, errOut, code := runQuery(t, c.opts, "")
			defer func(n int) { smallInput = n }(smallInput)
			smallInput = 0
			pout, perrOut, pcode := runQuery(t, c.opts, "")
			if out != pout || errOut != perrOut || code != pcode {
				t.Errorf("in order: exit %d\n%s\n%s\nparallel: exit %d\n%s\n%s", code, out, errOut, pcode, pout, perrOut)
			}
			if out == "" && errOut == "" {
				t.Error("nothing written")
			}
		})
	}
}

func TestRunInputModes(t *testing.T) {
	for _, c := range []struct {
		name   string
		opts   Options
		stdin  string
		out    string
		errOut string
		code   int
	}{
		{"several per line, pretty after compact", Options{Filter: ".", Compact: true}, "1 [2]{\"a\":3}\n{\n  \"b\": 4\n}\n", "1\n[2]\n{\"a\":3}\n{\"b\":4}\n", "", 0},
		{"byte-order mark", Options{Filter: ".a", Compact: true}, "\xef\xbb\xbf{\"a\":1}", "1\n", "", 0},
		{"-R", Options{Filter: "length", RawInput: true}, "ab\ncde\n", "2\n3\n", "", 0},
		{"-R -s", Options{Filter: ".", RawInput: true, Slurp: true}, "ab\ncd", "\"ab\\ncd\"\n", "", 0},
		{"-s", Options{Filter: "length", Slurp: true}, "1 2 3", "3\n", "", 0},
		{"--stream", Options{Filter: ".", Stream: true, Compact: true}, `{"a":[1]}`, "[[\"a\",0],1]\n[[\"a\",0]]\n[[\"a\"]]\n", "", 0},
		{"--stream-errors", Options{Filter: ".", StreamErrors: true, Compact: true}, `[1,`, "[[0],1]\n[\"unexpected EOF\",[0]]\n", "", 0},
		{"--seq", Options{Filter: ".", Seq: true, Compact: true}, "\x1e1\n\x1e[2]\n", "\x1e1\n\x1e[2]\n", "", 0},
		{"-n inputs", Options{Filter: "[inputs]", NullInput: true, Compact: true}, "1 2", "[1,2]\n", "", 0},
		{"--raw-output0", Options{Filter: ".[]", Raw0: true}, `["a","b"]`, "a\x00b\x00", "", 0},
		{"-j", Options{Filter: ".[]", Join: true}, `["a",1]`, "a1", "", 0},
		{"broken text stops", Options{Filter: "."}, "1 {\"a\" 2", "1\n", "smarthook: invalid json: <stdin>\n    1 {\"a\" 2\n           ^  invalid character '2' after object key\n", 5},
		{"debug", Options{Filter: "debug", Compact: true}, "1", "1\n", "[\"DEBUG:\",1]\n", 0},
		{"halt_error object", Options{Filter: "{a:1} | halt_error(7)"}, "1", "", "{\"a\":1}", 7},
		{"-e none", Options{Filter: "empty", ExitStatus: true}, "1", "", "", 4},
		{"-e false", Options{Filter: ". == 2", ExitStatus: true}, "1", "false\n", "", 1},
		{"compile error", Options{Filter: "nosuch"}, "1", "", "smarthook: compile error: function not defined: nosuch/0\n", 3},
		{"literal object key", Options{Filter: "{(0): 1}"}, "1", "", "smarthook: compile error: cannot use number (0) as object key\n", 3},
		{"$__loc__", Options{Filter: "$__loc__", Compact: true, NullInput: true}, "", "{\"file\":\"<top-level>\",\"line\":1}\n", "", 0},
		{"-a", Options{Filter: ".", ASCII: true, Compact: true}, "{\"é\":\"😀\"}", "{\"\\u00e9\":\"\\ud83d\\ude00\"}\n", "", 0},
		{"--unbuffered", Options{Filter: ".[]", Unbuffered: true}, "[1,2]", "1\n2\n", "", 0},
		{"tab", Options{Filter: "[1]", Tab: true, NullInput: true}, "", "[\n\t1\n]\n", "", 0},
		{"colours", Options{Filter: "[null]", Compact: true, Color: true, Colors: &Palette{Null: "\x1b[31m", Array: "\x1b[1m"}, NullInput: true}, "", "\x1b[1m[\x1b[0m\x1b[31mnull\x1b[0m\x1b[1m]\x1b[0m\n", "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runQuery(t, c.opts, c.stdin)
			if out != c.out || errOut != c.errOut || code != c.code {
				t.Errorf("got exit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr %q", code, out, errOut, c.code, c.out, c.errOut)
			}
		})
	}
}

func TestPaletteFromEnv(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	p, err := PaletteFromEnv(env(nil))
	if err != nil || *p != DefaultPalette {
		t.Errorf("default: %+v, %v", p, err)
	}
	// GOJQ_COLORS: gojq's order (keys sixth), colours not given are none.
	p, err = PaletteFromEnv(env(map[string]string{"GOJQ_COLORS": "31::::32:33"}))
	if err != nil || p.Null != "\x1b[31m" || p.False != "" || p.String != "\x1b[32m" || p.Key != "\x1b[33m" || p.Array != "" {
		t.Errorf("GOJQ_COLORS: %+v, %v", p, err)
	}
	// JQ_COLORS: jq's order (keys eighth), colours not given keep the defaults.
	p, err = PaletteFromEnv(env(map[string]string{"JQ_COLORS": "31:::::1:2:35", "GOJQ_COLORS": "32"}))
	if err != nil || p.Null != "\x1b[31m" || p.Array != "\x1b[1m" || p.Object != "\x1b[2m" || p.Key != "\x1b[35m" || p.String != "" {
		t.Errorf("JQ_COLORS: %+v, %v", p, err)
	}
	p, err = PaletteFromEnv(env(map[string]string{"JQ_COLORS": "31"}))
	if err != nil || p.Null != "\x1b[31m" || p.String != DefaultPalette.String || p.Key != DefaultPalette.Key {
		t.Errorf("JQ_COLORS: %+v, %v", p, err)
	}
	// SMARTHOOK_COLORS wins.
	p, _ = PaletteFromEnv(env(map[string]string{"SMARTHOOK_COLORS": "33", "JQ_COLORS": "31"}))
	if p.Null != "\x1b[33m" {
		t.Errorf("SMARTHOOK_COLORS: %+v", p)
	}
	if _, err := PaletteFromEnv(env(map[string]string{"GOJQ_COLORS": "31;;"})); err == nil || err.Error() != `invalid color: "31;;"` {
		t.Errorf("invalid: %v", err)
	}
}

func TestJSONErrorPlacesTheCaret(t *testing.T) {
	for _, c := range []struct {
		contents string
		want     string
	}{
		{"{\"a\" 2}", "invalid json: f\n    {\"a\" 2}\n         ^  invalid character '2' after object key\n"},
		{"[1,\n  x]", "invalid json: f:2\n    2 |   x]\n          ^  invalid character 'x' looking for beginning of value\n"},
		{"{\"１２\" 1}", "invalid json: f\n    {\"１２\" 1}\n            ^  invalid character '1' after object key\n"},
	} {
		var v any
		err := json.NewDecoder(strings.NewReader(c.contents)).Decode(&v)
		got := (&JSONError{Name: "f", Contents: c.contents, Err: err}).Error() + "\n"
		if got != c.want {
			t.Errorf("%q:\ngot  %q\nwant %q", c.contents, got, c.want)
		}
	}
}

// A live stream on stdin (documents arriving one by one, the input still open) gets
// each document's output as it arrives, as jq gives it.
func TestLiveStreamOutputComesAtOnce(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), Options{Filter: ".a", FilterName: "<arg>", Compact: true,
			Input: input.Options{Stdin: inR}, Stdout: outW, Stderr: io.Discard})
		outW.Close()
	}()
	lines := bufio.NewReader(outR)
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(inW, "{\"a\":%d}\n", i)
		got, err := lines.ReadString('\n') // blocks until the output comes: the input stays open
		if err != nil || got != fmt.Sprintf("%d\n", i) {
			t.Fatalf("document %d: got %q, %v", i, got, err)
		}
	}
	inW.Close()
	if rest, _ := io.ReadAll(lines); len(rest) != 0 {
		t.Errorf("more output: %q", rest)
	}
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// Problems jq has no code for (a broken gzip stream) are the core's findings: the run
// reads on and exits 1.
func TestBrokenArchiveExitsOne(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json.gz")
	if err := os.WriteFile(bad, []byte("not gzip at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, []byte("\xef\xbb\xbf{\"a\":1}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, large := range []bool{false, true} {
		if large {
			defer func(n int) { smallInput = n }(smallInput)
			smallInput = 0
		}
		out, errOut, code := runQuery(t, Options{Filter: ".a", Paths: []string{bad, good}}, "")
		if code != 1 || !strings.Contains(errOut, "bad.json.gz") || out != "1\n" {
			t.Errorf("large %v: exit %d, stdout %q, stderr %q", large, code, out, errOut)
		}
	}
}
