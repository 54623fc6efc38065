package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/input"
)

func TestLine(t *testing.T) {
	m := &Meter{label: "convert", total: 300_000_000}
	m.Add(12345, 45_600_000)
	got := m.Line(4 * time.Second)
	want := "convert: 12,345 documents, 45.6 MB of 300.0 MB (15%), 11.4 MB/s, ETA 0:22"
	if got != want {
		t.Errorf("Line = %q\nwant   %q", got, want)
	}
	unknown := &Meter{label: "redact"}
	unknown.Add(3, 2048)
	if got := unknown.Line(time.Second); got != "redact: 3 documents, 2.0 kB, 2.0 kB/s" {
		t.Errorf("Line without a total = %q", got)
	}
	// A known number of documents (fake): the ETA follows the documents' rate.
	count := &Meter{label: "fake", count: 2000}
	count.Add(500, 1_000_000)
	if got := count.Line(2 * time.Second); got != "fake: 500 of 2,000 documents (25%), 1.0 MB, 500.0 kB/s, ETA 0:06" {
		t.Errorf("Line with a count = %q", got)
	}
	count.Add(1500, 3_000_000)
	if got := count.Line(8 * time.Second); got != "fake: 2,000 of 2,000 documents (100%), 4.0 MB, 500.0 kB/s" {
		t.Errorf("Line when done = %q (no ETA then)", got)
	}
	if got := (&Meter{label: "x", total: 10}).Line(0); got != "x: 0 documents, 0 B of 10 B (0%)" {
		t.Errorf("Line at the start = %q", got)
	}
}

func TestSummary(t *testing.T) {
	for _, tt := range []struct {
		skipped int
		notes   []string
		want    string
	}{
		{0, nil, "smarthook fake: wrote 12,000 documents to out (3 files)\n"},
		{1, []string{"replaced 2 names", ""}, "smarthook fake: wrote 12,000 documents to out (3 files); replaced 2 names; skipped 1 broken document\n"},
		{2500, nil, "smarthook fake: wrote 12,000 documents to out (3 files); skipped 2,500 broken documents\n"},
	} {
		var buf bytes.Buffer
		Summary(&buf, "smarthook fake", Of(12000, "document"), "out (3 files)", tt.skipped, tt.notes...)
		if buf.String() != tt.want {
			t.Errorf("Summary = %q\nwant      %q", buf.String(), tt.want)
		}
	}
	if Of(1, "file") != "1 file" || Of(0, "file") != "0 files" {
		t.Errorf("Of: %q, %q", Of(1, "file"), Of(0, "file"))
	}
}

func TestFormats(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Count(0), "0"}, {Count(999), "999"}, {Count(1000), "1,000"}, {Count(1234567), "1,234,567"}, {Count(-1500), "-1,500"},
		{Bytes(999), "999 B"}, {Bytes(1500), "1.5 kB"}, {Bytes(2_500_000_000), "2.5 GB"},
		{Clock(61 * time.Second), "1:01"}, {Clock(3723 * time.Second), "1:02:03"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestStopClearsTheLine(t *testing.T) {
	var buf bytes.Buffer
	m := Start(&buf, Redraw, "convert", 0)
	m.Add(1, 10)
	m.draw() // as the ticker does
	m.Stop()
	m.Stop() // twice is fine
	if out := buf.String(); !strings.HasPrefix(out, "\r\x1b[Kconvert: 1 documents, 10 B") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("output %q: not a line drawn and then cleared", out)
	}
	// A run too short for a line leaves nothing behind: no escape codes on a pipe.
	buf.Reset()
	quick := Start(&buf, Redraw, "convert", 0)
	quick.Add(1, 10)
	if _, err := quick.Writer(&buf).Write([]byte("a.json: error\n")); err != nil {
		t.Fatal(err)
	}
	quick.Stop()
	if buf.String() != "a.json: error\n" {
		t.Errorf("a run that drew no line wrote %q", buf.String())
	}
	var nilMeter *Meter
	nilMeter.Add(1, 1)
	nilMeter.Stop()
	if w := nilMeter.Writer(&buf); w != &buf {
		t.Error("a nil Meter's Writer is not the writer itself")
	}
}

func TestWriterClearsTheLineFirst(t *testing.T) {
	var buf bytes.Buffer
	m := Start(&buf, Redraw, "convert", 0)
	defer m.Stop()
	m.draw()
	if _, err := m.Writer(&buf).Write([]byte("a.json: error\n")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\r\x1b[Ka.json: error\n") {
		t.Errorf("output %q: the problem is not written on a cleared line", buf.String())
	}
}

// TestLinesModeWritesPlainLines: in a log (Lines mode) each status is a line of its
// own, nothing is cleared, and no escape code is written.
func TestLinesModeWritesPlainLines(t *testing.T) {
	old := LinesInterval
	LinesInterval = 0 // a line at every Add
	t.Cleanup(func() { LinesInterval = old })
	var buf bytes.Buffer
	m := Start(&buf, Lines, "convert", 20)
	m.Add(1, 10)
	if _, err := m.Writer(&buf).Write([]byte("a.json: error\n")); err != nil {
		t.Fatal(err)
	}
	m.Add(1, 10)
	m.Stop()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if strings.Contains(buf.String(), "\x1b") || strings.Contains(buf.String(), "\r") || len(lines) != 3 ||
		!strings.HasPrefix(lines[0], "convert: 1 documents, 10 B of 20 B (50%)") || lines[1] != "a.json: error" ||
		!strings.HasPrefix(lines[2], "convert: 2 documents, 20 B of 20 B (100%)") {
		t.Errorf("Lines mode wrote %q", buf.String())
	}
	if Off.On() || !Lines.On() || !Redraw.On() {
		t.Error("Mode.On is wrong")
	}
}

func TestInputSize(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b := write("a.ndjson", 100), write("b.json", 50)
	if got := InputSize([]string{a, b}); got != 150 {
		t.Errorf("two files = %d, want 150", got)
	}
	if got := InputSize([]string{dir}); got != 150 {
		t.Errorf("folder = %d, want 150", got)
	}
	if got := InputSize([]string{a, "-"}); got != 0 {
		t.Errorf("with stdin = %d, want 0 (unknown)", got)
	}
	if got := InputSize([]string{write("c.tar.gz", 10)}); got != 0 {
		t.Errorf("archive = %d, want 0 (unknown)", got)
	}
	if got := InputSize([]string{filepath.Join(dir, "missing")}); got != 0 {
		t.Errorf("missing = %d, want 0", got)
	}
}

func TestReadSize(t *testing.T) {
	for _, tt := range []struct {
		rec  input.Record
		want int64
	}{
		{input.Record{Origin: input.Origin{Path: "a.ndjson", Line: 3}, Raw: []byte(`{"a":1}`)}, 8}, // and its newline
		{input.Record{Origin: input.Origin{Path: "-", Line: 1}, Raw: []byte(`{}`)}, 3},
		{input.Record{Origin: input.Origin{Path: "a.json"}, Raw: []byte("{\n}\n")}, 4}, // the whole file
		{input.Record{Origin: input.Origin{Path: "a.tar", Member: "b.json"}, Raw: []byte("{}")}, 2},
	} {
		if got := ReadSize(tt.rec); got != tt.want {
			t.Errorf("ReadSize(%s) = %d, want %d", tt.rec.Origin.Name(), got, tt.want)
		}
	}
}
