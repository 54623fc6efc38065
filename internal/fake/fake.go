// Package fake generates realistic, deterministic synthetic Smartsupp payloads.
//
// A Generator produces document i from (Seed, Kind, Start, i) alone, so
// documents can be generated in any order, in parallel, or skipped, and the
// same inputs always give the same bytes. JSON is built by hand with append
// calls rather than encoding/json, because benchmarks generate hundreds of
// megabytes and reflection would dominate their run time.
//
// Run is `smarthook fake`: documents generated on every core and written in order as
// NDJSON, or one file each under a folder.
package fake

import (
	"math/bits"
	"math/rand/v2"
	"strconv"
	"time"
)

// Kind selects which Smartsupp payload format a Generator produces.
type Kind string

const (
	// KindHook is the legacy POST hook (the main format, shaped like doc-example.json).
	KindHook Kind = "hook"
	// KindWebhook is the REST API v2 envelope {"type":"event_callback",...}.
	KindWebhook Kind = "webhook"
	// KindStats is the hourly domain-stats-report {"domains":{...}}.
	KindStats Kind = "stats"
)

// Options configures a Generator.
type Options struct {
	// Seed selects the pseudo-random stream; different seeds give different documents.
	Seed int64
	// Kind is the payload format; KindHook when empty.
	Kind Kind
	// Start is the time of document 0; the zero value means 2026-01-05T08:00:00Z.
	// It never depends on the clock, so output is reproducible.
	Start time.Time
	// Days, with Count, spreads Count chats over Days days from Start (by the weekly
	// traffic profile); without them chats come once per 40 s on average.
	Days, Count int
	// NestedWebhooks makes REST webhooks in the nested shape (messages and contact
	// inside data.conversation) instead of the documented one.
	NestedWebhooks bool
}

// defaultStart is the time of document 0 when Options.Start is zero.
var defaultStart = time.Date(2026, time.January, 5, 8, 0, 0, 0, time.UTC)

// Spacing between consecutive documents. Each document i starts at
// Start + i*step + jitter with jitter < step, which keeps times strictly
// increasing in i while looking irregular. 40 s per chat makes a million
// hooks span about 15 months.
const (
	chatStepMs  = 40_000
	statsStepMs = 3_600_000
)

// Generator produces synthetic documents. It is immutable after New, so one
// Generator may be shared by any number of goroutines.
type Generator struct {
	seed      uint64
	kind      Kind
	startMs   int64
	startMass float64 // the traffic mass at startMs (traffic.go)
	stepMass  float64 // the mass between consecutive chats
	idBase    int64   // channel ids of this seed: idBase + i
	nested    bool    // webhooks in the nested shape
}

// New returns a Generator for opts. An empty Kind means KindHook and an
// unknown Kind falls back to KindHook as well, so callers never get nil.
func New(opts Options) *Generator {
	k := opts.Kind
	if k != KindWebhook && k != KindStats {
		k = KindHook
	}
	start := opts.Start
	if start.IsZero() {
		start = defaultStart
	}
	// Mixing the kind into the seed keeps hook and webhook streams for the
	// same Seed from sharing random draws, which would correlate them.
	h := uint64(0xcbf29ce484222325) // FNV-1a of the kind name
	for j := 0; j < len(k); j++ {
		h = (h ^ uint64(k[j])) * 0x100000001b3
	}
	seed := mix64(uint64(opts.Seed)) ^ mix64(h)
	g := &Generator{seed: seed, kind: k, startMs: start.UnixMilli(), stepMass: averageMass}
	g.startMass = profile.massAt(g.startMs)
	if opts.Days > 0 && opts.Count > 0 {
		end := start.AddDate(0, 0, opts.Days).UnixMilli()
		g.stepMass = (profile.massAt(end) - g.startMass) / float64(opts.Count)
	}
	g.idBase = channelIDBase(opts.Seed)
	g.nested = opts.NestedWebhooks
	return g
}

// Channel ids are idBase + i with idBase = (1 + seed mod idSeeds) * idsPerSeed, so
// that chats of two seeds never share an id (for seeds 0 to idSeeds-1 and up to
// idsPerSeed chats), and the ids of one seed count up like a real account's.
const (
	idsPerSeed = 100_000_000
	idSeeds    = 90_000_000_000
)

func channelIDBase(seed int64) int64 {
	slot := seed % idSeeds
	if slot < 0 {
		slot += idSeeds
	}
	return (1 + slot) * idsPerSeed
}

// Append appends the compact JSON of document i (no trailing newline) to dst
// and returns the extended slice. Document i depends only on (Seed, Kind,
// Start, i); Append is safe for concurrent use. Documents are numbered from
// 0; i must not be negative.
func (g *Generator) Append(dst []byte, i int) []byte {
	switch g.kind {
	case KindWebhook:
		return g.appendWebhook(dst, i)
	case KindStats:
		return g.appendStats(dst, i)
	default:
		return g.appendHook(dst, i)
	}
}

// Time returns the begin time of document i (used to build date folders).
func (g *Generator) Time(i int) time.Time {
	return time.UnixMilli(g.beginMs(i)).UTC()
}

// Key returns a short file-name-safe id of document i: "accountId-channelId"
// for hooks (e.g. "208-55039"), "accountId-conversationId" for webhooks and
// "stats-YYYYMMDDHH" for stats reports.
func (g *Generator) Key(i int) string {
	var b []byte
	switch g.kind {
	case KindWebhook:
		r := g.rng(i)
		acc := &accounts[r.intn(len(accounts))]
		b = strconv.AppendInt(make([]byte, 0, 32), acc.id, 10)
		b = append(b, '-')
		b = appendConvID(b, g.seed, i)
	case KindStats:
		t := g.Time(i)
		b = append(make([]byte, 0, 16), "stats-"...)
		b = t.AppendFormat(b, "2006010215")
	default:
		r := g.rng(i)
		acc := &accounts[r.intn(len(accounts))]
		b = strconv.AppendInt(make([]byte, 0, 24), acc.id, 10)
		b = append(b, '-')
		b = strconv.AppendInt(b, g.channelID(i), 10)
	}
	return string(b)
}

// beginMs is the start of document i in Unix milliseconds. The jitter comes
// from a hash rather than the document's rng so Time stays cheap.
func (g *Generator) beginMs(i int) int64 {
	if g.kind == KindStats {
		// Stats reports are hourly, one per hour after Start, without jitter.
		return g.startMs + int64(i)*statsStepMs
	}
	h := mix64(g.seed ^ mix64(uint64(i)+0x5851f42d4c957f2d))
	jitter := float64(h>>11) / (1 << 53) // in [0, 1)
	return max(profile.timeAt(g.startMass+(float64(i)+jitter)*g.stepMass), g.startMs)
}

// channelID makes (accountId, channel.id) unique per document and per seed: ids are
// distinct for distinct i regardless of the account.
func (g *Generator) channelID(i int) int64 { return g.idBase + int64(i) }

// rng returns the independent random stream of document i. The first draw is
// always the account index so Key can recover it without building the
// document.
func (g *Generator) rng(i int) rng {
	return rng{p: *rand.NewPCG(g.seed, mix64(uint64(i)^0xd1b54a32d192ed03))}
}

// rng wraps a PCG by value, avoiding the allocation of a rand.Rand per
// document; it needs only bounded integers and probabilities.
type rng struct{ p rand.PCG }

// intn returns a value in [0, n) using the multiply-high reduction; the bias
// for the tiny n used here is far below anything a test could see.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.p.Uint64(), uint64(n))
	return int(hi)
}

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// pct reports true with probability p percent.
func (r *rng) pct(p int) bool { return r.intn(100) < p }

// mix64 is the splitmix64 finalizer: a bijection that spreads nearby inputs
// (consecutive document numbers) over the whole 64-bit space.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
