package findings

import (
	"slices"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/rules"
)

// Reading adds to a document's findings what the reading knows of it: for an element
// of a top-level array, pointers start at the element (/N); for a broken document cut
// short, where reading resumed; with several (validate), the warning that a .json file
// holds several documents. fs is not changed: a new slice is returned when needed.
func Reading(rec input.Record, fs []rules.Finding, several bool) []rules.Finding {
	if rec.Element == 0 && rec.Resume == nil && !(several && rec.Several) {
		return fs
	}
	fs = slices.Clone(fs)
	if p := rec.Pointer(); p != "" {
		for i := range fs {
			fs[i].Pointer = p + fs[i].Pointer
		}
	}
	if rec.Resume != nil {
		for i := range fs {
			if fs[i].Rule == rules.Syntax || fs[i].Rule == rules.Read {
				fs[i].Message += "; reading resumed at " + rec.Resume.Text() + ", the next line that begins a document"
				break
			}
		}
	}
	if several && rec.Several {
		fs = append([]rules.Finding{rules.New(rules.SeveralDocs, 0, rec.Pointer(),
			"this .json file holds several documents (a second one starts here): each is read; one document a line is NDJSON, name the file .ndjson")}, fs...)
	}
	return fs
}
