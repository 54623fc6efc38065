// Package stats answers the questions people export chats to a spreadsheet for: how
// many chats, how many missed, how fast agents answered, how visitors rated, when the
// busy hours are and which agent did what. It reads any input the core reads, decodes
// and summarizes documents on every core, counts each chat once in input order (a
// repeated delivery is known by its fingerprint; quantiles come from a Sketch, so
// memory stays flat however large the input but for the fingerprints), and writes
// terminal tables, JSON, CSV or a self-contained HTML report.
package stats

import (
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"runtime/debug"
	"slices"
	"time"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
)

// The --by groupings.
const (
	ByDay     = "day"
	ByWeek    = "week"
	ByMonth   = "month"
	ByAgent   = "agent"
	ByAccount = "account"
	ByDomain  = "domain"
)

// ByValues lists the --by values.
var ByValues = []string{ByDay, ByWeek, ByMonth, ByAgent, ByAccount, ByDomain}

// Formats lists the --format values.
var Formats = []string{"text", "json", "csv"}

// Options are what a stats run reads, counts and writes.
type Options struct {
	Paths []string
	Input input.Options

	Since, Until time.Time      // zero: open; Since inclusive, Until exclusive
	TZ           *time.Location // for days, weeks, months and the heatmap; nil means UTC
	By           string         // one of ByValues, or "" for no groups
	Top          int            // rows of the pages, referrers and countries tables; 0 means 10

	// KeepDuplicates counts every delivery: a chat read several times, and identical
	// REST webhooks, count each time (they are still counted as duplicates).
	KeepDuplicates bool

	Format string    // text, json or csv
	Table  string    // with csv: the one table to write ("" writes them all)
	Out    io.Writer // the --format output; nil writes none
	Fancy  bool      // text on a terminal: bars and sparklines
	HTML   io.Writer // the HTML report, when not nil

	// Check is called in input order with every record that cannot be read or whose
	// document has error findings; it reports them and returns false to skip the
	// document. Nil skips them silently.
	Check func(rec input.Record, findings []rules.Finding) bool

	// MemoryLimit is the soft memory limit the caller set for the run (0: none). What
	// must be kept of each distinct chat and conversation (to tell repeated deliveries
	// and to keep one rating per conversation) grows with the input; the limit is
	// raised by as much, so that the collector never runs without pause once that
	// alone fills it.
	MemoryLimit int64
}

// config is what workers need of the options.
type config struct {
	since, until int64 // ms
	tz           *time.Location
	by           string
}

func (c *config) inRange(ms int64) bool { return ms >= c.since && ms < c.until }
func (c *config) bounded() bool         { return c.since != math.MinInt64 || c.until != math.MaxInt64 }

// Run reads the inputs, counts and writes the report.
func Run(ctx context.Context, opts Options) error {
	if opts.Table != "" && !slices.Contains(TableNames, opts.Table) {
		return fmt.Errorf("unknown table %q: use one of %v", opts.Table, TableNames)
	}
	rep, err := Collect(ctx, opts)
	if rep == nil {
		return err
	}
	// An interrupted run still reports what it counted, and then says it was cut.
	if werr := Write(rep, opts); werr != nil {
		return werr
	}
	return err
}

// Collect reads the inputs and returns the merged figures. When ctx ends early it
// returns the figures of what was read so far with ctx's error.
//
// Workers decode, fingerprint and summarize the documents in parallel; the emitter,
// which sees them in input order, drops repeated deliveries (the first one read wins,
// whatever the number of cores) and counts the rest.
func Collect(ctx context.Context, opts Options) (*Report, error) {
	cfg := &config{since: math.MinInt64, until: math.MaxInt64, tz: opts.TZ, by: opts.By}
	if cfg.tz == nil {
		cfg.tz = time.UTC
	}
	if !opts.Since.IsZero() {
		cfg.since = opts.Since.UnixMilli()
	}
	if !opts.Until.IsZero() {
		cfg.until = opts.Until.UnixMilli()
	}
	prints := fingerprints{seed: maphash.MakeSeed()}
	newWork := func() func(*input.Batch) *batchResult {
		s := &summarizer{cfg: cfg, fp: prints.worker()}
		return s.batch
	}
	c := &counter{cfg: cfg, total: newAcc(cfg), domains: newDomainSeries(), keep: opts.KeepDuplicates, check: opts.Check,
		limit: opts.MemoryLimit, raised: opts.MemoryLimit}
	err := input.Run(ctx, opts.Paths, opts.Input, newWork, c.emit)
	if err != nil && ctx.Err() == nil {
		return nil, err
	}
	return buildReport(c, opts), err
}

// counter counts the documents the workers decoded, in input order.
type counter struct {
	cfg        *config
	total      *acc
	domains    *domainSeries
	seen       seenSet
	keep       bool  // --keep-duplicates
	limit      int64 // Options.MemoryLimit
	raised     int64 // the limit as last raised for what is kept
	duplicates int64
	skipped    int64
	check      func(rec input.Record, findings []rules.Finding) bool
}

func (c *counter) emit(b *input.Batch, r *batchResult) error {
	for i, rec := range b.Records {
		if fs, bad := r.problems[i]; bad || rec.Err != nil {
			c.skipped++
			if c.check != nil {
				c.check(rec, fs)
			}
		}
	}
	for i := range r.docs {
		c.count(b, r, &r.docs[i])
	}
	r.release()
	if c.limit > 0 {
		// A fingerprint slot is 8 bytes; a conversation in its map about 56.
		kept := 8*int64(len(c.seen.slots)) + 56*int64(len(c.total.ratings.convs))
		if need := c.limit + kept + kept/2; need > c.raised {
			c.raised = need + c.limit/4 // in steps, not at every batch
			debug.SetMemoryLimit(c.raised)
		}
	}
	return nil
}

// count counts one document unless it repeats a delivery already counted.
func (c *counter) count(b *input.Batch, r *batchResult, d *docSummary) {
	if d.fp != 0 && !c.seen.add(d.fp) {
		c.duplicates++
		if !c.keep {
			return
		}
	}
	switch {
	case d.kind == payload.KindStats:
		c.domains.add(c.cfg, b.Records[d.rec].Origin, r.reports[d.other])
	case d.outside:
		c.total.outside++
	case d.kind == payload.KindHook:
		c.total.addHook(&d.hook, r.crew[d.hook.crew[0]:d.hook.crew[1]], r.texts)
	case d.kind == payload.KindWebhook:
		c.total.addWebhook(&r.webhooks[d.other])
	}
}

// timeLayouts are the forms --since and --until accept; all but RFC 3339 are read in
// the --tz zone.
var timeLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "2006-01"}

// ParseTime reads a --since/--until value: RFC 3339, or a date, date and time, or
// month in loc; a bare date means its midnight.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a time: use 2026-01-31, 2026-01-31T14:00 or RFC 3339 like 2026-01-31T14:00:00Z", s)
}
