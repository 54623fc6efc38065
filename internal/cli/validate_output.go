package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// findingWriter prints findings in one of validate's formats.
type findingWriter struct {
	out    *bufio.Writer
	format string
	color  bool
	quiet  bool
	line   []byte
}

func newFindingWriter(streams IO, format, color string, quiet bool) (*findingWriter, error) {
	switch format {
	case "text", "json", "github":
	default:
		return nil, usageErrorf("unknown --format %q: use text, json or github", format)
	}
	useColor, err := colorEnabled(color, streams.OutTTY, streams.Getenv)
	if err != nil {
		return nil, err
	}
	return &findingWriter{out: bufio.NewWriterSize(streams.Out, 64<<10), format: format, color: useColor, quiet: quiet}, nil
}

func (w *findingWriter) write(rec input.Record, kind payload.Kind, fs []rules.Finding) error {
	if w.quiet {
		return nil
	}
	for _, f := range fs {
		line, col := rec.Origin.Line, rec.Origin.Col
		if rec.Raw != nil {
			line, col = rec.Origin.Position(rec.Raw, f.Offset)
		}
		b := w.line[:0]
		switch w.format {
		case "json":
			b = appendFindingJSON(b, rec.Origin, line, col, kind, f)
		case "github":
			b = appendFindingGitHub(b, rec.Origin, line, col, f)
		default:
			b = appendFindingText(b, rec.Origin, line, col, f, w.color)
		}
		w.line = b
		if _, err := w.out.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (w *findingWriter) finish() error { return w.out.Flush() }

// appendFindingText: origin:line:col: severity: message [rule] (pointer)
func appendFindingText(b []byte, o input.Origin, line, col int, f rules.Finding, color bool) []byte {
	b = append(b, o.TextName()...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(col), 10)
	b = append(b, ": "...)
	sev := f.Severity.String()
	if color {
		code := "1;31"
		if f.Severity == rules.Warning {
			code = "1;33"
		}
		sev = "\x1b[" + code + "m" + sev + "\x1b[0m"
	}
	b = append(b, sev...)
	b = append(b, ": "...)
	b = append(b, f.Message...)
	b = append(b, " ["...)
	b = append(b, f.Rule...)
	b = append(b, ']')
	if f.Pointer != "" {
		b = append(b, " ("...)
		b = append(b, shortPointer(f.Pointer)...)
		b = append(b, ')')
	}
	return append(b, '\n')
}

// shortPointer keeps a pointer readable on one line: the JSON format has it whole.
func shortPointer(p string) string {
	const head, tail = 100, 60
	if len(p) <= head+tail+20 {
		return p
	}
	return p[:head] + "…" + p[len(p)-tail:]
}

func appendFindingJSON(b []byte, o input.Origin, line, col int, kind payload.Kind, f rules.Finding) []byte {
	b = append(b, `{"file":`...)
	b = jsontext.AppendQuote(b, o.Path)
	b = append(b, `,"member":`...)
	b = jsontext.AppendQuote(b, o.Member)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, `,"column":`...)
	b = strconv.AppendInt(b, int64(col), 10)
	b = append(b, `,"pointer":`...)
	b = jsontext.AppendQuote(b, f.Pointer)
	b = append(b, `,"severity":`...)
	b = jsontext.AppendQuote(b, f.Severity.String())
	b = append(b, `,"rule":`...)
	b = jsontext.AppendQuote(b, string(f.Rule))
	b = append(b, `,"kind":`...)
	b = jsontext.AppendQuote(b, kind.String())
	b = append(b, `,"message":`...)
	b = jsontext.AppendQuote(b, f.Message)
	return append(b, "}\n"...)
}

// appendFindingGitHub writes a GitHub Actions workflow command (an annotation).
func appendFindingGitHub(b []byte, o input.Origin, line, col int, f rules.Finding) []byte {
	b = append(b, "::"...)
	b = append(b, f.Severity.String()...)
	b = append(b, " file="...)
	b = append(b, escapeGitHubProperty(o.Path)...)
	b = append(b, ",line="...)
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, ",col="...)
	b = strconv.AppendInt(b, int64(col), 10)
	b = append(b, ",title="...)
	b = append(b, escapeGitHubProperty("smarthook "+string(f.Rule))...)
	b = append(b, "::"...)
	msg := f.Message
	if o.Member != "" {
		msg = o.Member + ": " + msg
	}
	if f.Pointer != "" {
		msg += " (" + shortPointer(f.Pointer) + ")"
	}
	b = append(b, escapeGitHubData(msg)...)
	return append(b, '\n')
}

func escapeGitHubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeGitHubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// summary counts what a validation run saw.
type summary struct {
	files, docs, unreadable int
	byKind                  [4]int
	errors, warnings        int
	badDocs                 int
}

func (s *summary) add(rec input.Record, fs []rules.Finding, kind payload.Kind) {
	if rec.Err != nil {
		var re *input.ReadError
		if errors.As(rec.Err, &re) && re.Unopened {
			s.unreadable++
		}
	} else {
		s.docs++
		s.byKind[kind]++
	}
	bad := false
	for _, f := range fs {
		if f.Severity == rules.Error {
			s.errors++
			bad = true
		} else {
			s.warnings++
		}
	}
	if bad && rec.Err == nil {
		s.badDocs++
	}
}

func (s *summary) print(w io.Writer, _ bool) {
	t := tablewriter.NewWriter(w)
	t.Header("checked", "count")
	rows := [][]string{
		{"files", strconv.Itoa(s.files)},
		{"documents", strconv.Itoa(s.docs)},
	}
	for _, k := range payload.Kinds {
		if n := s.byKind[k]; n > 0 || k == payload.KindHook {
			rows = append(rows, []string{kindLabel[k], strconv.Itoa(n)})
		}
	}
	rows = append(rows,
		[]string{"documents with errors", strconv.Itoa(s.badDocs)},
		[]string{"errors", strconv.Itoa(s.errors)},
		[]string{"warnings", strconv.Itoa(s.warnings)},
	)
	if s.unreadable > 0 {
		rows = append(rows, []string{"unreadable paths", strconv.Itoa(s.unreadable)})
	}
	if err := t.Bulk(rows); err == nil {
		_ = t.Render()
	} else {
		fmt.Fprintln(w, err)
	}
}

var kindLabel = map[payload.Kind]string{
	payload.KindHook:    "POST hooks",
	payload.KindWebhook: "REST webhooks",
	payload.KindStats:   "stats reports",
	payload.KindUnknown: "unknown or broken",
}
