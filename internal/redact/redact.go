// Package redact replaces personal data in Smartsupp payloads (POST hooks and REST
// webhooks) with pseudonyms, keeping every other byte of the document as it was: key
// order, number literals, white space.
//
// A pseudonym is derived from the value with HMAC-SHA256 under a secret key, so the same
// key turns the same value into the same pseudonym in every document and every run
// (chats of one visitor still group together), while nobody without the key can guess
// the value back from it. Pseudonyms keep the value's shape: an e-mail address stays an
// address (visitor-3f9a1c0b2d@example.invalid), a name a name (Visitor 3f9a1c0b2d), an
// IP address an address of the documentation ranges, a text a short note of its length
// ([redacted 42 chars 3f9a1c0b2d]), a number a number of as many digits. null and ""
// stay as they are, and so do true and false.
//
// Run is `smarthook redact`: it reads documents through package input and writes the
// redacted copies as NDJSON or as a mirror of the input files (files.go).
package redact

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"

	"github.com/smarthook/smarthook/internal/payload"
)

// Errors of New, for errors.Is.
var (
	ErrNoKey        = errors.New("no redaction key")
	ErrUnknownField = errors.New("unknown field")
)

// Options configure a Redactor.
type Options struct {
	// Key is the secret that makes pseudonyms stable and unguessable (HMAC-SHA256).
	// Use 32 random bytes, and keep it: another key gives other pseudonyms.
	Key []byte
	// Fields is what to redact (names from AllFields); nil or empty means
	// DefaultFields().
	Fields []string
}

// Redactor replaces personal data. It is safe for concurrent use.
type Redactor struct {
	key    []byte
	fields fieldSet
	states sync.Pool // *state: one walk's scratch memory
}

// New returns a Redactor for opts. It fails for an empty key and for unknown field
// names.
func New(opts Options) (*Redactor, error) {
	if len(opts.Key) == 0 {
		return nil, fmt.Errorf("redact: %w: pseudonyms need a secret key", ErrNoKey)
	}
	names := opts.Fields
	if len(names) == 0 {
		names = DefaultFields()
	}
	var set fieldSet
	for _, name := range names {
		f, ok := lookup(strings.TrimSpace(name))
		if !ok {
			return nil, fmt.Errorf("redact: %w %q: use %s", ErrUnknownField, name, strings.Join(AllFields(), ", "))
		}
		set |= f.bit
	}
	r := &Redactor{key: append([]byte(nil), opts.Key...), fields: set}
	r.states.New = func() any {
		return &state{r: r, mac: hmac.New(sha256.New, r.key)}
	}
	return r, nil
}

// Apply appends to dst the document doc with the chosen fields replaced by
// pseudonyms and everything else byte for byte, a leading byte-order mark included.
// doc must be one JSON document (of any kind: documents that are not Smartsupp
// payloads come out as they went in); for anything else Apply returns dst unchanged
// and an error that wraps *jsontext.SyntaxError. dst and doc must not overlap.
func (r *Redactor) Apply(dst, doc []byte) ([]byte, error) { return r.ApplyCount(dst, doc, nil) }

// ApplyCount is Apply that also adds to c (when not nil) the values it replaced, by
// kind.
func (r *Redactor) ApplyCount(dst, doc []byte, c *Counts) ([]byte, error) {
	st := r.states.Get().(*state)
	n := len(dst)
	st.counts = Counts{}
	out, err := st.apply(dst, doc)
	if err == nil && c != nil {
		c.Add(st.counts)
	}
	st.release()
	r.states.Put(st)
	if err != nil {
		return dst[:n], err
	}
	return out, nil
}

// state is the memory of one Apply call, reused through the Redactor's pool.
type state struct {
	r      *Redactor
	dec    payload.Decoder
	mac    hash.Hash
	sum    []byte // HMAC output
	head   []byte // HMAC input before the value: class and block
	out    []byte // the replacement being built, quoted
	plain  []byte // the pseudonym being built
	txt    []byte // a string's decoded text
	head2  []byte // a phone number's digits
	tmp    []byte // a collected value's pseudonym
	vals   valueSet
	counts Counts   // the values the last walk replaced
	keep   [][]byte // agents' names a survey saw

	// Which messages are of which kind (flag bits per array index): known is what the
	// walk uses to decide, seen what it observed. When a walk sees more than it knew
	// (duplicate keys, a type after the content in a webhook), it runs again.
	hook    msgFlags // messages[]
	conv    msgFlags // data.conversation.messages[]
	single  msgFlags // data.message, as index 0
	survey  bool     // this walk only observes (and collects a webhook's values)
	scanAny bool     // free text may hold something to replace
	inURL   bool     // the string being scanned is a URL: its digits are no phone
}

// release drops references to the caller's memory and oversized buffers.
func (st *state) release() {
	const keep = 1 << 20
	if cap(st.out) > keep {
		st.out = nil
	}
	if cap(st.txt) > keep {
		st.txt = nil
	}
	if cap(st.plain) > keep {
		st.plain = nil
	}
}
