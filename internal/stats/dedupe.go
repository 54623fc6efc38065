package stats

import (
	"encoding/binary"
	"hash/maphash"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// Smartsupp delivers a hook again when the receiver does not answer 2xx in time, and
// archives overlap, so one chat can be read several times. A delivery is known by a
// 64-bit fingerprint: of (accountId, channel.id) for a POST hook, and of the account,
// event, timestamp and data (white space between tokens left out) for a REST webhook,
// whose deliveries carry no id and "can only be recognised by content". The first
// delivery read wins; the later ones are duplicates.

// fingerprints makes the delivery fingerprints of one run; its seed is shared by the
// workers (a maphash.Seed is safe to share), each of which has its own fingerprinter.
type fingerprints struct{ seed maphash.Seed }

// fingerprinter makes fingerprints on one worker, with its own scratch.
type fingerprinter struct {
	h    maphash.Hash
	data []byte
	key  [17]byte
}

func (fs *fingerprints) worker() *fingerprinter {
	f := &fingerprinter{}
	f.h.SetSeed(fs.seed)
	return f
}

// of is the fingerprint of a document's delivery; 0 for documents that are not told
// apart (stats reports, and hooks without integer accountId and channel.id).
func (f *fingerprinter) of(doc *payload.Doc) uint64 {
	switch doc.Kind {
	case payload.KindHook:
		ref := payload.ChatOf(doc)
		if !ref.OK {
			return 0
		}
		f.key[0] = 'h'
		binary.LittleEndian.PutUint64(f.key[1:], uint64(ref.Key.Account))
		binary.LittleEndian.PutUint64(f.key[9:], uint64(ref.Key.Channel))
		f.h.Reset()
		f.h.Write(f.key[:])
	case payload.KindWebhook:
		w := &doc.Webhook
		f.h.Reset()
		f.h.WriteByte('w')
		for _, v := range [...]payload.Value{w.AccountID, w.Event, w.Timestamp} {
			f.h.WriteByte(byte(v.Kind))
			f.h.Write(v.Raw)
			f.h.WriteByte(0)
		}
		f.data = jsontext.AppendCompact(f.data[:0], w.Data.Raw)
		f.h.Write(f.data)
	default:
		return 0
	}
	return nonZero(f.h.Sum64())
}

// conversation is the fingerprint of the conversation a REST webhook is about:
// account_id and data.conversation.id, else data.conversation_id, else
// data.message.conversation_id; 0 when it names none.
func (f *fingerprinter) conversation(w *payload.Webhook) uint64 {
	id := w.Conversation.ID
	for _, v := range [...]payload.Value{w.ConversationID, w.Message.ConversationID} {
		if len(id.Raw) == 0 {
			id = v
		}
	}
	if len(id.Raw) == 0 || (id.Kind != jsontext.String && id.Kind != jsontext.Number) {
		return 0
	}
	f.h.Reset()
	f.h.WriteByte('c')
	f.h.Write(w.AccountID.Raw)
	f.h.WriteByte(0)
	f.h.Write(id.Raw)
	return nonZero(f.h.Sum64())
}

// nonZero keeps 0 free for "no fingerprint" (and for the set's empty slots).
func nonZero(h uint64) uint64 {
	if h == 0 {
		return 1
	}
	return h
}

// seenSet is a set of non-zero fingerprints: an open-addressing table of 8-byte slots
// kept at most 3/4 full, so a fingerprint costs 10.7 to 21 bytes (more briefly while
// the table doubles). A Go map of the same keys costs 37 to 56 bytes an entry.
type seenSet struct {
	slots []uint64
	n     int
}

// add puts fp in the set and reports whether it was new.
func (s *seenSet) add(fp uint64) bool {
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := fp & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case fp:
			return false
		case 0:
			s.slots[i] = fp
			s.n++
			return true
		}
	}
}

func (s *seenSet) grow() {
	old := s.slots
	s.slots = make([]uint64, max(2*len(old), 1024))
	s.n = 0
	for _, fp := range old {
		if fp != 0 {
			s.add(fp)
		}
	}
}

// len is the number of fingerprints in the set.
func (s *seenSet) len() int { return s.n }
