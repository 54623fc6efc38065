package jsontext

import (
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	doc := `{"accountId": 208, "channel": {"id": 1, "n": 1.50},
  "messages": [{"sentAt": 1000, "content": "a\u00e9"}, {"sentAt": 2000}]}`
	tests := []struct {
		name    string
		edit    Edit
		inserts []Insert
		want    string
	}{
		{"no edit keeps bytes", nil, nil, doc},
		{"scalar at pointer", func(p Path, k Kind, raw []byte) ([]byte, bool) {
			if p.Pointer() == "/accountId" {
				return []byte("999"), true
			}
			return nil, false
		}, nil, strings.Replace(doc, "208", "999", 1)},
		{"every sentAt shifted", func(p Path, k Kind, raw []byte) ([]byte, bool) {
			if len(p) == 3 && p[2].Key == "sentAt" {
				return append([]byte("1"), raw...), true
			}
			return nil, false
		}, nil, strings.NewReplacer(`"sentAt": 1000`, `"sentAt": 11000`, `"sentAt": 2000`, `"sentAt": 12000`).Replace(doc)},
		{"container replaced whole", func(p Path, k Kind, raw []byte) ([]byte, bool) {
			if p.Pointer() == "/channel" {
				if raw != nil || k != Object {
					t.Errorf("container edit got raw %q kind %v", raw, k)
				}
				return []byte(`{}`), true
			}
			return nil, false
		}, nil, strings.Replace(doc, `{"id": 1, "n": 1.50}`, `{}`, 1)},
		{"string raw has quotes", func(p Path, k Kind, raw []byte) ([]byte, bool) {
			if k == String {
				if raw[0] != '"' || raw[len(raw)-1] != '"' {
					t.Errorf("string raw %q lacks quotes", raw)
				}
				return []byte(`"x"`), true
			}
			return nil, false
		}, nil, strings.Replace(doc, `"a\u00e9"`, `"x"`, 1)},
		{"insert missing member", nil, []Insert{{Parent: []string{"channel"}, Key: "rating", Value: []byte("5")}},
			strings.Replace(doc, `"n": 1.50}`, `"n": 1.50,"rating":5}`, 1)},
		{"insert present member is a no-op", nil, []Insert{{Parent: nil, Key: "accountId", Value: []byte("1")}}, doc},
		{"insert into the document", nil, []Insert{{Key: "new", Value: []byte(`"v"`)}},
			strings.TrimSuffix(doc, "}") + `,"new":"v"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Rewrite(nil, []byte(doc), tt.edit, tt.inserts)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if err := Valid(got); err != nil {
				t.Errorf("output is not JSON: %v", err)
			}
		})
	}
}

func TestRewriteEmptyObjectInsertAndErrors(t *testing.T) {
	got, err := Rewrite(nil, []byte(`{ }`), nil, []Insert{{Key: "a", Value: []byte("1")}, {Key: "b", Value: []byte("2")}})
	if err != nil || string(got) != `{ "a":1,"b":2}` {
		t.Errorf("got %s, %v", got, err)
	}
	if _, err := Rewrite(nil, []byte(`{"a":1,}`), nil, nil); err == nil {
		t.Error("broken JSON: want an error")
	}
}
