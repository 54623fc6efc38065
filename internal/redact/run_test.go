package redact

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
	"github.com/smarthook/smarthook/internal/progress"
)

func TestRunStreamAndDir(t *testing.T) {
	r, err := New(Options{Key: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	doc := `{"accountId":1,"visitor":{"email":"jana@example.com"}}`
	var out, errOut bytes.Buffer
	err = Run(context.Background(), RunOptions{Input: input.Options{Stdin: strings.NewReader(doc + "\n{\"x\":\n")}, Redactor: r, Out: &out, Err: &errOut, Progress: progress.Redraw})
	if err != exit.ErrProblems || strings.Contains(out.String(), "jana@") || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("stream: %v, out %q", err, out.String())
	}
	if !strings.HasSuffix(errOut.String(), "smarthook redact: wrote 1 redacted document to stdout; replaced 1 e-mail address; skipped 1 broken document\n") || !strings.Contains(errOut.String(), "-:2:") {
		t.Errorf("stderr %q", errOut.String())
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.json")
	os.WriteFile(in, []byte(doc), 0o644)
	outDir := filepath.Join(dir, "clean")
	errOut.Reset()
	if err := Run(context.Background(), RunOptions{Paths: []string{in}, Redactor: r, OutDir: outDir, Out: &out, Err: &errOut}); err != nil {
		t.Fatal(err)
	}
	if errOut.Len() != 0 {
		t.Errorf("without Progress stderr got %q", errOut.String())
	}
	name, _ := mirrorName(input.Origin{Path: in})
	got, err := os.ReadFile(filepath.Join(outDir, name))
	if err != nil || bytes.Contains(got, []byte("jana@")) || !bytes.HasPrefix(got, []byte(`{"accountId":1,`)) {
		t.Errorf("mirror file: %v %q", err, got)
	}
	// A second run refuses to replace the file: a usage error naming it.
	err = Run(context.Background(), RunOptions{Paths: []string{in}, Redactor: r, OutDir: outDir, Out: &out, Err: &errOut})
	var ee *exit.Error
	if !errors.As(err, &ee) || ee.Code != exit.Usage || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Errorf("second run: %v", err)
	}
}

func TestExpandAndListFields(t *testing.T) {
	got, err := ExpandFields([]string{"default", " paths "})
	if err != nil || len(got) != len(DefaultFields())+1 || got[len(got)-1] != "paths" {
		t.Errorf("ExpandFields = %v, %v", got, err)
	}
	_, err = ExpandFields([]string{"nope"})
	var ee *exit.Error
	if !errors.As(err, &ee) || ee.Code != exit.Usage {
		t.Errorf("unknown field: %v", err)
	}
	var out bytes.Buffer
	if err := ListFields(&out); err != nil || !strings.Contains(out.String(), "* in the default set") {
		t.Errorf("ListFields: %v %q", err, out.String())
	}
}
