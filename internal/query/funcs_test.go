package query

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// eval runs filter on the JSON document in and returns its outputs, or the message of
// the first error.
func eval(t *testing.T, filter, in string) ([]any, string) {
	t.Helper()
	f, err := Parse(filter, "")
	if err != nil {
		t.Fatalf("%s: %v", filter, err)
	}
	p, err := f.Compile(CompileOptions{})
	if err != nil {
		t.Fatalf("%s: %v", filter, err)
	}
	v, err := NewDecoder().Decode([]byte(in))
	if err != nil {
		t.Fatalf("%s: %v", in, err)
	}
	var out []any
	iter := p.Run(context.Background(), v, nil, "chats.ndjson")
	for {
		v, ok := iter.Next()
		if !ok {
			return out, ""
		}
		if err, ok := v.(error); ok {
			return out, err.Error()
		}
		out = append(out, v)
	}
}

const hook = `{"accountId":208,"beginAt":1427470439703,"endAt":1427470476687,"channel":{"id":55039},
"messages":[{"type":"visitor","content":"Hi"},{"type":"system","content":"agent.join"},
{"type":"agent","content":"Hello"},{"type":"visitor","content":"Bye"},"odd"]}`

func TestHelpers(t *testing.T) {
	for _, c := range []struct {
		filter, in string
		want       []any
		err        string // a part of the error message
	}{
		{`ms_to_iso`, `1427470439703`, []any{"2015-03-27T15:33:59.703Z"}, ""},
		{`ms_to_iso`, `1427470439000`, []any{"2015-03-27T15:33:59.000Z"}, ""},
		{`ms_to_iso`, `1427470439703.9`, []any{"2015-03-27T15:33:59.703Z"}, ""},
		{`ms_to_iso`, `1.427470439703e12`, []any{"2015-03-27T15:33:59.703Z"}, ""},
		{`ms_to_iso`, `null`, []any{nil}, ""},
		{`ms_to_iso("Europe/Prague")`, `1427470439703`, []any{"2015-03-27T16:33:59.703+01:00"}, ""},
		{`ms_to_iso("Europe/Prague")`, `1435000000000`, []any{"2015-06-22T21:06:40.000+02:00"}, ""},
		{`ms_to_iso("+05:30")`, `0`, []any{"1970-01-01T05:30:00.000+05:30"}, ""},
		{`ms_to_iso("UTC")`, `0`, []any{"1970-01-01T00:00:00.000Z"}, ""},
		{`ms_to_iso("Mars/Olympus")`, `0`, nil, `unknown time zone "Mars/Olympus"`},
		{`ms_to_iso(1)`, `0`, nil, "time zone must be a string"},
		{`ms_to_iso`, `"1427470439703"`, nil, `ms_to_iso cannot be applied to: string ("1427470439703")`},
		{`ms_to_iso`, `1e300`, nil, "ms_to_iso cannot be applied to: number"},
		{`ms_to_iso`, `253402300800000`, nil, "out of range"},
		{`iso_to_ms`, `"2015-03-27T15:33:59.703Z"`, []any{1427470439703}, ""},
		{`iso_to_ms`, `"2015-03-27T16:33:59.703+01:00"`, []any{1427470439703}, ""},
		{`iso_to_ms`, `"2015-03-27T15:33:59Z"`, []any{1427470439000}, ""},
		{`iso_to_ms`, `"2015-03-27T16:33:59+0100"`, []any{1427470439000}, ""},
		{`iso_to_ms`, `null`, []any{nil}, ""},
		{`iso_to_ms`, `"yesterday"`, nil, `"yesterday" is not an RFC 3339 time`},
		{`iso_to_ms`, `1`, nil, "iso_to_ms cannot be applied to: number (1)"},
		{`ms_to_iso | iso_to_ms`, `1767600038376`, []any{1767600038376}, ""},
		{`chat_key`, hook, []any{"208/55039"}, ""},
		{`chat_key`, `{"accountId":1.5e3,"channel":{"id":"c1"}}`, []any{"1.5e3/c1"}, ""},
		{`chat_key`, `{"channel":{"id":1}}`, nil, "chat_key: accountId is null, expected a number"},
		{`chat_key`, `{"accountId":1,"channel":[]}`, nil, "chat_key: channel is array, expected an object"},
		{`chat_key`, `{"accountId":1,"channel":{"id":true}}`, nil, "chat_key: channel.id is boolean"},
		{`chat_key`, `[]`, nil, "chat_key cannot be applied to: array ([])"},
		{`visitor_messages | map(.content)`, hook, []any{[]any{"Hi", "Bye"}}, ""},
		{`agent_messages | map(.content)`, hook, []any{[]any{"Hello"}}, ""},
		{`system_messages[].content`, hook, []any{"agent.join"}, ""},
		{`visitor_messages`, `{}`, []any{[]any{}}, ""},
		{`visitor_messages`, `{"messages":{}}`, nil, "visitor_messages: messages is object, expected an array"},
		{`agent_messages`, `"x"`, nil, `agent_messages cannot be applied to: string ("x")`},
		{`duration_s`, hook, []any{36}, ""},
		{`duration_s`, `{"beginAt":2000,"endAt":500}`, []any{-2}, ""},
		{`duration_s`, `{"beginAt":2000}`, []any{nil}, ""},
		{`duration_s`, `{"beginAt":"a","endAt":1}`, nil, "duration_s: beginAt and endAt must be numbers"},
		{`duration_s`, `1`, nil, "duration_s cannot be applied to: number (1)"},
		{`try chat_key catch "caught"`, `{}`, []any{"caught"}, ""},
	} {
		t.Run(c.filter+" "+c.in, func(t *testing.T) {
			got, err := eval(t, c.filter, c.in)
			if c.err != "" {
				if !strings.Contains(err, c.err) {
					t.Fatalf("error %q, want one with %q (outputs %v)", err, c.err, got)
				}
				return
			}
			if err != "" || !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v (error %q), want %#v", got, err, c.want)
			}
		})
	}
}

func TestFunctionHelpListsEveryHelper(t *testing.T) {
	help := FunctionHelp()
	for _, f := range Functions {
		if !strings.Contains(help, f.Synopsis) || !strings.Contains(help, f.Example) {
			t.Errorf("help lacks %s", f.Name)
		}
		// Every example compiles.
		fl, err := Parse(f.Example, "")
		if err == nil {
			_, err = fl.Compile(CompileOptions{})
		}
		if err != nil {
			t.Errorf("example of %s: %v", f.Name, err)
		}
	}
	for _, line := range strings.Split(help, "\n") {
		if len(line) > 80 {
			t.Errorf("help line longer than 80: %q", line)
		}
	}
}
