// Package replaytest is a webhook receiver for testing replay against: it counts the
// requests, remembers which bodies it accepted, and fails a chosen share of requests the
// ways real receivers do (500, 429 with Retry-After, a dropped connection, an answer
// slower than the client waits). Tests serve it with httptest; the dev command in
// ../testdata/sink serves it for benchmarks and the reliability script.
package replaytest

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Config says how a Sink answers.
type Config struct {
	Status     int           // the answer to an accepted request; 204 when 0
	FailRate   float64       // share of requests that fail, in four equal parts (below)
	Slow       time.Duration // how late a slow answer comes: more than the client's timeout
	RetryAfter string        // Retry-After of a 429; "1" when empty
	Seed       uint64        // seeds the choice of failing requests
	Record     bool          // remember the SHA-256 of each accepted body
}

// Failure kinds, in the order of the counters.
const (
	Fail500 = iota
	Fail429
	FailDrop
	FailSlow
	failKinds
)

// Sink is the receiver; it is an http.Handler safe for concurrent use.
type Sink struct {
	cfg      Config
	requests atomic.Int64
	accepted atomic.Int64
	failed   [failKinds]atomic.Int64

	mu        sync.Mutex
	rng       *rand.Rand
	delivered map[[32]byte]int
}

// New returns a Sink answering as cfg says.
func New(cfg Config) *Sink {
	if cfg.Status == 0 {
		cfg.Status = http.StatusNoContent
	}
	if cfg.RetryAfter == "" {
		cfg.RetryAfter = "1"
	}
	return &Sink{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)), delivered: map[[32]byte]int{}}
}

// ServeHTTP reads the body and answers, failing a share of the requests.
func (s *Sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	kind := s.choose()
	if kind == FailDrop {
		s.failed[FailDrop].Add(1)
		drop(w)
		return
	}
	var body []byte
	var err error
	if s.cfg.Record {
		body, err = io.ReadAll(r.Body)
	} else {
		_, err = io.Copy(io.Discard, r.Body)
	}
	if err != nil {
		return
	}
	switch kind {
	case Fail500:
		s.failed[Fail500].Add(1)
		w.WriteHeader(http.StatusInternalServerError)
		return
	case Fail429:
		s.failed[Fail429].Add(1)
		w.Header().Set("Retry-After", s.cfg.RetryAfter)
		w.WriteHeader(http.StatusTooManyRequests)
		return
	case FailSlow:
		s.failed[FailSlow].Add(1)
		// The client gives up first; what it does not see does not count as delivered.
		select {
		case <-time.After(s.cfg.Slow):
		case <-r.Context().Done():
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if s.cfg.Record {
		sum := sha256.Sum256(body)
		s.mu.Lock()
		s.delivered[sum]++
		s.mu.Unlock()
	}
	s.accepted.Add(1)
	w.WriteHeader(s.cfg.Status)
}

// choose picks how to answer: a failure kind, or -1 to accept.
func (s *Sink) choose() int {
	if s.cfg.FailRate <= 0 {
		return -1
	}
	s.mu.Lock()
	x := s.rng.Float64()
	s.mu.Unlock()
	if x >= s.cfg.FailRate {
		return -1
	}
	return int(x / s.cfg.FailRate * failKinds)
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // HTTP/2: abort the stream
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

// Requests is the number of requests received.
func (s *Sink) Requests() int64 { return s.requests.Load() }

// Accepted is the number of requests answered with the success status.
func (s *Sink) Accepted() int64 { return s.accepted.Load() }

// Failed is the number of requests failed of one kind (Fail500, ...).
func (s *Sink) Failed(kind int) int64 { return s.failed[kind].Load() }

// Delivered returns how often each accepted body (by SHA-256) was accepted.
func (s *Sink) Delivered() map[[32]byte]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[[32]byte]int, len(s.delivered))
	for k, v := range s.delivered {
		out[k] = v
	}
	return out
}
