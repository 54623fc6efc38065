package input_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/fake"
	. "github.com/smarthook/smarthook/internal/input"
)

// shardInputs writes a mix the shards must split: NDJSON of hooks (some chats twice),
// webhooks and stats reports, a broken line, a folder of .json files, and returns the
// paths to read.
func shardInputs(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	var nd []byte
	for _, kind := range []fake.Kind{fake.KindHook, fake.KindWebhook, fake.KindStats} {
		g := fake.New(fake.Options{Seed: 3, Kind: kind})
		for i := range 300 {
			nd = append(g.Append(nd, i), '\n')
		}
	}
	hooks := fake.New(fake.Options{Seed: 3})
	for i := range 20 { // resent chats: the same (accountId, channel.id) again
		nd = append(hooks.Append(nd, i), '\n')
	}
	nd = append(nd, "{\"accountId\": 1, broken\n"...)
	if err := os.WriteFile(filepath.Join(dir, "mix.ndjson"), nd, 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "files")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		doc := hooks.Append(nil, 1000+i)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("%03d.json", i)), doc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return []string{filepath.Join(dir, "mix.ndjson"), sub}
}

// shardRec is a record copied out of its batch.
type shardRec struct {
	Origin Origin
	Raw    string
	Err    error
}

// collect runs paths through Run and returns every record emitted.
func collect(t *testing.T, paths []string, opts Options) []shardRec {
	t.Helper()
	return collectErr(t, paths, opts)
}

// collectErr is collect: records that could not be read are among them.
func collectErr(t *testing.T, paths []string, opts Options) []shardRec {
	t.Helper()
	var out []shardRec
	err := Run(context.Background(), paths, opts,
		func() func(*Batch) int { return func(b *Batch) int { return len(b.Records) } },
		func(b *Batch, _ int) error {
			for _, r := range b.Records {
				out = append(out, shardRec{r.Origin, string(r.Raw), r.Err})
			}
			return nil
		})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out
}

func recordKey(g shardRec) string {
	if g.Err != nil {
		return g.Origin.String() + " error"
	}
	return g.Origin.String() + " " + g.Raw
}

func TestShardsCompleteAndDisjoint(t *testing.T) {
	paths := shardInputs(t)
	all := collect(t, paths, Options{})
	if len(all) < 950 {
		t.Fatalf("read %d records, want all of them", len(all))
	}
	for _, n := range []int{1, 2, 4, 7} {
		seen := map[string]int{}
		chatShard := map[string]int{}
		for i := range n {
			for _, g := range collect(t, paths, Options{Shard: Shard{Index: i, Count: n}}) {
				k := recordKey(g)
				if prev, ok := seen[k]; ok {
					t.Fatalf("%d shards: %s in shard %d and %d", n, g.Origin, prev, i)
				}
				seen[k] = i
				if g.Err == nil {
					if key := ShardKey([]byte(g.Raw)); key != nil {
						if prev, ok := chatShard[string(key)]; ok && prev != i {
							t.Errorf("%d shards: chat %q in shard %d and %d", n, key, prev, i)
						}
						chatShard[string(key)] = i
					}
				}
			}
		}
		if len(seen) != len(all) {
			t.Errorf("%d shards together read %d records, one run %d", n, len(seen), len(all))
		}
		for _, g := range all {
			if _, ok := seen[recordKey(g)]; !ok {
				t.Errorf("%d shards: %s read by none", n, g.Origin)
			}
		}
	}
}

func TestShardsAreBalanced(t *testing.T) {
	paths := shardInputs(t)
	total := len(collect(t, paths, Options{}))
	for i := range 4 {
		n := len(collect(t, paths, Options{Shard: Shard{Index: i, Count: 4}}))
		if n < total/8 || n > total/2 {
			t.Errorf("shard %d/4 holds %d of %d records", i, n, total)
		}
	}
}

func TestShardKey(t *testing.T) {
	cases := []struct {
		doc, key string
	}{
		{`{"accountId":12,"channel":{"isChat":true,"id":34},"messages":[]}`, "hook\x0012\x0034"},
		{"\ufeff{\"channel\":{\"id\":\"34\"},\"accountId\":12}", "hook\x0012\x0034"},
		{`{"account_id":"7","data":{"conversation":{"id":"c1","channel":{"id":"x"}}}}`, "webhook\x007\x00c1"},
		{`{"account_id":"7","data":{"conversation_id":"c2","agent_id":"a"}}`, "webhook\x007\x00c2"},
		{`{"account_id":"7","data":{"message":{"id":"m","conversation_id":"c3"}}}`, "webhook\x007\x00c3"},
		{`{"domains":{"a.example":{"visits":1}}}`, ""},
		{`{"accountId":12}`, ""},
		{`[1,2]`, ""},
		{`{"accountId":12,"channel":{"id":`, ""},
	}
	for _, c := range cases {
		if got := string(ShardKey([]byte(c.doc))); got != c.key {
			t.Errorf("ShardKey(%s) = %q, want %q", c.doc, got, c.key)
		}
	}
}

func TestParseShard(t *testing.T) {
	if s, err := ParseShard("2/4"); err != nil || s != (Shard{2, 4}) {
		t.Errorf("ParseShard(2/4) = %v, %v", s, err)
	}
	for _, bad := range []string{"4/4", "-1/4", "1", "a/b", "0/0", "1/"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

// An empty shard is not an empty input: Run does not say that nothing was read.
func TestEmptyShardIsNotEmptyInput(t *testing.T) {
	doc := `{"accountId":1,"channel":{"id":2},"messages":[]}` + "\n"
	var empty int
	for i := range 3 {
		var notes bytes.Buffer
		opts := Options{Stdin: strings.NewReader(doc), Notices: &notes, FailEmpty: true, Shard: Shard{Index: i, Count: 3}}
		n := 0
		err := Run(context.Background(), nil, opts, func() func(*Batch) int { return func(*Batch) int { return 0 } },
			func(b *Batch, _ int) error { n += len(b.Records); return nil })
		if err != nil || strings.Contains(notes.String(), "no document") {
			t.Errorf("shard %d/3: %v, %q", i, err, notes.String())
		}
		if n == 0 {
			empty++
		}
	}
	if empty != 2 {
		t.Errorf("%d of 3 shards empty, want 2", empty)
	}
}
