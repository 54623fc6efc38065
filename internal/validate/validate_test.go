package validate

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/input"
)

const hook = `{"accountId":1,"beginAt":1767225600000,"endAt":1767225660000,"channel":{"id":5,"rating":9},"messages":[]}`

// run validates stdin holding docs with opts and returns stdout, stderr and the error.
func run(t *testing.T, opts Options, docs ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	opts.Input = input.Options{Stdin: strings.NewReader(strings.Join(docs, "\n") + "\n")}
	opts.Out, opts.Err = &out, &errOut
	if opts.Format == "" {
		opts.Format = "text"
	}
	err := Run(context.Background(), opts)
	return out.String(), errOut.String(), err
}

func TestDuplicateChatInDocumentOrder(t *testing.T) {
	out, _, err := run(t, Options{}, hook, hook)
	if err != nil {
		t.Fatalf("warnings only: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// The second document: duplicate-chat (at channel.id) comes before rating-range
	// (later in the document).
	if len(lines) != 3 || !strings.Contains(lines[1], "[duplicate-chat]") || !strings.Contains(lines[2], "-:2:") || !strings.Contains(lines[2], "[rating-range]") {
		t.Errorf("findings:\n%s", out)
	}
}

func TestStrictQuietAndFormats(t *testing.T) {
	if _, _, err := run(t, Options{Strict: true}, hook); err != exit.ErrProblems {
		t.Errorf("--strict with a warning: %v", err)
	}
	out, summary, err := run(t, Options{Quiet: true}, `{"accountId":`)
	if err != exit.ErrProblems || out != "" || !strings.Contains(summary, "documents with errors") {
		t.Errorf("quiet broken: %v, out %q, summary %q", err, out, summary)
	}
	out, _, _ = run(t, Options{Format: "json"}, hook)
	if !strings.HasPrefix(out, `{"file":"-","member":"","line":1,`) {
		t.Errorf("json %q", out)
	}
	out, _, _ = run(t, Options{Format: "github"}, hook)
	if !strings.HasPrefix(out, "::warning file=-,line=1,") {
		t.Errorf("github %q", out)
	}
	_, _, err = run(t, Options{Format: "xml"}, hook)
	var ee *exit.Error
	if !errors.As(err, &ee) || ee.Code != exit.Usage {
		t.Errorf("format xml: %v", err)
	}
}

func TestUnreadableAndNothingFound(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), Options{Paths: []string{filepath.Join(dir, "missing.json")}, Format: "text", Out: &out, Err: &errOut})
	if err != exit.ErrUnreadable || !strings.Contains(out.String(), "[read]") {
		t.Errorf("missing file: %v, %q", err, out.String())
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	errOut.Reset()
	err = Run(context.Background(), Options{Paths: []string{dir}, Format: "text", Out: &out, Err: &errOut})
	if err != nil || !strings.Contains(errOut.String(), "no .json, .ndjson, .jsonl (or .gz) files or archives found") {
		t.Errorf("empty folder: %v, %q", err, errOut.String())
	}
}

func TestListRules(t *testing.T) {
	var out bytes.Buffer
	if err := ListRules(&out, "json"); err != nil || !strings.Contains(out.String(), `{"rule":"duplicate-chat","severity":"warning",`) {
		t.Errorf("json: %v %q", err, out.String())
	}
	out.Reset()
	if err := ListRules(&out, "text"); err != nil || !strings.Contains(out.String(), "\nsyntax            error    not JSON") ||
		!strings.Contains(out.String(), "\nseveral-documents warning  ") {
		t.Errorf("text: %v %q", err, out.String())
	}
	for _, f := range []string{"github", "xml"} {
		out.Reset()
		err := ListRules(&out, f)
		var ee *exit.Error
		if !errors.As(err, &ee) || ee.Code != exit.Usage || out.Len() != 0 {
			t.Errorf("%s: %v, wrote %q", f, err, out.String())
		}
	}
}
