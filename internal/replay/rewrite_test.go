package replay

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

func TestParseSet(t *testing.T) {
	tests := []struct {
		in   string
		path string
		raw  string
	}{
		{"accountId=999", "accountId", "999"},
		{"channel.rating=null", "channel.rating", "null"},
		{"visitor.name=Alice", "visitor.name", `"Alice"`},
		{`visitor.name="Bob"`, "visitor.name", `"Bob"`},
		{"visitor.note=", "visitor.note", `""`},
		{`tags=["a","b"]`, "tags", `["a","b"]`},
		{"x=a=b", "x", `"a=b"`},
		{`q=say "hi"`, "q", `"say \"hi\""`},
	}
	for _, tt := range tests {
		s, err := ParseSet(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if s.PathText() != tt.path || string(s.Value) != tt.raw {
			t.Errorf("%s: got %v %s, want %s %s", tt.in, s.Path, s.Value, tt.path, tt.raw)
		}
	}
	for _, bad := range []string{"accountId", "=1", "a..b=1", "a.=1"} {
		if _, err := ParseSet(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

const hookDoc = `{
  "accountId": 208,
  "beginAt": 1427470439703,
  "endAt": 1427470476687,
  "channel": {"id": 55039, "rating": null, "duration": 36},
  "visitor": {"name": "Dusan", "note": "beginAt 1427470439703"},
  "messages": [
    {"type": "visitor", "content": "Hello 1427470439703", "sentAt": 1427470439703},
    {"type": "agent", "content": "Hi", "sentAt": 1427470446219, "extra": {"sentAt": 5}}
  ]
}`

func TestShiftMovesOnlyTimestampsBySameDelta(t *testing.T) {
	const delta = 1_000_000_000
	rw := &Rewriter{Shift: delta}
	got, err := rw.Apply(nil, []byte(hookDoc), payload.KindHook)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(
		`"beginAt": 1427470439703`, `"beginAt": 1428470439703`,
		`"endAt": 1427470476687`, `"endAt": 1428470476687`,
		`"sentAt": 1427470439703`, `"sentAt": 1428470439703`,
		`"sentAt": 1427470446219`, `"sentAt": 1428470446219`,
	).Replace(hookDoc)
	if string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// Every number that changed, changed by the same delta; strings and nested
	// look-alikes did not.
	before, after := numbers(hookDoc), numbers(string(got))
	changed := 0
	for i := range before {
		if d := after[i] - before[i]; d != 0 {
			changed++
			if d != delta {
				t.Errorf("number %d moved by %d", i, d)
			}
		}
	}
	if changed != 4 {
		t.Errorf("%d numbers changed, want 4 (beginAt, endAt, two sentAt)", changed)
	}
	// Not a hook: nothing shifts.
	same, _ := rw.Apply(nil, []byte(hookDoc), payload.KindWebhook)
	if string(same) != hookDoc {
		t.Error("a document that is not a hook was shifted")
	}
}

// numbers lists the integers of a document's text in order.
func numbers(s string) []int64 {
	var out []int64
	for _, m := range regexp.MustCompile(`-?\d+`).FindAllString(s, -1) {
		n, _ := strconv.ParseInt(m, 10, 64)
		out = append(out, n)
	}
	return out
}

func TestSetReplacesAndInserts(t *testing.T) {
	sets := mustSets(t, "accountId=1", "accountId=999", "channel.rating=5", "channel.tag=vip", "visitor.city=Brno", "nowhere.x=1")
	got, err := (&Rewriter{Sets: sets}).Apply(nil, []byte(hookDoc), payload.KindHook)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(
		`"accountId": 208`, `"accountId": 999`,
		`"rating": null, "duration": 36}`, `"rating": 5, "duration": 36,"tag":"vip"}`,
		`"note": "beginAt 1427470439703"}`, `"note": "beginAt 1427470439703","city":"Brno"}`,
		"\n  ]\n}", "\n  ],\"nowhere\":{\"x\":1}\n}",
	).Replace(hookDoc)
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if keys := topKeys(t, got); strings.Join(keys, ",") != "accountId,beginAt,endAt,channel,visitor,messages,nowhere" {
		t.Errorf("key order changed: %v", keys)
	}
}

func topKeys(t *testing.T, doc []byte) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(doc)))
	var keys []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 && dec.More() {
				keys = append(keys, v)
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return keys
}

func mustSets(t *testing.T, specs ...string) []Set {
	t.Helper()
	var sets []Set
	for _, s := range specs {
		set, err := ParseSet(s)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, set)
	}
	return sets
}

func TestRedactRunsFirstAndSetsWin(t *testing.T) {
	redact := func(dst, doc []byte) ([]byte, error) {
		return append(dst, strings.ReplaceAll(string(doc), "Dusan", "Person-1")...), nil
	}
	rw := &Rewriter{Redact: redact, Sets: mustSets(t, "visitor.note=Dusan")}
	got, err := rw.Apply(nil, []byte(hookDoc), payload.KindHook)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `"name": "Person-1"`) || !strings.Contains(string(got), `"note": "Dusan"`) {
		t.Errorf("got %s", got)
	}
}

func TestShiftSampleKeepsBytes(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/samples/doc-example.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := (&Rewriter{Shift: 1}).Apply(nil, raw, payload.KindHook)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(raw) || jsontext.Valid(got) != nil {
		t.Errorf("shifting by 1 ms should keep the length (%d vs %d) and the JSON valid", len(got), len(raw))
	}
	back, _ := (&Rewriter{Shift: -1}).Apply(nil, got, payload.KindHook)
	if string(back) != string(raw) {
		t.Error("shifting back does not give the stored bytes")
	}
}
