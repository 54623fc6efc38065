// Package listen is a local receiver for Smartsupp hooks: an HTTP server that takes
// the legacy POST hook and the REST webhooks, validates each body with the payload
// core, shows it, stores it byte for byte with its request headers and receive time
// (one file or object and its .meta sidecar per document in a date tree, or a line
// appended to an NDJSON file and one to its metadata file), and passes it on to
// another endpoint through an outbox on disk if asked.
//
// A body is answered 204 only once it is safely stored (synced to disk, or its PUT to
// object storage answered) and, when forwarding, queued in the outbox, so a sender
// that got 204 never loses it, even if the process is killed right after. Bodies
// that are too large (413), not JSON (400) or wrongly signed (401) are refused and,
// but for --keep-bad copies of bodies that are not JSON, not stored; a store that
// fails (disk full, storage down) is rolled back and answered 507 or 503. Memory
// stays bounded: bodies are read as they arrive, within a budget shared by all
// connections, whatever size the clients declare.
package listen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/smarthook/smarthook/internal/objstore"
	"github.com/smarthook/smarthook/internal/payload"
)

// Options configure a Server.
type Options struct {
	Path    string // the URL path hooks are posted to; "/" when empty
	Secret  []byte // when set, X-Smartsupp-Hmac must be the HMAC-SHA256 of the body under it
	MaxBody int64  // the largest body accepted; 1 MiB when 0

	Dir     string // store each accepted body as DIR/YYYY/MM/DD/<account>-<chat>-<time>.json (+ .meta)
	NDJSON  string // append each accepted body to this file, one line each
	Meta    string // with NDJSON, where each line's Meta goes; NDJSON+".meta" when empty
	KeepBad bool   // store bodies that are not JSON under DIR/rejected/
	// Dir may be s3://bucket/prefix/: each body and meta is then an object, and
	// S3Endpoint the storage's address ("" for AWS_ENDPOINT_URL or AWS's own).
	S3Endpoint string

	MaxInflight int64 // bytes of bodies held in memory across all requests; 64 MiB when 0
	MaxConns    int   // connections served at once by Serve; 1024 when 0

	View string // what Out shows per accepted body: "summary" (default), "json" or "none"

	Forward         string        // pass each accepted body on to this URL, through the outbox
	Outbox          string        // the outbox folder; DIR/.outbox or NDJSON.outbox when empty
	ForwardSecret   []byte        // when set, forwarded bodies are signed again with it
	ForwardMaxAge   time.Duration // how long a hook is retried before it is given up; 24 h when 0
	ForwardJournal  string        // append one NDJSON line per forward attempt to this file
	ForwardBackoff  time.Duration // the first retry's wait, doubled up to 5 min; 1 s when 0
	UserAgent       string        // of forwarded requests; "smarthook" when empty
	Insecure        bool          // do not verify the forward target's TLS certificate
	ForwardTimeout  time.Duration // per forwarded request; 10 s when 0
	ForwardWorkers  int           // concurrent forwards; 4 when 0
	ShutdownTimeout time.Duration // how long Serve waits for work in hand at the end; 10 s when 0

	Out io.Writer // the view of each accepted body
	Err io.Writer // rejections, forward answers, warnings

	Observer Observer     // told of each accepted hook and forward attempt; nil for none
	UI       http.Handler // served under UIPrefix (/_/) beside the hooks; nil for none

	Now func() time.Time // the clock; time.Now when nil
	TZ  *time.Location   // for the times the summary view shows; Local when nil
}

// Server receives hooks. Its Handler may be used on its own (tests, another mux), or
// Serve runs it with safe timeouts.
type Server struct {
	opts     Options
	decs     sync.Pool // *payload.Decoder
	outMu    sync.Mutex
	hooks    hookStore // --dir; nil without
	log      *ndjsonLog
	fwd      *forwarder
	inflight *budget
	counts   counters
}

// New checks opts and opens the NDJSON file. Close the server with Serve or Close.
func New(opts Options) (*Server, error) {
	if opts.Path == "" {
		opts.Path = "/"
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 1 << 20
	}
	switch opts.View {
	case "":
		opts.View = "summary"
	case "summary", "json", "none":
	default:
		return nil, fmt.Errorf("unknown view %q: use summary, json or none", opts.View)
	}
	if opts.KeepBad && opts.Dir == "" {
		return nil, errors.New("keeping bad bodies needs a folder to keep them in")
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Err == nil {
		opts.Err = io.Discard
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TZ == nil {
		opts.TZ = time.Local
	}
	if opts.MaxInflight <= 0 {
		opts.MaxInflight = 64 << 20
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = 1024
	}
	if opts.NDJSON != "" && opts.Meta == "" {
		opts.Meta = opts.NDJSON + MetaSuffix
	}
	if opts.Forward != "" && opts.Outbox == "" {
		switch {
		case opts.Dir != "" && !objstore.Is(opts.Dir):
			opts.Outbox = filepath.Join(opts.Dir, ".outbox")
		case opts.NDJSON != "":
			opts.Outbox = opts.NDJSON + ".outbox"
		default:
			return nil, errors.New("forwarding needs an outbox folder on this machine (--outbox), or a local --dir or --ndjson to keep one beside")
		}
	}
	s := &Server{opts: opts, inflight: newBudget(opts.MaxInflight)}
	s.decs.New = func() any { return new(payload.Decoder) }
	if opts.Dir != "" && !objstore.Is(opts.Dir) {
		if err := s.sweep(); err != nil {
			return nil, err
		}
	}
	if opts.Dir != "" {
		h, err := newHookStore(opts)
		if err != nil {
			return nil, err
		}
		s.hooks = h
	}
	if opts.NDJSON != "" {
		l, err := openNDJSON(opts.NDJSON, opts.Meta, s.warn)
		if err != nil {
			return nil, err
		}
		s.log = l
	}
	if opts.Forward != "" {
		f, err := newForwarder(opts, &s.counts, s.warn)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.fwd = f
	}
	return s, nil
}

// Serve answers on ln until ctx is done, then stops accepting, lets the requests in
// hand finish and the forward queue drain (up to ShutdownTimeout), and closes the
// server. It returns nil after a shutdown asked for by ctx.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.httpServer()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(newLimitListener(ln, s.opts.MaxConns)) }()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		wait := s.opts.ShutdownTimeout
		if wait <= 0 {
			wait = 10 * time.Second
		}
		s.warn("stopping: no new connections; finishing the hooks in hand (at most %s)", wait)
		sctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err = srv.Shutdown(sctx); err != nil {
			err = fmt.Errorf("shut down: %w", err)
		}
		if s.fwd != nil {
			s.fwd.stop(sctx)
		}
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// httpServer bounds every phase of a request, so that slow or idle clients
// (slowloris) cannot hold connections open.
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(s.opts.Err, "smarthook listen: ", 0),
	}
}

// Close stops the forwarder at once and closes the NDJSON file. Serve calls it.
func (s *Server) Close() error {
	if s.fwd != nil {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		s.fwd.stop(ctx)
	}
	if s.log != nil {
		return s.log.close()
	}
	return nil
}

// warn writes one line on Err.
func (s *Server) warn(format string, args ...any) {
	line := fmt.Sprintf("smarthook listen: "+format+"\n", args...)
	s.outMu.Lock()
	io.WriteString(s.opts.Err, line)
	s.outMu.Unlock()
}

// show writes one line of the view on Out.
func (s *Server) show(line []byte) {
	s.outMu.Lock()
	s.opts.Out.Write(line)
	s.outMu.Unlock()
}
