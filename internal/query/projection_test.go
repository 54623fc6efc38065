package query

import (
	"reflect"
	"strings"
	"testing"
)

func TestProjection(t *testing.T) {
	for _, c := range []struct {
		filter string
		keys   string // sorted, comma-separated; "FULL" for a full decode
	}{
		{`.channel.id`, "channel"},
		{`[.accountId, .visitor.email] | @tsv`, "accountId,visitor"},
		{`.messages[] | select(.type=="visitor") | .content`, "messages"},
		{`."a b", .["c"], .d?`, "a b,c,d"},
		{`{id: .channel.id, accountId, "x y", $__loc__}`, "accountId,channel,x y"},
		{`.a as $x | .b | . + $x`, "a,b"},
		{`.a as [$x, {y: $z}] | $z`, "a"},
		{`reduce .messages[] as $m (.n; . + $m)`, "messages,n"},
		{`foreach .m[] as $x (.s; . + $x; [., .])`, "m,s"},
		{`if .a then .b elif .c then .d else .e end`, "a,b,c,d,e"},
		{`try .a catch .`, "a"},
		{`label $out | .a | ., break $out`, "a"},
		{`"\(.a) and \(.b)"`, "a,b"},
		{`@csv "\(.a)"`, "a"},
		{`.a[.i:]`, "a,i"},
		{`-.a, (.b | -.)`, "a,b"},
		{`first(.a[]), limit(2; .b[]), [range(.n)], isempty(.e[]), any(.l[]; . > 1)`, "a,b,e,l,n"},
		{`type, not, empty, now, env.HOME, $ENV.HOME, input_filename, error(.msg)`, "msg"},
		{`chat_key, duration_s, visitor_messages`, "accountId,beginAt,channel,endAt,messages"},
		{`1, "x", null, true`, ""},
		{`.a.b.c | keys | length`, "a"},
		{`.messages | map(.content) | join(" ")`, "messages"},

		// The document itself is observed, or might be: decode it whole.
		{`.`, "FULL"},
		{`..`, "FULL"},
		{`.[]`, "FULL"},
		{`.[0]`, "FULL"},
		{`.[.k]`, "FULL"},
		{`."a\(.b)"`, "FULL"},
		{`.[1:2]`, "FULL"},
		{`keys`, "FULL"},
		{`length`, "FULL"},
		{`has("a")`, "FULL"},
		{`to_entries`, "FULL"},
		{`paths`, "FULL"},
		{`tostream`, "FULL"},
		{`tojson`, "FULL"},
		{`@csv`, "FULL"},
		{`select(.a)`, "FULL"},
		{`del(.a)`, "FULL"},
		{`.a = 1`, "FULL"},
		{`.a |= 1`, "FULL"},
		{`.a += 1`, "FULL"},
		{`if .a then .b end`, "FULL"},
		{`. as $d | $d.a`, "FULL"},
		{`def f: .a; f`, "FULL"},
		{`.a | def f: .; f`, "FULL"},
		{`{"\(.a)"}`, "FULL"},
		{`input`, "FULL"},
		{`[inputs]`, "FULL"},
		{`ms_to_iso`, "FULL"},
		{`getpath(["a"])`, "FULL"},
		{`debug`, "FULL"},
		{`first`, "FULL"},
		{`limit(1; .)`, "FULL"},
		{`error`, "FULL"},
		{`halt_error`, "FULL"},
		{`with_entries(.)`, "FULL"},
		{`map(.a)`, "FULL"},
		{`.a, .`, "FULL"},
		{`[.a, .[]]`, "FULL"},
		{`{a: .}`, "FULL"},
		{`"\(.)"`, "FULL"},
		{`reduce . as $x (0; 1)`, "FULL"},
		{`$__loc__, .`, "FULL"},
		{`$__loc__ | .file, .`, ""}, // `.` is the location there
	} {
		t.Run(c.filter, func(t *testing.T) {
			f, err := Parse(c.filter, "")
			if err != nil {
				t.Fatal(err)
			}
			keys, ok := f.Projection()
			got := "FULL"
			if ok {
				got = strings.Join(keys, ",")
			}
			if got != c.keys {
				t.Errorf("got %q, want %q", got, c.keys)
			}
		})
	}
}

func TestUsesInput(t *testing.T) {
	for filter, want := range map[string]bool{
		`.a`: false, `input`: true, `[inputs]`: true, `def f: input; 1`: true,
		`reduce inputs as $x (0; . + 1)`: true, `"input"`: false, `.input`: false,
	} {
		f, err := Parse(filter, "")
		if err != nil {
			t.Fatal(err)
		}
		if f.UsesInput != want {
			t.Errorf("%s: UsesInput = %v", filter, f.UsesInput)
		}
	}
}

func TestLocLines(t *testing.T) {
	src := "$__loc__,\n \"$__loc__ \\($__loc__.line)\", # $__loc__\n{$__loc__}"
	got, _ := eval(t, src, "null")
	loc := func(line int) map[string]any { return map[string]any{"file": "<top-level>", "line": line} }
	want := []any{loc(1), "$__loc__ 2", map[string]any{"__loc__": loc(3)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}
