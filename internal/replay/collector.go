package replay

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// eventKind is what happened to a document.
type eventKind uint8

const (
	evAttempt    eventKind = iota // a request finished (answered or not)
	evSkipped                     // delivered by an earlier run
	evNotSent                     // invalid or not rewritable: final without a request
	evUnfinished                  // the run was interrupted before the document was done
	evDry                         // printed by --dry-run
	evFiltered                    // left out by --events or --where
)

// event is one report from a worker or the reader to the collector.
type event struct {
	kind    eventKind
	d       *doc
	at      time.Time
	attempt int // 1 for the first request; for evUnfinished, the requests made
	res     result
	final   bool
}

// collector is the one goroutine that accounts for every document: it counts, writes
// the journal and --failed-out, and draws the progress line. Nothing else touches
// them, so they need no locks.
type collector struct {
	rep       *Report
	hist      histogram
	schedHist histogram // latency from the --rate slot (see result.fromSchedule)
	journal   *bufio.Writer
	failed    *bufio.Writer
	bar       *progress // nil when not on a terminal
	start     time.Time
	lastFlush time.Time
	line      []byte
	err       error // the first write error; it ends the run
	failures  failureTable
	responses io.Writer // --show-response: a line per answer
	errors    int       // requests that did not get a 2xx
	lastDraw  time.Time
}

func newCollector(rep *Report, journal, failed io.Writer, bar *progress) *collector {
	c := &collector{rep: rep, bar: bar, start: time.Now()}
	if journal != nil {
		c.journal = bufio.NewWriterSize(journal, 64<<10)
	}
	if failed != nil {
		c.failed = bufio.NewWriterSize(failed, 64<<10)
	}
	c.lastFlush, c.lastDraw = c.start, c.start
	return c
}

// A journal line waits in memory at most flushEvery; when the collector has nothing
// else to do it is written at once, but not more often than every flushIdle, so that
// a busy run makes one write for many lines. What a kill -9 can lose is therefore a few
// milliseconds of finished requests, on top of those in flight.
const (
	flushEvery = 5 * time.Millisecond
	flushIdle  = time.Millisecond
)

// run consumes events until the channel closes, then flushes everything. fail is
// called once with the first write error, so that the run can stop.
func (c *collector) run(events <-chan event, fail func(error)) {
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				c.finish()
				return
			}
			c.handle(&ev)
			if len(events) == 0 && time.Since(c.lastFlush) >= flushIdle {
				c.flushJournal()
			}
		case now := <-tick.C:
			c.flushJournal()
			if c.bar != nil && now.Sub(c.lastDraw) >= 100*time.Millisecond {
				c.draw(now)
			}
		}
		if c.err != nil && fail != nil {
			fail(c.err)
			fail = nil
		}
	}
}

func (c *collector) handle(ev *event) {
	r := c.rep
	switch ev.kind {
	case evSkipped:
		r.Documents++
		r.AlreadyDelivered++
	case evDry:
		r.Documents++
		r.DryRun++
	case evFiltered:
		r.Documents++
		r.Filtered++
	case evNotSent:
		r.Documents++
		if ev.d.state == stateInvalid {
			r.Invalid++
			c.journalLine(ev, "not sent: the document is not JSON (--send-invalid sends it as stored)")
		} else {
			r.Failed++
			c.journalLine(ev, "not sent: "+ev.d.err)
		}
		c.writeFailed(ev.d)
	case evUnfinished:
		if ev.attempt == 0 {
			r.Documents++
		}
		r.Unfinished++
	case evAttempt:
		c.attempt(ev)
	}
}

func (c *collector) attempt(ev *event) {
	r := c.rep
	if ev.attempt == 1 {
		r.Documents++
		r.Sent++
		if ev.d.invalid {
			r.InvalidSent++
		}
	} else {
		r.Retried++
	}
	r.Requests++
	res := &ev.res
	r.count(statusKey(res))
	if res.status != 0 {
		c.hist.record(res.latency)
		if res.scheduled {
			c.schedHist.record(res.fromSchedule)
		}
	}
	errText := ""
	if res.err != nil {
		errText = res.err.Error()
	} else if res.status/100 != 2 {
		errText = strconv.Itoa(res.status) + " " + http.StatusText(res.status)
	}
	if errText != "" {
		c.errors++
		c.failures.add(reason(res), ev.d.origin, res.body, ev.final)
	}
	c.showResponse(ev)
	c.journalLine(ev, errText)
	if !ev.final {
		return
	}
	if res.err == nil && res.status/100 == 2 {
		r.Delivered++
		return
	}
	r.Failed++
	c.writeFailed(ev.d)
}

func (c *collector) journalLine(ev *event, errText string) {
	if c.journal == nil {
		return
	}
	l := JournalLine{
		Time: ev.at, Origin: ev.d.origin, ID: ev.d.id.String(), SHA256: hex.EncodeToString(ev.d.sum[:]), Status: ev.res.status,
		LatencyMS: float64(ev.res.latency) / float64(time.Millisecond),
		Attempt:   ev.attempt, Error: errText, Final: ev.final,
	}
	c.line = appendJournalLine(c.line[:0], &l)
	if _, err := c.journal.Write(c.line); err != nil {
		c.setErr(fmt.Errorf("write journal: %w", err))
	}
}

// showResponse writes an attempt's outcome to --show-response: the document, the
// attempt, the status or error, the latency and the first bytes of the body.
func (c *collector) showResponse(ev *event) {
	if c.responses == nil {
		return
	}
	res := &ev.res
	b := fmt.Appendf(c.line[:0], "%s attempt %d: ", ev.d.origin, ev.attempt)
	if res.err != nil {
		b = fmt.Appendf(b, "%s (%s)", reason(res), res.err)
	} else {
		b = fmt.Appendf(b, "%d %s", res.status, http.StatusText(res.status))
	}
	b = fmt.Appendf(b, " in %.1f ms", float64(res.latency)/float64(time.Millisecond))
	if len(res.body) > 0 {
		b = append(b, ": "...)
		b = append(b, previewText(res.body)...)
	}
	c.line = append(b, '\n')
	if _, err := c.responses.Write(c.line); err != nil {
		c.responses = nil
	}
}

// writeFailed adds a document that finally failed to --failed-out: one compact line,
// which replay reads back as NDJSON.
func (c *collector) writeFailed(d *doc) {
	if c.failed == nil {
		return
	}
	c.line = appendNDJSONLine(c.line[:0], d.stored)
	if _, err := c.failed.Write(c.line); err != nil {
		c.setErr(fmt.Errorf("write --failed-out: %w", err))
	}
}

// appendNDJSONLine writes a document on one line: compacted when it is JSON; a broken
// document keeps its bytes, its line breaks turned into spaces.
func appendNDJSONLine(b, stored []byte) []byte {
	stored = trimBOM(stored)
	if jsontext.Valid(stored) == nil {
		b = jsontext.AppendCompact(b, stored)
	} else {
		start := len(b)
		b = append(b, stored...)
		for i := start; i < len(b); i++ {
			if b[i] == '\n' || b[i] == '\r' {
				b[i] = ' '
			}
		}
	}
	return append(b, '\n')
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

func (c *collector) setErr(err error) {
	if c.err == nil {
		c.err = err
	}
}

func (c *collector) flushJournal() {
	c.lastFlush = time.Now()
	if c.journal != nil && c.journal.Buffered() > 0 {
		if err := c.journal.Flush(); err != nil {
			c.setErr(fmt.Errorf("write journal: %w", err))
		}
	}
}

// finish flushes the files and fills the report's figures.
func (c *collector) finish() {
	c.flushJournal()
	if c.failed != nil {
		if err := c.failed.Flush(); err != nil {
			c.setErr(fmt.Errorf("write --failed-out: %w", err))
		}
	}
	if c.bar != nil {
		c.bar.finish()
	}
	c.rep.fill(time.Since(c.start), &c.hist)
	if c.schedHist.total > 0 {
		l := latencyOf(&c.schedHist)
		c.rep.LatencyFromSchedule, c.rep.ScheduleHistogram = &l, bucketsOf(&c.schedHist)
	}
	c.rep.Failures = c.failures.sorted()
}

// draw redraws the progress bar with the documents done.
func (c *collector) draw(now time.Time) {
	r := c.rep
	c.lastDraw = now
	c.bar.draw(r.Delivered+r.Failed+r.Invalid+r.AlreadyDelivered+r.Filtered, r, c.errors)
}

// statusKey is the report's name for an attempt's outcome.
func statusKey(res *result) string {
	if res.err == nil || res.status != 0 {
		return strconv.Itoa(res.status)
	}
	return errorReason(res.err)
}
