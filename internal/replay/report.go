package replay

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
)

// Report is what a run did. Every document read is counted once in exactly one of
// AlreadyDelivered, Filtered, Invalid, Delivered, Failed, Unfinished and DryRun.
type Report struct {
	Documents        int `json:"documents"`
	AlreadyDelivered int `json:"already_delivered"` // skipped: delivered by an earlier run (--resume)
	Filtered         int `json:"filtered_out"`      // skipped: left out by --events or --where
	Invalid          int `json:"invalid"`           // not sent: not JSON (see --send-invalid)
	InvalidSent      int `json:"invalid_sent"`      // sent as stored although not JSON
	Sent             int `json:"sent"`              // documents with at least one request
	Delivered        int `json:"delivered"`         // answered 2xx
	Failed           int `json:"failed"`            // retries exhausted, refused, or not rewritable
	Unfinished       int `json:"unfinished"`        // left when the run was interrupted
	DryRun           int `json:"dry_run"`           // printed by --dry-run
	Requests         int `json:"requests"`
	Retried          int `json:"retried"` // requests after a document's first
	// Status counts requests by outcome: the HTTP status code, or why no answer came
	// ("timeout", "connection refused", "TLS certificate not trusted", "aborted", ...:
	// the reasons of Failures).
	Status            map[string]int `json:"status"`
	ElapsedSeconds    float64        `json:"elapsed_seconds"`
	RequestsPerSecond float64        `json:"requests_per_second"`
	// RateAsked is --rate as given ("" without one).
	RateAsked string `json:"rate_asked,omitempty"`
	// Latency of the answered requests, in milliseconds, from when each was sent.
	Latency Latency `json:"latency_ms"`
	// LatencyFromSchedule is, with --rate, the latency of the answered requests from
	// when each was due by the schedule: a request sent late because the receiver was
	// slow counts its wait too (no coordinated omission, as wrk2 measures).
	LatencyFromSchedule *Latency `json:"latency_from_schedule_ms,omitempty"`
	Interrupted         bool     `json:"interrupted"`
	// Headers says, with --with-headers, how many documents went with their stored
	// request's headers.
	Headers *HeaderCounts `json:"stored_headers,omitempty"`
	// Failures are the reasons requests failed, most frequent first, each with an
	// example document and, for a 4xx or 5xx, the first bytes of the answer.
	Failures []Failure `json:"failures"`
	// Histogram and ScheduleHistogram are the latencies behind Latency and
	// LatencyFromSchedule, so that the reports of shards merge exactly (MergeReports).
	Histogram         *Buckets `json:"latency_histogram"`
	ScheduleHistogram *Buckets `json:"latency_from_schedule_histogram,omitempty"`
	// Kind is "replay": `smarthook report merge` tells reports apart by it.
	Kind string `json:"report"`
}

// reportKind is Report.Kind.
const reportKind = "replay"

// Latency is a distribution's summary in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func (r *Report) count(key string) {
	if r.Status == nil {
		r.Status = make(map[string]int)
	}
	r.Status[key]++
}

// OK reports whether every document read was delivered (by this run or an earlier one).
func (r *Report) OK() bool {
	return r.Documents == r.Delivered+r.AlreadyDelivered+r.Filtered+r.DryRun && !r.Interrupted
}

func (r *Report) fill(elapsed time.Duration, h *histogram) {
	r.ElapsedSeconds = round3(elapsed.Seconds())
	if r.ElapsedSeconds > 0 {
		r.RequestsPerSecond = round3(float64(r.Requests) / elapsed.Seconds())
	}
	r.Latency = latencyOf(h)
	r.Histogram = bucketsOf(h)
	r.Kind = reportKind
	if r.Status == nil {
		r.Status = map[string]int{}
	}
	if r.Failures == nil {
		r.Failures = []Failure{}
	}
}

// latencyOf summarises a histogram in milliseconds.
func latencyOf(h *histogram) Latency {
	ms := func(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }
	return Latency{P50: ms(h.quantile(0.50)), P90: ms(h.quantile(0.90)), P99: ms(h.quantile(0.99)), Max: ms(h.max)}
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// WriteJSON writes the report as one JSON object and a newline.
func (r *Report) WriteJSON(w io.Writer) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteTable writes the report as a table for people.
func (r *Report) WriteTable(w io.Writer) error {
	rows := [][]string{{"documents", itoa(r.Documents)}}
	add := func(name string, n int, always bool) {
		if n != 0 || always {
			rows = append(rows, []string{name, itoa(n)})
		}
	}
	add("already delivered (skipped)", r.AlreadyDelivered, false)
	add("filtered out (--events, --where)", r.Filtered, false)
	add("not JSON, not sent", r.Invalid, false)
	add("not JSON, sent as stored", r.InvalidSent, false)
	add("printed (dry run)", r.DryRun, false)
	if h := r.Headers; h != nil {
		add("sent with stored headers", h.Applied, true)
		add("stored headers missing", h.Missing, false)
		add("stored headers not matching", h.Mismatch, false)
	}
	if r.DryRun == 0 || r.Requests > 0 {
		rows = r.sendingRows(rows)
	}
	t := tablewriter.NewWriter(w)
	t.Header("replay", "count")
	if err := t.Bulk(rows); err != nil {
		return fmt.Errorf("report table: %w", err)
	}
	if err := t.Render(); err != nil {
		return err
	}
	return r.writeFailures(w)
}

// failureCell is how much of a response body the failure table shows.
const failureCell = 60

// writeFailures writes the table of failure reasons, when there were failures.
func (r *Report) writeFailures(w io.Writer) error {
	if len(r.Failures) == 0 {
		return nil
	}
	rows := make([][]string, 0, len(r.Failures))
	for _, f := range r.Failures {
		body := f.Body
		if n := len([]rune(body)); n > failureCell {
			body = string([]rune(body)[:failureCell]) + "…"
		}
		rows = append(rows, []string{f.Reason, itoa(f.Count), itoa(f.Documents), f.Example, body})
	}
	t := tablewriter.NewWriter(w)
	t.Header("failed because", "requests", "documents", "for example", "answer began")
	if err := t.Bulk(rows); err != nil {
		return fmt.Errorf("report table: %w", err)
	}
	return t.Render()
}

// sendingRows are the rows about requests: outcomes, retries, speed and latency.
func (r *Report) sendingRows(rows [][]string) [][]string {
	rows = append(rows,
		[]string{"sent", itoa(r.Sent)},
		[]string{"delivered", itoa(r.Delivered)},
		[]string{"failed", itoa(r.Failed)},
	)
	if r.Unfinished > 0 || r.Interrupted {
		rows = append(rows, []string{"unfinished (interrupted)", itoa(r.Unfinished)})
	}
	rows = append(rows, []string{"requests", itoa(r.Requests)}, []string{"retried", itoa(r.Retried)})
	for _, k := range r.statusKeys() {
		name := "status " + k
		if _, err := strconv.Atoi(k); err != nil {
			name = k
		}
		rows = append(rows, []string{name, itoa(r.Status[k])})
	}
	rate := strconv.FormatFloat(r.RequestsPerSecond, 'f', 1, 64)
	if r.RateAsked != "" {
		rate += " (asked " + r.RateAsked + ")"
	}
	rows = append(rows, []string{"requests per second", rate})
	rows = latencyRows(rows, "latency", r.Latency)
	if r.LatencyFromSchedule != nil {
		rows = latencyRows(rows, "latency from schedule", *r.LatencyFromSchedule)
	}
	return append(rows, []string{"elapsed", time.Duration(r.ElapsedSeconds * float64(time.Second)).Round(time.Millisecond).String()})
}

// latencyRows are the rows of one latency summary.
func latencyRows(rows [][]string, name string, l Latency) [][]string {
	return append(rows,
		[]string{name + " p50 / p90 / p99", fmt.Sprintf("%s / %s / %s", msText(l.P50), msText(l.P90), msText(l.P99))},
		[]string{name + " max", msText(l.Max)},
	)
}

// statusKeys orders the outcomes: status codes ascending, then the others by name.
func (r *Report) statusKeys() []string {
	keys := make([]string, 0, len(r.Status))
	for k := range r.Status {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		ia, ea := strconv.Atoi(a)
		ib, eb := strconv.Atoi(b)
		switch {
		case ea == nil && eb == nil:
			return ia - ib
		case ea == nil:
			return -1
		case eb == nil:
			return 1
		}
		return strings.Compare(a, b)
	})
	return keys
}

func itoa(n int) string { return strconv.Itoa(n) }

func msText(ms float64) string { return strconv.FormatFloat(ms, 'f', 2, 64) + " ms" }
