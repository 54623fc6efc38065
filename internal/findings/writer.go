package findings

import (
	"bufio"
	"fmt"
	"io"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// Writer prints findings in one of Formats.
type Writer struct {
	out    *bufio.Writer
	format string
	color  bool
	quiet  bool
	line   []byte
}

// NewWriter prints to out in format (one of Formats), coloured (text only) when color
// is set, or nothing at all when quiet.
func NewWriter(out io.Writer, format string, color, quiet bool) (*Writer, error) {
	switch format {
	case "text", "json", "github":
	default:
		return nil, fmt.Errorf("unknown format %q: use text, json or github", format)
	}
	return &Writer{out: bufio.NewWriterSize(out, 64<<10), format: format, color: color, quiet: quiet}, nil
}

// Write prints the findings of rec, a document of kind.
func (w *Writer) Write(rec input.Record, kind payload.Kind, fs []rules.Finding) error {
	if w.quiet {
		return nil
	}
	for _, f := range fs {
		line, col := Position(rec, f)
		b := w.line[:0]
		switch w.format {
		case "json":
			b = AppendJSON(b, rec.Origin, line, col, kind, f)
		case "github":
			b = AppendGitHub(b, rec.Origin, line, col, f)
		default:
			b = AppendText(b, rec.Origin, line, col, f, w.color)
		}
		w.line = b
		if _, err := w.out.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes what is buffered.
func (w *Writer) Flush() error { return w.out.Flush() }

// Position is the line and column of finding f in rec (those of its origin when the
// record has no bytes).
func Position(rec input.Record, f rules.Finding) (line, col int) {
	if rec.Raw != nil {
		return rec.Origin.Position(rec.Raw, f.Offset)
	}
	return rec.Origin.Line, rec.Origin.Col
}
