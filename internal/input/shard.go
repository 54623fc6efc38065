package input

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// Shard is one part of a deterministic split of the documents: the documents whose
// key hashes to Index modulo Count. Count workers that each read the same inputs with
// Index 0 … Count-1 together process every document exactly once. Count <= 1 keeps
// every document.
//
// A document's key is its chat: (accountId, channel.id) for a chat hook,
// (account_id, conversation id) for a REST webhook; any other document, or one that
// cannot be parsed, is keyed by its origin. All copies of a chat thus land in the same
// shard, so duplicate checks stay whole. An input that cannot be opened at all is
// reported by every shard, so that a mistyped path fails every worker.
type Shard struct {
	Index, Count int
}

// On reports whether the shard keeps only part of the documents.
func (s Shard) On() bool { return s.Count > 1 }

// String is the shard as the --shard flag takes it: "I/N".
func (s Shard) String() string {
	if !s.On() {
		return ""
	}
	return strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count)
}

// ParseShard reads "I/N": the 0-based shard I of N.
func ParseShard(v string) (Shard, error) {
	i, n, ok := strings.Cut(v, "/")
	if !ok {
		return Shard{}, fmt.Errorf("%q is not I/N (shard I of N, counted from 0)", v)
	}
	index, err1 := strconv.Atoi(strings.TrimSpace(i))
	count, err2 := strconv.Atoi(strings.TrimSpace(n))
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("%q is not I/N (shard I of N, counted from 0)", v)
	}
	return NewShard(index, count)
}

// NewShard checks a shard index and count.
func NewShard(index, count int) (Shard, error) {
	switch {
	case count < 1:
		return Shard{}, fmt.Errorf("shard count %d: must be 1 or more", count)
	case index < 0 || index >= count:
		return Shard{}, fmt.Errorf("shard index %d: must be from 0 to %d", index, count-1)
	}
	return Shard{Index: index, Count: count}, nil
}

// Keeps reports whether the record belongs to the shard.
func (s Shard) Keeps(rec *Record) bool {
	if !s.On() {
		return true
	}
	if re := (*ReadError)(nil); errors.As(rec.Err, &re) && re.Unopened {
		return true
	}
	h := fnv.New64a()
	if rec.Err == nil {
		if key := ShardKey(rec.Raw); key != nil {
			h.Write(key)
			return h.Sum64()%uint64(s.Count) == uint64(s.Index)
		}
	}
	h.Write([]byte("origin\x00"))
	h.Write([]byte(rec.Origin.String()))
	return h.Sum64()%uint64(s.Count) == uint64(s.Index)
}

// filter drops the records of other shards from the batch, counting the documents
// dropped in Dropped.
func (s Shard) filter(b *Batch) {
	kept := b.Records[:0]
	for i := range b.Records {
		rec := b.Records[i]
		if s.Keeps(&rec) {
			kept = append(kept, rec)
		} else if rec.Err == nil {
			b.Dropped++
		}
	}
	clear(b.Records[len(kept):])
	b.Records = kept
}

// ShardKey is the chat a document belongs to, read cheaply from its raw text:
// "hook\x00<accountId>\x00<channel.id>" for a chat hook, "webhook\x00<account_id>\x00<id>"
// for a REST webhook about a conversation (data.conversation.id, data.conversation_id
// or data.message.conversation_id). nil when the document names no chat or is not
// valid JSON.
func ShardKey(raw []byte) []byte {
	key, err := shardKey(raw)
	if err != nil {
		return nil
	}
	return key
}

func shardKey(raw []byte) (key []byte, err error) {
	defer jsontext.Catch(&err)
	var s jsontext.Scanner
	s.Reset(jsontext.TrimBOM(raw))
	if s.Peek() != jsontext.Object {
		return nil, nil
	}
	var account, webAccount, chat, conv []byte
	first := true
	s.BeginObject()
	for s.More('}', &first) {
		name, _ := s.Key()
		switch string(name) {
		case "accountId":
			account = scalarText(&s)
		case "account_id":
			webAccount = scalarText(&s)
		case "channel":
			chat = memberOf(&s, "id")
		case "data":
			conv = conversationOf(&s)
		default:
			s.Skip()
		}
		if account != nil && chat != nil {
			return join("hook", account, chat), nil
		}
	}
	if conv != nil {
		return join("webhook", webAccount, conv), nil
	}
	return nil, nil
}

func join(kind string, a, b []byte) []byte {
	out := append([]byte(kind), 0)
	out = append(out, a...)
	out = append(out, 0)
	return append(out, b...)
}

// scalarText reads a value and returns the text of a string or number (a string
// without its quotes, so that 12 and "12" are the same chat), nil for anything else.
func scalarText(s *jsontext.Scanner) []byte {
	k, v := s.Value()
	switch k {
	case jsontext.Number:
		return v
	case jsontext.String:
		return v[1 : len(v)-1]
	}
	return nil
}

// memberOf reads an object and returns the scalar text of its member name; nil when
// the value is not an object or has no such member.
func memberOf(s *jsontext.Scanner, name string) []byte {
	if s.Peek() != jsontext.Object {
		s.Skip()
		return nil
	}
	var out []byte
	first := true
	s.BeginObject()
	for s.More('}', &first) {
		k, _ := s.Key()
		if out == nil && string(k) == name {
			out = scalarText(s)
			continue
		}
		s.Skip()
	}
	return out
}

// conversationOf reads a webhook's data member and returns its conversation id.
func conversationOf(s *jsontext.Scanner) []byte {
	if s.Peek() != jsontext.Object {
		s.Skip()
		return nil
	}
	var conv, direct, viaMessage []byte
	first := true
	s.BeginObject()
	for s.More('}', &first) {
		k, _ := s.Key()
		switch string(k) {
		case "conversation":
			conv = memberOf(s, "id")
		case "conversation_id":
			direct = scalarText(s)
		case "message":
			viaMessage = memberOf(s, "conversation_id")
		default:
			s.Skip()
		}
	}
	for _, c := range [][]byte{conv, direct, viaMessage} {
		if len(c) > 0 {
			return c
		}
	}
	return nil
}
