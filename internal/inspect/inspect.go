// Package inspect is the inspector page of `smarthook listen --ui`: a local web page,
// served under /_/ beside the hooks, that lists every hook live (server-sent events),
// shows one as a chat transcript, as JSON with its findings marked, with its request
// headers, signature check and forward attempts, resends it, and compares two. On
// start it lists what --dir and --ndjson already hold, reading bodies only when a page
// or a filter needs them.
//
// It uses the standard library and plain JavaScript embedded in the binary: no CDN,
// it works offline. Reached from other hosts, every request must carry the token; the
// actions that change something (resend) need it always, in a header that a page of
// another site cannot set (CSRF).
package inspect

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/smarthook/smarthook/internal/listen"
	"github.com/smarthook/smarthook/internal/payload"
)

// TokenHeader carries the token on the API requests of the page.
const TokenHeader = "X-Smarthook-Token"

// Options configure an Inspector.
type Options struct {
	Dir    string // listen's --dir: its hooks are listed on start
	NDJSON string // listen's --ndjson: its lines are listed on start
	Meta   string // the metadata file of NDJSON; NDJSON+".meta" when empty

	Secret        []byte // listen's --secret-env: signatures are checked under it
	Forward       string // listen's --forward target: the default of resend
	ForwardSecret []byte // resent to Forward, bodies are signed again with it
	UserAgent     string // of resent requests
	Insecure      bool   // do not verify the TLS certificate of resend targets

	// Token is the secret of the page. With RequireToken every request must carry it
	// (?token= or the header); either way, resend needs it in TokenHeader.
	Token        string
	RequireToken bool

	TZ *time.Location // of the transcript; Local when nil
}

// Inspector serves the page and its API, and is listen's Observer.
type Inspector struct {
	opts         Options
	store        store
	decs         sync.Pool // *payload.Decoder
	subs         subscribers
	mux          *http.ServeMux
	resendClient *http.Client

	done      chan struct{}
	closeOnce sync.Once
}

// NewToken makes a random token for Options.Token.
func NewToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// New lists the stored hooks and makes the page ready.
func New(opts Options) (*Inspector, error) {
	if opts.Token == "" {
		opts.Token = NewToken()
	}
	if opts.NDJSON != "" && opts.Meta == "" {
		opts.Meta = opts.NDJSON + hookmeta.MetaSuffix
	}
	if opts.TZ == nil {
		opts.TZ = time.Local
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "smarthook"
	}
	in := &Inspector{opts: opts, done: make(chan struct{})}
	in.decs.New = func() any { return new(payload.Decoder) }
	in.subs.subs = map[chan event]struct{}{}
	if err := in.store.loadHistory(opts.Dir, opts.NDJSON, opts.Meta); err != nil {
		return nil, err
	}
	in.resendClient = newResendClient(opts.Insecure)
	in.routes()
	return in, nil
}

// Close ends the event streams, so that a server shutting down does not wait on them,
// and closes the files it reads.
func (in *Inspector) Close() {
	in.closeOnce.Do(func() { close(in.done); in.store.close() })
}

// Accepted lists a hook listen took and tells the open pages.
func (in *Inspector) Accepted(a listen.Accepted) {
	e, meta := in.store.add(a)
	in.store.keepRow(e, in.summarize(e, a.Body, meta, nil))
	in.subs.publish(event{name: "hook", id: e.id})
}

// Rejected lists a refused POST and tells the open pages.
func (in *Inspector) Rejected(r listen.Rejected) {
	e, meta := in.store.addRefused(r)
	in.store.keepRow(e, in.summarize(e, r.Body, meta, nil))
	in.subs.publish(event{name: "hook", id: e.id})
}

// Forwarded records a forward attempt and tells the open pages.
func (in *Inspector) Forwarded(a listen.ForwardAttempt) {
	if e := in.store.forwarded(a); e != nil {
		in.subs.publish(event{name: "forward", id: e.id})
	}
}

func (in *Inspector) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /_/{$}", in.servePage)
	m.HandleFunc("GET /_/static/{name}", in.serveStatic)
	m.HandleFunc("GET /_/api/hooks", in.serveList)
	m.HandleFunc("GET /_/api/hooks/{id}", in.serveHook)
	m.HandleFunc("GET /_/api/hooks/{id}/body", in.serveBody)
	m.HandleFunc("GET /_/api/events", in.serveEvents)
	m.HandleFunc("GET /_/api/diff", in.serveDiff)
	m.HandleFunc("POST /_/api/hooks/{id}/resend", in.serveResend)
	toPage := func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/_/"+tokenQuery(r), http.StatusFound)
	}
	m.HandleFunc("GET /_", toPage)
	m.HandleFunc("GET /{$}", toPage) // on a --ui-addr of its own
	in.mux = m
}

// tokenQuery keeps ?token= across a redirect.
func tokenQuery(r *http.Request) string {
	if t := r.URL.Query().Get("token"); t != "" {
		return "?token=" + url.QueryEscape(t)
	}
	return ""
}

// ServeHTTP checks who asks, then serves the page or the API.
func (in *Inspector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	if status, msg := in.allowed(r); status != 0 {
		http.Error(w, msg, status)
		return
	}
	in.mux.ServeHTTP(w, r)
}

// allowed is 0 for a request that may be served, else the status and reason of refusal.
func (in *Inspector) allowed(r *http.Request) (int, string) {
	if in.opts.RequireToken {
		if !in.hasToken(r) {
			return http.StatusUnauthorized, "the inspector needs its token: open the address with ?token= that listen printed"
		}
	} else {
		// Only this machine, by a name of this machine: a page of another site cannot
		// reach it through a DNS name that points here (DNS rebinding).
		if !loopbackAddr(r.RemoteAddr) {
			return http.StatusForbidden, "the inspector is served to this machine only (use --ui-addr and its token for others)"
		}
		if !loopbackHost(r.Host) {
			return http.StatusForbidden, "the inspector answers only to localhost, 127.0.0.1 or [::1], not " + r.Host
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// State changes: the token in a header, which a form or a plain cross-site
		// request cannot send, and no foreign Origin.
		if !tokenEqual(r.Header.Get(TokenHeader), in.opts.Token) {
			return http.StatusForbidden, "this action needs the page's token in " + TokenHeader
		}
		if o := r.Header.Get("Origin"); o != "" && o != "null" && !sameOrigin(o, r.Host) {
			return http.StatusForbidden, "cross-site request refused"
		}
	}
	return 0, ""
}

func (in *Inspector) hasToken(r *http.Request) bool {
	t := r.Header.Get(TokenHeader)
	if t == "" {
		t = r.URL.Query().Get("token")
	}
	return tokenEqual(t, in.opts.Token)
}

// tokenEqual compares in constant time.
func tokenEqual(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func sameOrigin(origin, host string) bool {
	o := strings.TrimPrefix(strings.TrimPrefix(origin, "http://"), "https://")
	return o == host
}

func loopbackAddr(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func loopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveContext ends when the request does or the inspector closes.
func (in *Inspector) serveContext(r *http.Request) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(r.Context())
	go func() {
		select {
		case <-in.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// Token is the page's token.
func (in *Inspector) Token() string { return in.opts.Token }

// Listed is how many hooks the list holds.
func (in *Inspector) Listed() int {
	in.store.mu.Lock()
	defer in.store.mu.Unlock()
	return len(in.store.entries)
}
