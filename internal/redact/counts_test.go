package redact

import (
	"testing"
)

// TestApplyCount counts each replaced value once, by kind: whole fields and the
// values found in free text, whatever the number of walks a document needs.
func TestApplyCount(t *testing.T) {
	r, err := New(Options{Key: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	hook := `{"accountId":1,"channel":{"id":2,"ratingDesc":"quick, thanks"},
"visitor":{"name":"Dusan Kmet","email":"dusan@domain.com","ipAddress":"89.235.0.55","variables":{"orders":{"label":"Orders","value":12}}},
"messages":[{"type":"visitor","from":"visitor:mxTiqn9","content":"Hello, I am Dusan"},
{"type":"agent","name":"John Doe","content":"Hi Dusan! Call +420 777 123 456 or write to help@shop.example"}]}`
	var c Counts
	if _, err := r.ApplyCount(nil, []byte(hook), &c); err != nil {
		t.Fatal(err)
	}
	// name; email; IP; rating comment and visitor's message; the variable and the
	// visitor key; in the agent's text the name, the phone and the address.
	want := Counts{countName: 2, countEmail: 2, countPhone: 1, countIP: 1, countText: 2, countOther: 2}
	if c != want {
		t.Errorf("counts %v, want %v", c, want)
	}
	if got := c.String(); got != "2 names, 2 e-mail addresses, 1 phone number, 1 IP address, 2 texts, 2 other values" {
		t.Errorf("String = %q", got)
	}
	// A webhook whose message type comes after its content is walked again: counted once.
	webhook := `{"event":"conversation.closed","data":{"conversation":{"messages":[{"content":{"text":"mail me at a@b.example"},"sub_type":"contact"}]},"contact":{"name":"Jana Nováková","email":"a@b.example"}}}`
	var w Counts
	if _, err := r.ApplyCount(nil, []byte(webhook), &w); err != nil {
		t.Fatal(err)
	}
	once := w
	if _, err := r.ApplyCount(nil, []byte(webhook), &w); err != nil {
		t.Fatal(err)
	}
	// The contact's name and e-mail, and its message's text (redacted whole).
	if want := (Counts{countName: 1, countEmail: 1, countText: 1}); once != want || w.Total() != 2*once.Total() {
		t.Errorf("webhook counts %v, then %v after a second document", once, w)
	}
	// Not JSON: nothing replaced, nothing counted.
	var none Counts
	if _, err := r.ApplyCount(nil, []byte(`{"x":`), &none); err == nil || none.Total() != 0 || none.String() != "no values" {
		t.Errorf("broken document: %v, counts %v (%s)", err, none, none.String())
	}
}
