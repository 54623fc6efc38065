package inspect

import (
	"encoding/json"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"net/http"
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/listen"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/render"
)

// Page sizes of the list.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// Finding is one finding of a hook, with where it points.
type Finding struct {
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Pointer  string `json:"pointer"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Message  string `json:"message"`
}

// Detail is everything the page shows of one hook.
type Detail struct {
	Row           *Row                    `json:"row"`
	Origin        string                  `json:"origin"` // the file, or FILE:LINE of the NDJSON; "memory" when not stored
	Transcript    string                  `json:"transcript"`
	Tree          *node                   `json:"tree,omitempty"`
	TreeError     string                  `json:"tree_error,omitempty"`
	Findings      []Finding               `json:"findings"`
	Meta          *hookmeta.Meta          `json:"meta,omitempty"`
	Forward       []listen.ForwardAttempt `json:"forward"`
	ForwardTarget string                  `json:"forward_target,omitempty"`
	Curl          string                  `json:"curl"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// serveList answers one page of the list: ?before=ID&limit=N&q=&kind=&event=&account=&findings=1.
func (in *Inspector) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := int(atoi64(q.Get("limit")))
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	f := Filter{
		Text: q.Get("q"), Kind: q.Get("kind"), Event: q.Get("event"), Account: q.Get("account"),
		Findings: q.Get("findings") == "1" || q.Get("findings") == "true",
	}
	writeJSON(w, http.StatusOK, in.page(f, atoi64(q.Get("before")), limit))
}

// entryOf finds the hook named by the path's {id}, or answers 404.
func (in *Inspector) entryOf(w http.ResponseWriter, r *http.Request, name string) *entry {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil {
		id, err = strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	}
	var e *entry
	if err == nil {
		e = in.store.byID(id)
	}
	if e == nil {
		writeError(w, http.StatusNotFound, "no hook "+strconv.Quote(r.PathValue(name)+r.URL.Query().Get(name)))
	}
	return e
}

// serveHook answers one hook's Detail.
func (in *Inspector) serveHook(w http.ResponseWriter, r *http.Request) {
	e := in.entryOf(w, r, "id")
	if e == nil {
		return
	}
	body, meta, err := in.store.load(e)
	d := Detail{Row: in.row(e), Origin: in.store.origin(e), Findings: []Finding{}, ForwardTarget: in.opts.Forward}
	in.store.mu.Lock()
	d.Forward = append([]listen.ForwardAttempt{}, e.fwd...)
	in.store.mu.Unlock()
	if len(meta) > 0 {
		var m hookmeta.Meta
		if json.Unmarshal(meta, &m) == nil {
			m.BodyB64 = nil // the body as received is served on its own
			d.Meta = &m
		}
	}
	if err != nil {
		writeJSON(w, http.StatusOK, d)
		return
	}
	dec := in.decs.Get().(*payload.Decoder)
	doc, fs := dec.Decode(body)
	d.Transcript = string(render.NewTranscriber(render.TranscriptOptions{Location: in.opts.TZ}).Append(nil, doc))
	for _, f := range fs {
		line, col := jsontext.LineCol(body, f.Offset)
		d.Findings = append(d.Findings, Finding{
			Severity: f.Severity.String(), Rule: string(f.Rule), Pointer: f.Pointer,
			Line: line, Column: col, Message: f.Message,
		})
	}
	in.decs.Put(dec)
	if d.Tree, err = parseTree(body); err != nil {
		d.TreeError = err.Error()
	}
	d.Curl = curlCommand(r, d.Meta, body)
	writeJSON(w, http.StatusOK, d)
}

// origin names where e is kept.
func (s *store) origin(e *entry) string {
	switch {
	case e.file != "":
		return e.file
	case e.line >= 0:
		return s.ndjson + ":" + strconv.FormatInt(e.line+1, 10)
	}
	return "memory"
}

// curlCommand posts body again to this listener, with the headers that matter.
func curlCommand(r *http.Request, m *hookmeta.Meta, body []byte) string {
	path, ctype, sig := "/", "application/json", ""
	if m != nil {
		if m.Path != "" {
			path = m.Path
		}
		if v := m.Headers.Get("Content-Type"); v != "" {
			ctype = v
		}
		sig = m.Headers.Get(hookmeta.SignatureHeader)
	}
	var b strings.Builder
	b.WriteString("curl -sS -X POST " + shellQuote("http://"+r.Host+path))
	b.WriteString(" -H " + shellQuote("Content-Type: "+ctype))
	if sig != "" {
		b.WriteString(" -H " + shellQuote(hookmeta.SignatureHeader+": "+sig))
	}
	b.WriteString(" --data-binary " + shellQuote(string(body)))
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// serveBody downloads one hook's body as it was received.
func (in *Inspector) serveBody(w http.ResponseWriter, r *http.Request) {
	e := in.entryOf(w, r, "id")
	if e == nil {
		return
	}
	body, _, err := in.store.load(e)
	if err != nil {
		writeError(w, http.StatusGone, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="hook-`+strconv.FormatInt(e.id, 10)+`.json"`)
	w.Write(body)
}

// serveDiff compares two hooks: ?a=ID&b=ID.
func (in *Inspector) serveDiff(w http.ResponseWriter, r *http.Request) {
	ea := in.entryOf(w, r, "a")
	if ea == nil {
		return
	}
	eb := in.entryOf(w, r, "b")
	if eb == nil {
		return
	}
	var trees [2]*node
	for i, e := range []*entry{ea, eb} {
		body, _, err := in.store.load(e)
		if err == nil {
			trees[i], err = parseTree(body)
		}
		if err != nil {
			writeError(w, http.StatusUnprocessableEntity, "hook "+strconv.FormatInt(e.id, 10)+": "+err.Error())
			return
		}
	}
	changes, cut := diffTrees(trees[0], trees[1])
	writeJSON(w, http.StatusOK, map[string]any{"a": ea.id, "b": eb.id, "changes": changes, "cut": cut})
}
