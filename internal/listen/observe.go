package listen

import (
	"net/http"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/payload"
)

// UIPrefix is the path under which Options.UI is served, beside the hooks.
const UIPrefix = "/_/"

// Observer is told what the server does, as it happens, for a live view such as the
// inspector page. Its methods are called from the request and forward goroutines, so
// they must be quick and safe for concurrent use; they must not change what they get.
type Observer interface {
	// Accepted is called once a hook was stored (and queued for forwarding).
	Accepted(h Accepted)
	// Forwarded is called after each forward attempt.
	Forwarded(a ForwardAttempt)
	// Rejected is called when a POST to the hook path is refused.
	Rejected(r Rejected)
}

// Rejected is a POST to the hook path that was refused, and why.
type Rejected struct {
	Status int    // the HTTP status it was answered
	Reason string // as Stats names it: bad signature, not JSON, too large ...
	Body   []byte // the body when it was read (bad signature, not JSON); nil otherwise
	Meta   Meta
}

// Accepted is one hook the server took.
type Accepted struct {
	Body      []byte // the body as received; the observer may keep it
	Meta      Meta   // its request line and headers, as stored beside it
	File      string // where --dir stored it; "" otherwise
	Line      int64  // with --ndjson: its line in the file, from 0; -1 otherwise
	Offset    int64  // with --ndjson: where that line starts; -1 otherwise
	LineSize  int64  // with --ndjson: the line's length (the body compacted when it was not on one line)
	ForwardID string // its id in the outbox when forwarding; "" otherwise
}

// ForwardAttempt is one try at passing a hook on to the --forward target.
type ForwardAttempt struct {
	ID      string    `json:"id"` // the hook's id in the outbox (Accepted.ForwardID)
	Target  string    `json:"target"`
	Attempt int       `json:"attempt"` // 1 for the first try
	Status  int       `json:"status"`  // the HTTP status; 0 when no answer came
	Error   string    `json:"error,omitempty"`
	State   string    `json:"state"` // delivered, retrying or given-up
	Time    time.Time `json:"time"`
}

// observeAccepted tells the observer about rc, if there is one.
func (s *Server) observeAccepted(rc *received) {
	if s.opts.Observer == nil {
		return
	}
	s.opts.Observer.Accepted(Accepted{
		Body: rc.body, Meta: rc.meta, File: rc.file, Line: rc.line, Offset: rc.offset, LineSize: rc.lineSize, ForwardID: rc.forwardID,
	})
}

// observeRejected tells the observer about a refused POST to the hook path.
func (s *Server) observeRejected(r *http.Request, reason string, body []byte) {
	if s.opts.Observer == nil || r.Method != http.MethodPost || r.URL.Path != s.opts.Path {
		return
	}
	s.opts.Observer.Rejected(Rejected{Status: statusOf[reason], Reason: reason, Body: body, Meta: newMeta(s.opts.Now(), r, body)})
}

// observe tells the observer about one forward attempt, if there is one.
func (f *forwarder) observe(j *job, a attempt, state string) {
	if f.opts.Observer == nil {
		return
	}
	fa := ForwardAttempt{ID: j.hdr.ID, Target: f.url, Attempt: j.attempts, Status: a.status, State: state, Time: time.Now().UTC()}
	if a.err != nil {
		fa.Error = printable(a.err.Error(), 200)
	}
	f.opts.Observer.Forwarded(fa)
}

// serveUI hands the requests under UIPrefix to Options.UI; it reports whether it did.
func (s *Server) serveUI(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.UI == nil || r.URL.Path == s.opts.Path || !strings.HasPrefix(r.URL.Path, UIPrefix) && r.URL.Path != "/_" {
		return false
	}
	s.opts.UI.ServeHTTP(w, r)
	return true
}

// ChatOf names the conversation a document belongs to, as the outbox orders them:
// "hook ACCOUNT/CHANNEL", "webhook ACCOUNT/CONVERSATION", "stats" or "other".
func ChatOf(doc *payload.Doc) string { return chatKey(doc) }

// Label names a document for people: account/chat for a hook, account and event for
// a webhook, "report" for stats.
func Label(doc *payload.Doc) string { return label(doc) }

// EventName is a webhook's event, cleaned to letters, digits, dots and underscores.
func EventName(doc *payload.Doc) string {
	if doc.Kind != payload.KindWebhook {
		return ""
	}
	return eventName(doc.Webhook.Event)
}
