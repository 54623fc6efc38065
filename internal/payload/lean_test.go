package payload

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A Lean decoder gives the same findings as a full one on a chat of many messages,
// wherever the problems are, while keeping few messages.
func TestLeanSameFindings(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"accountId":1,"beginAt":1427470439703,"endAt":1427470476687,"channel":{"id":2},"messages":[`)
	n := 3*leanMessages + 17
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		switch {
		case i == 5 || i == leanMessages+3:
			b.WriteString(`{"type":"robot","content":"x","sentAt":1427470440000}`)
		case i == leanMessages-1:
			b.WriteString(`{"type":"visitor","content":"x","sentAt":1427470439000}`) // before beginAt
		case i == 2*leanMessages:
			b.WriteString(`{"type":"visitor","sentAt":1427470440000}`) // no content
		case i == n-1:
			b.WriteString(`{"type":"visitor","content":"x","sentAt":1427470440001}`)
		default:
			b.WriteString(fmt.Sprintf(`{"type":"agent","content":"x","sentAt":%d}`, 1427470440000+int64(i%2)))
		}
	}
	b.WriteString(`]}`)
	doc := []byte(b.String())
	var full, lean Decoder
	lean.Lean = true
	_, fs := full.Decode(doc)
	want := slices.Clone(fs)
	d, got := lean.Decode(doc)
	if len(want) < 4 || !slices.Equal(got, want) {
		t.Errorf("lean findings %d:\n%v\nfull %d:\n%v", len(got), got, len(want), want)
	}
	if len(d.Hook.Messages) > leanMessages {
		t.Errorf("lean decoder kept %d messages", len(d.Hook.Messages))
	}
	// Broken later: only the syntax finding.
	_, got = lean.Decode(append(doc[:len(doc)-2:len(doc)-2], ',', '}'))
	if len(got) != 1 || got[0].Rule != "syntax" {
		t.Errorf("broken document: %v", got)
	}
}
