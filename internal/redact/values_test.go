package redact

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestNextSpan(t *testing.T) {
	tests := []struct {
		text string
		kind spanKind
		want string
	}{
		{"write to jana.novak+x@mail.example.cz.", spanEmail, "jana.novak+x@mail.example.cz"},
		{"call +420 777 123 456 today", spanPhone, "+420 777 123 456"},
		{"call (555) 123-4567", spanPhone, "(555) 123-4567"},
		{"číslo 777123456", spanPhone, "777123456"},
		{"from 203.0.113.9, then", spanIP, "203.0.113.9"},
		{"v6 2a00:1450:4001::1 here", spanIP, "2a00:1450:4001::1"},
		{"on 2026-11-30 12:30 we", spanNone, ""},
		{"order 12345678 and 10:30:00", spanNone, ""},
		{"price 1.50 and v1.2.3", spanNone, ""},
		{"an @ alone, a@b and x@y.z", spanNone, ""},
	}
	for _, tt := range tests {
		k, a, b := nextSpan([]byte(tt.text), 0)
		got := ""
		if k != spanNone {
			got = tt.text[a:b]
		}
		if k != tt.kind || got != tt.want {
			t.Errorf("nextSpan(%q) = %v %q, want %v %q", tt.text, k, got, tt.kind, tt.want)
		}
	}
}

func TestValueSet(t *testing.T) {
	var vs valueSet
	vs.add(shName, []byte("Jana Nováková"), []byte("V1"))
	vs.add(shNone, []byte("Jana Svobodová"), []byte("Jana Svobodová")) // an agent, kept whole
	vs.add(shEmail, []byte("x"), []byte("never"))                      // too short to take
	vs.sort()
	keep := func(dst []byte, _ spanKind, v []byte) []byte { return append(dst, v...) }
	tests := []struct{ in, want string }{
		{"Hi JANA, I am Jana Svobodová.", "Hi V1, I am Jana Svobodová."},
		{"Jana Nováková closed it", "V1 closed it"},
		{"Janaček and Nováková", "Janaček and V1"},
		{"nothing here, x", "nothing here, x"},
	}
	for _, tt := range tests {
		got, changed := vs.replace(nil, []byte(tt.in), keep, nil)
		if !changed {
			got = []byte(tt.in)
		}
		if string(got) != tt.want || changed != (tt.in != tt.want) {
			t.Errorf("replace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// A document cannot make the per-string scan slow: values are capped.
	for i := range 2 * maxValues {
		vs.add(shText, []byte(strings.Repeat("a", 3)+string(rune('A'+i%26))+strings.Repeat("z", i)), []byte("v"))
	}
	if len(vs.pats) > maxValues {
		t.Errorf("%d values kept, at most %d", len(vs.pats), maxValues)
	}
}

// TestVisitorEventData: a visitor.* event's data.visitor is redacted like a contact.
func TestVisitorEventData(t *testing.T) {
	r := mustNew(t, testKey)
	doc := `{"type":"event_callback","event":"visitor.updated","timestamp":"2026-11-30T10:00:00Z","account_id":"1","data":{"visitor":{"id":"v1","name":"Ottokar Qwert","email":"o@q.cz","phone":"+420 777 123 456","location_ip":"203.0.113.5"}}}`
	got := apply(t, r, doc)
	for _, gone := range []string{"Ottokar", "o@q.cz", "777", "203.0.113.5"} {
		if strings.Contains(got, gone) {
			t.Errorf("%s survives: %s", gone, got)
		}
	}
	if !strings.Contains(got, `"id":"v1"`) {
		t.Errorf("the visitor's id changed: %s", got)
	}
}

// TestSamePseudonymEverywhere: a variable or a rating comment holding the visitor's
// name gets the pseudonym of visitor.name, as do close.* and greetings.
func TestSamePseudonymEverywhere(t *testing.T) {
	r := mustNew(t, testKey)
	doc := `{"accountId":1,"beginAt":1,"endAt":2,"channel":{"id":1,"ratingDesc":"Jana Nováková"},"visitor":{"name":"Jana Nováková","variables":{"who":{"label":"Name","value":"Jana Nováková"}}},"messages":[{"type":"agent","name":"Petr","from":"agent:1","content":"Hi Jana!","sentAt":1},{"type":"system","name":"Jana Nováková","from":"system","content":"close.timeout","sentAt":2}]}`
	got := apply(t, r, doc)
	var m struct {
		Channel struct{ RatingDesc string }
		Visitor struct {
			Name      string
			Variables map[string]struct{ Value string }
		}
		Messages []struct{ Name, Content string }
	}
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		t.Fatal(err)
	}
	p := m.Visitor.Name
	if !strings.HasPrefix(p, "Visitor ") || m.Channel.RatingDesc != p || m.Visitor.Variables["who"].Value != p ||
		m.Messages[1].Name != p || m.Messages[0].Content != "Hi "+p+"!" || m.Messages[0].Name != "Petr" {
		t.Errorf("not one pseudonym everywhere: %s", got)
	}
}
