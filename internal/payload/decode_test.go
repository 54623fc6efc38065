package payload

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/rules"
)

// marker marks, inside a test's "at" string, the byte a finding must point at.
const marker = "‸"

// docExample returns the example body of Smartsupp's documentation, byte for byte.
func docExample(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/doc-example.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// edit replaces old, which must occur exactly once in doc, by new.
func edit(t testing.TB, doc, old, new string) string {
	t.Helper()
	if n := strings.Count(doc, old); n != 1 {
		t.Fatalf("%q occurs %d times in the document, want once", old, n)
	}
	return strings.Replace(doc, old, new, 1)
}

// editFirst replaces the first occurrence of old, which must be there, by new.
func editFirst(t testing.TB, doc, old, new string) string {
	t.Helper()
	if !strings.Contains(doc, old) {
		t.Fatalf("%q not in the document", old)
	}
	return strings.Replace(doc, old, new, 1)
}

// locate returns the offset in doc that at (a unique piece of doc holding the marker)
// marks.
func locate(t testing.TB, doc, at string) int {
	t.Helper()
	i := strings.Index(at, marker)
	if i < 0 {
		t.Fatalf("no marker in %q", at)
	}
	text := at[:i] + at[i+len(marker):]
	if n := strings.Count(doc, text); n != 1 {
		t.Fatalf("%q occurs %d times in the document, want once", text, n)
	}
	return strings.Index(doc, text) + i
}

// textAt returns the text of doc from the 1-based line and column (in characters, an
// invalid UTF-8 byte counting as one) on.
func textAt(t testing.TB, doc string, line, col int) string {
	t.Helper()
	i := 0
	for l := 1; l < line; l++ {
		nl := strings.IndexByte(doc[i:], '\n')
		if nl < 0 {
			t.Fatalf("line %d outside the document (%d lines)", line, l)
		}
		i += nl + 1
	}
	for c := 1; c < col; c++ {
		if i >= len(doc) || doc[i] == '\n' {
			t.Fatalf("column %d outside line %d", col, line)
		}
		_, size := utf8.DecodeRuneInString(doc[i:])
		i += size
	}
	return doc[i:]
}

// decode decodes raw with a fresh decoder and checks what must hold for every document:
// findings sorted by offset, inside the document, of known rules with their severity.
func decode(t testing.TB, raw string) (*Doc, []rules.Finding) {
	t.Helper()
	var d Decoder
	doc, fs := d.Decode([]byte(raw))
	checkFindings(t, raw, fs)
	return doc, slices.Clone(fs)
}

func checkFindings(t testing.TB, raw string, fs []rules.Finding) {
	t.Helper()
	for i, f := range fs {
		if f.Offset < 0 || f.Offset > len(raw) {
			t.Errorf("finding %+v: offset outside [0, %d]", f, len(raw))
		}
		if i > 0 && fs[i-1].Offset > f.Offset {
			t.Errorf("findings not sorted by offset: %+v before %+v", fs[i-1], f)
		}
		if !slices.ContainsFunc(rules.Catalog, func(r rules.Rule) bool { return r.ID == f.Rule }) {
			t.Errorf("finding %+v: rule not in the catalog", f)
		}
		if f.Severity != rules.SeverityOf(f.Rule) {
			t.Errorf("finding %+v: severity %v, the catalog says %v", f, f.Severity, rules.SeverityOf(f.Rule))
		}
		if f.Message == "" {
			t.Errorf("finding %+v has no message", f)
		}
	}
}

// errorsOf returns the findings of severity error.
func errorsOf(fs []rules.Finding) []rules.Finding {
	var out []rules.Finding
	for _, f := range fs {
		if f.Severity == rules.Error {
			out = append(out, f)
		}
	}
	return out
}

func TestDecodeDocExample(t *testing.T) {
	raw := docExample(t)
	doc, fs := decode(t, raw)
	if len(fs) != 0 {
		t.Fatalf("findings for the documentation's example: %+v", fs)
	}
	if doc.Kind != KindHook || doc.Top != jsontext.Object || doc.BOM {
		t.Fatalf("kind %v, top %v, bom %v; want hook, object, no bom", doc.Kind, doc.Top, doc.BOM)
	}
	h := &doc.Hook
	ints := []struct {
		name string
		v    Value
		want int64
	}{
		{"accountId", h.AccountID, 208}, {"beginAt", h.BeginAt, 1427470439703}, {"endAt", h.EndAt, 1427470476687},
		{"channel.id", h.Channel.ID, 55039}, {"rating", h.Channel.Rating, 5}, {"messagesCount", h.Channel.MessagesCount, 5},
		{"visitor.id", h.Visitor.ID, 27671}, {"messages[5].sentAt", h.Messages[5].SentAt, 1427470476687},
	}
	for _, tt := range ints {
		if got, ok := tt.v.Int(); !ok || got != tt.want {
			t.Errorf("%s = %d, %v; want %d", tt.name, got, ok, tt.want)
		}
	}
	texts := []struct {
		name string
		v    Value
		want string
	}{
		{"visitor.name", h.Visitor.Name, "Dusan Kmet"}, {"visitor.city", h.Visitor.City, "Czech Republic"},
		{"ratingDesc", h.Channel.RatingDesc, ""}, {"paths[0].title", h.Paths[0].Title, "POST Hook · Smartsupp"},
		{"paths[1].url", h.Paths[1].URL, "http://developers.smartsupp.com"},
		{"messages[2].triggeredBy", h.Messages[2].TriggeredBy, "Test Trigger"},
		{"messages[2].from", h.Messages[2].From, "system"}, {"messages[1].content", h.Messages[1].Content, "agent.join"},
		{"variables[1].key", h.Visitor.Variables[1].Key, "chatPackage"}, {"variables[1].label", h.Visitor.Variables[1].Label, "Chat Package"},
	}
	for _, tt := range texts {
		if got := tt.v.Text(); got != tt.want || tt.v.Kind != jsontext.String {
			t.Errorf("%s = %q (%v), want string %q", tt.name, got, tt.v.Kind, tt.want)
		}
		if raw[tt.v.Off] != '"' {
			t.Errorf("%s: offset %d holds %q, want the opening quote", tt.name, tt.v.Off, raw[tt.v.Off])
		}
	}
	if len(h.Paths) != 2 || len(h.Messages) != 6 || len(h.Visitor.Variables) != 3 {
		t.Errorf("%d paths, %d messages, %d variables; want 2, 6, 3", len(h.Paths), len(h.Messages), len(h.Visitor.Variables))
	}
	if !h.Visitor.Group.IsNull() || !h.Messages[0].TriggeredBy.IsNull() || h.Messages[0].Name.Present() {
		t.Errorf("group %v, triggeredBy %v, name %v: want null, null, absent", h.Visitor.Group.Kind, h.Messages[0].TriggeredBy.Kind, h.Messages[0].Name.Kind)
	}
	if h.Channel.IsChat.Kind != jsontext.True || h.Channel.IsMissed.Kind != jsontext.False {
		t.Errorf("isChat %v, isMissed %v", h.Channel.IsChat.Kind, h.Channel.IsMissed.Kind)
	}
	if v := h.Visitor.Variables[0].Val; string(v.Raw) != "208" || v.Kind != jsontext.Number {
		t.Errorf("variables.chatId.value = %s (%v), want number 208", v.Raw, v.Kind)
	}
}

// TestDecodeNotRejected runs the shapes SMARTSUPP.md says must not be rejected.
func TestDecodeNotRejected(t *testing.T) {
	ex := docExample(t)
	lastMessage := strings.LastIndex(ex, "}, {")
	tests := []struct {
		name     string
		doc      func(t *testing.T) string
		warnings []rules.ID // warnings allowed (and expected); errors never are
		check    func(t *testing.T, doc *Doc)
	}{
		{"doc example", func(t *testing.T) string { return ex }, nil, nil},
		{"messagesCount and wordsCount not matching", func(t *testing.T) string {
			return edit(t, edit(t, ex, `"messagesCount": 5`, `"messagesCount": 99`), `"wordsCount": 11`, `"wordsCount": 0`)
		}, nil, nil},
		{"groupKey instead of group", func(t *testing.T) string {
			return edit(t, ex, `"group": null,`, `"groupKey": "vip",`)
		}, nil, func(t *testing.T, doc *Doc) {
			if doc.Hook.Visitor.GroupKey.Text() != "vip" || doc.Hook.Visitor.Group.Present() {
				t.Errorf("groupKey %q, group present %v", doc.Hook.Visitor.GroupKey.Text(), doc.Hook.Visitor.Group.Present())
			}
		}},
		{"groupKey null and group", func(t *testing.T) string {
			return edit(t, ex, `"group": null,`, `"group": "a", "groupKey": null,`)
		}, nil, nil},
		{"messages email null", func(t *testing.T) string {
			return edit(t, ex, `"content": "Hello",`, `"content": "Hello", "email": null,`)
		}, nil, nil},
		{"unknown extra keys everywhere", func(t *testing.T) string {
			d := edit(t, ex, `"accountId": 208,`, `"accountId": 208, "newTopKey": {"deep": [1, {"x": null}]},`)
			d = edit(t, d, `"isChat": true,`, `"isChat": true, "isVip": "yes",`)
			d = edit(t, d, `"note": "VIP customer",`, `"note": "VIP customer", "lang": ["cs"],`)
			d = edit(t, d, `"content": "tanks.",`, `"content": "tanks.", "attachments": [{"url": 1}],`)
			d = edit(t, d, `"title": "API · Smartsupp"`, `"title": "API · Smartsupp", "visitedAt": 1427470439703`)
			return edit(t, d, `"label":"Chat ID",`, `"label":"Chat ID", "hidden": true,`)
		}, nil, func(t *testing.T, doc *Doc) {
			if len(doc.Hook.Messages) != 6 || len(doc.Hook.Paths) != 2 || len(doc.Hook.Visitor.Variables) != 3 {
				t.Errorf("unknown keys changed the lists: %d messages, %d paths, %d variables", len(doc.Hook.Messages), len(doc.Hook.Paths), len(doc.Hook.Visitor.Variables))
			}
		}},
		{"message without name", func(t *testing.T) string {
			return editFirst(t, ex, `"name": "John Doe",`+"\n", "")
		}, nil, nil},
		{"from as integer", func(t *testing.T) string {
			return editFirst(t, ex, `"from": "agent:3"`, `"from": 3`)
		}, nil, nil},
		{"from null", func(t *testing.T) string {
			return editFirst(t, ex, `"from": "agent:3"`, `"from": null`)
		}, nil, nil},
		{"from as bare key", func(t *testing.T) string {
			return editFirst(t, ex, `"from": "visitor:mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015"`, `"from": "mxTiqn9adr2h39kmzAJ0FeaTGFJhmjio0R41491503012015"`)
		}, nil, nil},
		{"null response times", func(t *testing.T) string {
			d := edit(t, ex, `"avgResponse": 14`, `"avgResponse": null`)
			d = edit(t, d, `"firstResponse": 14`, `"firstResponse": null`)
			return edit(t, d, `"duration": 36`, `"duration": null`)
		}, nil, nil},
		{"zero response times", func(t *testing.T) string {
			return edit(t, edit(t, ex, `"avgResponse": 14`, `"avgResponse": 0`), `"firstResponse": 14`, `"firstResponse": 0`)
		}, nil, nil},
		{"empty paths", func(t *testing.T) string {
			return edit(t, ex, `"paths":[{`, `"paths":[], "oldPaths":[{`)
		}, nil, func(t *testing.T, doc *Doc) {
			if len(doc.Hook.Paths) != 0 || doc.Hook.PathsValue.Kind != jsontext.Array {
				t.Errorf("paths: %d, kind %v; want 0, array", len(doc.Hook.Paths), doc.Hook.PathsValue.Kind)
			}
		}},
		{"no paths", func(t *testing.T) string {
			return edit(t, ex, `"paths":[{`, `"oldPaths":[{`)
		}, nil, nil},
		{"no close message", func(t *testing.T) string {
			return ex[:lastMessage] + "}]\n}\n"
		}, nil, func(t *testing.T, doc *Doc) {
			if len(doc.Hook.Messages) != 5 {
				t.Errorf("%d messages, want 5", len(doc.Hook.Messages))
			}
		}},
		{"empty messages", func(t *testing.T) string {
			return edit(t, ex, `"messages":[{`, `"messages":[], "oldMessages":[{`)
		}, nil, nil},
		{"13 digit and bigger integers", func(t *testing.T) string {
			d := edit(t, ex, `"accountId": 208`, `"accountId": 1234567890123`)
			d = edit(t, d, `"id": 55039`, `"id": 9007199254740993`)
			return edit(t, d, `"wordsCount": 11`, `"wordsCount": 9223372036854775807`)
		}, nil, func(t *testing.T, doc *Doc) {
			// 9007199254740993 is 2^53+1: a float64 would round it.
			if id, ok := doc.Hook.Channel.ID.Int(); !ok || id != 9007199254740993 {
				t.Errorf("channel.id = %d, %v; want 9007199254740993", id, ok)
			}
			if id, ok := doc.Hook.AccountID.Int(); !ok || id != 1234567890123 {
				t.Errorf("accountId = %d, %v; want 1234567890123", id, ok)
			}
		}},
		{"trigger message", func(t *testing.T) string {
			return edit(t, ex, `"triggeredBy": "Test Trigger"`, `"triggeredBy": "Welcome \"bot\" \u00e9"`)
		}, nil, func(t *testing.T, doc *Doc) {
			m := doc.Hook.Messages[2]
			if m.Type.Text() != "agent" || m.From.Text() != "system" || m.Name.Text() != "" || !m.Name.Present() {
				t.Errorf("trigger message decoded as type %q from %q name %q", m.Type.Text(), m.From.Text(), m.Name.Text())
			}
			if got := m.TriggeredBy.Text(); got != `Welcome "bot" é` || !m.TriggeredBy.Escaped {
				t.Errorf("triggeredBy = %q (escaped %v)", got, m.TriggeredBy.Escaped)
			}
		}},
		{"not rated", func(t *testing.T) string {
			return edit(t, edit(t, ex, `"rating": 5`, `"rating": null`), `"ratingDesc": ""`, `"ratingDesc": null`)
		}, nil, nil},
		{"null and empty visitor texts", func(t *testing.T) string {
			d := edit(t, ex, `"city": "Czech Republic"`, `"city": null`)
			d = edit(t, d, `"country": "Brno"`, `"country": ""`)
			d = edit(t, d, `"email": "dusan@domain.com"`, `"email": null`)
			return edit(t, d, `"name": "Dusan Kmet",`+"\n"+`"email"`, `"name": null,`+"\n"+`"email"`)
		}, nil, nil},
		{"null variables", func(t *testing.T) string {
			return edit(t, ex, `"variables": {`, `"variables": null, "oldVariables": {`)
		}, nil, nil},
		{"known system codes", func(t *testing.T) string {
			d := edit(t, ex, `"content": "close.visitorClose"`, `"content": "close.agentClose"`)
			return edit(t, d, `"content": "agent.join"`, `"content": "agent.leave"`)
		}, nil, nil},
		{"bom", func(t *testing.T) string { return "\uFEFF" + ex }, []rules.ID{rules.BOM}, func(t *testing.T, doc *Doc) {
			if !doc.BOM || doc.Kind != KindHook || len(doc.Raw) != len(ex) {
				t.Errorf("bom %v, kind %v, raw %d bytes; want true, hook, %d", doc.BOM, doc.Kind, len(doc.Raw), len(ex))
			}
		}},
		{"compact", func(t *testing.T) string { return compact(t, ex) }, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.doc(t)
			doc, fs := decode(t, raw)
			if doc.Kind != KindHook {
				t.Errorf("kind %v, want hook", doc.Kind)
			}
			var got []rules.ID
			for _, f := range fs {
				got = append(got, f.Rule)
			}
			if !slices.Equal(got, tt.warnings) {
				t.Errorf("findings %+v, want only %v", fs, tt.warnings)
			}
			if errs := errorsOf(fs); len(errs) != 0 {
				t.Errorf("rejected: %+v", errs)
			}
			if tt.check != nil {
				tt.check(t, doc)
			}
		})
	}
}

// compact removes the white space between the tokens of doc (none is inside strings
// of the documentation's example apart from plain spaces, kept as they are).
func compact(t testing.TB, doc string) string {
	t.Helper()
	var b strings.Builder
	in := false
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		switch {
		case in && c == '\\':
			b.WriteByte(c)
			i++
			c = doc[i]
		case c == '"':
			in = !in
		case !in && (c == ' ' || c == '\n' || c == '\t' || c == '\r'):
			continue
		}
		b.WriteByte(c)
	}
	if err := jsontext.Valid([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDecodeEscapedMemberNames: JSON member names may hold escapes, and every JSON
// reader takes "\u0061ccountId" for accountId.
func TestDecodeEscapedMemberNames(t *testing.T) {
	ex := docExample(t)
	d := edit(t, ex, `"accountId": 208`, `"\u0061ccountId": 208`)
	d = edit(t, d, `"messages":[{`, `"m\u0065ssages":[{`)
	d = edit(t, d, `"rating": 5`, `"r\u0061ting": 5`)
	doc, fs := decode(t, d)
	if len(fs) != 0 {
		t.Errorf("findings %+v, want none", fs)
	}
	if id, _ := doc.Hook.AccountID.Int(); id != 208 || len(doc.Hook.Messages) != 6 || !doc.Hook.Channel.Rating.Present() {
		t.Errorf("accountId %d, %d messages, rating present %v; want 208, 6, true", id, len(doc.Hook.Messages), doc.Hook.Channel.Rating.Present())
	}
}

const webhookEnvelope = `{"type":"event_callback","event":"conversation.closed","timestamp":"2024-05-14T09:21:37.512Z","account_id":"208","app_id":"app_9f2c","data":{"conversation":{"id":"6kTQ2x","status":"closed","tags":["vip"]}}}`

const statsReport = `{"domains":{"a.cz":{"visits":1,"conversations":2,"autoMessages":3,"autoMessagesReply":0}}}`

func TestDecodeKinds(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		kind Kind
	}{
		{"hook", docExample(t), KindHook},
		{"webhook envelope", webhookEnvelope, KindWebhook},
		{"webhook without type", `{"event":"conversation.opened","timestamp":"2024-05-14T09:21:37+02:00","data":{}}`, KindWebhook},
		{"stats", statsReport, KindStats},
		{"stats several domains", `{"domains":{"a.cz":{"visits":1,"conversations":0,"autoMessages":0,"autoMessagesReply":0},"b.com":{"visits":10,"conversations":2,"autoMessages":1,"autoMessagesReply":1}}}`, KindStats},
		{"stats no domains", `{"domains":{}}`, KindStats},
		{"minimal hook", `{"accountId":1,"beginAt":1700000000000,"endAt":1700000000000,"channel":{"id":2},"messages":[]}`, KindHook},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, fs := decode(t, tt.raw)
			if doc.Kind != tt.kind {
				t.Errorf("kind %v, want %v", doc.Kind, tt.kind)
			}
			if len(fs) != 0 {
				t.Errorf("findings: %+v", fs)
			}
		})
	}
}

func TestDecodeWebhookValues(t *testing.T) {
	doc, _ := decode(t, webhookEnvelope)
	w := doc.Webhook
	if w.Event.Text() != "conversation.closed" || w.AccountID.Text() != "208" || w.AppID.Text() != "app_9f2c" {
		t.Errorf("event %q, account_id %q, app_id %q", w.Event.Text(), w.AccountID.Text(), w.AppID.Text())
	}
	if string(w.Data.Raw) != `{"conversation":{"id":"6kTQ2x","status":"closed","tags":["vip"]}}` || w.Data.Kind != jsontext.Object {
		t.Errorf("data kept as %s (%v)", w.Data.Raw, w.Data.Kind)
	}
	if _, ok := ParseISOTime(w.Timestamp.Text()); !ok {
		t.Errorf("timestamp %q does not parse", w.Timestamp.Text())
	}
}

func TestDecodeStatsValues(t *testing.T) {
	doc, _ := decode(t, `{"domains":{"a\/b.cz":{"visits":7,"conversations":2,"autoMessages":3,"autoMessagesReply":0},"c.cz":{"visits":1}}}`)
	st := doc.Stats
	if len(st.Domains) != 2 {
		t.Fatalf("%d domains, want 2", len(st.Domains))
	}
	if st.Domains[0].Domain.Text() != "a/b.cz" || st.Domains[1].Domain.Text() != "c.cz" {
		t.Errorf("domains %q, %q", st.Domains[0].Domain.Text(), st.Domains[1].Domain.Text())
	}
	if v, _ := st.Domains[0].Visits.Int(); v != 7 {
		t.Errorf("visits %d, want 7", v)
	}
	if st.Domains[1].Conversations.Present() {
		t.Errorf("conversations of c.cz present, want absent")
	}
}

func TestDecodeFakeDocuments(t *testing.T) {
	want := map[fake.Kind]Kind{fake.KindHook: KindHook, fake.KindWebhook: KindWebhook, fake.KindStats: KindStats}
	for _, k := range []fake.Kind{fake.KindHook, fake.KindWebhook, fake.KindStats} {
		for seed := int64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", k, seed), func(t *testing.T) {
				g := fake.New(fake.Options{Seed: seed, Kind: k})
				var d Decoder
				var buf []byte
				for i := range 2000 {
					buf = g.Append(buf[:0], i)
					doc, fs := d.Decode(buf)
					if len(fs) != 0 {
						t.Fatalf("document %d: findings %+v\n%s", i, fs, buf)
					}
					if doc.Kind != want[k] {
						t.Fatalf("document %d: kind %v, want %v", i, doc.Kind, want[k])
					}
				}
			})
		}
	}
}

// hookWithMessages builds a valid hook with n messages, one a second.
func hookWithMessages(n int) string {
	var b strings.Builder
	begin := int64(1700000000000)
	fmt.Fprintf(&b, `{"accountId":5,"beginAt":%d,"endAt":%d,"channel":{"id":%d},"visitor":{"variables":{"v%d":{"label":"L","value":1}}},"paths":[{"url":"u","title":"t"}],"messages":[`, begin, begin+int64(n)*1000, n, n)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"visitor","content":"m%d","sentAt":%d}`, i, begin+int64(i)*1000)
	}
	b.WriteString("]}")
	return b.String()
}

// TestDecoderReuse checks that nothing of one document leaks into the next.
func TestDecoderReuse(t *testing.T) {
	ex := docExample(t)
	tests := []struct {
		name   string
		before []string
		raw    string
		check  func(t *testing.T, doc *Doc, fs []rules.Finding)
	}{
		{"broken then good", []string{`{"accountId": [1,2,`}, ex, func(t *testing.T, doc *Doc, fs []rules.Finding) {
			if len(fs) != 0 || doc.Kind != KindHook {
				t.Errorf("kind %v, findings %+v; want hook, none", doc.Kind, fs)
			}
		}},
		{"errors then good", []string{`{"accountId":"x","channel":5,"messages":{}}`, "\uFEFF" + `[1]`}, ex, func(t *testing.T, doc *Doc, fs []rules.Finding) {
			if len(fs) != 0 || doc.BOM {
				t.Errorf("bom %v, findings %+v; want none", doc.BOM, fs)
			}
		}},
		{"30 messages then 2", []string{hookWithMessages(30)}, hookWithMessages(2), func(t *testing.T, doc *Doc, fs []rules.Finding) {
			h := doc.Hook
			if len(h.Messages) != 2 || len(h.Paths) != 1 || len(h.Visitor.Variables) != 1 || len(fs) != 0 {
				t.Fatalf("%d messages, %d paths, %d variables, findings %+v; want 2, 1, 1, none", len(h.Messages), len(h.Paths), len(h.Visitor.Variables), fs)
			}
			if h.Messages[1].Content.Text() != "m1" || h.Visitor.Variables[0].Key.Text() != "v2" {
				t.Errorf("message 1 %q, variable %q", h.Messages[1].Content.Text(), h.Visitor.Variables[0].Key.Text())
			}
		}},
		{"full hook then bare hook", []string{ex}, `{"accountId":1,"beginAt":1700000000000,"endAt":1700000000000,"channel":{"id":2},"messages":[{"type":"agent","content":"x","sentAt":1700000000000}]}`, func(t *testing.T, doc *Doc, fs []rules.Finding) {
			h := doc.Hook
			if len(fs) != 0 || h.VisitorValue.Present() || h.Channel.Rating.Present() || h.Messages[0].TriggeredBy.Present() ||
				len(h.Paths) != 0 || len(h.Visitor.Variables) != 0 || h.Visitor.Name.Present() || h.PathsValue.Present() {
				t.Errorf("members of the previous document are still there: %+v, findings %+v", h, fs)
			}
		}},
		{"hook then webhook", []string{ex}, webhookEnvelope, func(t *testing.T, doc *Doc, fs []rules.Finding) {
			if doc.Kind != KindWebhook || doc.Hook.AccountID.Present() || len(doc.Hook.Messages) != 0 || len(fs) != 0 {
				t.Errorf("kind %v, hook accountId present %v, %d messages, findings %+v", doc.Kind, doc.Hook.AccountID.Present(), len(doc.Hook.Messages), fs)
			}
		}},
		{"webhook then hook without webhook keys", []string{webhookEnvelope}, ex, func(t *testing.T, doc *Doc, fs []rules.Finding) {
			if doc.Webhook.Event.Present() || doc.Webhook.Data.Present() || len(fs) != 0 {
				t.Errorf("webhook members still there: %+v", doc.Webhook)
			}
		}},
		{"stats then smaller stats", []string{`{"domains":{"a":{"visits":1},"b":{"visits":2},"c":{"visits":3}}}`}, statsReport, func(t *testing.T, doc *Doc, fs []rules.Finding) {
			if len(doc.Stats.Domains) != 1 || doc.Stats.Domains[0].Domain.Text() != "a.cz" || len(fs) != 0 {
				t.Errorf("%d domains, findings %+v; want 1 (a.cz), none", len(doc.Stats.Domains), fs)
			}
		}},
		{"stats then hook", []string{statsReport}, ex, func(t *testing.T, doc *Doc, fs []rules.Finding) {
			if doc.Kind != KindHook || doc.Stats.DomainsValue.Present() || len(doc.Stats.Domains) != 0 {
				t.Errorf("kind %v, stats %+v", doc.Kind, doc.Stats)
			}
		}},
		{"deep broken then good", []string{strings.Repeat("[", 5000)}, `{"domains":{}}`, func(t *testing.T, doc *Doc, fs []rules.Finding) {
			if len(fs) != 0 || doc.Kind != KindStats {
				t.Errorf("kind %v, findings %+v", doc.Kind, fs)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Decoder
			for _, b := range tt.before {
				d.Decode([]byte(b))
			}
			doc, fs := d.Decode([]byte(tt.raw))
			checkFindings(t, tt.raw, fs)
			tt.check(t, doc, fs)
			// The same document through a fresh decoder gives the same findings.
			_, fresh := decode(t, tt.raw)
			if !slices.Equal(fs, fresh) {
				t.Errorf("reused decoder: %+v; fresh decoder: %+v", fs, fresh)
			}
		})
	}
}

func TestDecodeMaxDepth(t *testing.T) {
	// Nesting under an unknown member goes through the scanner's depth count; the
	// depth must restart at each document.
	deep := func(n int) string {
		return `{"domains":{},"x":` + strings.Repeat("[", n) + strings.Repeat("]", n) + "}"
	}
	var d Decoder
	for i := range 3 {
		_, fs := d.Decode([]byte(deep(jsontext.MaxDepth - 1)))
		if len(fs) != 0 {
			t.Fatalf("round %d: findings at depth %d: %+v", i, jsontext.MaxDepth, fs)
		}
	}
	_, fs := d.Decode([]byte(deep(jsontext.MaxDepth)))
	if len(fs) != 1 || fs[0].Rule != rules.Syntax {
		t.Errorf("depth %d: findings %+v, want one syntax error", jsontext.MaxDepth+1, fs)
	}
}

func TestValueHelpers(t *testing.T) {
	doc, _ := decode(t, `{"accountId":12,"beginAt":1.5,"endAt":null,"channel":{"id":99999999999999999999,"isChat":false},"messages":[]}`)
	h := doc.Hook
	tests := []struct {
		name                       string
		v                          Value
		present, null, isInt, bool bool
	}{
		{"int", h.AccountID, true, false, true, false},
		{"float", h.BeginAt, true, false, false, false},
		{"null", h.EndAt, true, true, false, false},
		{"huge int", h.Channel.ID, true, false, true, false},
		{"false", h.Channel.IsChat, true, false, false, true},
		{"absent", h.Channel.Rating, false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.v.Present() != tt.present || tt.v.IsNull() != tt.null || tt.v.IsInt() != tt.isInt || tt.v.IsBool() != tt.bool {
				t.Errorf("present %v null %v int %v bool %v; want %v %v %v %v", tt.v.Present(), tt.v.IsNull(), tt.v.IsInt(), tt.v.IsBool(), tt.present, tt.null, tt.isInt, tt.bool)
			}
			if tt.v.Text() != "" || string(tt.v.AppendText([]byte("x"))) != "x" {
				t.Errorf("Text of a non-string = %q", tt.v.Text())
			}
		})
	}
	if _, ok := h.Channel.ID.Int(); ok {
		t.Error("Int() of 99999999999999999999 reported ok")
	}
}
