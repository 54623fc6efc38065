// Package replay sends stored Smartsupp payloads to a URL again: to a staging receiver,
// or many at once to load-test a receiver. Documents come from the parsing core
// (package input), optionally rewritten (timestamps shifted, members set, personal data
// redacted), and are POSTed by a pool of workers at a steady rate or at the chats' own
// pace, with retries, HMAC signing, a journal that lets a killed run resume, and a
// report of what happened.
//
// Memory stays flat: documents flow through bounded queues, and only --order time keeps
// something per document (an index entry of about 130 bytes; the bodies wait in a
// temporary file).
package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/rules"
)

// Options are everything a run needs. Zero values are the defaults.
type Options struct {
	Paths []string  // inputs as for every command; stdin when empty
	Stdin io.Reader // read for "-"
	// Input holds the reading limits (--max-doc-size, --max-member-size); replay
	// always reads a top-level array element by element, each element a document.
	Input input.Options

	Client      *http.Client // see NewClient
	Target      Target
	Concurrency int           // requests at once; 4 when 0
	Timeout     time.Duration // per request; 10 s when 0
	Retry       RetryPolicy
	Rate        Schedule // requests a second (see ParseRate); zero for no limit
	Pace        bool     // keep the documents' own spacing (beginAt), divided by Speed
	Speed       float64
	OrderByTime bool // send in order of beginAt rather than as stored
	SendInvalid bool // send documents with errors exactly as stored

	Shift   bool      // move each chat's timestamps so that the newest chat ends at ShiftTo
	ShiftTo time.Time // zero: now
	Sets    []Set
	Filter  Filter // --events, --where
	// WithHeaders sends each document with the headers of its stored request (see Meta).
	WithHeaders bool
	Redact      func(dst, doc []byte) ([]byte, error) // see Rewriter.Redact

	Delivered Delivered // documents to skip, from ReadJournal (--resume)
	Journal   io.Writer // one JSON line per finished attempt; nil for none
	FailedOut io.Writer // documents that finally failed, as NDJSON; nil for none
	DryRun    io.Writer // when set, print what would be sent there and send nothing
	Progress  io.Writer // when set, a progress bar redrawn there (a terminal)
	// ShowResponse, when set, gets a line per answer: status (or error), latency and
	// the first bytes of the body.
	ShowResponse io.Writer
	// Problems is told, in input order, about records that cannot be read or that have
	// errors (those are not sent unless SendInvalid).
	Problems func(rec input.Record, errs []rules.Finding)
	// Notice is told, in input order, what a rewrite could not do to a document that is
	// sent all the same (such as --shift-time finding no timestamp in it).
	Notice func(origin, msg string)
	// Abort, when it closes, cancels the requests in flight. Cancelling the context
	// given to Run only stops new work: requests in flight are waited for.
	Abort <-chan struct{}
	// TempDir holds the spool files of --order time and of stdin read twice.
	TempDir string
}

func (o *Options) setDefaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Speed <= 0 {
		o.Speed = 1
	}
	if o.Client == nil {
		o.Client = http.DefaultClient
	}
}

// run is one replay in progress.
type run struct {
	opts     *Options
	rw       *Rewriter
	sender   *sender
	limiter  *limiter
	items    chan *doc  // documents to send, in order
	events   chan event // to the collector
	abortCtx context.Context

	headerCounts HeaderCounts // --with-headers, counted by the feed
}

// Run replays the documents and returns what happened. When ctx is cancelled, it stops
// taking new documents, waits for the requests in flight (see Options.Abort), and
// returns the report with an error wrapping context.Canceled.
func Run(ctx context.Context, opts Options) (*Report, error) {
	opts.setDefaults()
	r := &run{opts: &opts, rw: &Rewriter{Sets: opts.Sets, Redact: opts.Redact}}
	var cleanup func()
	feed, total, err := r.plan(ctx, &cleanup)
	if cleanup != nil {
		defer cleanup()
	}
	rep := &Report{}
	if err != nil {
		rep.Interrupted = ctx.Err() != nil
		rep.fill(0, &histogram{})
		return rep, err
	}
	return r.send(ctx, feed, total, rep)
}

// feedFunc puts every document of the run through r.put, in sending order.
type feedFunc func(ctx context.Context) error

// plan reads what must be read before sending (the newest end for --shift-time, the
// time index for --order time, every document rewritten once when --set or
// --shift-time may fail on some) and returns the feed of documents and their number
// (0 when not counted).
func (r *run) plan(ctx context.Context, cleanup *func()) (feedFunc, int, error) {
	o := r.opts
	paths, stdin := o.Paths, o.Stdin
	check := o.Shift || len(o.Sets) > 0
	if o.OrderByTime {
		ts, err := r.spoolByTime(ctx, paths)
		*cleanup = ts.close
		if err != nil {
			return nil, 0, err
		}
		r.setShift(ts.end, ts.hasEnd)
		if check {
			if err := ts.checkRewrites(); err != nil {
				return nil, 0, err
			}
		}
		return ts.feed, len(ts.entries), nil
	}
	if !check {
		return func(ctx context.Context) error { return r.stream(ctx, paths, stdin) }, 0, nil
	}
	// More than one pass over the input: stdin must be kept for the next ones.
	spool, err := input.SpoolStdin(paths, o.Stdin, o.TempDir)
	if err != nil {
		return nil, 0, err
	}
	*cleanup = spool.Close
	if o.Shift {
		end, hasEnd, _, err := newestEnd(ctx, paths, o.reading(spool.Stdin(stdin), false), &o.Filter)
		if err != nil {
			return nil, 0, err
		}
		r.setShift(end, hasEnd)
	}
	n, err := r.checkRewrites(ctx, paths, spool.Stdin(stdin))
	if err != nil {
		return nil, 0, err
	}
	return func(ctx context.Context) error { return r.stream(ctx, paths, spool.Stdin(stdin)) }, n, nil
}

// setShift sets the rewriter's shift so that the newest end lands on ShiftTo (now).
func (r *run) setShift(end int64, ok bool) {
	if !r.opts.Shift {
		return
	}
	if !ok {
		r.notice("--shift-time", "no document has a timestamp to move: nothing is shifted")
		return
	}
	target := r.opts.ShiftTo
	if target.IsZero() {
		target = time.Now()
	}
	r.rw.Shift = target.UnixMilli() - end
}

// send runs the workers and the collector over the feed.
func (r *run) send(ctx context.Context, feed feedFunc, total int, rep *Report) (*Report, error) {
	o := r.opts
	abortCtx, abort := context.WithCancel(context.WithoutCancel(ctx))
	defer abort()
	if o.Abort != nil {
		go func() {
			select {
			case <-o.Abort:
				abort()
			case <-abortCtx.Done():
			}
		}()
	}
	r.abortCtx = abortCtx
	r.sender = newSender(o.Client, o.Target, o.Timeout)
	r.sender.keepBody = o.ShowResponse != nil
	r.limiter = newLimiter(o.Rate, time.Now)
	r.items = make(chan *doc, 2*o.Concurrency+64)
	r.events = make(chan event, 4*o.Concurrency+256)

	runCtx, stopRun := context.WithCancelCause(ctx)
	defer stopRun(nil)
	if o.Rate.Limited() {
		rep.RateAsked = o.Rate.String()
	}
	var bar *progress
	if o.Progress != nil {
		bar = newProgress(o.Progress, total)
		if total == 0 {
			countForProgress(runCtx, o.Paths, o.reading(nil, false), bar)
		}
	}
	c := newCollector(rep, o.Journal, o.FailedOut, bar)
	c.responses = o.ShowResponse
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		c.run(r.events, func(err error) { stopRun(err) })
	}()

	var feedErr error
	feedDone := make(chan struct{})
	go func() {
		defer close(feedDone)
		defer close(r.items)
		feedErr = feed(runCtx)
	}()
	r.work(runCtx)
	<-feedDone
	for d := range r.items { // left in the queue by an interruption
		r.events <- event{kind: evUnfinished, d: d}
	}
	close(r.events)
	<-collected
	if o.WithHeaders {
		rep.Headers = &r.headerCounts
	}
	rep.Interrupted = ctx.Err() != nil
	return rep, r.runError(ctx, runCtx, feedErr, c.err)
}

// runError picks the error a run ends with.
func (r *run) runError(ctx, runCtx context.Context, feedErr, writeErr error) error {
	switch {
	case writeErr != nil:
		return writeErr
	case ctx.Err() != nil:
		return fmt.Errorf("replay interrupted: %w", context.Canceled)
	case feedErr != nil && !errors.Is(feedErr, context.Canceled):
		return feedErr
	case runCtx.Err() != nil:
		return context.Cause(runCtx)
	}
	return nil
}

// work runs the workers (or the dry-run printer) until the queue is empty or ctx ends.
func (r *run) work(ctx context.Context) {
	o := r.opts
	if o.DryRun != nil {
		r.printDry(ctx)
		return
	}
	in := r.items
	var wg sync.WaitGroup
	if o.Pace {
		ready := make(chan *doc)
		in = ready
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.pace(ctx, ready)
		}()
	}
	for range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.worker(ctx, in)
		}()
	}
	wg.Wait()
}

// put hands a document on: to the queue when it is to be sent, to the collector when
// it is done already (skipped or not sendable).
func (r *run) put(ctx context.Context, d *doc) error {
	switch d.state {
	case stateDelivered:
		r.events <- event{kind: evSkipped, d: d}
		return nil
	case stateFiltered:
		if d.warn != "" && r.opts.Notice != nil {
			r.opts.Notice(d.origin, d.warn)
		}
		r.events <- event{kind: evFiltered, d: d}
		return nil
	case stateInvalid, stateBroken:
		r.events <- event{kind: evNotSent, d: d, at: time.Now(), final: true}
		return nil
	}
	if d.warn != "" && r.opts.Notice != nil {
		r.opts.Notice(d.origin, d.warn)
	}
	select {
	case r.items <- d:
		return nil
	case <-ctx.Done():
		r.events <- event{kind: evUnfinished, d: d}
		return ctx.Err()
	}
}

// reading is how replay reads its inputs: the user's limits, stdin from stdin, and a
// top-level array element by element. The notes about the reading (Input.Notices) are
// kept for the pass that sends (announce), so that they are said once.
func (o *Options) reading(stdin io.Reader, announce bool) input.Options {
	in := o.Input
	in.Stdin, in.SplitArrays = stdin, true
	if !announce {
		in.Notices = nil
	}
	return in
}
