package findings

import (
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/rules"
)

func TestReadingFindings(t *testing.T) {
	resume := input.Origin{Path: "-", Line: 4, Col: 1}
	fs := []rules.Finding{rules.New(rules.Syntax, 3, "/a", "unexpected end of input")}
	got := Reading(input.Record{Resume: &resume, Element: 3, Several: true}, fs, true)
	if len(got) != 2 || got[0].Rule != rules.SeveralDocs || got[0].Pointer != "/2" ||
		got[1].Pointer != "/2/a" || !strings.HasSuffix(got[1].Message, "reading resumed at -:4:1, the next line that begins a document") {
		t.Errorf("findings %+v", got)
	}
	if fs[0].Pointer != "/a" || fs[0].Message != "unexpected end of input" {
		t.Errorf("the findings given were changed: %+v", fs)
	}
	if got := Reading(input.Record{Several: true}, fs, false); len(got) != 1 {
		t.Errorf("several-documents outside validate: %+v", got)
	}
}
