package convert

import (
	"strings"
	"testing"
)

// The two conversation shapes and a contact event, as convert reads them.
const (
	webhookNested = `{"type":"event_callback","event":"conversation.agent_replied","timestamp":"2026-11-30T09:52:00Z","account_id":"208","data":{"conversation":{"id":"c1","status":"served","messages":[{"id":"m1","sub_type":"contact","content":{"type":"text","text":"Hello"},"created_at":"2026-11-30T09:50:00Z"},{"id":"m2","sub_type":"agent","content":"Hi","created_at":"2026-11-30T09:52:00Z"}]},"message":{"id":"m2","sub_type":"agent","content":"Hi"}}}`
	webhookBeside = `{"type":"event_callback","event":"conversation.bot_replied","timestamp":"2026-11-30T09:50:02Z","account_id":"208","data":{"conversation":{"id":"c2","status":"pending"},"contact":{"id":"ct2","name":"Jana","email":"jana@mail.cz","phone":"+420 777 123 456"},"message":{"id":"m3","conversation_id":"c2","sub_type":"bot","content":{"html":"<b>Hi</b>"},"created_at":"2026-11-30T09:50:02Z"}}}`
	webhookJoin   = `{"type":"event_callback","event":"conversation.agent_joined","timestamp":"2026-11-30T09:51:10Z","account_id":"208","data":{"conversation_id":"c2","agent_id":"7"}}`
	webhookRated  = `{"type":"event_callback","event":"conversation.closed","timestamp":"2026-11-30T10:00:05Z","account_id":"208","data":{"conversation":{"id":"c2","status":"closed"},"close_type":"agent","agent_id":"7","rating":{"value":4,"text":"ok"}}}`
)

func TestWebhookRows(t *testing.T) {
	in := strings.Join([]string{webhookNested, webhookBeside, webhookJoin, webhookRated}, "\n") + "\n"
	tests := []struct {
		rows    string
		columns []string
		want    string
	}{
		{"webhook-messages", nil, "timestamp,event,account_id,conversation_id,index,id,sub_type,created_at,text\n" +
			"2026-11-30T09:52:00Z,conversation.agent_replied,208,c1,0,m1,contact,2026-11-30T09:50:00Z,Hello\n" +
			"2026-11-30T09:52:00Z,conversation.agent_replied,208,c1,1,m2,agent,2026-11-30T09:52:00Z,Hi\n" +
			"2026-11-30T09:50:02Z,conversation.bot_replied,208,c2,0,m3,bot,2026-11-30T09:50:02Z,<b>Hi</b>\n"},
		{"contacts", nil, "timestamp,event,account_id,id,name,email,phone\n" +
			"2026-11-30T09:50:02Z,conversation.bot_replied,208,ct2,Jana,jana@mail.cz,+420 777 123 456\n"},
		{"events", []string{"event", "data.conversation.id", "data.close_type", "data.agent_id", "data.rating_value", "data.rating_text", "data.contact.name", "data.message.id", "data.message.text"},
			"event,data.conversation.id,data.close_type,data.agent_id,data.rating_value,data.rating_text,data.contact.name,data.message.id,data.message.text\n" +
				"conversation.agent_replied,c1,,,,,,m2,Hi\n" +
				"conversation.bot_replied,c2,,,,,Jana,m3,<b>Hi</b>\n" +
				"conversation.agent_joined,c2,,7,,,,,\n" +
				"conversation.closed,c2,agent,7,4,ok,,,\n"},
	}
	for _, tt := range tests {
		t.Run(tt.rows, func(t *testing.T) {
			out, errOut, err := convertRun(t, Options{Rows: tt.rows, Columns: tt.columns, Format: Format{To: "csv"}}, in)
			if err != nil || out != tt.want {
				t.Errorf("--rows %s: %v %s\n%s\nwant\n%s", tt.rows, err, errOut, out, tt.want)
			}
		})
	}
}
