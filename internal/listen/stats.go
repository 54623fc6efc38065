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
)

// Reasons lists the reasons in the order reports show them.
var Reasons = [...]string{reasonBadSignature, reasonNoSignature, reasonTooLarge, reasonNotJSON,
	reasonMethod, reasonNotFound, reasonRead, reasonStore}

// statusOf is the HTTP status that answers each reason.
var statusOf = map[string]int{
	reasonNoSignature:  http.StatusUnauthorized,
	reasonBadSignature: http.StatusUnauthorized,
	reasonTooLarge:     http.StatusRequestEntityTooLarge,
	reasonNotJSON:      http.StatusBadRequest,
	reasonMethod:       http.StatusMethodNotAllowed,
	reasonNotFound:     http.StatusNotFound,
	reasonRead:         http.StatusBadRequest,
	reasonStore:        http.StatusInternalServerError,
}

// Stats are what a server did so far.
type Stats struct {
	Received int64            // requests other than /healthz
	Accepted int64            // bodies answered 204 (stored when storage was asked for)
	Files    int64            // files written under Dir
	Lines    int64            // lines appended to the NDJSON file
	Rejected map[string]int64 // refused requests by reason (see Reasons)
	Kept     int64            // bodies that are not JSON, kept under Dir/rejected/

	ForwardOK      int64 // forwarded and answered 2xx
	ForwardFailed  int64 // forwarded, and answered otherwise or not at all
	ForwardDropped int64 // not forwarded: the queue was full, or the server stopped first
}

type counters struct {
	received, accepted, files, lines, kept atomic.Int64
	rejected                               [len(Reasons)]atomic.Int64
	fwdOK, fwdFailed, fwdDropped           atomic.Int64
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
		ForwardOK: c.fwdOK.Load(), ForwardFailed: c.fwdFailed.Load(), ForwardDropped: c.fwdDropped.Load(),
	}
	for i, r := range Reasons {
		if n := c.rejected[i].Load(); n > 0 {
			st.Rejected[r] = n
		}
	}
	return st
}
