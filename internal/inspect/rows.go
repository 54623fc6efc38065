package inspect

import (
	"bytes"
	"encoding/json"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smarthook/smarthook/internal/listen"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
	"github.com/smarthook/smarthook/internal/verify"
)

// Row is one hook's line in the list.
type Row struct {
	ID        int64  `json:"id"`
	Time      string `json:"time"` // RFC 3339, UTC; "" when unknown
	Kind      string `json:"kind"` // hook, webhook, stats, other; "error" when unreadable
	Event     string `json:"event"`
	Account   string `json:"account"`
	Chat      string `json:"chat"`
	Messages  int    `json:"messages"`
	Findings  int    `json:"findings"`
	Errors    int    `json:"errors"`
	Signature string `json:"signature"` // valid, invalid, changed, no signature, no headers, not checked
	Size      int64  `json:"size"`
	Live      bool   `json:"live"`              // received by this run
	Refused   string `json:"refused,omitempty"` // "401 bad signature": listen refused it, and kept it only here
	Forward   string `json:"forward,omitempty"` // the last forward state
	Error     string `json:"error,omitempty"`   // why the body could not be read
}

// summarize makes e's row from its body and metadata.
func (in *Inspector) summarize(e *entry, body, meta []byte, readErr error) *Row {
	r := &Row{ID: e.id, Live: e.live, Size: e.size, Refused: e.refused}
	if body != nil {
		r.Size = int64(len(body))
	}
	if !e.at.IsZero() {
		r.Time = e.at.UTC().Format(time.RFC3339Nano)
	}
	var m hookmeta.Meta
	if readErr != nil {
		r.Kind, r.Error = "error", readErr.Error()
		if e.refused != "" {
			json.Unmarshal(meta, &m)
			r.Kind, r.Signature = "refused", in.signature(nil, meta, &m)
		}
		return r
	}
	if json.Unmarshal(meta, &m) == nil {
		if r.Time == "" && m.ReceivedAt != "" {
			if at, err := time.Parse(time.RFC3339Nano, m.ReceivedAt); err == nil {
				r.Time = at.UTC().Format(time.RFC3339Nano)
			}
		}
	}
	r.Signature = in.signature(body, meta, &m)
	dec := in.decs.Get().(*payload.Decoder)
	defer in.decs.Put(dec)
	doc, fs := dec.Decode(body)
	r.Kind = doc.Kind.String()
	if e.refused != "" && doc.Kind == payload.KindUnknown {
		r.Kind = "refused"
	}
	r.Findings = len(fs)
	for _, f := range fs {
		if f.Severity == rules.Error {
			r.Errors++
		}
	}
	r.Event = listen.EventName(doc)
	if doc.Kind == payload.KindHook {
		r.Messages = len(doc.Hook.Messages)
		r.Event = "chat"
	}
	if doc.Kind == payload.KindStats {
		r.Event = "stats"
	}
	chat := listen.ChatOf(doc)
	if _, who, ok := strings.Cut(chat, " "); ok {
		r.Account, r.Chat, _ = strings.Cut(who, "/")
		r.Chat = strings.Trim(r.Chat, `"`) // a conversation id is a JSON string
	}
	return r
}

// signature is the state of a hook's X-Smartsupp-Hmac: the check under the secret
// when listen has one, else whether it came signed.
func (in *Inspector) signature(body, meta []byte, m *hookmeta.Meta) string {
	if in.opts.Secret != nil {
		c := verify.Checker{Secret: in.opts.Secret}
		return c.Status(body, meta)
	}
	if m.Headers == nil {
		return verify.NoHeaders
	}
	if strings.TrimSpace(m.Headers.Get(hookmeta.SignatureHeader)) == "" {
		return verify.NoSignature
	}
	return "not checked"
}

// row is a copy of e's row, summarized on first use.
func (in *Inspector) row(e *entry) *Row {
	in.store.mu.Lock()
	r := e.row
	if r != nil {
		cp := *r // a copy: forward attempts change the row under the lock
		in.store.mu.Unlock()
		return &cp
	}
	in.store.mu.Unlock()
	body, meta, err := in.store.load(e)
	return in.store.keepRow(e, in.summarize(e, body, meta, err))
}

// keepRow makes r e's row unless another goroutine was first, sets its forward
// state, and returns a copy of the row kept.
func (s *store) keepRow(e *entry, r *Row) *Row {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.row == nil {
		e.row = r
		if len(e.fwd) > 0 {
			r.Forward = e.fwd[len(e.fwd)-1].State
		} else if e.fwdID != "" {
			r.Forward = "queued"
		}
	}
	cp := *e.row
	return &cp
}

// Filter selects rows of the list.
type Filter struct {
	Text     string // in the body, case-insensitive
	Kind     string
	Event    string
	Account  string
	Findings bool // only hooks with findings
}

// empty reports a filter that keeps everything.
func (f Filter) empty() bool { return f == Filter{} }

// match reports whether e (with row r) passes f; the text is looked up in its body.
func (in *Inspector) match(f Filter, e *entry, r *Row) bool {
	switch {
	case f.Kind == "refused" && r.Refused == "",
		f.Kind != "" && f.Kind != "refused" && r.Kind != f.Kind,
		f.Event != "" && !strings.EqualFold(r.Event, f.Event),
		f.Account != "" && r.Account != f.Account,
		f.Findings && r.Findings == 0:
		return false
	}
	if f.Text == "" {
		return true
	}
	body, err := in.store.loadBody(e)
	if err != nil {
		return false
	}
	return containsFold(body, strings.ToLower(f.Text))
}

// containsFold reports whether lower (in lower case) is in b, ignoring case. b is
// lowered in place, as it is a copy read for this search only; an ASCII text needs
// only ASCII letters lowered, others the full Unicode rules.
func containsFold(b []byte, lower string) bool {
	for i := 0; i < len(lower); i++ {
		if lower[i] >= 0x80 {
			return bytes.Contains(bytes.ToLower(b), []byte(lower))
		}
	}
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return bytes.Contains(b, []byte(lower))
}

// Page is one page of the list, newest first.
type Page struct {
	Rows  []*Row `json:"rows"`
	Next  int64  `json:"next,omitempty"` // pass as before= for the next page; 0 at the end
	Total int    `json:"total"`          // hooks listed, before filtering
}

// page lists up to limit rows older than before (all when 0) that pass f. It walks
// the list newest first in stretches, each summarized and filtered on every core.
func (in *Inspector) page(f Filter, before int64, limit int) Page {
	in.store.mu.Lock()
	entries := in.store.entries
	in.store.mu.Unlock()
	p := Page{Total: len(entries), Rows: []*Row{}}
	i := len(entries)
	if before > 0 {
		i = sort.Search(len(entries), func(k int) bool { return entries[k].id >= before })
	}
	rows := make([]*Row, warmChunk)
	for i > 0 {
		lo := max(0, i-warmChunk)
		chunk := entries[lo:i]
		in.parallel(len(chunk), func(k int) {
			r := in.row(chunk[k])
			if !f.empty() && !in.match(f, chunk[k], r) {
				r = nil
			}
			rows[k] = r
		})
		for k := len(chunk) - 1; k >= 0; k-- {
			if rows[k] == nil {
				continue
			}
			if len(p.Rows) == limit {
				p.Next = p.Rows[len(p.Rows)-1].ID
				return p
			}
			p.Rows = append(p.Rows, rows[k])
		}
		i = lo
	}
	return p
}

// atoi64 reads a non-negative integer; 0 when absent or bad.
func atoi64(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// warmChunk is how many entries a page summarizes and filters at once, in parallel;
// a page that fills early wastes at most this much work.
const warmChunk = 128

// parallel calls fn(0..n-1) on every core.
func (in *Inspector) parallel(n int, fn func(k int)) {
	var wg sync.WaitGroup
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= n {
					return
				}
				fn(k)
			}
		}()
	}
	wg.Wait()
}
