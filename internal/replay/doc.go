package replay

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// DocID names a document in the journal: the first 8 bytes (16 hex digits) of the
// SHA-256 of its identity (see Identity: the canonical path of its file, its member,
// line and column) and its stored bytes, so the same input read again, however its path
// is typed, gives the same ids and --resume can tell what was delivered.
type DocID [8]byte

// String is the id as the journal writes it.
func (id DocID) String() string { return hex.EncodeToString(id[:]) }

// ParseDocID reads an id written by String.
func ParseDocID(s string) (DocID, bool) {
	var id DocID
	if len(s) != 2*len(id) {
		return id, false
	}
	_, err := hex.Decode(id[:], []byte(s))
	return id, err == nil
}

// NewDocID is the id of the document raw (its bytes as stored) whose identity is ident
// (see Identity): SHA-256 over ident, a zero byte and the SHA-256 of raw.
func NewDocID(ident string, raw []byte) DocID {
	sum := sha256.Sum256(raw)
	return docIDOf(ident, &sum)
}

// docIDOf is NewDocID for a document whose SHA-256 is known.
func docIDOf(origin string, sum *[sha256.Size]byte) DocID {
	h := sha256.New()
	h.Write([]byte(origin))
	h.Write([]byte{0})
	h.Write(sum[:])
	var out [sha256.Size]byte
	var id DocID
	copy(id[:], h.Sum(out[:0]))
	return id
}

// docState is what the run does with a document.
type docState uint8

const (
	stateSend      docState = iota
	stateDelivered          // delivered by an earlier run (--resume): skipped
	stateFiltered           // left out by --events or --where: skipped
	stateInvalid            // not JSON and --send-invalid is off: not sent
	stateBroken             // could not be rewritten: not sent, counted as failed
)

// doc is one document on its way to the receiver. Its bytes are its own, out of the
// input's batch memory (which is reused once emitted), and never changed: identical
// documents may share them.
type doc struct {
	origin  string
	id      DocID
	sum     [sha256.Size]byte // of stored, recorded in the journal
	state   docState
	invalid bool   // not JSON (sent anyway with --send-invalid)
	stored  []byte // exactly as read (for --failed-out and --send-invalid)
	body    []byte // what is sent: stored, or rewritten
	time    int64  // Unix ms of its start (beginAt, a webhook's timestamp), for pacing
	hasTime bool
	kind    payload.Kind
	err     string // why a broken document could not be rewritten
	warn    string // what the rewrite could not do, told before sending (see Options.Notice)
	// rewritten says body is not stored; headers are the stored request's headers to
	// send again (--with-headers), nil for none.
	rewritten bool
	headers   http.Header
}

// inspection is what reading one record tells about it.
type inspection struct {
	id      DocID
	sum     [sha256.Size]byte
	origin  string
	kind    payload.Kind    // KindUnknown when not decoded
	errs    []rules.Finding // syntax errors, copied: a document that is not JSON is not sent
	time    int64
	hasTime bool
	end     int64 // newest timestamp of a chat, for --shift-time
	hasEnd  bool
	event   string // a webhook's event name, for --events
	// filtered says --events or --where leaves the document out; filterErr says why
	// --where could not judge it.
	filtered  bool
	filterErr string
	stored    []byte // the document as read, copied out of the batch (shared, read only)
	raw       []byte // stored without a byte-order mark
}

// checker inspects the records of one worker of the input. It remembers the last
// document it saw, so that a run replaying one body many times (a load test) copies,
// hashes and checks that body once: the next copies cost one comparison and share the
// first one's bytes (bodies are never changed once read).
type checker struct {
	dec     payload.Decoder
	canon   canonCache
	last    []byte // the last document, copied: owned by the documents that share it
	sum     [sha256.Size]byte
	checked bool // whether valid was found for last
	valid   bool
}

// inspect reads a record: its id, whether it is JSON, and when decode is set (rewriting,
// ordering or pacing need it), its kind and times. Only syntax errors keep a document
// from being sent: one that breaks Smartsupp's rules is replayed as it was received
// (validate is the command that judges it). The fast path checks syntax alone.
func (c *checker) inspect(rec input.Record, decode bool) inspection {
	if c.last == nil || !bytes.Equal(rec.Raw, c.last) {
		c.last = bytes.Clone(rec.Raw)
		c.sum = sha256.Sum256(c.last)
		c.checked = false
	}
	in := inspection{origin: rec.Origin.String(), stored: c.last, raw: trimBOM(c.last), sum: c.sum}
	in.id = docIDOf(identity(c.canon.canonical(rec.Origin.Path), rec.Origin), &c.sum)
	if !decode {
		if !c.checked {
			c.valid, c.checked = jsontext.Valid(in.raw) == nil, true
		}
		if c.valid {
			return in
		}
	}
	// Decode also explains a syntax error with its place.
	d, fs := c.dec.Decode(rec.Raw)
	for _, f := range fs {
		if f.Rule == rules.Syntax {
			in.errs = append(in.errs, f)
		}
	}
	if len(in.errs) > 0 {
		return in
	}
	in.kind = d.Kind
	in.time, in.hasTime = docTime(d)
	in.end, in.hasEnd = docEnd(d)
	if d.Kind == payload.KindWebhook {
		in.event = d.Webhook.Event.Text()
	}
	return in
}

// docEnd is the newest time of a document that --shift-time moves: a chat's end (see
// hookEnd), a webhook's timestamp.
func docEnd(d *payload.Doc) (int64, bool) {
	switch d.Kind {
	case payload.KindHook:
		return hookEnd(&d.Hook)
	case payload.KindWebhook:
		return docTime(d)
	}
	return 0, false
}

// docTime is when a document's event began: a hook's beginAt, a webhook's timestamp.
func docTime(d *payload.Doc) (int64, bool) {
	switch d.Kind {
	case payload.KindHook:
		return d.Hook.BeginAt.Int()
	case payload.KindWebhook:
		if t, ok := payload.ParseISOTime(d.Webhook.Timestamp.Text()); ok {
			return t.UnixMilli(), true
		}
	}
	return 0, false
}

// hookEnd is the newest timestamp of a chat: endAt, or its latest message or beginAt
// when endAt is missing.
func hookEnd(h *payload.Hook) (int64, bool) {
	if v, ok := h.EndAt.Int(); ok {
		return v, true
	}
	end, ok := h.BeginAt.Int()
	for i := range h.Messages {
		if v, vok := h.Messages[i].SentAt.Int(); vok && (!ok || v > end) {
			end, ok = v, true
		}
	}
	return end, ok
}

// newDoc makes the document to send from its inspection, rewriting it when asked.
func (in *inspection) newDoc(delivered map[DocID]struct{}, sendInvalid bool, rw *Rewriter) *doc {
	d := &doc{origin: in.origin, id: in.id, sum: in.sum, time: in.time, hasTime: in.hasTime, kind: in.kind}
	d.invalid = len(in.errs) > 0
	if in.filtered {
		d.state, d.warn = stateFiltered, in.filterErr
		return d
	}
	if _, ok := delivered[in.id]; ok {
		d.state = stateDelivered
		return d
	}
	d.stored = in.stored
	d.body = d.stored
	switch {
	case d.invalid && !sendInvalid:
		d.state = stateInvalid
	case d.invalid:
		// Sent exactly as stored: rewriting needs a valid document.
	case rw.Active():
		d.rewrite(rw, in.raw)
	}
	return d
}

// rewrite sets the body to raw (the stored bytes without a byte-order mark) rewritten;
// a document that cannot be rewritten is broken.
func (d *doc) rewrite(rw *Rewriter, raw []byte) {
	body, err := rw.Apply(nil, raw, d.kind)
	if errors.Is(err, errNothingShifted) {
		d.warn, err = err.Error(), nil
	}
	if err != nil {
		d.state, d.err = stateBroken, err.Error()
		return
	}
	d.body, d.rewritten = body, true
}
