package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/query"
)

// trickyDocs hold what the fake chats lack: numbers gojq keeps as written, big and
// negative-zero numbers, every escape, non-ASCII keys, deep and empty containers.
var trickyDocs = []string{
	`{"n":[1.0,-0,-0.0,1e400,-1e400,1E+2,0.1e-7,100000000000000000000000,9007199254740993,-9223372036854775808,9223372036854775808,1.5e300,123.456,0,-1,1e-7]}`,
	`{"s":"a\u0000b\u007f\u2028\ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t é","k\u00e9y":1,"":"empty key","a\"b":2}`,
	`{"deep":[[[[{"a":[{},[],{"b":null}]}]]]],"e":{},"f":[],"t":true,"F":false,"nul":null}`,
	`{"accountId":1,"channel":{"id":2,"rating":null},"messages":[{"type":"visitor","content":"x","sentAt":1}],"dup":1,"dup":2}`,
	`[1,"two",{"three":3}]`,
	`"a bare string"`,
	`12345678901234567890`,
	`null`,
}

// diffCase is a filter with the flags to run it with, given to both tools.
type diffCase struct {
	flags   []string
	filter  string
	project bool // the filter must be run with projection (checked, so the test proves it)
}

var diffCases = []diffCase{
	{[]string{"-c"}, `.channel.id`, true},
	{[]string{"-r"}, `[.accountId, .visitor.email] | @tsv`, true},
	{nil, `.messages[] | select(.type=="visitor") | .content`, true},
	{nil, `.`, false},
	{[]string{"--tab"}, `.`, false},
	{[]string{"--indent", "3"}, `.visitor`, true},
	{[]string{"--indent", "0"}, `.channel`, true},
	{[]string{"-c"}, `{id: .channel.id, rating: .channel.rating, n: (.messages | length)}`, true},
	{[]string{"-c"}, `.visitor | to_entries | map(select(.value != null)) | from_entries`, true},
	{nil, `[paths] | length`, false},
	{nil, `.messages | map(.sentAt) | add / length`, true},
	{nil, `[.channel | .. | numbers] | add`, true},
	{[]string{"-c"}, `.visitor.variables // {} | keys`, true},
	{nil, `(.endAt - .beginAt) / 1000`, true},
	{nil, `.channel.duration * 1.5`, true},
	{[]string{"-r"}, `[.beginAt, .endAt] | @csv`, true},
	{[]string{"-r"}, `.messages[0].content | @json`, true},
	{[]string{"-r"}, `.visitor.name | ascii_downcase? // "none"`, true},
	{nil, `select(.channel.isMissed) | .accountId`, false},
	{[]string{"-r"}, `.paths[]?.url`, true},
	{nil, `del(.messages) | tojson | length`, false},
	{[]string{"-c"}, `.messages | group_by(.type) | map({type: .[0].type, n: length})`, true},
	{[]string{"-c"}, `.accountId as $a | .messages[]? | {a: $a, t: .type}`, true},
	{nil, `reduce .messages[]? as $m (0; . + ($m.content | length))`, true},
	{nil, `if .channel.rating then .channel.rating * 2 else "unrated" end`, true},
	{nil, `.visitor | has("email")`, true},
	{[]string{"-c"}, `{(.visitor.countryCode // "xx"): .channel.id}`, true},
	{[]string{"-r"}, `"\(.accountId)-\(.channel.id)"`, true},
	{nil, `[.[]?] | length`, false},
	{[]string{"-s"}, `map(.channel.id?) | add`, false},
	{[]string{"-j"}, `.channel.id, .channel.rating, "\n"`, true},
	{[]string{"-c"}, `.n, .s, .deep, .e, .f, .t, .F, ."kéy", ."", ."a\"b", .dup`, true},
	{[]string{"-c"}, `.n | map(tojson)`, true},
	{[]string{"-c"}, `.data.conversation?, .event, .domains`, true},
	{[]string{"-c"}, `type, (keys? // "none")`, false},
	{[]string{"-c"}, `[.beginAt, .endAt, .channel.id] | map(. / 7)`, true},
	{nil, `.messages[]?.from | strings | split(":")[0]`, true},
	{[]string{"-r"}, `.visitor | @base64 "\(.email // "")", @uri "\(.name // "")"`, true},
	{[]string{"-c"}, `try error("x\(.accountId)") catch .`, true},
	{nil, `.messages as [$first] | $first.content`, true},
	{nil, `label $f | .messages[]? | if .type == "agent" then ., break $f else empty end | .content`, true},
	{nil, `first(.messages[]?) | .type`, true},
	{nil, `limit(2; .messages[]?) | .sentAt`, true},
	{[]string{"-c"}, `[range(.channel.messagesCount // 0)] | length`, true},
	{[]string{"-c"}, `[isempty(.paths[]?), any(.messages[]?; .type == "system"), all(.messages[]?; .sentAt > 0)]`, true},
	{[]string{"-c"}, `{id: .channel.id, file: input_filename}`, true},
	{[]string{"-c"}, `.channel | keys`, true},
	{[]string{"-c"}, `[.visitor.variables[]?.value]`, true},
	{[]string{"-c"}, `foreach .messages[]? as $m (0; . + 1; [., $m.type])`, true},
	{nil, `try (.visitor.name | test("^A")) catch "err"`, true},
	{[]string{"-c"}, `.visitor as {email: $e, name: $n} | [$e, $n]`, true},
	{[]string{"-r"}, `@json "v=\(.visitor.id)"`, true},
	{nil, `.messages[.channel.messagesCount % 2]?.type`, true},
	{[]string{"-c"}, `[type, not, (.channel.id | type)]`, true},
	{nil, `try error(.channel.id) catch .`, true},
	{nil, `if .channel.isChat then "chat" elif .channel.isOffline then "offline" else "other" end`, true},
	{[]string{"-c"}, `reduce .messages[]? as {type: $t} ({}; .[$t] += 1)`, true},
	{[]string{"-c"}, `-.beginAt, .endAt - .beginAt, (.channel | .id % 7)`, true},
	{[]string{"-c"}, `.a, .b?, ."k\u00e9y", .["dup"]`, true},
	{nil, `ltrimstr("x") | .channel.id`, false},
}

// TestQueryMatchesGojq runs every case through smarthook query (with projection and
// with whole documents) and through the gojq binary, on 500 fake chats, 20 REST
// webhooks and the tricky documents, and wants the same bytes on stdout and the same
// success. Skipped where gojq is not installed
// (go install github.com/itchyny/gojq/cmd/gojq@v0.12.19).
func TestQueryMatchesGojq(t *testing.T) {
	gojq, err := exec.LookPath("gojq")
	if err != nil {
		t.Skip("gojq is not installed")
	}
	path := writeDiffDocs(t)
	for _, c := range diffCases {
		name := strings.Join(append(append([]string{}, c.flags...), c.filter), " ")
		t.Run(name, func(t *testing.T) {
			f, err := query.Parse(c.filter, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := f.Projection(); ok != c.project && !contains(c.flags, "-s") {
				t.Fatalf("projection = %v, want %v", ok, c.project)
			}
			args := append(append(append([]string{}, c.flags...), c.filter), path)
			want, wantErr := exec.Command(gojq, args...).Output()
			for _, full := range []bool{false, true} {
				out, errOut, code := runQueryArgs(t, &QueryOptions{Query: query.Options{FullDecode: full}}, args...)
				if out != string(want) {
					t.Errorf("full decode %v: output differs from gojq\n%s", full, firstDiff(out, string(want)))
				}
				if (code == 0) != (wantErr == nil) {
					t.Errorf("full decode %v: exit %d, gojq: %v; stderr:\n%s", full, code, wantErr, errOut)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func writeDiffDocs(t *testing.T) string {
	t.Helper()
	var buf []byte
	hooks := fake.New(fake.Options{Seed: 42})
	for i := range 500 {
		buf = append(hooks.Append(buf, i), '\n')
		if i%25 == 0 {
			buf = append(buf, trickyDocs[(i/25)%len(trickyDocs)]...)
			buf = append(buf, '\n')
		}
	}
	webhooks := fake.New(fake.Options{Seed: 42, Kind: fake.KindWebhook})
	for i := range 20 {
		buf = append(webhooks.Append(buf, i), '\n')
	}
	path := filepath.Join(t.TempDir(), "docs.ndjson")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runQueryArgs runs `smarthook query ARGS` with opts preset (streams are filled in)
// and returns stdout, stderr and the exit code.
func runQueryArgs(t *testing.T, opts *QueryOptions, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	if opts.IO.In == nil {
		opts.IO.In = strings.NewReader("")
	}
	opts.IO.Out, opts.IO.Err = &out, &errOut
	if opts.IO.Getenv == nil {
		opts.IO.Getenv = func(string) string { return "" }
	}

	cmd := newCmdQuery(opts)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	ctx := context.Background()
	code := exitCode(cmd.ExecuteContext(ctx), ctx, &errOut)
	return out.String(), errOut.String(), code
}

// firstDiff shows where two outputs start to differ.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return "got:  ..." + got[from:min(len(got), i+80)] + "\nwant: ..." + want[from:min(len(want), i+80)]
}
