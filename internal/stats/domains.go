package stats

import (
	"path"
	"regexp"
	"time"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
)

// statsReport is one domain-stats-report, copied out of its batch.
type statsReport struct {
	rec     int
	domains []domainRow
}

// domainRow is one domain's line of a report.
type domainRow struct {
	name                                         string
	visits, conversations, autoMessages, replies int64
}

func reportOf(rec int, s *payload.Stats) statsReport {
	r := statsReport{rec: rec, domains: make([]domainRow, 0, len(s.Domains))}
	for i := range s.Domains {
		d := &s.Domains[i]
		row := domainRow{name: d.Domain.Text()}
		row.visits, _ = d.Visits.Int()
		row.conversations, _ = d.Conversations.Int()
		row.autoMessages, _ = d.AutoMessages.Int()
		row.replies, _ = d.AutoMessagesReply.Int()
		r.domains = append(r.domains, row)
	}
	return r
}

// maxSeries caps a domain's series; past it, neighbouring points are summed in pairs.
const maxSeries = 2048

// domainAcc is one domain's totals and its visits, report after report.
type domainAcc struct {
	reports, visits, conversations, autoMessages, replies int64
	series                                                []int64 // visits, a point per `per` reports
	per, fill                                             int     // reports a point sums; in the last point
	n                                                     int64   // reports the series covers
}

func (d *domainAcc) add(r domainRow) {
	d.reports++
	d.visits += r.visits
	d.conversations += r.conversations
	d.autoMessages += r.autoMessages
	d.replies += r.replies
}

// push sets the visits of report n (1-based): reports before it that did not list
// the domain count as zero.
func (d *domainAcc) push(n, v int64) {
	for d.n < n-1 {
		d.append(0)
	}
	if d.n < n {
		d.append(v)
	}
}

func (d *domainAcc) append(v int64) {
	d.n++
	if len(d.series) > 0 && d.fill < d.per {
		d.series[len(d.series)-1] += v
		d.fill++
		return
	}
	if len(d.series) == maxSeries {
		for i := 0; i < maxSeries/2; i++ {
			d.series[i] = d.series[2*i] + d.series[2*i+1]
		}
		d.series = d.series[:maxSeries/2]
		d.per *= 2
	}
	d.series = append(d.series, v)
	d.fill = 1
}

// domainSeries holds every domain of the stats reports, fed in input order.
type domainSeries struct {
	byName  map[string]*domainAcc
	reports int64 // reports counted
	outside int64
	first   time.Time // times read from the file names, when they hold one
	last    time.Time
}

func newDomainSeries() *domainSeries { return &domainSeries{byName: map[string]*domainAcc{}} }

// add counts a report. Reports carry no time; one is read from the file name when it
// has one (stats-YYYYMMDDHH as `smarthook fake --out` writes, or the receive stamp of
// `smarthook listen --dir`), and only such reports can fall outside --since/--until.
func (s *domainSeries) add(cfg *config, o input.Origin, r statsReport) {
	if t, ok := reportTime(o); ok {
		if !cfg.inRange(t.UnixMilli()) {
			s.outside++
			return
		}
		if s.first.IsZero() || t.Before(s.first) {
			s.first = t
		}
		if t.After(s.last) {
			s.last = t
		}
	}
	s.reports++
	for _, row := range r.domains {
		d := s.byName[row.name]
		if d == nil {
			if len(s.byName) >= maxDomains {
				continue
			}
			d = &domainAcc{per: 1}
			s.byName[row.name] = d
		}
		d.add(row)
		d.push(s.reports, row.visits)
	}
}

// finish pads every series to the last report.
func (s *domainSeries) finish() {
	for _, d := range s.byName {
		for d.n < s.reports {
			d.append(0)
		}
	}
}

// maxDomains caps the domains of stats reports.
const maxDomains = 1000

var (
	reportHour  = regexp.MustCompile(`stats-(\d{10})`)
	receiveTime = regexp.MustCompile(`(\d{8}T\d{6})`)
)

// reportTime reads a report's hour from its file or member name.
func reportTime(o input.Origin) (time.Time, bool) {
	name := path.Base(o.Name())
	if m := reportHour.FindStringSubmatch(name); m != nil {
		t, err := time.Parse("2006010215", m[1])
		return t, err == nil
	}
	if m := receiveTime.FindStringSubmatch(name); m != nil {
		t, err := time.Parse("20060102T150405", m[1])
		return t, err == nil
	}
	return time.Time{}, false
}
