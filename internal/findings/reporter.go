package findings

import (
	"errors"
	"io"
	"strconv"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/rules"
)

// Reporter tells the user about records a command skips (unreadable inputs and
// documents with errors), in the text format, and counts them so the command can end
// with the right exit code. Commands other than validate use it.
type Reporter struct {
	w          io.Writer
	color      bool
	line       []byte
	skipped    int // documents not processed because of errors
	unreadable int // paths that could not be opened
}

// NewReporter reports to w (stderr), coloured when color is set.
func NewReporter(w io.Writer, color bool) *Reporter {
	return &Reporter{w: w, color: color}
}

// Check decides whether a record can be used: it reports read errors and the error
// findings of a decoded document (warnings are left to validate) and returns false for
// a record the command must skip.
func (p *Reporter) Check(rec input.Record, fs []rules.Finding) bool {
	fs = Reading(rec, fs, false)
	if rec.Err != nil {
		var re *input.ReadError
		if errors.As(rec.Err, &re) && re.Unopened {
			p.unreadable++
		} else {
			p.skipped++
		}
		p.write(rec, rules.New(rules.Read, 0, "", "%s", ReadErrorText(rec.Err)))
		return false
	}
	bad := false
	for _, f := range fs {
		if f.Severity == rules.Error {
			p.write(rec, f)
			bad = true
		}
	}
	if bad {
		p.skipped++
	}
	return !bad
}

// CheckSyntax is Check for commands that take any JSON: only read and syntax errors
// make a record unusable.
func (p *Reporter) CheckSyntax(rec input.Record, fs []rules.Finding) bool {
	var syntax []rules.Finding
	for _, f := range fs {
		if f.Rule == rules.Syntax {
			syntax = append(syntax, f)
		}
	}
	return p.Check(rec, syntax)
}

func (p *Reporter) write(rec input.Record, f rules.Finding) {
	line, col := Position(rec, f)
	p.line = AppendText(p.line[:0], rec.Origin, line, col, f, p.color)
	p.w.Write(p.line)
}

// Err is the command's ending: exit 2 for unreadable paths, 1 for skipped documents.
func (p *Reporter) Err() error {
	switch {
	case p.unreadable > 0:
		return exit.ErrUnreadable
	case p.skipped > 0:
		return exit.ErrProblems
	}
	return nil
}

// Unreadable is how many paths could not be opened.
func (p *Reporter) Unreadable() int { return p.unreadable }

// Skipped is how many documents were skipped because of errors.
func (p *Reporter) Skipped() int { return p.skipped }

// SummaryLine says how many documents were skipped, for a command's closing words.
func (p *Reporter) SummaryLine() string {
	if p.skipped == 0 {
		return ""
	}
	return strconv.Itoa(p.skipped) + " document(s) skipped because of errors (see above; `smarthook validate` explains every problem)"
}

// ReadErrorText is a read error without the path that the origin already shows.
func ReadErrorText(err error) string {
	var re *input.ReadError
	if errors.As(err, &re) {
		return re.Err.Error()
	}
	return err.Error()
}
