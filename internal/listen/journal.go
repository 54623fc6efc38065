package listen

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

// journal is the --forward-journal file: one NDJSON line per forward attempt.
type journal struct {
	mu sync.Mutex
	f  *os.File
}

// journalLine is one attempt: the hook's outbox id, the target, the attempt number,
// the HTTP status (0 when none came), the error, when, and the hook's state after
// it: delivered, retrying or given-up.
type journalLine struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Target  string `json:"target"`
	Attempt int    `json:"attempt"`
	Status  int    `json:"status"`
	Error   string `json:"error,omitempty"`
	Time    string `json:"time"`
	State   string `json:"state"`
}

func openJournal(name string) (*journal, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &journal{f: f}, nil
}

// record appends one line; a nil journal records nothing.
func (jl *journal) record(j *job, target string, a attempt, state string) {
	if jl == nil {
		return
	}
	line := journalLine{
		ID: j.hdr.ID, Label: j.hdr.Label, Target: target, Attempt: j.attempts, Status: a.status,
		Time: time.Now().UTC().Format(time.RFC3339Nano), State: state,
	}
	if a.err != nil {
		line.Error = printable(a.err.Error(), 200)
	}
	b, _ := json.Marshal(line)
	jl.mu.Lock()
	jl.f.Write(append(b, '\n'))
	jl.mu.Unlock()
}

func (jl *journal) close() {
	if jl != nil {
		jl.f.Close()
	}
}

// discardBody reads a little of an answer, so the connection is reused, and closes it.
func discardBody(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date; 0 when absent or
// unreadable, at most an hour.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), time.Hour)
}
