package input

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// records runs paths through Run and returns copies of every record, with Run's error
// and what it wrote to Notices.
func records(t *testing.T, paths []string, opts Options) ([]Record, string, error) {
	t.Helper()
	var out []Record
	var notes bytes.Buffer
	opts.Notices = &notes
	err := Run(context.Background(), paths, opts,
		func() func(*Batch) int { return func(b *Batch) int { return 0 } },
		func(b *Batch, _ int) error {
			for _, r := range b.Records {
				r.Raw = bytes.Clone(r.Raw)
				out = append(out, r)
			}
			return nil
		})
	return out, notes.String(), err
}

// raws lists the documents (and "ERR: ..." for errors) for comparing.
func raws(recs []Record) []string {
	var s []string
	for _, r := range recs {
		if r.Err != nil {
			s = append(s, "ERR "+r.Origin.String()+" "+r.Err.Error())
		} else {
			s = append(s, r.Origin.String()+" "+string(r.Raw))
		}
	}
	return s
}

func wantRaws(t *testing.T, recs []Record, want ...string) {
	t.Helper()
	got := raws(recs)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Concatenated documents are split one by one, whatever the first one looks like.
func TestSplitCompactThenPretty(t *testing.T) {
	compact := `{"a":1}` + "\n"
	pretty := "{\n  \"b\": [\n    1\n  ]\n}\n"
	for _, chunk := range []int{0, 1, 5} {
		recs, _, _ := records(t, nil, Options{Stdin: &chunked{compact + pretty, chunk}})
		wantRaws(t, recs, `-:1:1 {"a":1}`, "-:2:1 "+strings.TrimSpace(pretty))
		recs, _, _ = records(t, nil, Options{Stdin: &chunked{pretty + compact, chunk}})
		wantRaws(t, recs, "-:1:1 "+strings.TrimSpace(pretty), `-:6:1 {"a":1}`)
	}
	// Several documents on one line, with and without space.
	recs, _, _ := records(t, nil, Options{Stdin: strings.NewReader(`{"a":1}{"b":2} [3]` + "\n")})
	wantRaws(t, recs, `-:1:1 {"a":1}`, `-:1:8 {"b":2}`, `-:1:16 [3]`)
}

// A broken document ends at the next line that begins a document; the record says where.
func TestSplitRecoversAfterBrokenDocument(t *testing.T) {
	in := "{\"a\":\n{\"b\":1}\n{\"c\":2}\n{\"d\":3}\n"
	for _, chunk := range []int{0, 1, 3} {
		recs, _, _ := records(t, nil, Options{Stdin: &chunked{in, chunk}})
		wantRaws(t, recs, `-:1:1 {"a":`, `-:2:1 {"b":1}`, `-:3:1 {"c":2}`, `-:4:1 {"d":3}`)
		if len(recs) > 0 && (recs[0].Resume == nil || recs[0].Resume.String() != "-:2:1") {
			t.Errorf("chunk %d: resume %v, want -:2:1", chunk, recs[0].Resume)
		}
		for _, r := range recs[1:] {
			if r.Resume != nil {
				t.Errorf("%s: resume set on a whole document", r.Origin)
			}
		}
	}
}

// A .json file holding several documents is read whole, the second one marked.
func TestSplitJSONWithSeveralDocuments(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	os.WriteFile(small, []byte("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n"), 0o644)
	big := filepath.Join(dir, "big.json")
	pad := strings.Repeat("x", 200)
	os.WriteFile(big, []byte(`{"p":"`+pad+`"}`+"\n"+`{"q":"`+pad+`"}`+"\n"), 0o644)
	for _, p := range []string{small, big} {
		recs, notes, _ := records(t, []string{p}, Options{BlockSize: 64})
		if len(recs) < 2 || recs[0].Several || !recs[1].Several || (len(recs) > 2 && recs[2].Several) {
			t.Errorf("%s: records %q: want the second one marked Several", p, raws(recs))
		}
		if strings.Count(notes, "several documents") != 1 {
			t.Errorf("%s: notes %q, want one about several documents", p, notes)
		}
	}
}

// Top-level arrays: element by element when asked, one document otherwise.
func TestSplitArrays(t *testing.T) {
	in := "[\n  {\"a\": 1},\n  {\"b\": [2]} , 3\n]\n{\"after\":1}\n"
	recs, notes, _ := records(t, nil, Options{Stdin: strings.NewReader(in), SplitArrays: true})
	wantRaws(t, recs, `-:2:3 {"a": 1}`, `-:3:3 {"b": [2]}`, `-:3:16 3`, `-:5:1 {"after":1}`)
	for i, want := range []string{"/0", "/1", "/2", ""} {
		if i < len(recs) && recs[i].Pointer() != want {
			t.Errorf("record %d: pointer %q, want %q", i, recs[i].Pointer(), want)
		}
	}
	if !strings.Contains(notes, "smarthook: -: a top-level array: each element is read as a document") {
		t.Errorf("notes %q", notes)
	}
	recs, notes, _ = records(t, nil, Options{Stdin: strings.NewReader(in)})
	wantRaws(t, recs, "-:1:1 "+in[:strings.LastIndex(in, "]")+1], `-:5:1 {"after":1}`)
	if !strings.Contains(notes, "read as one document (--split-arrays") {
		t.Errorf("notes %q", notes)
	}
	for name, bad := range map[string]string{
		"trailing comma": "[{\"a\":1},]\n", "unclosed": "[{\"a\":1},\n", "no comma": "[{\"a\":1} {\"b\":2}]\n",
	} {
		recs, _, _ := records(t, nil, Options{Stdin: strings.NewReader(bad), SplitArrays: true})
		if len(recs) == 0 || recs[0].Err != nil || recs[len(recs)-1].Err == nil {
			t.Errorf("%s: records %q: want the element, then an error", name, raws(recs))
		}
	}
	recs, _, _ = records(t, nil, Options{Stdin: strings.NewReader("[]\n"), SplitArrays: true})
	if len(recs) != 0 {
		t.Errorf("empty array: records %q", raws(recs))
	}
}

// --max-doc-size refuses a larger document with a clear error and goes on.
func TestMaxDocSize(t *testing.T) {
	big := `{"big":"` + strings.Repeat("x", 5000) + `"}`
	in := `{"a":1}` + "\n" + big + "\n" + `{"b":2}` + "\n"
	for _, chunk := range []int{0, 7} {
		recs, _, _ := records(t, nil, Options{Stdin: &chunked{in, chunk}, MaxDocSize: 1024, BlockSize: 256})
		if len(recs) != 3 || recs[1].Err == nil || string(recs[2].Raw) != `{"b":2}` {
			t.Fatalf("chunk %d: records %q", chunk, raws(recs))
		}
		if msg := recs[1].Err.Error(); !strings.Contains(msg, "1 KiB") || !strings.Contains(msg, "--max-doc-size") || recs[1].Origin.Line != 2 {
			t.Errorf("error %q at %s", msg, recs[1].Origin)
		}
	}
	// NDJSON: the next line is read.
	dir := t.TempDir()
	nd := filepath.Join(dir, "a.ndjson")
	os.WriteFile(nd, []byte(in), 0o644)
	recs, _, _ := records(t, []string{nd}, Options{MaxDocSize: 1024, BlockSize: 256})
	if len(recs) != 3 || recs[1].Err == nil || string(recs[2].Raw) != `{"b":2}` {
		t.Errorf("ndjson: records %q", raws(recs))
	}
	// A .json smaller than a batch, as workers load whole, is refused too, and the
	// files after it are read.
	js, ok := filepath.Join(dir, "big.json"), filepath.Join(dir, "ok.json")
	os.WriteFile(js, []byte(big), 0o644)
	os.WriteFile(ok, []byte(`{"ok":1}`), 0o644)
	// Named, or found in a folder (queued without a look at its size).
	for _, paths := range [][]string{{js, ok}, {dir}} {
		recs, _, _ = records(t, paths, Options{MaxDocSize: 1024})
		var refused, read bool
		for _, r := range recs {
			refused = refused || (r.Origin.Path == js && r.Err != nil && strings.Contains(r.Err.Error(), "--max-doc-size"))
			read = read || (r.Origin.Path == ok && string(r.Raw) == `{"ok":1}`)
		}
		if !refused || !read {
			t.Errorf("json %q: records %q", paths, raws(recs))
		}
	}
	// Without a limit, the document is read.
	recs, _, _ = records(t, nil, Options{Stdin: strings.NewReader(in), MaxDocSize: NoLimit, BlockSize: 256})
	if len(recs) != 3 || recs[1].Err != nil {
		t.Errorf("no limit: records %q", raws(recs))
	}
}

// A decompression bomb ends with the size error, having buffered no more than the limit.
func TestDecompressionBomb(t *testing.T) {
	dir := t.TempDir()
	zeros := strings.Repeat("\x00", 8<<20)
	writeFiles(t, dir, map[string]string{
		"bomb.json.gz":   gzipped(t, zeros),
		"bomb.ndjson.gz": gzipped(t, `{"a":1}`+"\n"+zeros),
		"bomb.tgz":       gzipped(t, tarball(t, []member{{"x.json", zeros}, {"y.json", `{"y":1}`}})),
		"ok.json":        `{"ok":1}`,
	})
	for _, name := range []string{"bomb.json.gz", "bomb.ndjson.gz", "bomb.tgz"} {
		recs, _, _ := records(t, []string{filepath.Join(dir, name), filepath.Join(dir, "ok.json")}, Options{MaxDocSize: 1 << 20})
		var sizeErr bool
		for _, r := range recs {
			sizeErr = sizeErr || (r.Err != nil && strings.Contains(r.Err.Error(), "larger than the size limit of 1 MiB"))
		}
		if !sizeErr || string(recs[len(recs)-1].Raw) != `{"ok":1}` {
			t.Errorf("%s: records %q: want the size error, then ok.json", name, raws(recs))
		}
	}
	// The total a member expands to is limited too.
	recs, _, _ := records(t, []string{filepath.Join(dir, "bomb.ndjson.gz")}, Options{MaxMemberSize: 1 << 20, MaxDocSize: NoLimit})
	if last := recs[len(recs)-1]; last.Err == nil || !strings.Contains(last.Err.Error(), "--max-member-size") {
		t.Errorf("member limit: records %q", raws(recs))
	}
}

// Origins the tool prints are inputs: an archive member, a line of NDJSON.
func TestOriginsAsInputs(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.tgz":         gzipped(t, tarball(t, []member{{"2026/01/05/x.json", `{"x":1}`}, {"2026/01/05/y.json", `{"y":1}`}})),
		"c.ndjson":      "{\"l\":1}\n{\"l\":2}\n{\"l\":3}\n",
		"odd:name.json": `{"odd":1}`,
	})
	t.Chdir(dir)
	recs, _, _ := records(t, []string{"a.tgz:2026/01/05/y.json", "c.ndjson:2", "c.ndjson:3:1", "odd:name.json"}, Options{})
	wantRaws(t, recs, `a.tgz:2026/01/05/y.json:1:1 {"y":1}`, `c.ndjson:2:1 {"l":2}`, `c.ndjson:3:1 {"l":3}`, `odd:name.json:1:1 {"odd":1}`)
	recs, _, _ = records(t, []string{"a.tgz:nope.json", "c.ndjson:9"}, Options{})
	if len(recs) != 2 || recs[0].Err == nil || recs[1].Err == nil {
		t.Errorf("selections of nothing: records %q", raws(recs))
	}
}

// ** in a glob matches any number of folders, none included.
func TestGlobStar(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"h/a.json": "1", "h/x/b.json": "2", "h/x/y/c.json": "3", "h/x/d.txt": "4"})
	t.Chdir(dir)
	recs, _, _ := records(t, []string{"h/**/*.json"}, Options{})
	wantRaws(t, recs, "h/a.json:1:1 1", "h/x/b.json:1:1 2", "h/x/y/c.json:1:1 3")
}

// Archives inside archives are read to a depth of 2; deeper ones are reported.
func TestNestedArchives(t *testing.T) {
	dir := t.TempDir()
	inner := tarball(t, []member{{"in.json", `{"in":1}`}})
	zipInner := zipfile(t, []member{{"z.json", `{"z":1}`}})
	deep := tarball(t, []member{{"deeper.tar", inner}})
	writeFiles(t, dir, map[string]string{
		"outer.tgz": gzipped(t, tarball(t, []member{{"inner.tar", inner}, {"inner.zip", zipInner}, {"deep.tar", deep}})),
	})
	recs, _, _ := records(t, []string{filepath.Join(dir, "outer.tgz")}, Options{})
	got := raws(recs)
	if len(got) != 3 || !strings.HasSuffix(got[0], `outer.tgz:inner.tar:in.json:1:1 {"in":1}`) ||
		!strings.HasSuffix(got[1], `outer.tgz:inner.zip:z.json:1:1 {"z":1}`) ||
		!strings.Contains(got[2], "deeper than 2 levels: skipped") {
		t.Errorf("records:\n%s", strings.Join(got, "\n"))
	}
}

// Run says when nothing was read, and with FailEmpty returns ErrNoDocuments.
func TestNoDocuments(t *testing.T) {
	recs, notes, err := records(t, nil, Options{Stdin: strings.NewReader(" \n"), FailEmpty: true, Command: "validate"})
	if len(recs) != 0 || !errors.Is(err, ErrNoDocuments) || !strings.Contains(notes, "smarthook validate: no document was read") {
		t.Errorf("records %q, error %v, notes %q", raws(recs), err, notes)
	}
	_, _, err = records(t, nil, Options{Stdin: strings.NewReader("")})
	if err != nil {
		t.Errorf("without FailEmpty: error %v", err)
	}
	_, notes, err = records(t, nil, Options{Stdin: strings.NewReader("{}"), FailEmpty: true})
	if err != nil || notes != "" {
		t.Errorf("one document: error %v, notes %q", err, notes)
	}
}

func TestEscapeName(t *testing.T) {
	for in, want := range map[string]string{
		"plain/dir/a.json":        "plain/dir/a.json",
		"Dušan ☺.json":            "Dušan ☺.json",
		"a\nb.json":               `a\nb.json`,
		"\x1b[31mred.json":        `\x1b[31mred.json`,
		"tab\there\r.json":        `tab\there\r.json`,
		"back\\slash.json":        `back\\slash.json`,
		"line\u2028sep.json":      `line\u2028sep.json`,
		"bad\xffbyte.json":        `bad\xffbyte.json`,
		"nul\x00.json":            `nul\x00.json`,
		"bidi\u202eevil.json":     `bidi\u202eevil.json`,
		"del\x7f.json":            `del\x7f.json`,
		"x.json:1:1: error: fake": "x.json:1:1: error: fake",
	} {
		if got := EscapeName(in); got != want {
			t.Errorf("EscapeName(%q) = %q, want %q", in, got, want)
		}
	}
	o := Origin{Path: "a\nb.tgz", Member: "m\x1b.json", Line: 2, Col: 3}
	if got := o.Text(); got != `a\nb.tgz:m\x1b.json:2:3` {
		t.Errorf("Text() = %q", got)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"512MiB": 512 << 20, "512 MiB": 512 << 20, "10MB": 10e6, "1G": 1 << 30, "4096": 4096, "0": 0,
		"1.5KiB": 1536, "2kb": 2000, "7B": 7,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x", "-1", "12XB", "1e30GiB", "NaN"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q): no error", bad)
		}
	}
	for n, want := range map[int64]string{512 << 20: "512 MiB", 1 << 30: "1 GiB", 1536: "3 KiB" + "", 1000: "1000 bytes"} {
		if n == 1536 {
			want = "1536 bytes"
		}
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// A batch of heavy documents is worked on and emitted in parts, in order.
func TestBoundOutputParts(t *testing.T) {
	deep := strings.Repeat("[", 200) + strings.Repeat("]", 200)
	var in strings.Builder
	for range 50 {
		in.WriteString(deep + "\n")
	}
	var sizes []int
	total := 0
	err := Run(context.Background(), nil, Options{Stdin: strings.NewReader(in.String()), BoundOutput: true, BlockSize: 16 << 10},
		func() func(*Batch) int { return func(b *Batch) int { return len(b.Records) } },
		func(b *Batch, n int) error {
			if n != len(b.Records) {
				t.Errorf("work saw %d records, emit %d", n, len(b.Records))
			}
			sizes = append(sizes, n)
			total += n
			return nil
		})
	if err != nil || total != 50 || len(sizes) < 3 {
		t.Errorf("error %v, %d records in parts %v: want 50 in several parts", err, total, sizes)
	}
	if w := weight([]byte(`[[[]]]`)); w != 6 { // 3 openers: 6 bytes × (1 + 3/4 rounded down)
		t.Errorf("weight = %d", w)
	}
}

// A FIFO named x.json is read to its end, not cut at its first write.
func TestFIFOReadToTheEnd(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.json")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		fmt.Fprint(f, `{"a": [1, 2,`)
		f.Sync()
		for i := range 100 {
			fmt.Fprintf(f, " %d,", i)
		}
		fmt.Fprint(f, " 3]}\n")
	}()
	recs, _, _ := records(t, []string{fifo}, Options{})
	if len(recs) != 1 || recs[0].Err != nil || !strings.HasSuffix(string(recs[0].Raw), "3]}") {
		t.Errorf("records %q", raws(recs))
	}
}

// hugeSize is the size of the generated documents of the huge-input tests: 64 MiB, or
// what SMARTHOOK_HUGE_MB says (e.g. 1024 for the 1 GB case of the issue). The tests do
// not run with -short.
func hugeSize(t *testing.T) int {
	if testing.Short() {
		t.Skip("huge input: not with -short")
	}
	mb := 64
	if v := os.Getenv("SMARTHOOK_HUGE_MB"); v != "" {
		fmt.Sscan(v, &mb)
	}
	return mb << 20
}

// One huge document, on one line or pretty, is read with a linear number of bytes
// copied (growing the buffer, carrying the partial document once), not one copy of
// the partial document per read as before.
func TestHugeDocumentIsReadInLinearCopies(t *testing.T) {
	size := hugeSize(t)
	var line bytes.Buffer
	line.WriteString(`{"accountId":1,"messages":[`)
	msg := `{"type":"visitor","content":"hello, a message of some length","sentAt":1427470439703}`
	for line.Len() < size {
		line.WriteString(msg + ",")
	}
	line.WriteString(msg + "]}\n")
	doc := line.Bytes()
	pretty := bytes.ReplaceAll(doc, []byte(`},{`), []byte("},\n  {"))
	for name, in := range map[string][]byte{"line": doc, "pretty": pretty} {
		var copied atomic.Int64
		copiedBytes = &copied
		var n, docLen int
		err := Run(context.Background(), nil, Options{Stdin: &chunked{string(in), 1 << 16}},
			func() func(*Batch) int { return func(*Batch) int { return 0 } },
			func(b *Batch, _ int) error {
				for _, r := range b.Records {
					n++
					docLen = len(r.Raw)
				}
				return nil
			})
		copiedBytes = nil
		if err != nil || n != 1 || docLen != len(bytes.TrimSpace(in)) {
			t.Fatalf("%s: error %v, %d records, last of %d bytes; want 1 of %d", name, err, n, docLen, len(in))
		}
		if c := copied.Load(); c > 3*int64(len(in)) {
			t.Errorf("%s: %d bytes copied to read %d: not linear", name, c, len(in))
		}
	}
}

// A Unix socket named as an input is read to its end.
func TestSocketReadToTheEnd(t *testing.T) {
	dir, err := os.MkdirTemp("", "sock")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "s.json")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Skipf("no Unix sockets here: %v", err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		fmt.Fprint(c, `{"a":`)
		fmt.Fprint(c, "1}\n{\"b\":2}\n")
	}()
	recs, _, _ := records(t, []string{path}, Options{})
	if len(recs) != 2 || string(recs[0].Raw) != `{"a":1}` || string(recs[1].Raw) != `{"b":2}` {
		t.Errorf("records %q", raws(recs))
	}
}

// A finding's place given back reads the document it is in.
func TestSelectionReadsTheDocumentAtAPlace(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"p.json":   "{\n  \"a\": 1,\n  \"b\": [1, 2]\n}\n",
		"s.ndjson": "{\"x\":1} {\"y\":2}\n{\"z\":3}\n",
	})
	t.Chdir(dir)
	recs, _, _ := records(t, []string{"p.json:3:9", "s.ndjson:1:10", "s.ndjson:1", "s.ndjson:2:3"}, Options{})
	wantRaws(t, recs, "p.json:1:1 {\n  \"a\": 1,\n  \"b\": [1, 2]\n}", `s.ndjson:1:1 {"x":1} {"y":2}`, `s.ndjson:1:1 {"x":1} {"y":2}`, `s.ndjson:2:1 {"z":3}`)
	recs, _, _ = records(t, []string{"p.json:9:1"}, Options{})
	if len(recs) != 1 || recs[0].Err == nil || !strings.Contains(recs[0].Err.Error(), "no document at line 9") {
		t.Errorf("records %q", raws(recs))
	}
}

// Any mix of documents, compact or pretty, with any spacing, read in reads of any size,
// comes back as those documents at their places.
func TestSplitAnyMix(t *testing.T) {
	docs := []string{
		`{"a":1}`, "{\n  \"b\": [\n    1,\n    {\"c\": \"}]{[\\\"\"}\n  ]\n}", `[1,2,[3]]`, `"str{"`, `12.5e3`, `true`,
		"[\n{\"x\":1},\n{\"y\":2}\n]", `{"ž":"\u00e9·"}`, `null`, "{}", "[]",
	}
	seps := []string{"\n", " ", "", "\n\n", "\t", "\r\n"}
	seed := uint32(7)
	next := func(n int) int { seed = seed*1664525 + 1013904223; return int(seed>>8) % n }
	for round := range 200 {
		var in strings.Builder
		var want []string
		for i := 0; i < 1+next(8); i++ {
			d := docs[next(len(docs))]
			if in.Len() > 0 {
				sep := seps[next(len(seps))]
				prev := want[len(want)-1]
				// Two scalars need white space between them to be two.
				if sep == "" && !strings.HasSuffix(prev, "}") && !strings.HasSuffix(prev, "]") && !strings.HasSuffix(prev, `"`) {
					sep = " "
				}
				in.WriteString(sep)
			}
			in.WriteString(d)
			want = append(want, d)
		}
		in.WriteString("\n")
		text := in.String()
		recs, _, _ := records(t, nil, Options{Stdin: &chunked{text, 1 + next(20)}, BlockSize: 64})
		var got []string
		for _, r := range recs {
			if r.Err != nil || r.Resume != nil {
				t.Fatalf("round %d: %q: record %s: error %v, resume %v", round, text, r.Origin, r.Err, r.Resume)
			}
			if !strings.HasPrefix(text[r.Origin.Offset:], string(r.Raw)) {
				t.Fatalf("round %d: %q: record %s is not the input at its offset", round, text, r.Origin)
			}
			got = append(got, string(r.Raw))
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("round %d: %q:\ngot  %q\nwant %q", round, text, got, want)
		}
	}
}

// Broken documents, each on lines of its own, never swallow the documents after them.
func TestSplitBrokenNeverSwallows(t *testing.T) {
	broken := []string{`{"a":`, "{\n  \"a\": [1,\n", `{"a": "open`, `[1, 2`, `{"a":1,}`, `{"a" 1}`, `x`, `{"a":{"b":`}
	good := []string{`{"ok":1}`, "{\n  \"ok\": 2\n}", `[3]`}
	seed := uint32(11)
	next := func(n int) int { seed = seed*1664525 + 1013904223; return int(seed>>8) % n }
	for round := range 200 {
		var in strings.Builder
		var want []string
		for i := 0; i < 2+next(6); i++ {
			if next(2) == 0 {
				in.WriteString(broken[next(len(broken))] + "\n")
			}
			d := good[next(len(good))]
			in.WriteString(d + "\n")
			want = append(want, d)
		}
		text := in.String()
		recs, _, _ := records(t, nil, Options{Stdin: &chunked{text, 1 + next(20)}, BlockSize: 64})
		var got []string
		for _, r := range recs {
			for _, w := range good {
				if string(r.Raw) == w {
					got = append(got, w)
				}
			}
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("round %d: %q:\ngot  %q\nwant %q\nrecords %q", round, text, got, want, raws(recs))
		}
	}
}
