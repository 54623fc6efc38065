package input

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// withSpillAt lowers the spill threshold for a test and points TMPDIR at a folder of
// its own, which it returns.
func withSpillAt(t *testing.T, n int) string {
	t.Helper()
	old := spillAt
	spillAt = n
	t.Cleanup(func() { spillAt = old })
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return tmp
}

// noTempLeft fails when a temporary file is left in tmp.
func noTempLeft(t *testing.T, tmp string) {
	t.Helper()
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("%d temporary files left behind, e.g. %s", len(left), left[0].Name())
	}
}

// piped feeds s through an io.Pipe in writes of n bytes: a source of unknown size.
func piped(s []byte, n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		for len(s) > 0 {
			k := min(n, len(s))
			if _, err := pw.Write(s[:k]); err != nil {
				return
			}
			s = s[k:]
		}
		pw.Close()
	}()
	return pr
}

// hugeLine is one document of at least size bytes on one line, with strings full of
// escapes and brackets, so that windows end anywhere inside them.
func hugeLine(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"accountId":1,"messages":[`)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `{"content":"a \"quoted\" }]{[ %s\"x","n":%d},`, strings.Repeat(`\\`, i%5), i)
	}
	b.WriteString(`{"content":"end \\"}]}`)
	return b.Bytes()
}

// A document of unknown size past the threshold goes on in a temporary file and is
// read back into one buffer of its size: the buffers held at once never reach one and
// a half times the document (a doubling buffer does), the document comes back whole,
// the next one keeps its place, and no temporary file is left.
func TestSpillKeepsMemoryNearTheDocument(t *testing.T) {
	size := 24 << 20
	if !testing.Short() {
		size = 96 << 20
		if v := os.Getenv("SMARTHOOK_HUGE_MB"); v != "" {
			fmt.Sscan(v, &size)
			size <<= 20
		}
	}
	tmp := withSpillAt(t, size/12)
	doc := hugeLine(size)
	in := append(bytes.Clone(doc), "\n{\"next\":1}\n"...)
	dir := t.TempDir()
	gz := filepath.Join(dir, "one.json.gz")
	ndgz := filepath.Join(dir, "lines.ndjson.gz")
	writeFiles(t, dir, map[string]string{"one.json.gz": gzipped(t, string(doc)), "lines.ndjson.gz": gzipped(t, string(in))})
	cases := []struct {
		name  string
		paths []string
		stdin io.Reader
		docs  int
	}{
		{"pipe", nil, piped(in, 64<<10), 2},
		{"pipe, pretty", nil, piped(bytes.ReplaceAll(in, []byte(`},{`), []byte("},\n  {")), 64<<10), 2},
		{".json.gz", []string{gz}, nil, 1},
		{".ndjson.gz", []string{ndgz}, nil, 2},
	}
	for _, c := range cases {
		peak := 0
		bufferHook = func(held int) { peak = max(peak, held) }
		var got [][]byte
		var next Origin
		err := Run(context.Background(), c.paths, Options{Stdin: c.stdin, MaxDocSize: NoLimit},
			func() func(*Batch) int { return func(*Batch) int { return 0 } },
			func(b *Batch, _ int) error {
				for _, r := range b.Records {
					if r.Err != nil {
						t.Errorf("%s: %s: %v", c.name, r.Origin, r.Err)
					}
					got = append(got, bytes.Clone(r.Raw))
					next = r.Origin
				}
				return nil
			})
		bufferHook = nil
		if err != nil || len(got) != c.docs {
			t.Fatalf("%s: error %v, %d documents; want %d", c.name, err, len(got), c.docs)
		}
		if !bytes.Equal(bytes.ReplaceAll(got[0], []byte("},\n  {"), []byte(`},{`)), doc) {
			t.Errorf("%s: the document came back with %d bytes, not the %d sent", c.name, len(got[0]), len(doc))
		}
		if c.docs == 2 && (string(got[1]) != `{"next":1}` || next.Line != 2 && c.name != "pipe, pretty") {
			t.Errorf("%s: next document %q at %s", c.name, got[1], next)
		}
		if limit := len(doc) + len(doc)/4; peak > limit || peak < len(doc) {
			t.Errorf("%s: buffers held %d bytes at once for a document of %d (want %d..%d)", c.name, peak, len(doc), len(doc), limit)
		}
	}
	noTempLeft(t, tmp)
}

// Around a document held in a temporary file, splitting finds what it finds in memory:
// documents of any shape, read in reads of any size, broken ones, ones the input ends
// inside, and ones past the size limit, all at their places.
func TestSpillSplitsAsInMemory(t *testing.T) {
	tmp := withSpillAt(t, 4<<10)
	big := string(hugeLine(20 << 10))
	input := strings.Join([]string{
		`{"a":1}`, big, "{\"pretty\": [\n  " + big + "\n]}", `{"b":2}`,
		`{"broken":` + big[:9000], `{"c":3}`, big[:12000],
	}, "\n")
	for _, chunk := range []int{0, 1 << 10, 4093} {
		for _, opts := range []Options{{MaxDocSize: NoLimit}, {MaxDocSize: 16 << 10}} {
			spilled, _, _ := records(t, nil, Options{Stdin: &chunked{input, chunk}, BlockSize: 256, MaxDocSize: opts.MaxDocSize})
			old := spillAt
			spillAt = 1 << 40 // the same input in memory only
			inMemory, _, _ := records(t, nil, Options{Stdin: &chunked{input, chunk}, BlockSize: 256, MaxDocSize: opts.MaxDocSize})
			spillAt = old
			if strings.Join(raws(spilled), "\n") != strings.Join(raws(inMemory), "\n") {
				t.Errorf("chunk %d, limit %d: spilled:\n%.2000s\nin memory:\n%.2000s", chunk, opts.MaxDocSize,
					strings.Join(raws(spilled), "\n"), strings.Join(raws(inMemory), "\n"))
			}
			if len(spilled) < 6 {
				t.Errorf("chunk %d, limit %d: only %d records", chunk, opts.MaxDocSize, len(spilled))
			}
		}
	}
	noTempLeft(t, tmp)
}

// A run cancelled while a document is held in a temporary file stops and leaves
// nothing behind.
func TestSpillCancelled(t *testing.T) {
	tmp := withSpillAt(t, 64<<10)
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		pw.Write([]byte(`{"a":"`))
		chunk := bytes.Repeat([]byte("x"), 32<<10)
		for i := 0; ; i++ {
			if i == 8 {
				cancel()
			}
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
	}()
	n := 0
	Run(ctx, nil, Options{Stdin: pr, MaxDocSize: NoLimit},
		func() func(*Batch) int { return func(*Batch) int { return 0 } },
		func(b *Batch, _ int) error { n += len(b.Records); return nil })
	pr.Close()
	if n != 0 {
		t.Errorf("%d records from a cancelled run inside its first document", n)
	}
	noTempLeft(t, tmp)
}
