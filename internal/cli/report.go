package cli

import (
	"io"
	"strconv"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/rules"
)

// problemReporter tells the user on stderr about records a command skips (unreadable
// inputs and documents with errors), in validate's text format, and counts them so the
// command can end with the right exit code. Commands other than validate use it.
type problemReporter struct {
	w          io.Writer
	color      bool
	line       []byte
	skipped    int // documents not processed because of errors
	unreadable int // paths that could not be opened
}

func newProblemReporter(streams IO) *problemReporter {
	color, _ := colorEnabled("auto", streams.ErrTTY, streams.Getenv)
	return &problemReporter{w: streams.Err, color: color}
}

// check decides whether a record can be used: it reports read errors and the error
// findings of a decoded document (warnings are left to validate) and returns false for
// a record the command must skip.
func (p *problemReporter) check(rec input.Record, fs []rules.Finding) bool {
	fs = readingFindings(rec, fs, false)
	if rec.Err != nil {
		if re, ok := rec.Err.(*input.ReadError); ok && re.Unopened {
			p.unreadable++
		} else {
			p.skipped++
		}
		p.write(rec, rules.New(rules.Read, 0, "", "%s", readErrorText(rec.Err)))
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

// checkSyntax is check for commands that take any JSON: only read and syntax errors
// make a record unusable.
func (p *problemReporter) checkSyntax(rec input.Record, fs []rules.Finding) bool {
	var syntax []rules.Finding
	for _, f := range fs {
		if f.Rule == rules.Syntax {
			syntax = append(syntax, f)
		}
	}
	return p.check(rec, syntax)
}

func (p *problemReporter) write(rec input.Record, f rules.Finding) {
	line, col := rec.Origin.Line, rec.Origin.Col
	if rec.Raw != nil {
		line, col = rec.Origin.Position(rec.Raw, f.Offset)
	}
	p.line = appendFindingText(p.line[:0], rec.Origin, line, col, f, p.color)
	p.w.Write(p.line)
}

// err is the command's ending: exit 2 for unreadable paths, 1 for skipped documents.
func (p *problemReporter) err() error {
	switch {
	case p.unreadable > 0:
		return errUnreadable
	case p.skipped > 0:
		return errProblems
	}
	return nil
}

// summaryLine says how many documents were skipped, for a command's closing words.
func (p *problemReporter) summaryLine() string {
	if p.skipped == 0 {
		return ""
	}
	return strconv.Itoa(p.skipped) + " document(s) skipped because of errors (see above; `smarthook validate` explains every problem)"
}

// needInput refuses to wait on a terminal for documents nobody is going to type: with
// no PATH and stdin a terminal, the user most likely forgot the PATH.
func needInput(streams IO, paths []string, command string) error {
	if len(paths) == 0 && streams.InTTY {
		return usageErrorf("no input: name files or folders, or pipe documents to stdin (see smarthook %s --help)", command)
	}
	return nil
}
