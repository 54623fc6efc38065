package listen

import (
	"net/http"
	"sync/atomic"
)

// Reasons for refusing a request, as Stats names them.
const (
	reasonNoSignature  = "missing signature"
	reasonBadSignature = "bad signature"
	reasonTooLarge     = "too large"
	reasonNotJSON      = "not JSON"
	reasonMethod       = "wrong method"
	reasonNotFound     = "wrong path"
	reasonRead         = "unreadable body"
	reasonStore        = "store failed"
	reasonNoSpace      = "disk full"
	reasonBusy         = "busy"
)

// Reasons lists the reasons in the order reports show them.
var Reasons = [...]string{reasonBadSignature, reasonNoSignature, reasonTooLarge, reasonNotJSON,
	reasonMethod, reasonNotFound, reasonRead, reasonStore, reasonNoSpace, reasonBusy}

// statusOf is the HTTP status that answers each reason.
var statusOf = map[string]int{
	reasonNoSignature:  http.StatusUnauthorized,
	reasonBadSignature: http.StatusUnauthorized,
	reasonTooLarge:     http.StatusRequestEntityTooLarge,
	reasonNotJSON:      http.StatusBadRequest,
	reasonMethod:       http.StatusMethodNotAllowed,
	reasonNotFound:     http.StatusNotFound,
	reasonRead:         http.StatusBadRequest,
	reasonStore:        http.StatusServiceUnavailable,
	reasonNoSpace:      http.StatusInsufficientStorage,
	reasonBusy:         http.StatusServiceUnavailable,
}

// Stats are what a server did so far.
type Stats struct {
	Received int64            // requests other than /healthz
	Accepted int64            // bodies answered 204 (stored when storage was asked for)
	Files    int64            // files written under Dir
	Lines    int64            // lines appended to the NDJSON file
	Rejected map[string]int64 // refused requests by reason (see Reasons)
	Kept     int64            // bodies that are not JSON, kept under Dir/rejected/

	ForwardOK      int64 // delivered: the target answered 2xx
	ForwardRetries int64 // attempts that failed and were tried again later
	ForwardGivenUp int64 // not delivered within --forward-max-age: moved to the outbox's given-up/
	ForwardPending int64 // in the outbox, not yet delivered (sent at the next start if still there)
}

type counters struct {
	received, accepted, files, lines, kept atomic.Int64
	rejected                               [len(Reasons)]atomic.Int64
	fwdOK, fwdRetries, fwdGivenUp          atomic.Int64
}

func (c *counters) reject(reason string) {
	for i, r := range Reasons {
		if r == reason {
			c.rejected[i].Add(1)
		}
	}
}

// Stats returns the counts so far; it is safe to call at any time.
func (s *Server) Stats() Stats {
	c := &s.counts
	st := Stats{
		Received: c.received.Load(), Accepted: c.accepted.Load(), Files: c.files.Load(),
		Lines: c.lines.Load(), Kept: c.kept.Load(), Rejected: map[string]int64{},
		ForwardOK: c.fwdOK.Load(), ForwardRetries: c.fwdRetries.Load(), ForwardGivenUp: c.fwdGivenUp.Load(),
	}
	if s.fwd != nil {
		st.ForwardPending = int64(s.fwd.pendingCount())
	}
	for i, r := range Reasons {
		if n := c.rejected[i].Load(); n > 0 {
			st.Rejected[r] = n
		}
	}
	return st
}
