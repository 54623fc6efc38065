package payload

import (
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/rules"
)

// wantFinding is a finding a test expects: its rule, severity, JSON pointer and the place
// it points at, written as a unique piece of the document with a marker (see locate).
type wantFinding struct {
	rule rules.ID
	sev  rules.Severity
	ptr  string
	at   string // "" means offset 0
}

// ruleCase is one document and the findings it must give, in order.
type ruleCase struct {
	name string
	doc  func(t *testing.T) string
	kind Kind
	want []wantFinding
}

func runRuleCases(t *testing.T, tests []ruleCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.doc(t)
			doc, fs := decode(t, raw)
			if doc.Kind != tt.kind {
				t.Errorf("kind %v, want %v", doc.Kind, tt.kind)
			}
			if len(fs) != len(tt.want) {
				t.Fatalf("%d findings %+v, want %d %+v", len(fs), fs, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				checkFinding(t, raw, fs[i], w)
			}
		})
	}
}

// checkFinding compares f with w, and checks that the line and column of f's offset,
// as jsontext.LineCol computes them, show the text w marks.
func checkFinding(t *testing.T, raw string, f rules.Finding, w wantFinding) {
	t.Helper()
	off := 0
	if w.at != "" {
		off = locate(t, raw, w.at)
	}
	if f.Rule != w.rule || f.Severity != w.sev || f.Pointer != w.ptr || f.Offset != off {
		t.Errorf("finding {%s %v %q at %d}, want {%s %v %q at %d} (%s)", f.Rule, f.Severity, f.Pointer, f.Offset, w.rule, w.sev, w.ptr, off, f.Message)
		return
	}
	line, col := jsontext.LineCol([]byte(raw), f.Offset)
	wantText := raw[off:]
	if got := textAt(t, raw, line, col); got != wantText {
		t.Errorf("%d:%d shows %.30q, want %.30q", line, col, got, wantText)
	}
}

func TestHookErrors(t *testing.T) {
	ex := docExample(t)
	e := func(id rules.ID, ptr, at string) wantFinding { return wantFinding{id, rules.Error, ptr, at} }
	doc := func(old, new string) func(t *testing.T) string {
		return func(t *testing.T) string { return edit(t, ex, old, new) }
	}
	tests := []ruleCase{
		{"top level array", func(*testing.T) string { return `[{"accountId":1}]` }, KindUnknown, []wantFinding{e(rules.Type, "", "")}},
		{"top level string", func(*testing.T) string { return ` "hook"` }, KindUnknown, []wantFinding{e(rules.Type, "", "")}},
		{"top level null", func(*testing.T) string { return `null` }, KindUnknown, []wantFinding{e(rules.Type, "", "")}},
		{"top level number", func(*testing.T) string { return "208\n" }, KindUnknown, []wantFinding{e(rules.Type, "", "")}},
		{"missing accountId", doc(`"accountId": 208,`, ``), KindHook, []wantFinding{e(rules.Required, "", "")}},
		{"missing beginAt", doc(`"beginAt": 1427470439703,`, ``), KindHook, []wantFinding{e(rules.Required, "", "")}},
		{"missing endAt", doc(`"endAt": 1427470476687,`, ``), KindHook, []wantFinding{e(rules.Required, "", "")}},
		{"missing channel", doc(`"channel": {`, `"oldChannel": {`), KindHook, []wantFinding{e(rules.Required, "", "")}},
		{"missing channel id", doc(`"id": 55039,`, ``), KindHook, []wantFinding{e(rules.Required, "/channel", `"channel": ‸{`)}},
		{"missing messages", doc(`"messages":[{`, `"oldMessages":[{`), KindHook, []wantFinding{e(rules.Required, "", "")}},
		{"accountId string", doc(`"accountId": 208`, `"accountId": "208"`), KindHook, []wantFinding{e(rules.Type, "/accountId", `"accountId": ‸"208"`)}},
		{"accountId float", doc(`"accountId": 208`, `"accountId": 208.0`), KindHook, []wantFinding{e(rules.Type, "/accountId", `"accountId": ‸208.0`)}},
		{"channel not object", doc(`"channel": {`, `"channel": [55039], "oldChannel": {`), KindHook, []wantFinding{e(rules.Type, "/channel", `"channel": ‸[55039]`)}},
		{"channel id string", doc(`"id": 55039`, `"id": "55039"`), KindHook, []wantFinding{e(rules.Type, "/channel/id", `"id": ‸"55039"`)}},
		{"messages object", doc(`"messages":[{`, `"messages":{"0":{}}, "oldMessages":[{`), KindHook, []wantFinding{e(rules.Type, "/messages", `"messages":‸{"0"`)}},
		{"messages null", doc(`"messages":[{`, `"messages":null, "oldMessages":[{`), KindHook, []wantFinding{e(rules.Type, "/messages", `"messages":‸null`)}},
		{"paths object", doc(`"paths":[{`, `"paths":{}, "oldPaths":[{`), KindHook, []wantFinding{e(rules.Type, "/paths", `"paths":‸{}`)}},
		{"paths string", doc(`"paths":[{`, `"paths":"/", "oldPaths":[{`), KindHook, []wantFinding{e(rules.Type, "/paths", `"paths":‸"/"`)}},
		{"variables array", doc(`"variables": {`, `"variables": [], "oldVariables": {`), KindHook, []wantFinding{e(rules.Type, "/visitor/variables", `"variables": ‸[]`)}},
		{"variables string", doc(`"variables": {`, `"variables": "a=b", "oldVariables": {`), KindHook, []wantFinding{e(rules.Type, "/visitor/variables", `"variables": ‸"a=b"`)}},
		{"visitor not object", doc(`"visitor":{`, `"visitor":"Dusan", "oldVisitor":{`), KindHook, []wantFinding{e(rules.Type, "/visitor", `"visitor":‸"Dusan"`)}},
		{"flag string true", doc(`"isChat": true`, `"isChat": "true"`), KindHook, []wantFinding{e(rules.Type, "/channel/isChat", `"isChat": ‸"true"`)}},
		{"flag 1", doc(`"isMissed": false`, `"isMissed": 1`), KindHook, []wantFinding{e(rules.Type, "/channel/isMissed", `"isMissed": ‸1`)}},
		{"flag 0", doc(`"isDropped": false`, `"isDropped": 0`), KindHook, []wantFinding{e(rules.Type, "/channel/isDropped", `"isDropped": ‸0`)}},
		{"rating string", doc(`"rating": 5`, `"rating": "5"`), KindHook, []wantFinding{e(rules.Type, "/channel/rating", `"rating": ‸"5"`)}},
		{"rating float", doc(`"rating": 5`, `"rating": 4.5`), KindHook, []wantFinding{e(rules.Type, "/channel/rating", `"rating": ‸4.5`)}},
		{"rating bool", doc(`"rating": 5`, `"rating": true`), KindHook, []wantFinding{e(rules.Type, "/channel/rating", `"rating": ‸true`)}},
		{"beginAt string", doc(`"beginAt": 1427470439703`, `"beginAt": "1427470439703"`), KindHook, []wantFinding{e(rules.Type, "/beginAt", `"beginAt": ‸"1427470439703"`)}},
		{"endAt float", doc(`"endAt": 1427470476687`, `"endAt": 1427470476687.5`), KindHook, []wantFinding{e(rules.Type, "/endAt", `"endAt": ‸1427470476687.5`)}},
		{"endAt exponent", doc(`"endAt": 1427470476687`, `"endAt": 1.427470476687e12`), KindHook, []wantFinding{e(rules.Type, "/endAt", `"endAt": ‸1.427470476687e12`)}},
		{"beginAt too big", doc(`"beginAt": 1427470439703`, `"beginAt": 99999999999999999999`), KindHook, []wantFinding{e(rules.Type, "/beginAt", `"beginAt": ‸99999999999999999999`)}},
		{"sentAt string", doc(`"sentAt": 1427470446219`, `"sentAt": "1427470446219"`), KindHook, []wantFinding{e(rules.Type, "/messages/1/sentAt", `"sentAt": ‸"1427470446219"`)}},
		{"sentAt float", doc(`"sentAt": 1427470453772`, `"sentAt": 1427470453772.0`), KindHook, []wantFinding{e(rules.Type, "/messages/3/sentAt", `"sentAt": ‸1427470453772.0`)}},
		{"message without type", doc("{\n\"type\": \"agent\",\n\"name\": \"\",", "{\n\"kind\": \"agent\",\n\"name\": \"\","), KindHook,
			[]wantFinding{e(rules.Required, "/messages/2", "}, ‸{\n\"kind\": \"agent\"")}},
		{"message without content", doc(`"content": "tanks.",`, `"text": "tanks.",`), KindHook,
			[]wantFinding{e(rules.Required, "/messages/4", "}, ‸{\n\"type\": \"visitor\",\n\"name\": \"Dusan Kmet\"")}},
		{"message without sentAt", doc(`"sentAt": 1427470453772,`, `"sent": 1427470453772,`), KindHook,
			[]wantFinding{e(rules.Required, "/messages/3", "}, ‸{\n\"type\": \"agent\",\n\"name\": \"John Doe\"")}},
		{"message without anything", func(*testing.T) string {
			return `{"accountId":1,"beginAt":1700000000000,"endAt":1700000001000,"channel":{"id":2},"messages":[{"type":"agent","content":"a","sentAt":1700000000000}, {}]}`
		}, KindHook, []wantFinding{e(rules.Required, "/messages/1", `, ‸{}`), e(rules.Required, "/messages/1", `, ‸{}`), e(rules.Required, "/messages/1", `, ‸{}`)}},
		{"message not object", func(*testing.T) string {
			return `{"accountId":1,"beginAt":1700000000000,"endAt":1700000001000,"channel":{"id":2},"messages":["hello"]}`
		}, KindHook, []wantFinding{e(rules.Type, "/messages/0", `[‸"hello"]`)}},
		{"message type number", doc(`"type": "visitor",`+"\n"+`"from"`, `"type": 1,`+"\n"+`"from"`), KindHook, []wantFinding{e(rules.Type, "/messages/0/type", `"type": ‸1,`)}},
		{"message content null", doc(`"content": "Hello"`, `"content": null`), KindHook, []wantFinding{e(rules.Type, "/messages/0/content", `"content": ‸null`)}},
		{"several errors in document order", func(t *testing.T) string {
			d := edit(t, ex, `"accountId": 208`, `"accountId": "208"`)
			d = edit(t, d, `"rating": 5`, `"rating": "5"`)
			return edit(t, d, `"sentAt": 1427470476687`, `"sentAt": "x"`)
		}, KindHook, []wantFinding{
			e(rules.Type, "/accountId", `"accountId": ‸"208"`),
			e(rules.Type, "/channel/rating", `"rating": ‸"5"`),
			e(rules.Type, "/messages/5/sentAt", `"sentAt": ‸"x"`),
		}},
	}
	runRuleCases(t, tests)
}

func TestHookWarnings(t *testing.T) {
	ex := docExample(t)
	w := func(id rules.ID, ptr, at string) wantFinding { return wantFinding{id, rules.Warning, ptr, at} }
	doc := func(old, new string) func(t *testing.T) string {
		return func(t *testing.T) string { return edit(t, ex, old, new) }
	}
	tests := []ruleCase{
		{"beginAt in seconds", doc(`"beginAt": 1427470439703`, `"beginAt": 1427470439`), KindHook,
			[]wantFinding{w(rules.TimestampUnit, "/beginAt", `"beginAt": ‸1427470439`)}},
		{"endAt in seconds", doc(`"endAt": 1427470476687`, `"endAt": 1427470476`), KindHook,
			[]wantFinding{w(rules.TimestampUnit, "/endAt", `"endAt": ‸1427470476,`)}},
		{"sentAt in seconds", doc(`"sentAt": 1427470446219`, `"sentAt": 1427470446`), KindHook,
			[]wantFinding{w(rules.TimestampUnit, "/messages/1/sentAt", `"sentAt": ‸1427470446,`)}},
		{"endAt before beginAt", func(t *testing.T) string {
			d := edit(t, ex, `"endAt": 1427470476687`, `"endAt": 1427470400000`)
			return edit(t, d, `"messages":[{`, `"messages":[], "oldMessages":[{`)
		}, KindHook, []wantFinding{w(rules.TimeOrder, "/endAt", `"endAt": ‸1427470400000`)}},
		{"sentAt before beginAt", doc(`"sentAt": 1427470439703`, `"sentAt": 1427470439000`), KindHook,
			[]wantFinding{w(rules.TimeOrder, "/messages/0/sentAt", `"sentAt": ‸1427470439000`)}},
		{"sentAt after endAt", doc(`"sentAt": 1427470476687`, `"sentAt": 1427470476688`), KindHook,
			[]wantFinding{w(rules.TimeOrder, "/messages/5/sentAt", `"sentAt": ‸1427470476688`)}},
		{"sentAt going backwards", doc(`"sentAt": 1427470453772`, `"sentAt": 1427470447000`), KindHook,
			[]wantFinding{w(rules.TimeOrder, "/messages/3/sentAt", `"sentAt": ‸1427470447000`)}},
		{"rating 0", doc(`"rating": 5`, `"rating": 0`), KindHook, []wantFinding{w(rules.RatingRange, "/channel/rating", `"rating": ‸0`)}},
		{"rating 6", doc(`"rating": 5`, `"rating": 6`), KindHook, []wantFinding{w(rules.RatingRange, "/channel/rating", `"rating": ‸6`)}},
		{"rating negative", doc(`"rating": 5`, `"rating": -1`), KindHook, []wantFinding{w(rules.RatingRange, "/channel/rating", `"rating": ‸-1`)}},
		{"unknown message type", doc(`"type": "visitor",`+"\n"+`"name"`, `"type": "bot",`+"\n"+`"name"`), KindHook,
			[]wantFinding{w(rules.MessageType, "/messages/4/type", `"type": ‸"bot"`)}},
		{"unknown close code", doc(`"content": "close.visitorClose"`, `"content": "close.timeout"`), KindHook,
			[]wantFinding{w(rules.SystemCode, "/messages/5/content", `"content": ‸"close.timeout"`)}},
		{"bom", func(*testing.T) string { return "\uFEFF" + ex }, KindHook, []wantFinding{w(rules.BOM, "", "")}},
		{"visitor name number", doc(`"name": "Dusan Kmet",`+"\n"+`"email"`, `"name": 42,`+"\n"+`"email"`), KindHook,
			[]wantFinding{w(rules.FieldType, "/visitor/name", `"name": ‸42`)}},
		{"duration string", doc(`"duration": 36`, `"duration": "36"`), KindHook,
			[]wantFinding{w(rules.FieldType, "/channel/duration", `"duration": ‸"36"`)}},
		{"errors and warnings sorted", func(t *testing.T) string {
			d := edit(t, ex, `"beginAt": 1427470439703`, `"beginAt": 1427470439`)
			d = edit(t, d, `"rating": 5`, `"rating": 7`)
			return edit(t, d, `"sentAt": 1427470446219`, `"sentAt": "1427470446219"`)
		}, KindHook, []wantFinding{
			w(rules.TimestampUnit, "/beginAt", `"beginAt": ‸1427470439`),
			w(rules.RatingRange, "/channel/rating", `"rating": ‸7`),
			{rules.Type, rules.Error, "/messages/1/sentAt", `"sentAt": ‸"1427470446219"`},
		}},
	}
	runRuleCases(t, tests)
}

// TestBOMOffsets: offsets are relative to the raw bytes given to Decode, so that
// jsontext.LineCol(raw, offset) (what the commands print) names the right place even
// when a byte-order mark precedes the document.
func TestBOMOffsets(t *testing.T) {
	ex := docExample(t)
	tests := []ruleCase{
		{"type error after bom", func(t *testing.T) string {
			return "\uFEFF" + edit(t, ex, `"accountId": 208`, `"accountId": "208"`)
		}, KindHook, []wantFinding{
			{rules.BOM, rules.Warning, "", ""},
			{rules.Type, rules.Error, "/accountId", `"accountId": ‸"208"`},
		}},
		{"syntax error after bom", func(*testing.T) string { return "\uFEFF{\"a\":1,}" }, KindUnknown, []wantFinding{
			{rules.BOM, rules.Warning, "", ""},
			{rules.Syntax, rules.Error, "", `1‸,}`},
		}},
	}
	runRuleCases(t, tests)
}

func TestSyntaxFindings(t *testing.T) {
	ex := docExample(t)
	s := func(ptr, at string) wantFinding { return wantFinding{rules.Syntax, rules.Error, ptr, at} }
	tests := []ruleCase{
		{"empty", func(*testing.T) string { return "" }, KindUnknown, []wantFinding{s("", "")}},
		{"white space only", func(*testing.T) string { return " \n\t" }, KindUnknown, []wantFinding{s("", "")}},
		{"trailing comma in a message", func(t *testing.T) string {
			return edit(t, ex, `"content": "Hi, how can i help you ?",`+"\n"+`"sentAt": 1427470453772,`+"\n"+`"triggeredBy": null`,
				`"content": "Hi, how can i help you ?",`+"\n"+`"sentAt": 1427470453772,`+"\n"+`"triggeredBy": null,`)
		}, KindUnknown, []wantFinding{s("/messages/3", `"triggeredBy": null‸,`+"\n}, {\n\"type\": \"visitor\",\n\"name\": \"Dusan Kmet\"")}},
		{"truncated", func(*testing.T) string { return ex[:strings.Index(ex, `"tanks.`)+4] }, KindUnknown,
			[]wantFinding{s("/messages/4/content", `"content": ‸"ta`)}},
		{"bare word in message content", func(t *testing.T) string {
			return edit(t, ex, `"content": "agent.join"`, `"content": agent.join`)
		}, KindUnknown, []wantFinding{s("/messages/1/content", `"content": ‸agent.join`)}},
		{"leading zero in a variable", func(t *testing.T) string {
			return edit(t, ex, `"value":208`, `"value":0208`)
		}, KindUnknown, []wantFinding{s("/visitor/variables/chatId/value", `"value":‸0208`)}},
		{"trailing data", func(t *testing.T) string { return ex + "{}" }, KindUnknown, []wantFinding{s("", "}\n‸{}")}},
		{"invalid utf8", func(t *testing.T) string {
			return edit(t, ex, `"tanks."`, "\"tanks\xff\"")
		}, KindUnknown, []wantFinding{s("/messages/4/content", "\"tanks‸\xff\"")}},
		{"syntax error inside a stats domain", func(*testing.T) string {
			return `{"domains":{"a/b~c":{"visits":1,"conversations":-}}}`
		}, KindUnknown, []wantFinding{s("/domains/a~1b~0c/conversations", `"conversations":-‸}`)}},
	}
	runRuleCases(t, tests)
}

func TestWebhookRules(t *testing.T) {
	env := webhookEnvelope
	doc := func(old, new string) func(t *testing.T) string {
		return func(t *testing.T) string { return edit(t, env, old, new) }
	}
	tests := []ruleCase{
		{"envelope", func(*testing.T) string { return env }, KindWebhook, nil},
		{"offset timestamp", doc(`"2024-05-14T09:21:37.512Z"`, `"2024-05-14T11:21:37+02:00"`), KindWebhook, nil},
		{"missing data", doc(`,"data":{"conversation":{"id":"6kTQ2x","status":"closed","tags":["vip"]}}`, ``), KindWebhook,
			[]wantFinding{{rules.Required, rules.Error, "", ""}}},
		{"missing event", doc(`"event":"conversation.closed",`, ``), KindWebhook,
			[]wantFinding{{rules.Required, rules.Error, "", ""}}},
		{"data not object", doc(`"data":{"conversation"`, `"data":"x","old":{"conversation"`), KindWebhook,
			[]wantFinding{{rules.Type, rules.Error, "/data", `"data":‸"x"`}}},
		{"bad timestamp", doc(`"2024-05-14T09:21:37.512Z"`, `"14.5.2024 09:21"`), KindWebhook,
			[]wantFinding{{rules.TimeFormat, rules.Warning, "/timestamp", `"timestamp":‸"14.5.2024`}}},
		{"unix timestamp string", doc(`"2024-05-14T09:21:37.512Z"`, `"1715678497"`), KindWebhook,
			[]wantFinding{{rules.TimeFormat, rules.Warning, "/timestamp", `"timestamp":‸"1715678497"`}}},
		{"timestamp number", doc(`"2024-05-14T09:21:37.512Z"`, `1715678497512`), KindWebhook,
			[]wantFinding{{rules.Type, rules.Error, "/timestamp", `"timestamp":‸1715678497512`}}},
		{"other type", doc(`"type":"event_callback","event"`, `"type":"url_verification","event"`), KindWebhook,
			[]wantFinding{{rules.Type, rules.Error, "/type", `"type":‸"url_verification"`}}},
		{"account_id number", doc(`"account_id":"208"`, `"account_id":208`), KindWebhook,
			[]wantFinding{{rules.FieldType, rules.Warning, "/account_id", `"account_id":‸208`}}},
	}
	runRuleCases(t, tests)
}

func TestStatsRules(t *testing.T) {
	tests := []ruleCase{
		{"report", func(*testing.T) string { return statsReport }, KindStats, nil},
		{"visits string", func(*testing.T) string {
			return `{"domains":{"a.cz":{"visits":"3","conversations":2,"autoMessages":3,"autoMessagesReply":0}}}`
		}, KindStats, []wantFinding{{rules.Type, rules.Error, "/domains/a.cz/visits", `"visits":‸"3"`}}},
		{"conversations float", func(*testing.T) string {
			return `{"domains":{"a.cz":{"visits":3,"conversations":2.5}}}`
		}, KindStats, []wantFinding{{rules.Type, rules.Error, "/domains/a.cz/conversations", `"conversations":‸2.5`}}},
		{"domain with slash and tilde", func(*testing.T) string {
			return `{"domains":{"ok.cz":{"visits":1},"shop.cz/~eshop":{"visits":"3","autoMessages":null}}}`
		}, KindStats, []wantFinding{
			{rules.Type, rules.Error, "/domains/shop.cz~1~0eshop/visits", `"visits":‸"3"`},
			{rules.Type, rules.Error, "/domains/shop.cz~1~0eshop/autoMessages", `"autoMessages":‸null`},
		}},
		{"escaped domain", func(*testing.T) string {
			return `{"domains":{"a\/b\u007e.cz":{"visits":true}}}`
		}, KindStats, []wantFinding{{rules.Type, rules.Error, "/domains/a~1b~0.cz/visits", `"visits":‸true`}}},
		{"domain not object", func(*testing.T) string { return `{"domains":{"a.cz":5}}` }, KindStats,
			[]wantFinding{{rules.Type, rules.Error, "/domains/a.cz", `"a.cz":‸5`}}},
		{"domains array", func(*testing.T) string { return `{"domains":["a.cz"]}` }, KindStats,
			[]wantFinding{{rules.Type, rules.Error, "/domains", `"domains":‸[`}}},
	}
	runRuleCases(t, tests)
}

func TestKindRule(t *testing.T) {
	k := wantFinding{rules.Kind, rules.Error, "", ""}
	tests := []ruleCase{
		{"empty object", func(*testing.T) string { return `{}` }, KindUnknown, []wantFinding{k}},
		{"unknown object", func(*testing.T) string { return `{"foo":1,"bar":{"accountId":1}}` }, KindUnknown, []wantFinding{k}},
		{"webhook type only other", func(*testing.T) string { return `{"type":"message","timestamp":"2024-05-14T09:21:37Z"}` }, KindUnknown, []wantFinding{k}},
		{"hook keys win over webhook keys", func(*testing.T) string {
			return `{"accountId":1,"beginAt":1700000000000,"endAt":1700000000000,"channel":{"id":2},"messages":[],"event":"x"}`
		}, KindHook, nil},
	}
	runRuleCases(t, tests)
}

// TestCatalog checks the rule ids the commands print and their severities.
func TestCatalog(t *testing.T) {
	want := map[rules.ID]rules.Severity{
		rules.Read: rules.Error, rules.Syntax: rules.Error, rules.Type: rules.Error, rules.Required: rules.Error,
		rules.Kind: rules.Error, rules.BOM: rules.Warning, rules.FieldType: rules.Warning,
		rules.TimestampUnit: rules.Warning, rules.TimeOrder: rules.Warning, rules.RatingRange: rules.Warning,
		rules.MessageType: rules.Warning, rules.SystemCode: rules.Warning, rules.TimeFormat: rules.Warning,
		rules.DuplicateChat: rules.Warning, rules.SeveralDocs: rules.Warning, rules.WebhookEvent: rules.Warning,
	}
	if len(rules.Catalog) != len(want) {
		t.Errorf("%d rules in the catalog, want %d", len(rules.Catalog), len(want))
	}
	for _, r := range rules.Catalog {
		t.Run(string(r.ID), func(t *testing.T) {
			sev, ok := want[r.ID]
			if !ok {
				t.Fatalf("unexpected rule %q", r.ID)
			}
			if r.Severity != sev || rules.SeverityOf(r.ID) != sev {
				t.Errorf("severity %v (SeverityOf %v), want %v", r.Severity, rules.SeverityOf(r.ID), sev)
			}
			if r.Summary == "" {
				t.Error("no summary")
			}
		})
	}
	if rules.SeverityOf("no-such-rule") != rules.Error {
		t.Error("unknown rule ids must count as errors")
	}
}
