package inspect

import (
	"embed"
	"html/template"
	"net/http"
	"path"
)

//go:embed assets
var assets embed.FS

var pageTemplate = template.Must(template.ParseFS(assets, "assets/index.html"))

// servePage is the page itself; the token goes in a meta element for the API calls.
func (in *Inspector) servePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
	q := ""
	if in.opts.RequireToken {
		q = in.opts.Token // the page's own links carry it too
	}
	data := struct{ Token, Forward, Query string }{in.opts.Token, in.opts.Forward, q}
	if err := pageTemplate.Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// serveStatic serves the embedded script and style sheet.
func (in *Inspector) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	ctype, ok := types[path.Ext(name)]
	data, err := assets.ReadFile("assets/" + name)
	if !ok || err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Write(data)
}
