package stats

import (
	"strconv"
)

// Table is one table of the report, as text and CSV show it.
type Table struct {
	Name   string // the --table name
	Title  string
	Header []string
	Rows   [][]string
	Bars   []float64 // per row, the value a bar shows on a terminal (nil: no bars)
	Sparks [][]int64 // per row, the series a sparkline shows on a terminal (nil: none)
}

// TableNames lists the tables in the order they are written.
var TableNames = []string{"summary", "times", "ratings", "groups", "heatmap", "volume", "agents",
	"pages", "referrers", "countries", "events", "close_types", "domains"}

// Tables builds every table of the report (some may have no rows).
func Tables(r *Report) []Table {
	return []Table{summaryTable(r), timesTable(&r.Chats), ratingsTable(&r.Chats.Ratings), groupsTable(r.Groups),
		heatmapTable(&r.Heatmap), volumeTable(r.Volume), agentsTable(r.Agents),
		countTable("pages", "Top pages", "url", r.Pages), countTable("referrers", "Top referrers", "referrer", r.Referrers),
		countTable("countries", "Visitors by country", "country", r.Countries),
		countTable("events", "REST webhooks by event", "event", r.Webhooks.Events),
		countTable("close_types", "Closed conversations by close type", "close_type", r.Webhooks.CloseTypes),
		domainsTable(r.Domains)}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// num writes a float without trailing zeros.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func summaryTable(r *Report) Table {
	f := &r.Chats
	t := Table{Name: "summary", Title: "Chats", Header: []string{"metric", "count", "rate"}}
	add := func(name string, n int64, rate float64) {
		t.Rows = append(t.Rows, []string{name, itoa(n), num(rate)})
		t.Bars = append(t.Bars, rate)
	}
	add("chats", f.Chats, rate(f.Chats, f.Chats))
	add("is_chat", f.IsChat, f.Rates.IsChat)
	add("missed", f.Missed, f.Rates.Missed)
	add("offline", f.Offline, f.Rates.Offline)
	add("triggered", f.Triggered, f.Rates.Triggered)
	add("completed", f.Completed, f.Rates.Completed)
	add("dropped", f.Dropped, f.Rates.Dropped)
	add("rated", f.Ratings.Rated, f.Ratings.Share)
	add("rated_with_comment", f.Ratings.WithComment, rate(f.Ratings.WithComment, f.Ratings.Of))
	d := &r.Documents
	var ratedOf int64 // what rated's rate is of, when REST webhooks add conversations to the chats
	if f.Ratings.Of != f.Chats {
		ratedOf = f.Ratings.Of
	}
	for _, row := range []struct {
		name string
		n    int64
	}{{"webhooks", d.Webhooks}, {"stats_reports", d.StatsReports}, {"outside_range", d.OutsideRange}, {"skipped", d.Skipped},
		{duplicatesRow(d), d.Duplicates}, {"rated_of", ratedOf}} {
		if row.n > 0 || row.name == duplicatesRow(d) {
			t.Rows = append(t.Rows, []string{row.name, itoa(row.n), ""})
			t.Bars = append(t.Bars, 0)
		}
	}
	return t
}

// duplicatesRow names the summary row of the duplicates: left out, or counted with
// --keep-duplicates.
func duplicatesRow(d *Documents) string {
	if d.DuplicatesCounted {
		return "duplicates_counted"
	}
	return "duplicates_dropped"
}

var distHeader = []string{"count", "mean", "p50", "p90", "p99", "min", "max"}

func distCells(d Dist) []string {
	if d.Count == 0 {
		return []string{"0", "", "", "", "", "", ""}
	}
	return []string{strconv.FormatUint(d.Count, 10), num(d.Mean), num(d.P50), num(d.P90), num(d.P99), num(d.Min), num(d.Max)}
}

// of is a figure of d as a cell, empty when d has no values (rather than a 0 that
// reads as a measured zero).
func of(d Dist, v float64) string {
	if d.Count == 0 {
		return ""
	}
	return num(v)
}

func timesTable(f *Figures) Table {
	t := Table{Name: "times", Title: "Times (seconds) and messages per chat", Header: append([]string{"metric", "source"}, distHeader...)}
	for _, row := range []struct {
		metric, source string
		d              Dist
	}{
		{"first_response_time", "hook", f.FirstResponseTime.Hook},
		{"first_response_time", "messages", f.FirstResponseTime.Messages},
		{"response_time", "hook", f.ResponseTime.Hook},
		{"response_time", "messages", f.ResponseTime.Messages},
		{"duration", "hook", f.Duration},
		{"messages_per_chat", "messages", f.MessagesPerChat},
	} {
		t.Rows = append(t.Rows, append([]string{row.metric, row.source}, distCells(row.d)...))
	}
	return t
}

func ratingsTable(r *Ratings) Table {
	title := "Ratings (mean " + num(r.Mean) + ")"
	if r.FromWebhooks > 0 {
		title = "Ratings (mean " + num(r.Mean) + "; " + itoa(r.FromWebhooks) + " of them from REST webhooks)"
	}
	t := Table{Name: "ratings", Title: title, Header: []string{"rating", "chats", "share"}}
	if r.Rated == 0 {
		return t
	}
	for i := 4; i >= 0; i-- {
		share := rate(r.Distribution[i], r.Rated)
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), itoa(r.Distribution[i]), num(share)})
		t.Bars = append(t.Bars, share)
	}
	return t
}

func groupsTable(g *Groups) Table {
	t := Table{Name: "groups", Title: "Chats by group", Header: []string{"group", "chats", "missed", "missed_rate",
		"offline", "triggered", "completed", "dropped", "first_response_p50", "first_response_p90",
		"first_response_msgs_p50", "response_p50", "duration_p50", "messages_mean", "rated", "rating_mean"}}
	if g == nil {
		return t
	}
	t.Title = "Chats by " + g.By
	t.Header[0] = g.By
	named := g.By == ByAgent
	if named {
		t.Header = append([]string{g.By, "name"}, t.Header[1:]...)
	}
	for _, row := range g.Rows {
		f := &row.Figures
		key := []string{row.Key}
		if named {
			key = append(key, row.Name)
		}
		t.Rows = append(t.Rows, append(key, itoa(f.Chats), itoa(f.Missed), num(f.Rates.Missed),
			itoa(f.Offline), itoa(f.Triggered), itoa(f.Completed), itoa(f.Dropped),
			of(f.FirstResponseTime.Hook, f.FirstResponseTime.Hook.P50), of(f.FirstResponseTime.Hook, f.FirstResponseTime.Hook.P90),
			of(f.FirstResponseTime.Messages, f.FirstResponseTime.Messages.P50), of(f.ResponseTime.Hook, f.ResponseTime.Hook.P50),
			of(f.Duration, f.Duration.P50), of(f.MessagesPerChat, f.MessagesPerChat.Mean),
			itoa(f.Ratings.Rated), ratingCell(f.Ratings)))
		t.Bars = append(t.Bars, float64(f.Chats))
	}
	return t
}

// ratingCell is the mean rating, empty when nothing was rated.
func ratingCell(r Ratings) string {
	if r.Rated == 0 {
		return ""
	}
	return num(r.Mean)
}

func heatmapTable(h *Heatmap) Table {
	t := Table{Name: "heatmap", Title: "Chats by weekday and hour", Header: []string{"weekday"}}
	for hr := range 24 {
		t.Header = append(t.Header, strconv.Itoa(hr))
	}
	t.Header = append(t.Header, "total")
	var all int64
	for d := range h.Counts {
		row := []string{h.Weekdays[d]}
		var sum int64
		for _, n := range h.Counts[d] {
			row = append(row, itoa(n))
			sum += n
		}
		all += sum
		t.Rows = append(t.Rows, append(row, itoa(sum)))
		t.Sparks = append(t.Sparks, h.Counts[d][:])
	}
	if all == 0 {
		t.Rows, t.Sparks = nil, nil
	}
	return t
}

func volumeTable(v []DayCount) Table {
	t := Table{Name: "volume", Title: "Chats by day", Header: []string{"date", "chats"}}
	for _, d := range v {
		t.Rows = append(t.Rows, []string{d.Date, itoa(d.Chats)})
		t.Bars = append(t.Bars, float64(d.Chats))
	}
	return t
}

func agentsTable(as []Agent) Table {
	t := Table{Name: "agents", Title: "Agents", Header: []string{"agent", "name", "chats", "joined", "messages",
		"first_responses", "first_response_p50", "first_response_mean", "rated", "rating_mean"}}
	for _, a := range as {
		t.Rows = append(t.Rows, []string{a.ID, a.Name, itoa(a.Chats), itoa(a.Joined), itoa(a.Messages),
			itoa(a.FirstResponses), of(a.FirstResponseTime, a.FirstResponseTime.P50), of(a.FirstResponseTime, a.FirstResponseTime.Mean),
			itoa(a.Ratings.Rated), ratingCell(a.Ratings)})
		t.Bars = append(t.Bars, float64(a.Chats))
	}
	return t
}

func countTable(name, title, key string, kc []KeyCount) Table {
	t := Table{Name: name, Title: title, Header: []string{key, "count"}}
	for _, k := range kc {
		t.Rows = append(t.Rows, []string{k.Key, itoa(k.Count)})
		t.Bars = append(t.Bars, float64(k.Count))
	}
	return t
}

func domainsTable(ds []Domain) Table {
	t := Table{Name: "domains", Title: "Domains of the stats reports", Header: []string{"domain", "reports", "visits",
		"conversations", "auto_messages", "auto_messages_reply", "conversations_per_visit"}}
	for _, d := range ds {
		t.Rows = append(t.Rows, []string{d.Domain, itoa(d.Reports), itoa(d.Visits), itoa(d.Conversations),
			itoa(d.AutoMessages), itoa(d.AutoMessagesReply), num(rate(d.Conversations, d.Visits))})
		t.Sparks = append(t.Sparks, d.Series)
	}
	return t
}
