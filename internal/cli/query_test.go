package cli

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/query"
)

// runQuery runs `smarthook query ARGS` as main does, with stdin and the environment
// given, and returns stdout, stderr and the exit code.
func runQueryMain(t *testing.T, stdin string, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut, Getenv: func(k string) string { return env[k] }}
	code := Main(append([]string{"query"}, args...), streams)
	return out.String(), errOut.String(), code
}

// files writes name/content pairs into a temporary directory and returns it.
func files(t *testing.T, nameContent ...string) string {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i < len(nameContent); i += 2 {
		if err := os.WriteFile(filepath.Join(dir, nameContent[i]), []byte(nameContent[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const threeDocs = `{"a":1,"s":"x"}
{"a":2,"s":"y\tz"}
{"a":null,"s":"w"}
`

func TestQueryFlags(t *testing.T) {
	dir := files(t, "prog.jq", ".a # the a\n", "mod.jq", "def twice(x): x * 2;", "slurp.ndjson", "1\n[2]\n", "raw.txt", "line\n",
		"one.json", `{"a":"file"}`)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"default pretty", []string{`{b: .s, a}`}, "{\n  \"a\": 1,\n  \"b\": \"x\"\n}\n{\n  \"a\": 2,\n  \"b\": \"y\\tz\"\n}\n{\n  \"a\": null,\n  \"b\": \"w\"\n}\n"},
		{"-c", []string{"-c", `{s}`}, "{\"s\":\"x\"}\n{\"s\":\"y\\tz\"}\n{\"s\":\"w\"}\n"},
		{"-r", []string{"-r", `.s`}, "x\ny\tz\nw\n"},
		{"-j", []string{"-j", `.s, .a`}, "x1y\tz2wnull"},
		{"-j pretty non-strings", []string{"-j", `{a}`}, "{\n  \"a\": 1\n}{\n  \"a\": 2\n}{\n  \"a\": null\n}"},
		{"--raw-output0", []string{"--raw-output0", `.a`}, "1\x002\x00null\x00"},
		{"-rc cluster", []string{"-rc", `[.s]`}, "[\"x\"]\n[\"y\\tz\"]\n[\"w\"]\n"},
		{"--tab", []string{"--tab", `{a}`}, "{\n\t\"a\": 1\n}\n{\n\t\"a\": 2\n}\n{\n\t\"a\": null\n}\n"},
		{"--indent 1", []string{"--indent", "1", `[.a]`}, "[\n 1\n]\n[\n 2\n]\n[\n null\n]\n"},
		{"--indent=0", []string{"--indent=0", `[.a]`}, "[\n1\n]\n[\n2\n]\n[\nnull\n]\n"},
		{"-c beats --tab", []string{"--tab", "-c", `[.a]`}, "[1]\n[2]\n[null]\n"},
		{"-s", []string{"-s", "-c", `map(.a)`}, "[1,2,null]\n"},
		{"-n", []string{"-n", `1 + 1`}, "2\n"},
		{"-n input", []string{"-n", "-c", `input, [inputs | .a]`}, "{\"a\":1,\"s\":\"x\"}\n[2,null]\n"},
		{"input pairs", []string{"-c", `[.a, (input | .a)?]`}, "[1,2]\n[null]\n"},
		{"-n -s input", []string{"-n", "-s", "-c", `input | length`}, "3\n"},
		{"--arg", []string{"--arg", "x", "1", "-c", `[$x, .a]`}, "[\"1\",1]\n[\"1\",2]\n[\"1\",null]\n"},
		{"--arg value like a flag", []string{"-n", "--arg", "x", "-c", `$x`}, "\"-c\"\n"},
		{"--argjson", []string{"-n", "-c", "--argjson", "v", `{"k":[1.0,2]}`, `$v`}, "{\"k\":[1.0,2]}\n"},
		{"first name wins", []string{"-n", "--arg", "v", "1", "--argjson", "v", "2", `$v`}, "\"1\"\n"},
		{"--slurpfile", []string{"-n", "-c", "--slurpfile", "f", filepath.Join(dir, "slurp.ndjson"), `$f`}, "[1,[2]]\n"},
		{"--rawfile", []string{"-n", "--rawfile", "f", filepath.Join(dir, "raw.txt"), `$f`}, "\"line\\n\"\n"},
		{"$ARGS.named", []string{"-n", "-c", "--arg", "a", "x", "--argjson", "b", "2", `$ARGS`}, "{\"named\":{\"a\":\"x\",\"b\":2},\"positional\":[]}\n"},
		{"--args", []string{"-n", "-c", `$ARGS.positional`, "--args", "a", "-1x", "b"}, "[\"a\",\"-1x\",\"b\"]\n"},
		{"filter starting with a dash", []string{"-c", `-(.a // 0)`}, "-1\n-2\n0\n"},
		{"--args before the filter", []string{"-n", "-c", "--args", `$ARGS.positional`, "a", "b"}, "[\"a\",\"b\"]\n"},
		{"--jsonargs", []string{"-n", "-c", `$ARGS.positional`, "--jsonargs", "1", `{"x":[2]}`, "null"}, "[1,{\"x\":[2]},null]\n"},
		{"mixed", []string{"-n", "-c", `$ARGS.positional`, "--args", "a", "--jsonargs", "1"}, "[\"a\",1]\n"},
		{"-f", []string{"-f", filepath.Join(dir, "prog.jq"), filepath.Join(dir, "one.json")}, "\"file\"\n"},
		{"-rf cluster", []string{"-rf", filepath.Join(dir, "prog.jq"), filepath.Join(dir, "one.json")}, "file\n"},
		{"-f with --args", []string{"-n", "-c", "-f", filepath.Join(dir, "prog.jq"), "--args", "x"}, "null\n"},
		{"--", []string{"-n", "-c", "--args", "--", "$ARGS.positional", "-r"}, "[\"-r\"]\n"},
		{"-S accepted", []string{"-S", "-c", `{z: 1, a: 2}`, filepath.Join(dir, "one.json")}, "{\"a\":2,\"z\":1}\n"},
		{"no filter", []string{}, "{\n  \"a\": 1,\n  \"s\": \"x\"\n}\n{\n  \"a\": 2,\n  \"s\": \"y\\tz\"\n}\n{\n  \"a\": null,\n  \"s\": \"w\"\n}\n"},
		{"-R", []string{"-R", "-c", `length`}, "15\n18\n18\n"},
		{"-Rs", []string{"-Rs", `length`}, "54\n"},
		{"--stream", []string{"--stream", "-c", `select(length == 2)`, filepath.Join(dir, "one.json")}, "[[\"a\"],\"file\"]\n"},
		{"--seq", []string{"--seq", "-c", `.a`}, "\x1e1\n\x1e2\n\x1enull\n"},
		{"-L module", []string{"-L", dir, "-n", "-c", `import "mod" as m; m::twice(21)`}, "42\n"},
		{"include", []string{"-L" + dir, "-n", "-c", `include "mod"; twice(2)`}, "4\n"},
		{"$__loc__", []string{"-n", "-c", `$__loc__`}, "{\"file\":\"<top-level>\",\"line\":1}\n"},
		{"input_filename of stdin", []string{`input_filename`}, "\"<stdin>\"\n\"<stdin>\"\n\"<stdin>\"\n"},
		{"input_filename of stdin with -n", []string{"-n", `input | input_filename`}, "null\n"},
		{"input_filename", []string{"input_filename", filepath.Join(dir, "one.json")}, fmt.Sprintf("%q\n", filepath.Join(dir, "one.json"))},
		{"helpers", []string{"-r", `{beginAt: 1427470439703} | .beginAt | ms_to_iso`, filepath.Join(dir, "one.json")}, "2015-03-27T15:33:59.703Z\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runQueryMain(t, threeDocs, nil, c.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if out != c.want {
				t.Errorf("got  %q\nwant %q", out, c.want)
			}
		})
	}
}

func TestQueryColor(t *testing.T) {
	const colored = "{\x1b[34;1m\"a\"\x1b[0m:\x1b[36m1\x1b[0m}\n"
	for _, c := range []struct {
		name string
		tty  bool
		env  map[string]string
		args []string
		want string
	}{
		{"pipe", false, nil, []string{"-c", "{a:1}"}, "{\"a\":1}\n"},
		{"terminal", true, nil, []string{"-c", "{a:1}"}, colored},
		{"NO_COLOR", true, map[string]string{"NO_COLOR": "1"}, []string{"-c", "{a:1}"}, "{\"a\":1}\n"},
		{"TERM=dumb", true, map[string]string{"TERM": "dumb"}, []string{"-c", "{a:1}"}, "{\"a\":1}\n"},
		{"-C", false, map[string]string{"NO_COLOR": "1"}, []string{"-C", "-c", "{a:1}"}, colored},
		{"-M", true, nil, []string{"-M", "-c", "{a:1}"}, "{\"a\":1}\n"},
		{"--color always", false, nil, []string{"--color", "always", "-c", "{a:1}"}, colored},
		{"-r strings plain", true, nil, []string{"-r", `"s"`}, "s\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			streams := IO{In: strings.NewReader("null"), Out: &out, Err: &errOut, OutTTY: c.tty,
				Getenv: func(k string) string { return c.env[k] }}
			if code := Main(append([]string{"query", "-n"}, c.args...), streams); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if out.String() != c.want {
				t.Errorf("got %q, want %q", out.String(), c.want)
			}
		})
	}
}

func TestQueryEnv(t *testing.T) {
	out, errOut, code := runQueryArgs(t, &QueryOptions{Query: query.Options{Environ: func() []string { return []string{"SH_X=1", "SH_Y=a=b"} }}},
		"-n", "-c", `[$ENV.SH_X, env.SH_Y, $ENV.SH_NONE]`)
	if code != 0 || out != "[\"1\",\"a=b\",null]\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestQueryExitCodes(t *testing.T) {
	dir := files(t, "good.json", `{"ok":true}`, "bad.json", `{"a":1,}`,
		"mixed.ndjson", "{\"a\":1}\n{\"a\":\n{\"a\":3}\n\"str\"\n{\"a\":5}\n")
	good, bad, mixed := filepath.Join(dir, "good.json"), filepath.Join(dir, "bad.json"), filepath.Join(dir, "mixed.ndjson")
	for _, c := range []struct {
		name       string
		args       []string
		code       int
		out        string
		errContain string // "" means stderr must be empty
	}{
		{"ok", []string{".ok", good}, 0, "true\n", ""},
		{"-e true", []string{"-e", ".ok", good}, 0, "true\n", ""},
		{"-e false", []string{"-e", ".ok | not", good}, 1, "false\n", ""},
		{"-e null", []string{"-e", ".nope", good}, 1, "null\n", ""},
		{"-e last counts", []string{"-e", "false, 1", good}, 0, "false\n1\n", ""},
		{"-e no output", []string{"-e", "empty", good}, 4, "", ""},
		{"-e error", []string{"-e", "error", good}, 5, "", "smarthook: error: {\"ok\":true}\n"},
		{"broken document", []string{"-c", ".", good, bad}, 5, "{\"ok\":true}\n", "bad.json\n    {\"a\":1,}\n           ^  invalid character '}' looking for beginning of object key string\n"},
		{"broken line, others go on", []string{"-c", ".a?", mixed}, 5, "1\n3\n5\n", "smarthook: invalid json: " + mixed + ":2\n    2 | {\"a\":\n             ^  unexpected EOF\n"},
		{"filter error, others go on", []string{"-c", ".a", mixed}, 5, "1\n3\n5\n", "smarthook: expected an object but got: string (\"str\")\n"},
		{"broken text stops its file", []string{"-c", ".", bad, good}, 5, "{\"ok\":true}\n", "bad.json"},
		{"error(x)", []string{"error(\"bad \\(.ok)\")", good}, 5, "", "smarthook: error: bad true\n"},
		{"missing path", []string{".", filepath.Join(dir, "none.json"), good}, 5, "{\n  \"ok\": true\n}\n", "smarthook: open " + filepath.Join(dir, "none.json") + ": no such file or directory\n"},
		{"compile error", []string{".a | ]", good}, 3, "", "smarthook: invalid query: .a | ]\n    .a | ]\n         ^  unexpected token \"]\"\n"},
		{"undefined function", []string{"nosuch(1)", good}, 3, "", "smarthook: compile error: function not defined: nosuch/1\n"},
		{"empty filter", []string{"", good}, 3, "", "compile error: missing query"},
		{"bad flag", []string{"--nope", ".", good}, 2, "", "smarthook: unknown flag `--nope'"},
		{"bad short flag", []string{"-rq", ".", good}, 2, "", "smarthook: unknown flag `q'"},
		{"--indent 8", []string{"--indent", "8", ".", good}, 5, "", "too many indentation count: 8"},
		{"--indent not a number", []string{"--indent", "x", ".", good}, 2, "", "invalid argument for flag `--indent'"},
		{"--argjson not JSON", []string{"--argjson", "v", "{", ".", good}, 5, "", "invalid json: $v"},
		{"--argjson two values", []string{"--argjson", "v", "1 2", ".", good}, 5, "", "invalid character '2' after top-level value"},
		{"--jsonargs not JSON", []string{"-n", "$ARGS", "--jsonargs", "nope"}, 5, "", "invalid json: --jsonargs"},
		{"--arg short", []string{".", "--arg", "x"}, 2, "", "expected 2 arguments for flag `--arg'"},
		{"--slurpfile broken", []string{"--slurpfile", "v", bad, ".", good}, 5, "", "invalid json: " + bad},
		{"--rawfile missing", []string{"--rawfile", "v", filepath.Join(dir, "none"), ".", good}, 5, "", "no such file or directory"},
		{"-f missing", []string{"-f", filepath.Join(dir, "none.jq"), good}, 5, "", "open " + filepath.Join(dir, "none.jq")},
		{"-f without file", []string{"-f"}, 5, "", "expected a query file for flag `-f'"},
		{"--raw-output0 with NUL", []string{"--raw-output0", `"a\u0000b"`, good}, 5, "", "cannot output a string containing NUL character"},
		{"halt", []string{"-c", ".a, halt", mixed}, 0, "1\n", ""},
		{"halt_error null", []string{".a | halt_error", good}, 5, "", ""},
		{"input runs out", []string{"-c", "[.a?, input.a?]", good}, 5, "", "smarthook: break\n"},
		{"halt_error string", []string{`"bye\n" | halt_error`, good}, 5, "", "bye\n"},
		{"halt_error object", []string{`{a:1} | halt_error(3)`, good}, 3, "", "{\"a\":1}"},
		{"debug", []string{"-n", "-c", `1 | debug | . + 1`}, 0, "2\n", "[\"DEBUG:\",1]\n"},
		{"debug(msg)", []string{"-n", "-c", `1 | debug("at \(.)") | . + 1`}, 0, "2\n", "[\"DEBUG:\",\"at 1\"]\n"},
		{"stderr", []string{"-n", "-c", `"x" | stderr | 1`}, 0, "1\n", "x"},
		{"halt_error 0 stops", []string{"-c", `.a, ("x" | halt_error(0))`, mixed}, 0, "1\n", "x"},
		{"-s stops at broken", []string{"-s", "-c", "map(.a?)", mixed}, 5, "", "invalid json: " + mixed + ":2"},
		{"inputs fails at broken line", []string{"-n", "-c", "[inputs | .a?]", mixed}, 5, "", "invalid json: " + mixed + ":2"},
		{"-n error", []string{"-n", `error("x")`}, 5, "", "smarthook: error: x\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runQueryMain(t, "", nil, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr %q", code, c.code, errOut)
			}
			if out != c.out {
				t.Errorf("stdout %q, want %q", out, c.out)
			}
			switch {
			case c.errContain == "" && errOut != "":
				t.Errorf("stderr %q, want none", errOut)
			case !strings.Contains(errOut, c.errContain):
				t.Errorf("stderr %q, want it to contain %q", errOut, c.errContain)
			}
		})
	}
}

func TestQueryKeepsOrderAcrossBatches(t *testing.T) {
	var in strings.Builder
	var want strings.Builder
	for i := range 30000 {
		fmt.Fprintf(&in, "{\"i\":%d,\"pad\":%q}\n", i, strings.Repeat("x", i%100))
		fmt.Fprintf(&want, "%d\n", i)
	}
	out, errOut, code := runQueryMain(t, in.String(), nil, ".i")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != want.String() {
		t.Error("outputs are not in input order")
	}
}

func TestQueryInputFilenameInArchives(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range []string{"2026/a.json", "2026/b.ndjson"} {
		body := []byte("{\"x\":1}\n")
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	tw.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "hooks.tar")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-r", "input_filename", path}, {"-r", "input_filename, (input|input_filename)", path}} {
		out, errOut, code := runQueryMain(t, "", nil, args...)
		want := path + ":2026/a.json\n" + path + ":2026/b.ndjson\n"
		if code != 0 || out != want {
			t.Errorf("%v: exit %d, stdout %q, want %q; stderr %q", args, code, out, want, errOut)
		}
	}
}

func TestQueryHelp(t *testing.T) {
	out, _, code := runQueryMain(t, "", nil, "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"ms_to_iso(tz)", "chat_key", "duration_s", "--slurpfile name file", "--arg name value", "Exit status"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// query parses its own flags, so cobra does not complete their values: the command
// does (--color's values, directories for -L).
func TestQueryCompletesFlagValues(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-c", "--color", ""}, "auto\nalways\nnever\n:4\n"},
		{[]string{"--color="}, "--color=auto\n--color=always\n--color=never\n:4\n"},
		{[]string{"-L", ""}, ":16\n"},
	} {
		var out, errOut bytes.Buffer
		streams := IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
		Main(append([]string{"__complete", "query"}, c.args...), streams)
		if out.String() != c.want {
			t.Errorf("%q: got %q, want %q", c.args, out.String(), c.want)
		}
	}
}
