package stats

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/input"
)

// deliveries is a stream of hooks as an archive with re-deliveries holds them: every
// document once, plus identical copies of every third, copies of every seventh with
// white space added (the same chat stored by another receiver), and copies of every
// eleventh with another rating and missed flag (a later, different version of the
// chat). They are shuffled, so a changed copy is sometimes read before its original.
func deliveries(t *testing.T, docs [][]byte, seed uint64) [][]byte {
	t.Helper()
	out := append([][]byte(nil), docs...)
	for i, doc := range docs {
		if i%3 == 0 {
			out = append(out, doc)
		}
		if i%7 == 0 {
			out = append(out, bytes.ReplaceAll(doc, []byte(`,"`), []byte(`, "`)))
		}
		if i%11 == 0 {
			var m map[string]any
			if err := json.Unmarshal(doc, &m); err != nil {
				t.Fatal(err)
			}
			ch := m["channel"].(map[string]any)
			ch["rating"], ch["ratingDesc"], ch["isMissed"] = 1, "changed", true
			changed, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, changed)
		}
	}
	r := rand.New(rand.NewPCG(seed, 1))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// firstOfEachChat is the reference's de-duplication: the first document of each
// (accountId, channel.id), read with encoding/json.
func firstOfEachChat(t *testing.T, docs [][]byte) [][]byte {
	t.Helper()
	type key struct{ account, channel int64 }
	seen := map[key]bool{}
	var out [][]byte
	for _, doc := range docs {
		var h struct {
			AccountID int64 `json:"accountId"`
			Channel   struct {
				ID int64 `json:"id"`
			} `json:"channel"`
		}
		if err := json.Unmarshal(doc, &h); err != nil {
			t.Fatal(err)
		}
		if k := (key{h.AccountID, h.Channel.ID}); !seen[k] {
			seen[k] = true
			out = append(out, doc)
		}
	}
	return out
}

func writeNDJSON(t *testing.T, docs [][]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "deliveries.ndjson")
	if err := os.WriteFile(path, append(bytes.Join(docs, []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDuplicatesCountOnce checks every figure over a stream with re-deliveries against
// the reference computed over the first copy of each chat, and, with KeepDuplicates,
// over every copy. Small batches spread the copies of a chat over batches that the
// workers count at once: the first copy must win all the same.
func TestDuplicatesCountOnce(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 600
	}
	_, docs := generate(t, n, 31)
	stream := deliveries(t, docs, 5)
	path := writeNDJSON(t, stream)
	unique := firstOfEachChat(t, stream)
	if len(unique) != n {
		t.Fatalf("the reference found %d chats in %d deliveries, want %d", len(unique), len(stream), n)
	}
	for _, keep := range []bool{false, true} {
		want := unique
		if keep {
			want = stream
		}
		ref := computeReference(t, want, time.UTC, math.MinInt64, math.MaxInt64)
		rep := collect(t, Options{Paths: []string{path}, TZ: time.UTC, By: ByDay, Top: 1000, KeepDuplicates: keep,
			Input: input.Options{BlockSize: 8 << 10}})
		checkReport(t, rep, ref)
		d := rep.Documents
		if d.Hooks != int64(len(want)) || d.Duplicates != int64(len(stream)-n) || d.DuplicatesCounted != keep {
			t.Errorf("keep %v: documents %+v; want %d hooks, %d duplicates", keep, d, len(want), len(stream)-n)
		}
	}
}

// TestDuplicatesAndRange: a copy outside --since/--until is a duplicate like any other,
// and the chats outside the range are counted once.
func TestDuplicatesAndRange(t *testing.T) {
	_, docs := generate(t, 400, 37)
	stream := deliveries(t, docs, 9)
	path := writeNDJSON(t, stream)
	since, until := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC), time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC)
	ref := computeReference(t, firstOfEachChat(t, stream), time.UTC, since.UnixMilli(), until.UnixMilli())
	rep := collect(t, Options{Paths: []string{path}, TZ: time.UTC, Since: since, Until: until, By: ByDay, Top: 1000})
	checkFigures(t, &rep.Chats, ref)
	d := rep.Documents
	if d.Hooks != ref.chats || d.Hooks+d.OutsideRange != 400 || d.Duplicates != int64(len(stream)-400) {
		t.Errorf("documents %+v; reference %d chats in the range of 400", d, ref.chats)
	}
}

// TestShardsKeepEveryCopyOfAChatTogether: the shard key is the chat (a REST webhook's
// is its conversation), so the copies of a chat land in one shard and the shards'
// chats and duplicates add up to the whole run's. (Webhooks that name no conversation
// are sharded by origin: their copies may land in different shards.)
func TestShardsKeepEveryCopyOfAChatTogether(t *testing.T) {
	_, docs := generate(t, 500, 41)
	_, all := generateWebhooks(t, 300, 43)
	var webhooks [][]byte
	for _, w := range all {
		if bytes.Contains(w, []byte(`"conversation":{"id"`)) {
			webhooks = append(webhooks, w)
		}
	}
	stream := append(deliveries(t, docs, 3), redeliver(webhooks)...)
	path := writeNDJSON(t, stream)
	whole := collect(t, Options{Paths: []string{path}, TZ: time.UTC})
	var chats, hooks, webhooksCounted, dups int64
	for i := range 3 {
		shard, err := input.NewShard(i, 3)
		if err != nil {
			t.Fatal(err)
		}
		rep := collect(t, Options{Paths: []string{path}, TZ: time.UTC, Input: input.Options{Shard: shard}})
		chats += rep.Chats.Chats
		hooks += rep.Documents.Hooks
		webhooksCounted += rep.Documents.Webhooks
		dups += rep.Documents.Duplicates
		if rep.Chats.Chats == whole.Chats.Chats {
			t.Fatalf("shard %d counted every chat: the shards did not split", i)
		}
	}
	if chats != 500 || hooks != 500 || whole.Chats.Chats != 500 || webhooksCounted != whole.Documents.Webhooks ||
		dups != whole.Documents.Duplicates {
		t.Errorf("shards: %d chats, %d hooks, %d webhooks, %d duplicates; whole run: %d chats, %d webhooks, %d duplicates",
			chats, hooks, webhooksCounted, dups, whole.Chats.Chats, whole.Documents.Webhooks, whole.Documents.Duplicates)
	}
}

// TestSeenSet checks the fingerprint set against a map, across its growth.
func TestSeenSet(t *testing.T) {
	var s seenSet
	ref := map[uint64]bool{}
	r := rand.New(rand.NewPCG(1, 2))
	for range 50_000 {
		fp := r.Uint64N(30_000) + 1
		if got, want := s.add(fp), !ref[fp]; got != want {
			t.Fatalf("add(%d) = %v, want %v", fp, got, want)
		}
		ref[fp] = true
	}
	// At most 3/4 full, at least 3/8 once grown: 10.7 to 21.3 bytes a fingerprint.
	if s.len() != len(ref) || 4*s.len() > 3*len(s.slots) || 8*s.len() < 3*len(s.slots) {
		t.Errorf("%d fingerprints in %d slots, reference %d", s.len(), len(s.slots), len(ref))
	}
}

// TestDuplicatesInEveryOutput: the number of duplicates is a row of the text and CSV
// summary, documents.duplicates in JSON and a sentence of the HTML report, saying
// whether they were left out or counted.
func TestDuplicatesInEveryOutput(t *testing.T) {
	_, docs := generate(t, 40, 67)
	path := writeNDJSON(t, append(docs, docs[:9]...))
	for _, keep := range []bool{false, true} {
		outs := map[string]*bytes.Buffer{"text": {}, "csv": {}, "json": {}}
		var html bytes.Buffer
		for format, out := range outs {
			opts := Options{Paths: []string{path}, Format: format, Out: out, KeepDuplicates: keep}
			if format == "json" {
				opts.HTML = &html
			}
			if err := Run(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
		}
		row, sentence := "duplicates_dropped", "9 duplicate deliveries left out"
		if keep {
			row, sentence = "duplicates_counted", "9 duplicate deliveries counted"
		}
		var rep struct {
			Documents map[string]any `json:"documents"`
			Chats     struct {
				Chats int `json:"chats"`
			} `json:"chats"`
		}
		if err := json.Unmarshal(outs["json"].Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Documents["duplicates"] != 9.0 || rep.Documents["duplicates_counted"] != keep || rep.Chats.Chats != 40+9*btoi(keep) {
			t.Errorf("keep %v: JSON documents %v, %d chats", keep, rep.Documents, rep.Chats.Chats)
		}
		if !regexp.MustCompile(`│ ` + row + ` +│ 9 +│`).MatchString(outs["text"].String()) {
			t.Errorf("keep %v: no %s row of 9 in the text:\n%s", keep, row, outs["text"])
		}
		if !strings.Contains(outs["csv"].String(), "\n"+row+",9,\n") {
			t.Errorf("keep %v: no %s row of 9 in the CSV:\n%s", keep, row, outs["csv"])
		}
		if !strings.Contains(html.String(), sentence) {
			t.Errorf("keep %v: the HTML report does not say %q", keep, sentence)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
