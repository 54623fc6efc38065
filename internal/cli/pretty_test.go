package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/iostreams"
)

// prettyRun is one run of `smarthook pretty` with buffers for its streams.
type prettyRun struct {
	stdin  string
	inTTY  bool
	outTTY bool
	env    map[string]string
}

// run runs smarthook with args and returns its stdout, stderr and exit code.
func (r prettyRun) run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	streams, in, out, errOut := iostreams.Test()
	in.WriteString(r.stdin)
	streams.InTTY, streams.OutTTY = r.inTTY, r.outTTY
	streams.Getenv = func(k string) string { return r.env[k] }
	code := Main(args, streams)
	return out.String(), errOut.String(), code
}

const prettySampleDir = "../../testdata/samples"

func prettySample(name string) string { return filepath.Join(prettySampleDir, name) }

// prettyFiles creates files in a temporary folder and returns its path.
func prettyFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func prettyGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "render", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPrettyOneFile(t *testing.T) {
	for _, cmd := range []string{"pretty", "pretty-print"} {
		out, errOut, code := prettyRun{}.run(t, cmd, prettySample("doc-example.json"))
		if code != 0 || errOut != "" {
			t.Fatalf("%s: exit %d, stderr %q", cmd, code, errOut)
		}
		if want := prettyGolden(t, "doc-example.indent2.json"); out != want {
			t.Errorf("%s: output differs from the render golden file:\n%s", cmd, out)
		}
	}
}

func TestPrettyLayoutFlags(t *testing.T) {
	dir := prettyFiles(t, map[string]string{"a.json": `{"b": [1.0, {"d": "\u00e9", "c": -0}], "a": null}`})
	a := filepath.Join(dir, "a.json")
	tests := []struct {
		args []string
		want string
	}{
		{nil, "{\n  \"b\": [\n    1.0,\n    {\n      \"d\": \"\\u00e9\",\n      \"c\": -0\n    }\n  ],\n  \"a\": null\n}\n"},
		{[]string{"--indent", "1"}, "{\n \"b\": [\n  1.0,\n  {\n   \"d\": \"\\u00e9\",\n   \"c\": -0\n  }\n ],\n \"a\": null\n}\n"},
		{[]string{"--tab"}, "{\n\t\"b\": [\n\t\t1.0,\n\t\t{\n\t\t\t\"d\": \"\\u00e9\",\n\t\t\t\"c\": -0\n\t\t}\n\t],\n\t\"a\": null\n}\n"},
		{[]string{"-c"}, `{"b":[1.0,{"d":"\u00e9","c":-0}],"a":null}` + "\n"},
		{[]string{"--indent", "0"}, `{"b":[1.0,{"d":"\u00e9","c":-0}],"a":null}` + "\n"},
		{[]string{"-c", "--sort-keys"}, `{"a":null,"b":[1.0,{"c":-0,"d":"\u00e9"}]}` + "\n"},
		{[]string{"-S", "--indent", "1"}, "{\n \"a\": null,\n \"b\": [\n  1.0,\n  {\n   \"c\": -0,\n   \"d\": \"\\u00e9\"\n  }\n ]\n}\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := prettyRun{}.run(t, append(append([]string{"pretty"}, tt.args...), a)...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if out != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
}

func TestPrettyManyInputs(t *testing.T) {
	dir := prettyFiles(t, map[string]string{
		"a.json":      `{"a":1}`,
		"b.ndjson":    "[1]\n\n[2]\n",
		"sub/c.json":  `"c"`,
		"skip.txt":    "not read in a folder walk",
		"sub/d.jsonl": `{}`,
	})
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.ndjson")
	out, _, code := prettyRun{}.run(t, "pretty", a, b)
	want := "==> " + a + " <==\n{\n  \"a\": 1\n}\n\n==> " + b + ":1 <==\n[\n  1\n]\n\n==> " + b + ":3 <==\n[\n  2\n]\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, got\n%s\nwant\n%s", code, out, want)
	}
	out, _, _ = prettyRun{}.run(t, "pretty", "--no-headers", a, b)
	if want := "{\n  \"a\": 1\n}\n\n[\n  1\n]\n\n[\n  2\n]\n"; out != want {
		t.Errorf("--no-headers: got\n%s\nwant\n%s", out, want)
	}
	out, _, _ = prettyRun{}.run(t, "pretty", "-c", a, b)
	if want := "{\"a\":1}\n[1]\n[2]\n"; out != want {
		t.Errorf("-c: got %q, want pure NDJSON %q", out, want)
	}
	// One folder is several inputs: each document is headed.
	out, _, _ = prettyRun{}.run(t, "pretty", dir)
	for _, h := range []string{"==> " + a + " <==", "==> " + filepath.Join(dir, "sub", "c.json") + " <==", "==> " + filepath.Join(dir, "sub", "d.jsonl") + ":1 <=="} {
		if !strings.Contains(out, h+"\n") {
			t.Errorf("folder output lacks the header %q:\n%s", h, out)
		}
	}
	if strings.Contains(out, "not read") {
		t.Errorf("a .txt file was read in a folder walk")
	}
	// One NDJSON file is one input: no headers, but blank lines between documents.
	out, _, _ = prettyRun{}.run(t, "pretty", b)
	if want := "[\n  1\n]\n\n[\n  2\n]\n"; out != want {
		t.Errorf("one NDJSON file: got %q, want %q", out, want)
	}
}

func TestPrettyBrokenDocuments(t *testing.T) {
	dir := prettyFiles(t, map[string]string{
		"good.json":   `{"ok":true}`,
		"bad.json":    "{\n  \"a\": 1,\n}",
		"lines.jsonl": "[1]\n[2,]\n[3]\n",
		"empty.json":  "  \n",
	})
	names := []string{"good.json", "bad.json", "lines.jsonl", "empty.json"}
	var args []string
	for _, n := range names {
		args = append(args, filepath.Join(dir, n))
	}
	out, errOut, code := prettyRun{}.run(t, append([]string{"pretty", "-c"}, args...)...)
	if code != ExitProblems {
		t.Errorf("exit %d, want %d", code, ExitProblems)
	}
	if want := "{\"ok\":true}\n[1]\n[3]\n"; out != want {
		t.Errorf("stdout %q, want the good documents %q", out, want)
	}
	for _, want := range []string{
		filepath.Join(dir, "bad.json") + ":2:9: error: trailing comma before '}' [syntax]",
		filepath.Join(dir, "lines.jsonl") + ":2:3: error: trailing comma before ']' [syntax]\n",
		filepath.Join(dir, "empty.json") + ":1:1: error: empty document [syntax]",
		"3 document(s) skipped",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestPrettyUnreadable(t *testing.T) {
	dir := prettyFiles(t, map[string]string{"a.json": `1`})
	missing := filepath.Join(dir, "missing.json")
	out, errOut, code := prettyRun{}.run(t, "pretty", missing, filepath.Join(dir, "a.json"))
	if code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	if !strings.Contains(errOut, missing) || !strings.Contains(out, "1\n") {
		t.Errorf("the missing path must be reported and the others printed: stdout %q stderr %q", out, errOut)
	}
}

func TestPrettyUsageErrors(t *testing.T) {
	doc := prettySample("doc-example.json")
	for _, args := range [][]string{
		{"--indent", "8"}, {"--indent", "-1"}, {"--color", "pink"}, {"--tz", "Mars/Olympus"},
		{"--paging", "sometimes"}, {"--transcript", "--summary"}, {"-c", "--transcript"},
		{"--sort-keys", "--summary"}, {"--tab", "--indent", "4"}, {"-c", "--tab"}, {"--bogus"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errOut, code := prettyRun{}.run(t, append(append([]string{"pretty"}, args...), doc)...)
			if code != ExitUsage || out != "" || !strings.HasPrefix(errOut, "smarthook: ") {
				t.Errorf("exit %d, stdout %q, stderr %q: want a usage error", code, out, errOut)
			}
		})
	}
}

func TestPrettyStdin(t *testing.T) {
	in := "{\n  \"a\": [1, 2]\n}\n{\"b\": 1e2}\n"
	out, _, code := prettyRun{stdin: in}.run(t, "pretty", "-c")
	if code != 0 || out != "{\"a\":[1,2]}\n{\"b\":1e2}\n" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	out, _, _ = prettyRun{stdin: in}.run(t, "pretty", "-")
	if out != "{\n  \"a\": [\n    1,\n    2\n  ]\n}\n\n{\n  \"b\": 1e2\n}\n" {
		t.Errorf("stdout %q", out)
	}
	_, errOut, code := prettyRun{inTTY: true}.run(t, "pretty")
	if code != ExitUsage || !strings.Contains(errOut, "no input") {
		t.Errorf("no paths and a terminal on stdin: exit %d, stderr %q", code, errOut)
	}
}

func TestPrettyColor(t *testing.T) {
	doc := prettySample("doc-example.json")
	tests := []struct {
		name    string
		run     prettyRun
		args    []string
		want    string // a substring of stdout, "" for no colour at all
		wantErr string
	}{
		{"terminal", prettyRun{outTTY: true}, nil, "\x1b[34;1m\"accountId\"\x1b[0m", ""},
		{"pipe", prettyRun{}, nil, "", ""},
		{"always", prettyRun{}, []string{"--color", "always"}, "\x1b[0;39m208\x1b[0m", ""},
		{"never", prettyRun{outTTY: true}, []string{"--color", "never"}, "", ""},
		{"NO_COLOR", prettyRun{outTTY: true, env: map[string]string{"NO_COLOR": "1"}}, nil, "", ""},
		{"TERM=dumb", prettyRun{outTTY: true, env: map[string]string{"TERM": "dumb"}}, nil, "", ""},
		{"custom", prettyRun{env: map[string]string{"SMARTHOOK_COLORS": "0;90:0;39:0;39:1;31"}}, []string{"--color", "always"}, "\x1b[1;31m208\x1b[0m", ""},
		{"invalid", prettyRun{env: map[string]string{"SMARTHOOK_COLORS": "red"}}, []string{"--color", "always"}, "\x1b[0;39m208\x1b[0m", "warning: ignoring SMARTHOOK_COLORS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"pretty", "--paging", "never"}, tt.args...), doc)
			out, errOut, code := tt.run.run(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if tt.want == "" && strings.Contains(out, "\x1b") {
				t.Errorf("colour where none was wanted")
			}
			if tt.want != "" && !strings.Contains(out, tt.want) {
				t.Errorf("stdout lacks %q", tt.want)
			}
			if (tt.wantErr == "") != (errOut == "") || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr %q, want %q", errOut, tt.wantErr)
			}
		})
	}
}

func TestPrettyPager(t *testing.T) {
	doc := prettySample("doc-example.json")
	paged := prettyRun{outTTY: true, env: map[string]string{"PAGER": "sed -e s/^/P:/", "NO_COLOR": "1"}}
	out, errOut, code := paged.run(t, "pretty", doc)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, l := range lines {
		if !strings.HasPrefix(l, "P:") {
			t.Fatalf("line %q did not go through the pager", l)
		}
	}
	if len(lines) != strings.Count(prettyGolden(t, "doc-example.indent2.json"), "\n") {
		t.Errorf("the pager got %d lines", len(lines))
	}
	// --paging never, or stdout not a terminal: no pager.
	for _, r := range []struct {
		run  prettyRun
		args []string
	}{{paged, []string{"--paging", "never"}}, {prettyRun{env: paged.env}, nil}} {
		out, _, _ := r.run.run(t, append(append([]string{"pretty"}, r.args...), doc)...)
		if strings.Contains(out, "P:") {
			t.Errorf("%v: paged though it should not be", r.args)
		}
	}
	// A pager that cannot start: a warning, and the output still arrives.
	broken := prettyRun{outTTY: true, env: map[string]string{"PAGER": "/nonexistent/pager -x", "NO_COLOR": "1"}}
	out, errOut, code = broken.run(t, "pretty", "-c", doc)
	if code != 0 || !strings.HasPrefix(out, `{"accountId":208,`) || !strings.Contains(errOut, "cannot start the pager") {
		t.Errorf("exit %d, stdout %.40q, stderr %q", code, out, errOut)
	}
}

// TestPrettyPagerQuits: a user quitting the pager before the end is no error.
func TestPrettyPagerQuits(t *testing.T) {
	g := fake.New(fake.Options{Seed: 5})
	var in bytes.Buffer
	for i := range 2000 {
		in.Write(g.Append(nil, i))
		in.WriteByte('\n')
	}
	dir := prettyFiles(t, map[string]string{"many.ndjson": in.String()})
	quitter := prettyRun{outTTY: true, env: map[string]string{"PAGER": "head -c 10", "NO_COLOR": "1"}}
	out, errOut, code := quitter.run(t, "pretty", filepath.Join(dir, "many.ndjson"))
	if code != 0 || errOut != "" || out != "{\n  \"accou" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestPrettyTranscriptAndSummary(t *testing.T) {
	out, errOut, code := prettyRun{}.run(t, "pretty", "--transcript", "--tz", "UTC", prettySample("doc-example.json"))
	if code != 0 || errOut != "" || out != prettyGolden(t, "transcript-doc-example.txt") {
		t.Errorf("--transcript: exit %d, stderr %q, stdout\n%s", code, errOut, out)
	}
	out, errOut, code = prettyRun{}.run(t, "pretty", "--summary", "--tz", "UTC", prettySample("chats.ndjson"), prettySample("webhooks.ndjson"), prettySample("stats.json"), prettySample("broken"))
	if code != ExitProblems || !strings.Contains(errOut, "seconds-and-strings.json:8:17: error:") {
		t.Errorf("--summary with broken files: exit %d, stderr %q", code, errOut)
	}
	rows := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "│ ") && !strings.Contains(l, "ORIGIN") {
			rows++
		}
	}
	if want := 20 + 3 + 1; rows != want {
		t.Errorf("%d summary rows, want %d:\n%s", rows, want, out)
	}
	for _, want := range []string{"│ " + prettySample("chats.ndjson") + ":1 ", "│ " + prettySample("stats.json") + " ", "2026-01-05T08:00:31Z"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	// A document of no known kind cannot be shown as a chat: reported and skipped.
	dir := prettyFiles(t, map[string]string{"x.json": `{"hello":"world"}`})
	_, errOut, code = prettyRun{}.run(t, "pretty", "--transcript", filepath.Join(dir, "x.json"))
	if code != ExitProblems || !strings.Contains(errOut, "not a Smartsupp payload") {
		t.Errorf("unknown kind: exit %d, stderr %q", code, errOut)
	}
}

// TestPrettyOrder runs enough documents through the parallel pipeline to fill many
// batches, and checks that -c writes them back in order, unchanged (the generator
// writes compact JSON already), and that the pretty form of each is the same JSON.
func TestPrettyOrder(t *testing.T) {
	g := fake.New(fake.Options{Seed: 3})
	var in bytes.Buffer
	for i := range 3000 {
		in.Write(g.Append(nil, i))
		in.WriteByte('\n')
	}
	dir := prettyFiles(t, map[string]string{"many.ndjson": in.String()})
	path := filepath.Join(dir, "many.ndjson")
	out, _, code := prettyRun{}.run(t, "pretty", "-c", path)
	if code != 0 || out != in.String() {
		t.Fatalf("exit %d; -c output differs from its compact input (%d vs %d bytes)", code, len(out), in.Len())
	}
	out, _, _ = prettyRun{}.run(t, "pretty", "--tab", path)
	dec := json.NewDecoder(strings.NewReader(out))
	lines := strings.Split(strings.TrimSuffix(in.String(), "\n"), "\n")
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		var c bytes.Buffer
		if err := json.Compact(&c, raw); err != nil || c.String() != lines[i] {
			t.Fatalf("document %d is not the input's document %d", i, i)
		}
	}
}
