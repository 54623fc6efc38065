package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/spf13/pflag"
)

// A crafted file name cannot forge a finding line or reach the terminal: text output
// escapes it, JSON output keeps it as it is (JSON-quoted).
func TestFileNamesEscapedInText(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no control characters in Windows file names")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "x\nfake.json:1:1: error: forged\x1b[2J.json")
	if err := os.WriteFile(name, []byte(`{"accountId":1}`), 0o644); err != nil {
		t.Skipf("cannot create the file: %v", err)
	}
	var out, errOut bytes.Buffer
	opts := &ValidateOptions{IO: IO{Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}, Paths: []string{name}, Format: "text", Color: "never"}
	runValidate(context.Background(), opts)
	text := out.String()
	if strings.Contains(text, "\x1b") || strings.Count(text, "\n") != 4 ||
		!strings.Contains(text, `x\nfake.json:1:1: error: forged\x1b[2J.json:1:1: error:`) {
		t.Errorf("text output:\n%q", text)
	}
	out.Reset()
	opts.Format = "json"
	runValidate(context.Background(), opts)
	if !strings.Contains(out.String(), `x\nfake.json:1:1: error: forged\u001b[2J.json"`) {
		t.Errorf("json output:\n%s", out.String())
	}
}

func TestInputFlags(t *testing.T) {
	var o input.Options
	f := pflag.NewFlagSet("x", pflag.ContinueOnError)
	addInputFlags(f, &o, "validate", readElements|offerAllowEmpty)
	if !o.SplitArrays || !o.FailEmpty || f.Lookup("split-arrays") != nil {
		t.Fatalf("defaults %+v", o)
	}
	if err := f.Parse([]string{"--max-doc-size", "10MB", "--allow-empty", "--max-member-size", "0"}); err != nil {
		t.Fatal(err)
	}
	if o.MaxDocSize != 10e6 || o.FailEmpty || o.MaxMemberSize != input.NoLimit {
		t.Errorf("parsed %+v", o)
	}
	if err := f.Parse([]string{"--max-doc-size", "much"}); err == nil {
		t.Error("a bad size is accepted")
	}
	var q input.Options
	g := pflag.NewFlagSet("q", pflag.ContinueOnError)
	addInputFlags(g, &q, "query", offerSplitArrays|boundOutput)
	if q.SplitArrays || !q.BoundOutput || g.Parse([]string{"--split-arrays"}) != nil || !q.SplitArrays {
		t.Errorf("query options %+v", q)
	}
}
