package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestNoInputOnTerminal(t *testing.T) {
	for _, args := range [][]string{{"validate"}, {"pretty"}, {"query", "."}, {"convert"}, {"redact", "--random-key"}} {
		t.Run(args[0], func(t *testing.T) {
			var out, errb bytes.Buffer
			streams := IO{In: strings.NewReader(`{"a":1}`), Out: &out, Err: &errb, InTTY: true}
			root := NewRootCmd(streams)
			root.SetArgs(args)
			code := exitCode(root.Execute(), t.Context(), &errb)
			if code != ExitUsage || !strings.Contains(errb.String(), "no input: name files or folders") {
				t.Errorf("exit %d, stderr %q", code, errb.String())
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q", out.String())
			}
		})
	}
	// The same commands read a pipe.
	var out bytes.Buffer
	root := NewRootCmd(IO{In: strings.NewReader(`{"a":1}`), Out: &out, Err: &bytes.Buffer{}})
	root.SetArgs([]string{"query", "-c", ".a"})
	if err := root.Execute(); err != nil || out.String() != "1\n" {
		t.Errorf("query from a pipe: %v, %q", err, out.String())
	}
}
