package cli

import (
	"context"
	"runtime/debug"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/stats"
	"github.com/smarthook/smarthook/internal/timezone"
	"github.com/spf13/cobra"
)

// StatsOptions are the flags and streams of `smarthook stats`.
type StatsOptions struct {
	IO           IO
	Paths        []string
	Input        input.Options // how to read Paths; the streams are set at run time
	Since, Until string
	TZ           string
	By           string
	Top          int
	Format       string
	Table        string
	HTML         string
	Force        bool
	KeepDups     bool
}

// NewCmdStats builds `smarthook stats`.
func NewCmdStats(streams IO) *cobra.Command {
	opts := &StatsOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "stats [flags] [PATH|-]...",
		Short: "Count chats, missed, response times, ratings, busy hours and agents",
		Long: `Answer the usual questions about a set of chats without a spreadsheet: how many
chats, missed, offline, triggered, completed and dropped (counts and rates); first
response time and average response time in seconds (p50, p90, p99, mean), both as the
hooks report them and recomputed from the message times; duration; messages per chat;
ratings (1–5, mean, share rated, with a comment); chats by weekday and hour in --tz;
per agent (chats, joins, messages, first responses, ratings of their chats); top pages,
referrers and countries; REST webhooks by event and close type; and the per-domain
figures of hourly stats reports. --by adds a row per day, week, month, agent, account
or domain.

Each chat counts once: Smartsupp delivers a hook again when it gets no 2xx in time,
and archives overlap, so a POST hook whose chat (accountId, channel.id) was read
before is a duplicate, and so is a REST webhook identical to one read before (same
account, event, timestamp and data). The first delivery read is counted, the others
are left out of every figure and counted as duplicates; --keep-duplicates counts
every delivery. The ratings also hold those REST webhooks carry (conversation.rated
and any event whose conversation has a rating_value), one per conversation: the
latest by timestamp.

Percentiles are nearest-rank, exact for few distinct values and otherwise within 0.5%
(2% per group and per agent): they come from sketches of bounded size, so memory stays
flat on any input, but for 11 to 21 bytes per distinct chat to tell duplicates and about
56 per REST webhook conversation for its rating. Output is tables (bars and sparklines on a terminal), --format json
or csv (--table for one table), and --html writes a self-contained report with charts.
Broken documents are reported on stderr and left out, and the exit status is 1.`,
		Example: `  smarthook stats hooks/
  smarthook stats --since 2026-01-01 --until 2026-02-01 --tz Europe/Prague archive.tar.gz
  smarthook stats --by week --format csv --table groups hooks/ > weeks.csv
  smarthook stats --format json chats.ndjson | jq .chats.rates
  smarthook stats --html report.html hooks/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			return runStats(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Since, "since", "", "count chats that began at or after this time (2026-01-31, 2026-01-31T14:00 or RFC 3339)")
	f.StringVar(&opts.Until, "until", "", "count chats that began before this time")
	tzFlag(cmd, &opts.TZ, timezone.Default, "time zone of days, weeks, months, the heatmap and --since/--until dates")
	enumFlag(cmd, &opts.By, "by", "", "", stats.ByValues, "add a row per group")
	f.IntVar(&opts.Top, "top", 10, "rows of the pages, referrers and countries tables")
	enumFlag(cmd, &opts.Format, "format", "", "text", stats.Formats, "output format")
	enumFlag(cmd, &opts.Table, "table", "", "", stats.TableNames, "write only this table (text and csv)")
	f.StringVar(&opts.HTML, "html", "", "also write a self-contained HTML report with charts to FILE")
	f.BoolVar(&opts.Force, "force", false, "with --html, replace FILE if it exists")
	f.BoolVar(&opts.KeepDups, "keep-duplicates", false, "count every delivery: a chat read several times and identical REST webhooks count each time")
	addInputFlags(cmd.Flags(), &opts.Input, "stats", readElements)
	return cmd
}

func runStats(ctx context.Context, opts *StatsOptions) error {
	so, err := opts.statsOptions()
	if err != nil {
		return err
	}
	if err := needInput(opts.IO, opts.Paths, "stats"); err != nil {
		return err
	}
	var html *output
	if opts.HTML != "" {
		if html, err = openOutput(opts.HTML, opts.Force, opts.Paths, nil); err != nil {
			return err
		}
		so.HTML = html.w
	}
	if getenv(opts.IO, "GOMEMLIMIT") == "" {
		// The figures themselves stay small (capped sketches and key counts), but on
		// hostile inputs the garbage of many groups could let the heap double; a soft
		// limit makes the collector work harder instead, and costs nothing when the
		// live heap is far below it, as it is on ordinary inputs. What is kept per
		// distinct chat and conversation does grow: stats raises the limit by as much.
		debug.SetMemoryLimit(statsMemoryLimit)
		so.MemoryLimit = statsMemoryLimit
	}
	problems := newProblemReporter(opts.IO)
	so.Check = problems.check
	runErr := stats.Run(ctx, so)
	if html != nil {
		if err := html.finish(runErr == nil); err != nil && runErr == nil {
			runErr = err
		}
	}
	if line := problems.SummaryLine(); line != "" {
		opts.IO.Err.Write([]byte("smarthook stats: " + line + "\n"))
	}
	if runErr != nil {
		return runErr
	}
	return problems.err()
}

// statsMemoryLimit is the soft memory limit of a stats run.
const statsMemoryLimit = 64 << 20

// statsOptions turns the flags into the feature's options.
func (o *StatsOptions) statsOptions() (stats.Options, error) {
	so := stats.Options{Paths: o.Paths, Input: readOptions(o.Input, o.IO), By: o.By, Top: o.Top,
		Format: o.Format, Table: o.Table, Out: o.IO.Out, KeepDuplicates: o.KeepDups}
	loc, err := loadLocation(o.TZ)
	if err != nil {
		return so, err
	}
	so.TZ = loc
	for _, t := range []struct {
		flag, value string
		dst         *time.Time
	}{{"--since", o.Since, &so.Since}, {"--until", o.Until, &so.Until}} {
		if t.value == "" {
			continue
		}
		if *t.dst, err = stats.ParseTime(strings.TrimSpace(t.value), loc); err != nil {
			return so, usageErrorf("%s: %v", t.flag, err)
		}
	}
	if !so.Since.IsZero() && !so.Until.IsZero() && !so.Until.After(so.Since) {
		return so, usageErrorf("--until (%s) must be after --since (%s)", o.Until, o.Since)
	}
	if o.Top < 1 {
		return so, usageErrorf("--top must be at least 1, got %d", o.Top)
	}
	so.Fancy = o.Format == "text" && o.IO.OutTTY && getenv(o.IO, "TERM") != "dumb"
	return so, nil
}

func getenv(streams IO, name string) string {
	if streams.Getenv == nil {
		return ""
	}
	return streams.Getenv(name)
}
