package payload

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/rules"
	"github.com/smarthook/smarthook/internal/testutil"
)

// describeWebhook lists the members the decoder found, one "Field = raw" a line, then
// the findings: what a golden file pins for each event and shape.
func describeWebhook(w *Webhook, fs []rules.Finding) string {
	var b strings.Builder
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		switch x := v.Interface().(type) {
		case Value:
			if x.Present() && x.Kind.String() != "object" && x.Kind.String() != "array" {
				fmt.Fprintf(&b, "%s = %s\n", prefix, x.Raw)
			} else if x.Present() {
				fmt.Fprintf(&b, "%s = (%s)\n", prefix, x.Kind)
			}
			return
		}
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				if name := v.Type().Field(i).Name; name != "Data" && name != "Self" {
					walk(prefix+"."+name, v.Field(i))
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", prefix, i), v.Index(i))
			}
		}
	}
	walk("webhook", reflect.ValueOf(*w))
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %s %s: %s\n", f.Severity, f.Rule, f.Pointer, f.Message)
	}
	return b.String()
}

// TestWebhookShapes decodes one webhook of every documented event and both
// conversation shapes, and pins what the model holds and the findings.
func TestWebhookShapes(t *testing.T) {
	files, err := filepath.Glob("testdata/webhooks/*.json")
	if err != nil || len(files) < 20 {
		t.Fatalf("%d webhook samples: %v", len(files), err)
	}
	var d Decoder
	events := map[string]bool{}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, fs := d.Decode(raw)
			if doc.Kind != KindWebhook {
				t.Fatalf("kind %v", doc.Kind)
			}
			for _, f := range fs {
				if f.Severity == rules.Error {
					t.Errorf("error finding in a documented shape: %s %s", f.Pointer, f.Message)
				}
			}
			events[doc.Webhook.Event.Text()] = true
			testutil.Golden(t, strings.TrimSuffix(f, ".json")+".golden", []byte(describeWebhook(&doc.Webhook, fs)))
		})
	}
	for _, e := range WebhookEvents {
		if e != "visitor.replied" && e != "conversation.opened" && e != "conversation.agent_unassigned" && !events[e] {
			t.Errorf("no sample of %s", e)
		}
	}
}

// TestWebhookMessageShapes checks the two conversation shapes and the content forms.
func TestWebhookMessageShapes(t *testing.T) {
	var d Decoder
	doc, _ := d.Decode([]byte(`{"type":"event_callback","event":"conversation.agent_replied","data":{"conversation":{"id":"c","messages":[{"content":"a"},{"content":{"text":"b"}},{"content":{"html":"<i>c</i>"}}]}}}`))
	w := &doc.Webhook
	if len(w.Messages) != 3 || w.Messages[0].Text.Text() != "a" || w.Messages[1].Text.Text() != "b" || w.Messages[2].Text.Text() != "<i>c</i>" {
		t.Fatalf("nested messages: %+v", w.Messages)
	}
	if m := w.MessageOf(); m != &w.Messages[2] {
		t.Error("MessageOf of the nested shape is not the last message")
	}
	if string(w.Data.Raw) != `{"conversation":{"id":"c","messages":[{"content":"a"},{"content":{"text":"b"}},{"content":{"html":"<i>c</i>"}}]}}` {
		t.Errorf("data raw: %s", w.Data.Raw)
	}
	doc, _ = d.Decode([]byte(`{"type":"event_callback","event":"conversation.contact_replied","data":{"conversation":{"id":"c"},"message":{"id":"m","content":"x"}}}`))
	w = &doc.Webhook
	if len(w.Messages) != 0 || w.MessageOf() != &w.Message || w.Message.ID.Text() != "m" || w.Conversation.ID.Text() != "c" {
		t.Errorf("message beside the conversation: %+v", w)
	}
}

func TestWebhookModelRules(t *testing.T) {
	env := `{"type":"event_callback","event":"conversation.closed","timestamp":"2026-11-30T10:00:00Z","account_id":"1","data":{"conversation":{"id":"c","status":"closed"}}}`
	doc := func(old, new string) func(t *testing.T) string {
		return func(t *testing.T) string { return edit(t, env, old, new) }
	}
	tests := []ruleCase{
		{"unknown event is a warning", doc(`conversation.closed`, `conversation.visitor_chatted`), KindWebhook,
			[]wantFinding{{rules.WebhookEvent, rules.Warning, "/event", `"event":‸"conversation.visitor_chatted"`}}},
		{"unknown status", doc(`"status":"closed"`, `"status":"done"`), KindWebhook,
			[]wantFinding{{rules.FieldType, rules.Warning, "/data/conversation/status", `"status":‸"done"`}}},
		{"rating out of range", doc(`"status":"closed"}`, `"status":"closed"},"rating_value":9`), KindWebhook,
			[]wantFinding{{rules.RatingRange, rules.Warning, "/data/rating_value", `"rating_value":‸9`}}},
		{"rating object text not a string", doc(`"status":"closed"}`, `"status":"closed"},"rating":{"value":5,"text":5}`), KindWebhook,
			[]wantFinding{{rules.FieldType, rules.Warning, "/data/rating/text", `"text":‸5`}}},
		{"conversation not an object", doc(`"conversation":{"id":"c","status":"closed"}`, `"conversation":[1]`), KindWebhook,
			[]wantFinding{{rules.Type, rules.Error, "/data/conversation", `"conversation":‸[1]`}}},
		{"messages not an array", doc(`"status":"closed"`, `"status":"closed","messages":{}`), KindWebhook,
			[]wantFinding{{rules.Type, rules.Error, "/data/conversation/messages", `"messages":‸{}`}}},
		{"content a number", doc(`"status":"closed"}`, `"status":"closed"},"message":{"sub_type":"agent","content":5}`), KindWebhook,
			[]wantFinding{{rules.Type, rules.Error, "/data/message/content", `"content":‸5`}}},
		{"unknown sub_type", doc(`"status":"closed"`, `"status":"closed","messages":[{"type":"message","sub_type":"robot","content":"x"}]`), KindWebhook,
			[]wantFinding{{rules.MessageType, rules.Warning, "/data/conversation/messages/0/sub_type", `"sub_type":‸"robot"`}}},
		{"tags not strings", doc(`"status":"closed"`, `"status":"closed","tags":["a",1]`), KindWebhook,
			[]wantFinding{{rules.FieldType, rules.Warning, "/data/conversation/tags", `"tags":‸["a",1]`}}},
		{"bad time", doc(`"status":"closed"`, `"status":"closed","created_at":"yesterday"`), KindWebhook,
			[]wantFinding{{rules.TimeFormat, rules.Warning, "/data/conversation/created_at", `"created_at":‸"yesterday"`}}},
		{"boolean as string", doc(`"status":"closed"`, `"status":"closed","is_served":"yes"`), KindWebhook,
			[]wantFinding{{rules.FieldType, rules.Warning, "/data/conversation/is_served", `"is_served":‸"yes"`}}},
		{"contact phone a number", doc(`"status":"closed"}`, `"status":"closed"},"contact":{"phone":420777}`), KindWebhook,
			[]wantFinding{{rules.FieldType, rules.Warning, "/data/contact/phone", `"phone":‸420777`}}},
		{"numeric ids accepted", doc(`"id":"c"`, `"id":12`), KindWebhook, nil},
	}
	runRuleCases(t, tests)
}
