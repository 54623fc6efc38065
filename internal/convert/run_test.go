package convert

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/input"
)

// TestRegistry checks that every registered format can be looked up by its name and
// writes one line per row, and that --to values come from the registry.
func TestRegistry(t *testing.T) {
	if got := strings.Join(FormatNames(), ","); got != "csv,tsv,ndjson,parquet,sqlite" {
		t.Errorf("FormatNames = %s", got)
	}
	rk, _ := LookupRowKind("chats")
	cols, _ := rk.Select([]string{"accountId", "channel.id"}, false, nil)
	for _, of := range Formats {
		f, err := LookupFormat(of.Name)
		if err != nil || f != of || of.Summary == "" {
			t.Errorf("%s: lookup %v, summary %q", of.Name, err, of.Summary)
		}
		ff := Format{To: of.Name, Time: "ms"}
		if err := ff.Check(); err != nil {
			t.Fatalf("%s: %v", of.Name, err)
		}
		if (of.New == nil) == (of.Open == nil) {
			t.Errorf("%s: a format is either text (New) or typed (Open)", of.Name)
		}
		if of.New == nil {
			continue
		}
		enc := NewEncoder(cols, ff)
		if got := enc.AppendClose(nil); len(got) != 0 {
			t.Errorf("%s: a line format writes %q at the end", of.Name, got)
		}
	}
	if _, err := LookupFormat("xlsx"); err == nil || !strings.Contains(err.Error(), "use csv, tsv, ndjson") {
		t.Errorf("unknown format: %v", err)
	}
}

func convertRun(t *testing.T, opts Options, stdin string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	opts.Input = input.Options{Stdin: strings.NewReader(stdin)}
	opts.Output, opts.Err = Writer(&out), &errOut
	if opts.Rows == "" {
		opts.Rows = "chats"
	}
	if opts.Format.Time == "" {
		opts.Format.Time = "ms"
	}
	err := Run(context.Background(), opts)
	return out.String(), errOut.String(), err
}

func TestRun(t *testing.T) {
	hook := `{"accountId":1,"beginAt":1767225600000,"endAt":1767225660000,"channel":{"id":5},"visitor":{"variables":{"plan":{"label":"Plan","value":"pro"}}},"messages":[]}`
	out, _, err := convertRun(t, Options{Format: Format{To: "csv"}, Columns: []string{"accountId", "channel.id"}, BOM: true}, hook+"\n")
	if err != nil || out != "\uFEFFaccountId,channel.id\n1,5\n" {
		t.Errorf("csv with BOM: %v %q", err, out)
	}
	out, _, _ = convertRun(t, Options{Format: Format{To: "tsv"}, Columns: []string{"accountId"}, NoHeader: true}, hook+"\n")
	if out != "1\n" {
		t.Errorf("tsv without header %q", out)
	}
	out, _, _ = convertRun(t, Options{Format: Format{To: "csv"}, AllColumns: true}, hook+"\n")
	if first := strings.SplitN(out, "\n", 2)[0]; !strings.HasSuffix(first, ",visitor.variables.plan.value") {
		t.Errorf("--all-columns header %q", first)
	}
	out, errOut, err := convertRun(t, Options{Format: Format{To: "ndjson"}}, hook+"\n{\"accountId\":\n")
	if out != hook+"\n" || err != exit.ErrProblems || !strings.Contains(errOut, "1 document(s) skipped") {
		t.Errorf("whole documents and a broken one: %v %q %q", err, out, errOut)
	}
	for _, opts := range []Options{
		{Format: Format{To: "csv"}, Rows: "conversations"},
		{Format: Format{To: "csv"}, Columns: []string{"nope"}},
		{Format: Format{To: "csv", Delimiter: '"'}},
	} {
		_, _, err := convertRun(t, opts, hook)
		var ee *exit.Error
		if !errors.As(err, &ee) || ee.Code != exit.Usage {
			t.Errorf("%+v: %v, want a usage error", opts, err)
		}
	}
}
