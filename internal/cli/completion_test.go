package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestFlagValueCompletion(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		want      []string
		wantNot   []string
		directive string
	}{
		{"validate --format", []string{"validate", "--format", ""}, []string{"text", "json", "github"}, nil, ":4"},
		{"convert --rows", []string{"convert", "--rows", ""}, []string{"chats", "messages", "domains"}, nil, ":4"},
		{"convert --to", []string{"convert", "--to", ""}, []string{"csv", "tsv", "ndjson"}, nil, ":4"},
		{"columns of the default rows", []string{"convert", "--columns", ""}, []string{"visitor.email", "messages.count"}, []string{"triggeredBy"}, ":6"},
		{"columns follow --rows", []string{"convert", "--rows", "messages", "--columns", ""}, []string{"triggeredBy", "index"}, []string{"visitor.email"}, ":6"},
		{"columns after a comma", []string{"convert", "--columns", "accountId,"}, []string{"accountId,channel.id"}, nil, ":6"},
		{"pretty --color", []string{"pretty", "--color", ""}, []string{"auto", "always", "never"}, nil, ":4"},
		{"fake --kind", []string{"fake", "--kind", ""}, []string{"hook", "webhook", "stats"}, nil, ":4"},
		{"listen --tz", []string{"listen", "--tz", ""}, []string{"UTC", "local", "Europe/Prague"}, nil, ":4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			root := NewRootCmd(IO{In: strings.NewReader(""), Out: &out, Err: &bytes.Buffer{}})
			root.SetArgs(append([]string{"__complete"}, tt.args...))
			if err := root.Execute(); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			got := map[string]bool{}
			for _, l := range lines {
				got[l] = true
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("missing %q in %q", w, lines)
				}
			}
			for _, w := range tt.wantNot {
				if got[w] {
					t.Errorf("unexpected %q in %q", w, lines)
				}
			}
			if last := lines[len(lines)-1]; last != tt.directive {
				t.Errorf("directive %s, want %s", last, tt.directive)
			}
		})
	}
}
