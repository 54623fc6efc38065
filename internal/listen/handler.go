package listen

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// received is one accepted body and what the server made of it.
type received struct {
	ctx       context.Context // the request's: a store for a sender gone is abandoned
	at        time.Time
	remote    string
	header    http.Header
	body      []byte
	doc       *payload.Doc
	findings  []rules.Finding
	file      string // where --dir stored it
	line      int64  // with --ndjson: its line, from 0; -1 otherwise
	offset    int64  // with --ndjson: where that line starts; -1 otherwise
	lineSize  int64  // with --ndjson: the line's length, without its newline
	forwardID string // its outbox id when forwarding
	meta      Meta   // stored beside the body
	elements  int    // for a top-level array of payloads, its length; 0 otherwise
}

// ServeHTTP answers GET /healthz, and POSTs of hooks to the hook path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" && s.opts.Path != "/healthz" {
		s.health(w, r)
		return
	}
	if s.serveUI(w, r) {
		return
	}
	s.counts.received.Add(1)
	if r.URL.Path != s.opts.Path {
		s.reject(w, r, reasonNotFound, "no hooks are taken at "+r.URL.Path)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.reject(w, r, reasonMethod, "hooks are sent with POST, not "+r.Method)
		return
	}
	if s.opts.Secret != nil && strings.TrimSpace(r.Header.Get(SignatureHeader)) == "" {
		// Refused before a byte of the body is kept: unsigned posts cost no memory.
		drain(w, r, s.opts.MaxBody)
		s.reject(w, r, reasonNoSignature, reasonNoSignature+" "+SignatureHeader)
		return
	}
	body, held, err := s.readBody(r, s.opts.MaxBody)
	defer s.inflight.release(held)
	switch {
	case errors.Is(err, errTooLarge):
		drain(w, r, s.opts.MaxBody)
		s.reject(w, r, reasonTooLarge, "the body is larger than the limit (--max-body)")
		return
	case errors.Is(err, errBusy):
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Connection", "close")
		s.reject(w, r, reasonBusy, "too many bodies in flight (--max-inflight): try again")
		return
	case err != nil:
		s.reject(w, r, reasonRead, "could not read the body: "+err.Error())
		return
	}
	if s.opts.Secret != nil {
		if reason, ok := s.verify(r.Header.Get(SignatureHeader), body); !ok {
			s.rejectBody(w, r, reason, reason+" "+SignatureHeader, body)
			return
		}
	}
	s.accept(w, r, body)
}

// accept validates, stores and shows a body, and answers 204 once it is stored.
func (s *Server) accept(w http.ResponseWriter, r *http.Request, body []byte) {
	dec := s.decs.Get().(*payload.Decoder)
	defer s.decs.Put(dec)
	rc := received{ctx: r.Context(), at: s.opts.Now(), remote: r.RemoteAddr, header: r.Header, body: body, line: -1, offset: -1}
	rc.meta = newMeta(rc.at, r, body)
	rc.doc, rc.findings = dec.Decode(body)
	if rc.doc.Kind == payload.KindUnknown && syntaxError(rc.findings) == nil {
		rc.elements = decodeArray(dec, &rc)
	}
	if syntax := syntaxError(rc.findings); syntax != nil {
		if s.opts.KeepBad {
			if err := s.storeRejected(&rc); err != nil {
				s.warn("keep a body that is not JSON: %v", err)
			}
		}
		s.rejectBody(w, r, reasonNotJSON, "the body is not JSON: "+syntax.Message, body)
		return
	}
	if err := s.store(&rc); err != nil {
		s.warn("store a hook from %s: %v", r.RemoteAddr, err)
		s.refuseStore(w, r, err, "the hook could not be stored")
		return
	}
	if s.fwd != nil {
		// The 2xx comes only once the hook is in the outbox on disk.
		if err := s.fwd.enqueue(r, &rc); err != nil {
			s.warn("put a hook from %s in the outbox: %v", r.RemoteAddr, err)
			s.refuseStore(w, r, err, "the hook could not be queued for forwarding")
			return
		}
	}
	s.counts.accepted.Add(1)
	w.WriteHeader(http.StatusNoContent)
	if f, ok := w.(http.Flusher); ok {
		f.Flush() // the sender has its answer before the view, which a slow stdout can hold up
	}
	if line := s.view(&rc); line != nil {
		s.show(line)
	}
	s.observeAccepted(&rc)
}

// verify checks the body's signature; it returns the reason when it is wrong.
func (s *Server) verify(header string, body []byte) (reason string, ok bool) {
	header = strings.TrimSpace(header)
	if header == "" {
		return reasonNoSignature, false
	}
	got, err := hex.DecodeString(header)
	if err != nil {
		return reasonBadSignature, false
	}
	mac := hmac.New(sha256.New, s.opts.Secret)
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), got) {
		return reasonBadSignature, false
	}
	return "", true
}

func syntaxError(fs []rules.Finding) *rules.Finding {
	for i := range fs {
		if fs[i].Rule == rules.Syntax {
			return &fs[i]
		}
	}
	return nil
}

// reject answers an error status for reason, counts it, and says so on Err.
func (s *Server) reject(w http.ResponseWriter, r *http.Request, reason, msg string) {
	s.rejectBody(w, r, reason, msg, nil)
}

// rejectBody is reject of a request whose body was read.
func (s *Server) rejectBody(w http.ResponseWriter, r *http.Request, reason, msg string, body []byte) {
	s.observeRejected(r, reason, body)
	status := statusOf[reason]
	s.counts.reject(reason)
	s.warn("%d %s from %s: %s", status, r.Method, r.RemoteAddr, printable(msg, 200))
	http.Error(w, msg, status)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}

// printable keeps at most max bytes of s and replaces control characters, so that
// text from the network cannot move the cursor or recolour a terminal.
func printable(s string, max int) string {
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\ufffd' {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
}

// refuseStore answers a hook that could not be kept: 507 when the disk is full, 503
// otherwise, both with Retry-After so that the sender tries again later.
func (s *Server) refuseStore(w http.ResponseWriter, r *http.Request, err error, msg string) {
	w.Header().Set("Retry-After", "30")
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		s.reject(w, r, reasonNoSpace, msg+": the disk is full")
		return
	}
	s.reject(w, r, reasonStore, msg)
}
