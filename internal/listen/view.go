package listen

import (
	"net/http"
	"strconv"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// viewHeaders are the request headers the json view shows.
var viewHeaders = []string{"Content-Type", "Content-Length", "User-Agent", SignatureHeader, "X-Forwarded-For", "X-Request-Id"}

// view is the line Out shows for an accepted body, nil for none.
func (s *Server) view(rc *received) []byte {
	switch s.opts.View {
	case "json":
		return appendJSONView(make([]byte, 0, len(rc.body)+512), rc)
	case "summary":
		return s.appendSummary(make([]byte, 0, 128), rc)
	}
	return nil
}

// appendSummary writes "TIME KIND WHO [N messages] K findings".
func (s *Server) appendSummary(b []byte, rc *received) []byte {
	b = rc.at.In(s.opts.TZ).AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	b = append(b, ' ')
	b = append(b, rc.doc.Kind.String()...)
	b = append(b, ' ')
	b = append(b, label(rc.doc)...)
	switch rc.doc.Kind {
	case payload.KindHook:
		b = appendCount(append(b, ' '), len(rc.doc.Hook.Messages), " message")
	case payload.KindStats:
		b = appendCount(append(b, ' '), len(rc.doc.Stats.Domains), " domain")
	}
	if rc.elements > 0 {
		b = appendCount(append(b, " (array of "...), rc.elements, " document")
		b = append(b, ')')
	}
	b = appendCount(append(b, ' '), len(rc.findings), " finding")
	if n := countErrors(rc.findings); n > 0 {
		b = append(appendCount(append(b, " ("...), n, " error"), ')')
	}
	return append(b, '\n')
}

// appendCount writes "N noun(s)".
func appendCount(b []byte, n int, noun string) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, noun...)
	if n != 1 {
		b = append(b, 's')
	}
	return b
}

func countErrors(fs []rules.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == rules.Error {
			n++
		}
	}
	return n
}

// label names a document for people: account/chat for a hook, account and event for
// a webhook. Only digits and a cleaned event name come from the document.
func label(doc *payload.Doc) string {
	switch doc.Kind {
	case payload.KindHook:
		return digits(doc.Hook.AccountID) + "/" + digits(doc.Hook.Channel.ID)
	case payload.KindWebhook:
		return digits(doc.Webhook.AccountID) + " " + eventName(doc.Webhook.Event)
	case payload.KindStats:
		return "report"
	}
	return "-"
}

// eventName keeps letters, digits, dots and underscores of a webhook's event, at most
// 64 of them.
func eventName(v payload.Value) string {
	if v.Kind != jsontext.String || len(v.Raw) == 0 {
		return "unknown"
	}
	out := make([]byte, 0, min(len(v.Raw), 64))
	for _, c := range v.Raw {
		if len(out) == 64 {
			break
		}
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' {
			out = append(out, c)
		}
	}
	return string(out)
}

// appendJSONView writes one JSON object: receive time, sender, some headers, kind,
// stored file, findings, and the body itself (compacted to one line).
func appendJSONView(b []byte, rc *received) []byte {
	b = append(b, `{"received":`...)
	b = jsontext.AppendQuote(b, rc.at.UTC().Format(time.RFC3339Nano))
	b = append(b, `,"remote":`...)
	b = jsontext.AppendQuote(b, rc.remote)
	b = append(b, `,"headers":`...)
	b = appendHeaders(b, rc.header)
	b = append(b, `,"kind":`...)
	b = jsontext.AppendQuote(b, rc.doc.Kind.String())
	b = append(b, `,"file":`...)
	if rc.file != "" {
		b = jsontext.AppendQuote(b, rc.file)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"findings":[`...)
	for i, f := range rc.findings {
		if i > 0 {
			b = append(b, ',')
		}
		line, col := jsontext.LineCol(rc.body, f.Offset)
		b = append(rules.AppendJSON(append(b, '{'), f, line, col, ""), '}') // as validate --format json
	}
	b = append(b, `],"body":`...)
	raw := rc.doc.Raw // without a byte-order mark
	if rc.elements > 0 {
		raw = jsontext.TrimBOM(rc.body) // the whole array, not its first element
	}
	b = jsontext.AppendCompact(b, raw)
	return append(b, "}\n"...)
}

func appendHeaders(b []byte, h http.Header) []byte {
	b = append(b, '{')
	first := true
	for _, name := range viewHeaders {
		v, ok := h[name]
		if !ok || len(v) == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = jsontext.AppendQuote(b, name)
		b = append(b, ':')
		b = jsontext.AppendQuote(b, v[0])
	}
	return append(b, '}')
}
