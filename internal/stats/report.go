package stats

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"
)

// Report is the result of a run; its JSON form (field tags) is the documented output
// of --format json, with stable keys.
type Report struct {
	Range     Range         `json:"range"`
	Documents Documents     `json:"documents"`
	Chats     Figures       `json:"chats"`
	Groups    *Groups       `json:"groups,omitempty"`
	Heatmap   Heatmap       `json:"heatmap"`
	Volume    []DayCount    `json:"volume"`
	Agents    []Agent       `json:"agents"`
	Pages     []KeyCount    `json:"pages"`
	Referrers []KeyCount    `json:"referrers"`
	Countries []KeyCount    `json:"countries"`
	Webhooks  WebhookCounts `json:"webhooks"`
	Domains   []Domain      `json:"domains"`

	// ResponseHistogram bins the first response times for the HTML chart.
	ResponseHistogram Histogram `json:"first_response_histogram"`
}

// Histogram is counts of first response times in bins of seconds: bin i holds
// [Edges[i], Edges[i+1]), the last bin is open-ended.
type Histogram struct {
	Edges    []float64 `json:"edges"`
	Hook     []uint64  `json:"hook"`
	Messages []uint64  `json:"messages"`
}

// histogramEdges are the bins of the response-time histogram, in seconds.
var histogramEdges = []float64{0, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600}

// Range is the time window and zone of the run.
type Range struct {
	Since string `json:"since,omitempty"` // RFC 3339, inclusive
	Until string `json:"until,omitempty"` // RFC 3339, exclusive
	TZ    string `json:"tz"`
	First string `json:"first_chat,omitempty"` // first and last chat day counted
	Last  string `json:"last_chat,omitempty"`
}

// Documents counts what was read.
type Documents struct {
	Hooks        int64 `json:"hooks"`
	Webhooks     int64 `json:"webhooks"`
	StatsReports int64 `json:"stats_reports"`
	OutsideRange int64 `json:"outside_range"`
	Skipped      int64 `json:"skipped"` // unreadable or broken

	// Duplicates are the deliveries read again: a POST hook of a chat (accountId,
	// channel.id) already read, a REST webhook identical to one already read (account,
	// event, timestamp and data). They are left out of every figure unless
	// DuplicatesCounted (--keep-duplicates). Hooks and Webhooks count the documents
	// counted.
	Duplicates        int64 `json:"duplicates"`
	DuplicatesCounted bool  `json:"duplicates_counted"`
}

// Figures are a group of chats' numbers.
type Figures struct {
	Chats             int64   `json:"chats"`
	IsChat            int64   `json:"is_chat"`
	Missed            int64   `json:"missed"`
	Offline           int64   `json:"offline"`
	Triggered         int64   `json:"triggered"`
	Completed         int64   `json:"completed"`
	Dropped           int64   `json:"dropped"`
	Rates             Rates   `json:"rates"`
	FirstResponseTime Timing  `json:"first_response_time"`
	ResponseTime      Timing  `json:"response_time"`
	Duration          Dist    `json:"duration"`
	MessagesPerChat   Dist    `json:"messages_per_chat"`
	Ratings           Ratings `json:"ratings"`
}

// Rates are the flag counts divided by chats (0 without chats).
type Rates struct {
	IsChat    float64 `json:"is_chat"`
	Missed    float64 `json:"missed"`
	Offline   float64 `json:"offline"`
	Triggered float64 `json:"triggered"`
	Completed float64 `json:"completed"`
	Dropped   float64 `json:"dropped"`
}

// Timing is a response time as the hooks report it and as recomputed from messages.
type Timing struct {
	Hook     Dist `json:"hook"`
	Messages Dist `json:"messages"`
}

// Dist summarises a distribution (seconds for times).
type Dist struct {
	Count uint64  `json:"count"`
	Mean  float64 `json:"mean"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P99   float64 `json:"p99"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
}

// Ratings are the 1–5 ratings of a group of chats. The report's overall ratings also
// hold those of REST webhooks, one per conversation (FromWebhooks of them): their
// conversations cannot be matched with POST hook chats, so they count as their own.
type Ratings struct {
	Rated        int64    `json:"rated"`
	Of           int64    `json:"of"`    // chats, plus conversations seen in REST webhooks
	Share        float64  `json:"share"` // rated / of
	Mean         float64  `json:"mean"`
	Distribution [5]int64 `json:"distribution"` // chats rated 1, 2, 3, 4, 5
	WithComment  int64    `json:"with_comment"`
	FromWebhooks int64    `json:"from_webhooks"` // ratings of REST webhook conversations
}

// Groups are the --by rows.
type Groups struct {
	By   string  `json:"by"`
	Rows []Group `json:"rows"`
}

// Group is one --by row.
type Group struct {
	Key  string `json:"key"`
	Name string `json:"name,omitempty"` // the agent's name, with --by agent
	Figures
}

// Heatmap counts chats by weekday (Monday first) and hour of their start, in TZ.
type Heatmap struct {
	Weekdays []string     `json:"weekdays"`
	Counts   [7][24]int64 `json:"counts"`
}

// DayCount is the chats that started on one day.
type DayCount struct {
	Date  string `json:"date"`
	Chats int64  `json:"chats"`
}

// KeyCount is a counted key (a URL, a referrer, a country, an event).
type KeyCount struct {
	Key   string `json:"key"`
	Count int64  `json:"count"`
}

// Agent is one agent's figures; Ratings are those of the chats the agent took part in.
type Agent struct {
	ID                string  `json:"id"`
	Name              string  `json:"name"`
	Chats             int64   `json:"chats"`
	Joined            int64   `json:"joined"`
	Messages          int64   `json:"messages"`
	FirstResponses    int64   `json:"first_responses"`
	FirstResponseTime Dist    `json:"first_response_time"`
	Ratings           Ratings `json:"ratings"`
}

// WebhookCounts counts REST webhooks by event and closed conversations by close type,
// and the distinct conversations they name.
type WebhookCounts struct {
	Events        []KeyCount `json:"events"`
	CloseTypes    []KeyCount `json:"close_types"`
	Conversations int64      `json:"conversations"`
}

// Domain is one domain of the stats reports.
type Domain struct {
	Domain            string  `json:"domain"`
	Reports           int64   `json:"reports"`
	Visits            int64   `json:"visits"`
	Conversations     int64   `json:"conversations"`
	AutoMessages      int64   `json:"auto_messages"`
	AutoMessagesReply int64   `json:"auto_messages_reply"`
	SeriesStep        int     `json:"series_step"` // reports summed in each point
	Series            []int64 `json:"visits_series"`
}

// Weekdays names the heatmap's rows.
var Weekdays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

func buildReport(c *counter, opts Options) *Report {
	a, ds := c.total, c.domains
	ds.finish()
	r := &Report{
		Range: Range{TZ: a.cfg.tz.String()},
		Documents: Documents{Hooks: a.hooks, Webhooks: a.webhooks, StatsReports: ds.reports,
			OutsideRange: a.outside + ds.outside, Skipped: c.skipped,
			Duplicates: c.duplicates, DuplicatesCounted: c.keep},
		Chats:   figures(&a.all),
		Heatmap: Heatmap{Weekdays: Weekdays, Counts: a.heat},
	}
	wr := a.ratings.core()
	r.Chats.Ratings = withWebhookRatings(&a.all, &wr)
	if !opts.Since.IsZero() {
		r.Range.Since = opts.Since.In(a.cfg.tz).Format(time.RFC3339)
	}
	if !opts.Until.IsZero() {
		r.Range.Until = opts.Until.In(a.cfg.tz).Format(time.RFC3339)
	}
	r.Volume = volume(a.volume)
	if len(r.Volume) > 0 {
		r.Range.First, r.Range.Last = r.Volume[0].Date, r.Volume[len(r.Volume)-1].Date
	}
	if a.cfg.by != "" {
		r.Groups = groups(a)
	}
	r.Agents = agents(a.agents)
	top := opts.Top
	if top <= 0 {
		top = 10
	}
	r.Pages, r.Referrers, r.Countries = topN(a.pages, top), topN(a.referrers, top), topN(a.countries, top)
	r.Webhooks = WebhookCounts{Events: topN(a.events, 0), CloseTypes: topN(a.closeTypes, 0),
		Conversations: int64(len(a.ratings.convs))}
	r.Domains = domains(ds)
	r.ResponseHistogram = Histogram{Edges: histogramEdges,
		Hook: a.all.FirstResponse.Histogram(histogramEdges), Messages: a.all.FirstResponseMsgs.Histogram(histogramEdges)}
	return r
}

func figures(c *Core) Figures {
	f := Figures{Chats: c.Chats, IsChat: c.IsChat, Missed: c.Missed, Offline: c.Offline,
		Triggered: c.Triggered, Completed: c.Completed, Dropped: c.Dropped}
	f.Rates = Rates{IsChat: rate(c.IsChat, c.Chats), Missed: rate(c.Missed, c.Chats),
		Offline: rate(c.Offline, c.Chats), Triggered: rate(c.Triggered, c.Chats),
		Completed: rate(c.Completed, c.Chats), Dropped: rate(c.Dropped, c.Chats)}
	f.FirstResponseTime = Timing{Hook: dist(&c.FirstResponse), Messages: dist(&c.FirstResponseMsgs)}
	f.ResponseTime = Timing{Hook: dist(&c.AvgResponse), Messages: dist(&c.AvgResponseMsgs)}
	f.Duration, f.MessagesPerChat = dist(&c.Duration), dist(&c.Messages)
	f.Ratings = ratings(c.Ratings, c.Commented, c.Chats)
	return f
}

func ratings(dist [5]int64, commented, of int64) Ratings {
	c := Core{Ratings: dist}
	return Ratings{Rated: c.Rated(), Of: of, Share: rate(c.Rated(), of), Mean: round(c.RatingMean(), 4),
		Distribution: dist, WithComment: commented}
}

// withWebhookRatings is the ratings of the chats of all and of the REST webhooks'
// conversations wh (see webhookRatings.core) together.
func withWebhookRatings(all, wh *Core) Ratings {
	both := Core{Commented: all.Commented + wh.Commented}
	for i := range both.Ratings {
		both.Ratings[i] = all.Ratings[i] + wh.Ratings[i]
	}
	r := ratings(both.Ratings, both.Commented, all.Chats+wh.Chats)
	r.FromWebhooks = wh.Rated()
	return r
}

// rate is n/of rounded to 4 places (0 when of is 0).
func rate(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return round(float64(n)/float64(of), 4)
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// dist summarises a sketch; quantiles to 0.1 s (they are within 0.5% anyway), the
// mean to 0.001.
func dist(s *Sketch) Dist {
	if s.Count() == 0 {
		return Dist{}
	}
	return Dist{Count: s.Count(), Mean: round(s.Mean(), 3),
		P50: round(s.Quantile(0.5), 1), P90: round(s.Quantile(0.9), 1), P99: round(s.Quantile(0.99), 1),
		Min: round(s.min, 3), Max: round(s.max, 3)}
}

func volume(m map[int64]int64) []DayCount {
	days := make([]int64, 0, len(m))
	for d := range m {
		days = append(days, d)
	}
	slices.Sort(days)
	out := make([]DayCount, 0, len(days))
	for _, d := range days {
		out = append(out, DayCount{Date: time.Unix(d*86400, 0).UTC().Format("2006-01-02"), Chats: m[d]})
	}
	return out
}

func groups(a *acc) *Groups {
	g := &Groups{By: a.cfg.by, Rows: make([]Group, 0, len(a.groups))}
	for k, c := range a.groups {
		row := Group{Key: k, Figures: figures(c)}
		if ag := a.agents[k]; a.cfg.by == ByAgent && ag != nil {
			row.Name = ag.name()
		}
		g.Rows = append(g.Rows, row)
	}
	switch a.cfg.by {
	case ByDay, ByWeek, ByMonth:
		slices.SortFunc(g.Rows, func(x, y Group) int { return cmp.Compare(x.Key, y.Key) })
	default:
		slices.SortFunc(g.Rows, func(x, y Group) int {
			return cmp.Or(cmp.Compare(y.Chats, x.Chats), compareKeys(x.Key, y.Key))
		})
	}
	return g
}

// compareKeys orders numeric keys (account and agent ids) as numbers, then the rest.
func compareKeys(x, y string) int {
	a, errA := strconv.ParseInt(x, 10, 64)
	b, errB := strconv.ParseInt(y, 10, 64)
	if errA == nil && errB == nil {
		return cmp.Compare(a, b)
	}
	return cmp.Compare(x, y)
}

func agents(m map[string]*agentAcc) []Agent {
	out := make([]Agent, 0, len(m))
	for id, a := range m {
		out = append(out, Agent{ID: id, Name: a.name(), Chats: a.Chats, Joined: a.Joined,
			Messages: a.Messages, FirstResponses: a.FirstResponses,
			FirstResponseTime: dist(&a.FirstResponse), Ratings: ratings(a.Ratings, 0, a.Chats)})
	}
	slices.SortFunc(out, func(x, y Agent) int {
		return cmp.Or(cmp.Compare(y.Chats, x.Chats), compareKeys(x.ID, y.ID))
	})
	return out
}

// topN is the n largest counts (all when n is 0), ties by key.
func topN(m map[string]int64, n int) []KeyCount {
	out := make([]KeyCount, 0, len(m))
	for k, c := range m {
		out = append(out, KeyCount{Key: k, Count: c})
	}
	slices.SortFunc(out, func(x, y KeyCount) int { return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Key, y.Key)) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func domains(ds *domainSeries) []Domain {
	out := make([]Domain, 0, len(ds.byName))
	for name, d := range ds.byName {
		out = append(out, Domain{Domain: name, Reports: d.reports, Visits: d.visits,
			Conversations: d.conversations, AutoMessages: d.autoMessages, AutoMessagesReply: d.replies,
			SeriesStep: d.per, Series: d.series})
	}
	slices.SortFunc(out, func(x, y Domain) int { return cmp.Or(cmp.Compare(y.Visits, x.Visits), cmp.Compare(x.Domain, y.Domain)) })
	return out
}
