// Package findings prints validation findings, one line each, in the formats every
// command shares: text (origin:line:col: severity: message [rule] (pointer)), JSON (one
// object a line) and GitHub Actions annotations; and its Reporter tells the user about
// the records a command skips.
package findings

import (
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// Formats lists the formats of Writer, the values of validate --format.
var Formats = []string{"text", "json", "github"}

// AppendText appends origin:line:col: severity: message [rule] (pointer), coloured
// when color is set.
func AppendText(b []byte, o input.Origin, line, col int, f rules.Finding, color bool) []byte {
	b = append(b, o.TextName()...) // control characters escaped: a name cannot forge a line
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
		b = append(b, ShortPointer(f.Pointer)...)
		b = append(b, ')')
	}
	return append(b, '\n')
}

// ShortPointer keeps a pointer readable on one line: the JSON format has it whole.
func ShortPointer(p string) string {
	const head, tail = 100, 60
	if len(p) <= head+tail+20 {
		return p
	}
	return p[:head] + "…" + p[len(p)-tail:]
}

// AppendJSON appends one JSON object a line: the file and archive member, then the
// finding's members (rules.AppendJSON) with the document's kind.
func AppendJSON(b []byte, o input.Origin, line, col int, kind payload.Kind, f rules.Finding) []byte {
	b = append(b, `{"file":`...)
	b = jsontext.AppendQuote(b, o.Path)
	b = append(b, `,"member":`...)
	b = jsontext.AppendQuote(b, o.Member)
	b = append(b, ',')
	b = rules.AppendJSON(b, f, line, col, kind.String())
	return append(b, "}\n"...)
}

// AppendGitHub writes a GitHub Actions workflow command (an annotation).
func AppendGitHub(b []byte, o input.Origin, line, col int, f rules.Finding) []byte {
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
		msg += " (" + ShortPointer(f.Pointer) + ")"
	}
	b = append(b, escapeGitHubData(msg)...)
	return append(b, '\n')
}

var (
	gitHubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	gitHubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeGitHubData(s string) string     { return gitHubData.Replace(s) }
func escapeGitHubProperty(s string) string { return gitHubProperty.Replace(s) }

// KindLabel names the documents of a kind, in the plural, for summaries.
var KindLabel = map[payload.Kind]string{
	payload.KindHook:    "POST hooks",
	payload.KindWebhook: "REST webhooks",
	payload.KindStats:   "stats reports",
	payload.KindUnknown: "unknown or broken",
}
