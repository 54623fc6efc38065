package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/iostreams"
	"github.com/smarthook/smarthook/internal/progress"
	"github.com/smarthook/smarthook/internal/redact"
	"github.com/spf13/cobra"
)

// drawEveryAdd has progress lines drawn at every batch during the test, so their
// content is checked without waiting on a clock.
func drawEveryAdd(t *testing.T) {
	old := progress.Interval
	progress.Interval = 0
	t.Cleanup(func() { progress.Interval = old })
}

// ttyIO is IO for tests whose stderr is a terminal (or not, tty false).
func ttyIO(out, errw *bytes.Buffer, tty bool) IO {
	streams, _, _, _ := iostreams.Test(defaultKeyEnv + "=" + testRedactKey)
	streams.Out, streams.Err, streams.ErrTTY = out, errw, tty
	return streams
}

// splitProgress splits what stderr got into the progress lines drawn (each after a
// clear, with no newline) and the other text.
func splitProgress(stderr string) (lines []string, rest string) {
	for _, part := range strings.Split(stderr, "\r\x1b[K") {
		if part != "" && !strings.Contains(part, "\n") {
			lines = append(lines, part)
		} else {
			rest += part
		}
	}
	return lines, rest
}

// writeChats writes n generated chats to dir/chats.ndjson and returns its path and
// the documents.
func writeChats(t *testing.T, dir string, n int) (string, [][]byte) {
	t.Helper()
	g := fake.New(fake.Options{Seed: 11})
	var in []byte
	docs := make([][]byte, n)
	for i := range n {
		docs[i] = g.Append(nil, i)
		in = append(append(in, docs[i]...), '\n')
	}
	path := filepath.Join(dir, "chats.ndjson")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, docs
}

// checkLines checks that every progress line is label's status line, the last one
// with every document counted; with a known size (of != "") each says "of SIZE" and
// one before the last has an ETA, without one none has either.
func checkLines(t *testing.T, lines []string, label, of, last string) {
	t.Helper()
	if len(lines) < 2 {
		t.Fatalf("%d progress lines, want one per batch: %q", len(lines), lines)
	}
	status := regexp.MustCompile(`^` + label + `: [0-9,]+ (of [0-9,]+ )?documents( \(\d+%\))?, [0-9.]+ [kMG]?B( of [0-9.]+ [kMG]?B \(\d+%\))?, [0-9.]+ [kMG]?B/s(, ETA \d+:\d\d)?$`)
	eta := false
	for _, l := range lines {
		if !status.MatchString(l) {
			t.Errorf("progress line %q is not a status line", l)
		}
		if (of != "") != strings.Contains(l, " of "+of) {
			t.Errorf("progress line %q: want the total %q only when it is known", l, of)
		}
		eta = eta || strings.Contains(l, ", ETA ")
	}
	if eta != (of != "") {
		t.Errorf("ETA shown: %v, want it only when the total is known: %q", eta, lines)
	}
	if got := lines[len(lines)-1]; !strings.HasPrefix(got, last) || strings.Contains(got, "ETA") {
		t.Errorf("last line %q, want it to start with %q, with no ETA", got, last)
	}
}

// TestRedactProgress: on a terminal redact draws the documents and bytes read, the
// rate and (the size being known) an ETA, then one summary line whose counts are
// those of the documents written and the values replaced.
func TestRedactProgress(t *testing.T) {
	drawEveryAdd(t)
	dir := t.TempDir()
	const n = 3000
	path, docs := writeChats(t, dir, n)
	size := progress.Bytes(int64(len(bytes.Join(docs, []byte("\n"))) + 1))
	var out, errw bytes.Buffer
	if err := runRedact(context.Background(), &RedactOptions{IO: ttyIO(&out, &errw, true), Paths: []string{path}, KeyEnv: defaultKeyEnv}); err != nil {
		t.Fatalf("%v: %s", err, errw.String())
	}
	lines, rest := splitProgress(errw.String())
	checkLines(t, lines, "smarthook redact", size, "smarthook redact: 3,000 documents, "+size+" of "+size+" (100%)")
	r, _ := redact.New(redact.Options{Key: []byte(testRedactKey)})
	var want redact.Counts
	for _, d := range docs {
		if _, err := r.ApplyCount(nil, d, &want); err != nil {
			t.Fatal(err)
		}
	}
	if written := bytes.Count(out.Bytes(), []byte("\n")); written != n {
		t.Fatalf("%d documents written, want %d", written, n)
	}
	if want.Total() < n {
		t.Fatalf("only %d values replaced in %d chats", want.Total(), n)
	}
	if line := "smarthook redact: wrote 3,000 redacted documents to stdout; replaced " + want.String() + "\n"; rest != line {
		t.Errorf("summary %q\nwant    %q", rest, line)
	}

	// From stdin the size is unknown: no total, no ETA; into a folder the summary
	// names it and the files.
	errw.Reset()
	streams := ttyIO(&out, &errw, true)
	streams.In = bytes.NewReader(bytes.Join(docs, []byte("\n")))
	outDir := filepath.Join(dir, "clean")
	if err := runRedact(context.Background(), &RedactOptions{IO: streams, Paths: []string{"-"}, KeyEnv: defaultKeyEnv, OutDir: outDir}); err != nil {
		t.Fatalf("%v: %s", err, errw.String())
	}
	lines, rest = splitProgress(errw.String())
	checkLines(t, lines, "smarthook redact", "", "smarthook redact: 3,000 documents, ")
	if line := "smarthook redact: wrote 3,000 redacted documents to " + outDir + " (1 file); replaced " + want.String() + "\n"; rest != line {
		t.Errorf("summary %q\nwant    %q", rest, line)
	}
	if got, _ := os.ReadFile(filepath.Join(outDir, "stdin.ndjson")); bytes.Count(got, []byte("\n")) != n {
		t.Errorf("stdin.ndjson holds %d lines, want %d", bytes.Count(got, []byte("\n")), n)
	}
}

// TestRedactQuietOnAPipe: on a pipe redact writes nothing on stderr but its problems,
// unless --progress asks for the summary (and no progress line is drawn then for a
// run too short for one).
func TestRedactQuietOnAPipe(t *testing.T) {
	dir := t.TempDir()
	path, _ := writeChats(t, dir, 20)
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte(`{"accountId":`), 0o644)
	var out, errw bytes.Buffer
	err := runRedact(context.Background(), &RedactOptions{IO: ttyIO(&out, &errw, false), Paths: []string{path, broken}, KeyEnv: defaultKeyEnv})
	if err != errProblems || strings.Contains(errw.String(), "wrote") || strings.Contains(errw.String(), "\x1b") || !strings.Contains(errw.String(), "broken.json:1:") {
		t.Errorf("on a pipe: %v, stderr %q", err, errw.String())
	}
	errw.Reset()
	err = runRedact(context.Background(), &RedactOptions{IO: ttyIO(&out, &errw, false), Paths: []string{path, broken}, KeyEnv: defaultKeyEnv, Progress: true})
	if err != errProblems || !strings.HasSuffix(errw.String(), "smarthook redact: wrote 20 redacted documents to stdout; replaced "+firstCounts(t, errw.String())+"; skipped 1 broken document\n") {
		t.Errorf("--progress on a pipe: %v, stderr %q", err, errw.String())
	}
}

// firstCounts is the "replaced ..." part of a summary.
func firstCounts(t *testing.T, stderr string) string {
	t.Helper()
	m := regexp.MustCompile(`replaced ([^;]+);`).FindStringSubmatch(stderr)
	if m == nil || !strings.Contains(m[1], " names") {
		t.Fatalf("no counts of names replaced in %q", stderr)
	}
	return m[1]
}

// TestFakeProgress: fake knows how many documents it makes, so its line has the
// count, the share done and an ETA; the summary's documents, size and files are
// those on disk. On a pipe it says nothing without --progress.
func TestFakeProgress(t *testing.T) {
	drawEveryAdd(t)
	dir := filepath.Join(t.TempDir(), "hooks")
	const n = 600
	var out, errw bytes.Buffer
	if err := runFake(context.Background(), &FakeOptions{IO: ttyIO(&out, &errw, true), Count: n, Seed: 3, Kind: "hook", OutDir: dir}); err != nil {
		t.Fatal(err)
	}
	lines, rest := splitProgress(errw.String())
	checkLines(t, lines, "smarthook fake", "600 documents", "smarthook fake: 600 of 600 documents (100%), ")
	var size int64
	files := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if info, err := d.Info(); err == nil && !d.IsDir() {
			size += info.Size()
			files++
		}
		return nil
	})
	if want := "smarthook fake: wrote 600 documents (" + progress.Bytes(size) + ") to " + dir + " (600 files)\n"; files != n || rest != want {
		t.Errorf("%d files; summary %q\nwant %q", files, rest, want)
	}

	errw.Reset()
	if err := runFake(context.Background(), &FakeOptions{IO: ttyIO(&out, &errw, false), Count: 5, Seed: 3, Kind: "hook", OutDir: dir + "2"}); err != nil || errw.Len() != 0 {
		t.Errorf("--out on a pipe: %v, stderr %q", err, errw.String())
	}
	out.Reset()
	if err := runFake(context.Background(), &FakeOptions{IO: ttyIO(&out, &errw, false), Count: 5, Seed: 3, Kind: "hook", Progress: true}); err != nil {
		t.Fatal(err)
	}
	if want := "smarthook fake: wrote 5 documents (" + progress.Bytes(int64(out.Len())) + ") to stdout\n"; !strings.HasSuffix(errw.String(), want) {
		t.Errorf("--progress on a pipe: stderr %q, want it to end with %q", errw.String(), want)
	}
}

// TestConvertProgress: convert draws the same line and ends with its summary of the
// rows written, through the same flag and terminal rule.
func TestConvertProgress(t *testing.T) {
	drawEveryAdd(t)
	path, docs := writeChats(t, t.TempDir(), 3000)
	size := progress.Bytes(int64(len(bytes.Join(docs, []byte("\n"))) + 1))
	var out, errw bytes.Buffer
	cmd := NewCmdConvert(ttyIO(&out, &errw, true), nil)
	cmd.SetArgs([]string{"--to", "csv", path})
	if err := cmd.Execute(); err != nil {
		t.Fatalf("%v: %s", err, errw.String())
	}
	lines, rest := splitProgress(errw.String())
	checkLines(t, lines, "smarthook convert", size, "smarthook convert: 3,000 documents, "+size+" of "+size+" (100%)")
	if rows := bytes.Count(out.Bytes(), []byte("\n")) - 1; rows != 3000 || rest != "smarthook convert: wrote 3,000 chats rows to stdout\n" {
		t.Errorf("%d rows; summary %q", rows, rest)
	}
}

// TestProgressFlag: convert, redact and fake take --progress, off by default.
func TestProgressFlag(t *testing.T) {
	var out, errw bytes.Buffer
	streams := ttyIO(&out, &errw, false)
	var got []bool
	cmds := []*cobra.Command{
		NewCmdConvert(streams, func(o *ConvertOptions) error { got = append(got, o.Progress); return nil }),
		NewCmdRedact(streams, func(o *RedactOptions) error { got = append(got, o.Progress); return nil }),
		NewCmdFake(streams, func(o *FakeOptions) error { got = append(got, o.Progress); return nil }),
	}
	for _, args := range [][]string{nil, {"--progress"}} {
		got = got[:0]
		for _, cmd := range cmds {
			cmd.SetArgs(args)
			if err := cmd.Execute(); err != nil {
				t.Fatalf("%s %v: %v", cmd.Name(), args, err)
			}
		}
		for i, p := range got {
			if p != (args != nil) || len(got) != 3 {
				t.Errorf("%s %v: Progress %v", cmds[i].Name(), args, p)
			}
		}
	}
}
