package cli

import (
	"github.com/smarthook/smarthook/internal/findings"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/rules"
)

// problemReporter is findings.Reporter for the commands still run inside cli; the
// feature packages use findings.Reporter themselves. color and unreadable mirror the
// reporter's, for those commands' own messages and endings.
type problemReporter struct {
	*findings.Reporter
	color      bool
	unreadable int
}

func newProblemReporter(streams IO) *problemReporter {
	color := stderrColor(streams)
	return &problemReporter{Reporter: findings.NewReporter(streams.Err, color), color: color}
}

func (p *problemReporter) check(rec input.Record, fs []rules.Finding) bool {
	ok := p.Check(rec, fs)
	p.unreadable = p.Unreadable()
	return ok
}

func (p *problemReporter) err() error { return p.Err() }

// stderrColor reports whether diagnostics on stderr are coloured (--color does not
// reach them: a terminal, NO_COLOR and TERM decide).
func stderrColor(streams IO) bool {
	color, _ := colorEnabled("auto", streams.ErrTTY, streams.Getenv)
	return color
}

// needInput refuses to wait on a terminal for documents nobody is going to type: with
// no PATH and stdin a terminal, the user most likely forgot the PATH.
func needInput(streams IO, paths []string, command string) error {
	if len(paths) == 0 && streams.InTTY {
		return usageErrorf("no input: name files or folders, or pipe documents to stdin (see smarthook %s --help)", command)
	}
	return nil
}
