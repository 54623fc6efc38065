package payload

import "github.com/smarthook/smarthook/internal/rules"

// The duplicate-chat rule spans documents: a chat (accountId, channel.id) seen twice in
// one run. ChatOf takes a hook's key on a worker; Chats, fed the documents in input
// order, finds the repeats.

// ChatKey names a chat: its account and its channel id.
type ChatKey struct{ Account, Channel int64 }

// ChatRef is where a hook document's chat key is: the key and the offset of channel.id.
type ChatRef struct {
	Key    ChatKey
	Offset int
	OK     bool // the document is a hook with integer accountId and channel.id
}

// ChatOf is the chat key of doc, when it is a hook that has one.
func ChatOf(doc *Doc) ChatRef {
	if doc.Kind != KindHook {
		return ChatRef{}
	}
	a, okA := doc.Hook.AccountID.Int()
	c, okC := doc.Hook.Channel.ID.Int()
	return ChatRef{Key: ChatKey{a, c}, Offset: int(doc.Hook.Channel.ID.Off), OK: okA && okC}
}

// Chats remembers the chats of a run. The zero value is ready to use.
type Chats struct{ seen map[ChatKey]struct{} }

// Check remembers the chat of ref and, when it was seen before in this run, returns
// the duplicate-chat finding.
func (c *Chats) Check(ref ChatRef) (rules.Finding, bool) {
	if !ref.OK {
		return rules.Finding{}, false
	}
	if c.seen == nil {
		c.seen = make(map[ChatKey]struct{})
	}
	if _, dup := c.seen[ref.Key]; dup {
		return rules.New(rules.DuplicateChat, ref.Offset, "/channel/id",
			"the same chat (accountId %d, channel.id %d) was seen before in this run", ref.Key.Account, ref.Key.Channel), true
	}
	c.seen[ref.Key] = struct{}{}
	return rules.Finding{}, false
}
