package rules

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestCatalogIDsAreUniqueAndDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[ID]bool{}
	for _, r := range Catalog {
		if seen[r.ID] {
			t.Errorf("rule %q twice in the catalog", r.ID)
		}
		seen[r.ID] = true
		// The table of doc.go says where each rule is checked.
		if !strings.Contains(string(doc), "//\t"+string(r.ID)+" ") {
			t.Errorf("rule %q has no line in the table of doc.go", r.ID)
		}
	}
}

func TestSeverities(t *testing.T) {
	if SeverityOf(Syntax) != Error || SeverityOf(DuplicateChat) != Warning {
		t.Errorf("syntax %v, duplicate-chat %v", SeverityOf(Syntax), SeverityOf(DuplicateChat))
	}
	if SeverityOf("no-such-rule") != Error {
		t.Errorf("an unknown rule must count as an error")
	}
	if Error.String() != "error" || Warning.String() != "warning" {
		t.Errorf("severity words %q, %q", Error, Warning)
	}
	f := New(BOM, 3, "/a", "x %d", 1)
	if f.Severity != Warning || f.Offset != 3 || f.Pointer != "/a" || f.Message != "x 1" || f.Rule != BOM {
		t.Errorf("New = %+v", f)
	}
}

func TestErrors(t *testing.T) {
	if Errors([]Finding{New(BOM, 0, "", "w")}) != nil {
		t.Errorf("warnings only: want nil")
	}
	fs := []Finding{New(BOM, 0, "", "w"), New(Type, 1, "/x", "e"), New(TimeOrder, 2, "", "w")}
	got := Errors(fs)
	if len(got) != 1 || got[0].Rule != Type {
		t.Fatalf("Errors = %+v", got)
	}
	fs[1].Message = "changed"
	if got[0].Message != "e" {
		t.Errorf("Errors shares the caller's slice")
	}
}

func TestAppendJSON(t *testing.T) {
	f := New(Required, 7, "/channel/id", `missing "id"`)
	got := "{" + string(AppendJSON(nil, f, 2, 5, "hook")) + "}"
	want := `{"line":2,"column":5,"pointer":"/channel/id","severity":"error","rule":"required","kind":"hook","message":"missing \"id\""}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte("{"+string(AppendJSON(nil, f, 1, 1, ""))+"}"), &m); err != nil {
		t.Fatal(err)
	}
	if _, has := m["kind"]; has || m["rule"] != "required" {
		t.Errorf("without a kind: %v", m)
	}
}
