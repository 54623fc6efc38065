package payload

import (
	"testing"

	"github.com/smarthook/smarthook/internal/rules"
)

func TestDuplicateChat(t *testing.T) {
	var dec Decoder
	hook := func(account, channel string) ChatRef {
		doc, _ := dec.Decode([]byte(`{"accountId":` + account + `,"beginAt":1,"endAt":2,"channel":{"id":` + channel + `},"messages":[]}`))
		return ChatOf(doc)
	}
	var chats Chats
	if _, dup := chats.Check(hook("1", "5")); dup {
		t.Fatal("the first chat is a duplicate")
	}
	if _, dup := chats.Check(hook("2", "5")); dup {
		t.Error("another account's chat is a duplicate")
	}
	ref := hook("1", "5")
	f, dup := chats.Check(ref)
	if !dup || f.Rule != rules.DuplicateChat || f.Severity != rules.Warning || f.Pointer != "/channel/id" || f.Offset != ref.Offset {
		t.Errorf("the same chat again: %v %+v", dup, f)
	}
	if want := "the same chat (accountId 1, channel.id 5) was seen before in this run"; f.Message != want {
		t.Errorf("message %q", f.Message)
	}
	// Documents without a usable key never count.
	if _, dup := chats.Check(hook(`"x"`, "5")); dup {
		t.Error("a string accountId makes a duplicate")
	}
	doc, _ := dec.Decode([]byte(`{"type":"event_callback","event":"x","data":{}}`))
	if ChatOf(doc).OK {
		t.Error("a webhook has a chat key")
	}
}
