package findings

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

func TestFormats(t *testing.T) {
	o := input.Origin{Path: "a.tar", Member: "x,y.json", Line: 1, Col: 1}
	f := rules.New(rules.RatingRange, 0, "/channel/rating", "rating is 9")
	if got, want := string(AppendText(nil, o, 3, 4, f, false)), "a.tar:x,y.json:3:4: warning: rating is 9 [rating-range] (/channel/rating)\n"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	if got := string(AppendText(nil, o, 3, 4, f, true)); !strings.Contains(got, "\x1b[1;33mwarning\x1b[0m") {
		t.Errorf("coloured text %q", got)
	}
	if got, want := string(AppendGitHub(nil, o, 3, 4, f)), "::warning file=a.tar,line=3,col=4,title=smarthook rating-range::x,y.json: rating is 9 (/channel/rating)\n"; got != want {
		t.Errorf("github %q, want %q", got, want)
	}
	want := `{"file":"a.tar","member":"x,y.json","line":3,"column":4,"pointer":"/channel/rating","severity":"warning","rule":"rating-range","kind":"hook","message":"rating is 9"}` + "\n"
	if got := string(AppendJSON(nil, o, 3, 4, payload.KindHook, f)); got != want {
		t.Errorf("json %q, want %q", got, want)
	}
	long := "/" + strings.Repeat("a/", 200)
	if s := ShortPointer(long); len(s) >= len(long) || !strings.Contains(s, "…") {
		t.Errorf("a long pointer is not shortened: %d bytes", len(s))
	}
	if _, err := NewWriter(&bytes.Buffer{}, "xml", false, false); err == nil {
		t.Error("NewWriter accepts xml")
	}
}

func TestWriterQuiet(t *testing.T) {
	var out bytes.Buffer
	rec := input.Record{Origin: input.Origin{Path: "a.json", Line: 1, Col: 1}, Raw: []byte(`{"a":1}`)}
	fs := []rules.Finding{rules.New(rules.Kind, 0, "", "not a payload")}
	for _, quiet := range []bool{false, true} {
		out.Reset()
		w, _ := NewWriter(&out, "text", false, quiet)
		if err := w.Write(rec, payload.KindUnknown, fs); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		if (out.Len() == 0) != quiet {
			t.Errorf("quiet %v: wrote %q", quiet, out.String())
		}
	}
}

func TestReporter(t *testing.T) {
	var errOut bytes.Buffer
	r := NewReporter(&errOut, false)
	good := input.Record{Origin: input.Origin{Path: "a.json", Line: 1, Col: 1}, Raw: []byte(`{}`)}
	if !r.Check(good, []rules.Finding{rules.New(rules.BOM, 0, "", "bom")}) || errOut.Len() != 0 || r.Err() != nil {
		t.Fatalf("a warning makes a record unusable: %q", errOut.String())
	}
	if r.Check(good, []rules.Finding{rules.New(rules.Type, 1, "/x", "bad")}) || r.Skipped() != 1 || r.Err() != exit.ErrProblems {
		t.Errorf("an error: skipped %d, err %v", r.Skipped(), r.Err())
	}
	if !strings.Contains(errOut.String(), "a.json:1:2: error: bad [type] (/x)") {
		t.Errorf("report %q", errOut.String())
	}
	if !r.CheckSyntax(good, []rules.Finding{rules.New(rules.Kind, 0, "", "not smartsupp")}) {
		t.Error("CheckSyntax refuses a document that is JSON")
	}
	missing := input.Record{Origin: input.Origin{Path: "gone.json"}, Err: &input.ReadError{Path: "gone.json", Err: fs.ErrNotExist, Unopened: true}}
	if r.Check(missing, nil) || r.Unreadable() != 1 || !errors.Is(r.Err(), exit.ErrUnreadable) {
		t.Errorf("unreadable: %d, %v", r.Unreadable(), r.Err())
	}
	if !strings.Contains(errOut.String(), "gone.json:0:0: error: file does not exist [read]") {
		t.Errorf("read error report %q", errOut.String())
	}
	if !strings.HasPrefix(r.SummaryLine(), "1 document(s) skipped") {
		t.Errorf("summary %q", r.SummaryLine())
	}
}
