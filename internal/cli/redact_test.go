package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/iostreams"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/redact"
)

const testRedactKey = "0123456789abcdef0123456789abcdef"

// redactIO is test IO writing to out and errw, with the test key in the environment.
func redactIO(out, errw *bytes.Buffer) IO {
	streams, _, _, _ := iostreams.Test(defaultKeyEnv + "=" + testRedactKey)
	streams.Out, streams.Err = out, errw
	return streams
}

// TestRedactOrderAndContent redacts many generated documents, which the pipeline
// spreads over every core, and checks each line against the package's own result.
func TestRedactOrderAndContent(t *testing.T) {
	dir := t.TempDir()
	g := fake.New(fake.Options{Seed: 9})
	var in []byte
	const n = 3000
	for i := range n {
		in = append(g.Append(in, i), '\n')
	}
	path := filepath.Join(dir, "chats.ndjson")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errw bytes.Buffer
	opts := &RedactOptions{IO: redactIO(&out, &errw), Paths: []string{path}, KeyEnv: defaultKeyEnv}
	if err := runRedact(context.Background(), opts); err != nil {
		t.Fatalf("%v: %s", err, errw.String())
	}
	r, err := redact.New(redact.Options{Key: []byte(testRedactKey)})
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(out.Bytes(), []byte("\n")), []byte("\n"))
	if len(lines) != n {
		t.Fatalf("%d lines, want %d", len(lines), n)
	}
	for i, line := range lines {
		want, _ := r.Apply(nil, g.Append(nil, i))
		if !bytes.Equal(line, want) {
			t.Fatalf("line %d is not document %d redacted:\n%s\n%s", i+1, i, line, want)
		}
	}
	if errw.Len() != 0 {
		t.Errorf("stderr is not a terminal, yet it got %q", errw.String())
	}
}

// TestRedactInterrupted interrupts an --out run once its first file is final and
// checks that every file it left is complete, and that no temporary file is left.
func TestRedactInterrupted(t *testing.T) {
	dir := t.TempDir()
	g := fake.New(fake.Options{Seed: 2})
	var paths []string
	const files, perFile = 100, 100
	for f := range files {
		var b []byte
		for i := range perFile {
			b = append(g.Append(b, f*perFile+i), '\n')
		}
		p := filepath.Join(dir, "in", fmt.Sprintf("%03d.ndjson", f))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outDir := filepath.Join(dir, "out")
	go func() {
		for range 2000 { // at most about 2 s
			if countFiles(outDir, ".ndjson") > 0 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	var out, errw bytes.Buffer
	opts := &RedactOptions{IO: redactIO(&out, &errw), Paths: paths, KeyEnv: defaultKeyEnv, OutDir: outDir}
	err := runRedact(ctx, opts)
	complete := 0
	filepath.WalkDir(outDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if !strings.HasSuffix(p, ".ndjson") {
			t.Errorf("left behind: %s", p)
			return nil
		}
		data, _ := os.ReadFile(p)
		lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
		if len(lines) != perFile || data[len(data)-1] != '\n' {
			t.Errorf("%s has %d lines, want %d", p, len(lines), perFile)
		}
		for _, l := range lines {
			if jsontext.Valid(l) != nil {
				t.Fatalf("%s holds a broken line", p)
			}
		}
		complete++
		return nil
	})
	t.Logf("run ended with %v after %d of %d files", err, complete, files)
	if complete == 0 || (err == nil && complete != files) || (err != nil && !errors.Is(err, context.Canceled)) {
		t.Errorf("run ended with %v after %d complete files", err, complete)
	}
}

func TestRedactOutputIsValidAndSkipsBroken(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(good, []byte("\uFEFF{\"visitor\": {\"email\": \"a@b.cz\"}}\n"), 0o644)
	os.WriteFile(bad, []byte(`{"visitor": }`), 0o644)
	var out, errw bytes.Buffer
	opts := &RedactOptions{IO: redactIO(&out, &errw), Paths: []string{good, bad}, KeyEnv: defaultKeyEnv}
	err := runRedact(context.Background(), opts)
	var ee *exitError
	if !errors.As(err, &ee) || ee.Code != ExitProblems {
		t.Fatalf("got %v, want exit 1", err)
	}
	// NDJSON lines carry no byte-order mark and no white space between tokens.
	line := strings.TrimSuffix(out.String(), "\n")
	if strings.Contains(line, "\n") || jsontext.Valid([]byte(line)) != nil || !strings.HasPrefix(line, `{"visitor":{"email":"visitor-`) {
		t.Errorf("stdout: %q", out.String())
	}
	if !strings.Contains(errw.String(), "bad.json:1:13: error:") {
		t.Errorf("the broken file is not reported with its place: %s", errw.String())
	}
}

// countFiles counts the files under dir whose names end in suffix.
func countFiles(dir, suffix string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, suffix) {
			n++
		}
		return nil
	})
	return n
}
