package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	m := Start(&buf, "convert", 0)
	m.Add(1, 10)
	m.Stop()
	m.Stop() // twice is fine
	if !strings.HasSuffix(buf.String(), "\r\x1b[K") {
		t.Errorf("output %q does not end by clearing the line", buf.String())
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
	m := Start(&buf, "convert", 0)
	defer m.Stop()
	if _, err := m.Writer(&buf).Write([]byte("a.json: error\n")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\r\x1b[Ka.json: error\n") {
		t.Errorf("output %q: the problem is not written on a cleared line", buf.String())
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
