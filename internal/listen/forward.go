package listen

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"
)

// maxBackoff is the longest wait between two attempts of one hook.
const maxBackoff = 5 * time.Minute

// chatQueue is the hooks of one chat still to forward, oldest first; only its head
// is ever in flight, so a chat's hooks arrive in order.
type chatQueue struct {
	key  string
	jobs []*job
	busy bool
	next time.Time // no attempt before
	down bool      // the last attempt got no answer at all (target unreachable)
}

// forwarder passes accepted hooks on from the outbox on disk: every hook is tried
// until the target answers 2xx or --forward-max-age passes, with growing waits
// between attempts (or what Retry-After asks), one chat at a time in order, other
// chats meanwhile. What is left at the end stays in the outbox for the next start.
type forwarder struct {
	opts    Options
	url     string
	client  *http.Client
	counts  *counters
	warn    func(string, ...any)
	journal *journal

	mu      sync.Mutex // chats, pending, seq, stopped
	chats   map[string]*chatQueue
	pending int
	seq     uint64
	stopped bool
	wake    chan struct{}
	stopCh  chan struct{}

	wg     sync.WaitGroup
	base   context.Context // ends when stop gives up waiting
	cancel context.CancelFunc
	once   sync.Once
}

func newForwarder(opts Options, counts *counters, warn func(string, ...any)) (*forwarder, error) {
	u, err := url.Parse(opts.Forward)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("forward URL %q: want http://host/path or https://host/path", opts.Forward)
	}
	if opts.ForwardWorkers <= 0 {
		opts.ForwardWorkers = 4
	}
	if opts.ForwardTimeout <= 0 {
		opts.ForwardTimeout = 10 * time.Second
	}
	if opts.ForwardMaxAge <= 0 {
		opts.ForwardMaxAge = 24 * time.Hour
	}
	if opts.ForwardBackoff <= 0 {
		opts.ForwardBackoff = time.Second
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "smarthook"
	}
	jobs, err := loadJobs(opts.Outbox, warn)
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = opts.ForwardWorkers
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: opts.Insecure} // #nosec G402 -- only with --insecure
	f := &forwarder{
		opts: opts, url: u.String(), counts: counts, warn: warn,
		client: &http.Client{
			Transport: tr,
			// A redirect is the target's answer: report it, do not follow it.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		chats: map[string]*chatQueue{}, wake: make(chan struct{}, 1), stopCh: make(chan struct{}),
	}
	if opts.ForwardJournal != "" {
		if f.journal, err = openJournal(opts.ForwardJournal); err != nil {
			return nil, err
		}
	}
	for _, j := range jobs {
		f.add(j)
		f.seq = j.seq
	}
	if len(jobs) > 0 {
		warn("%d hooks wait in the outbox %s from an earlier run: forwarding them first", len(jobs), opts.Outbox)
	}
	f.base, f.cancel = context.WithCancel(context.Background())
	for range opts.ForwardWorkers {
		f.wg.Add(1)
		go f.work()
	}
	return f, nil
}

// enqueue stores a hook in the outbox (synced) and queues it; the sender may get its
// 2xx once it returns nil.
func (f *forwarder) enqueue(r *http.Request, rc *received) error {
	f.mu.Lock()
	f.seq++
	seq := f.seq
	f.mu.Unlock()
	hdr := outboxHeader{
		ID: fmt.Sprint(seq), Chat: chatKey(rc.doc), Label: label(rc.doc), ReceivedAt: rc.at.UTC(),
		ContentType: r.Header.Get("Content-Type"), Signature: r.Header.Get(SignatureHeader),
	}
	j, err := writeJob(f.opts.Outbox, seq, hdr, rc.body)
	if err != nil {
		return err
	}
	f.add(j)
	rc.forwardID = hdr.ID
	return nil
}

// add puts j in its chat's queue, in sequence order, and wakes a worker.
func (f *forwarder) add(j *job) {
	f.mu.Lock()
	q := f.chats[j.hdr.Chat]
	if q == nil {
		q = &chatQueue{key: j.hdr.Chat}
		f.chats[j.hdr.Chat] = q
	}
	i := len(q.jobs)
	for i > 0 && q.jobs[i-1].seq > j.seq {
		i--
	}
	q.jobs = append(q.jobs, nil)
	copy(q.jobs[i+1:], q.jobs[i:])
	q.jobs[i] = j
	f.pending++
	f.mu.Unlock()
	f.poke()
}

func (f *forwarder) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

func (f *forwarder) pendingCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pending
}

func (f *forwarder) work() {
	defer f.wg.Done()
	for {
		q, j := f.take()
		if j == nil {
			return
		}
		f.finish(q, j, f.send(j))
	}
}

// take waits for the oldest hook whose chat is free and due. Once stopped, it returns
// nil when nothing more is due now.
func (f *forwarder) take() (*chatQueue, *job) {
	for {
		if f.base.Err() != nil {
			return nil, nil // stop gave up waiting: the rest waits in the outbox
		}
		f.mu.Lock()
		now := time.Now()
		var best *chatQueue
		var soonest time.Time
		for _, q := range f.chats {
			switch {
			case q.busy || len(q.jobs) == 0:
			case q.next.After(now):
				if soonest.IsZero() || q.next.Before(soonest) {
					soonest = q.next
				}
			case best == nil || q.jobs[0].seq < best.jobs[0].seq:
				best = q
			}
		}
		if best != nil {
			best.busy = true
			j := best.jobs[0] // read under the lock: add may be inserting into this queue
			f.mu.Unlock()
			f.poke() // another worker may find more to do
			return best, j
		}
		stopped := f.stopped
		f.mu.Unlock()
		if stopped {
			return nil, nil // what is due was sent; the rest waits in the outbox
		}
		var timeout <-chan time.Time
		var t *time.Timer
		if !soonest.IsZero() {
			t = time.NewTimer(time.Until(soonest))
			timeout = t.C
		}
		select {
		case <-f.wake:
		case <-timeout:
		case <-f.stopCh:
		}
		if t != nil {
			t.Stop()
		}
	}
}

// attempt is what one try of a hook came to.
type attempt struct {
	status     int
	err        error
	retryAfter time.Duration
}

func (a attempt) ok() bool { return a.err == nil && a.status/100 == 2 }

func (a attempt) describe() string {
	if a.err != nil {
		return printable(a.err.Error(), 200)
	}
	return "answered " + strconv.Itoa(a.status) + " " + http.StatusText(a.status)
}

// send posts one hook's body as it came, with its Content-Type and signature.
func (f *forwarder) send(j *job) attempt {
	body, err := readJobBody(j.path)
	if err != nil {
		return attempt{err: err}
	}
	ctx, cancel := context.WithTimeout(f.base, f.opts.ForwardTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(body))
	if err != nil {
		return attempt{err: err}
	}
	if j.hdr.ContentType != "" {
		req.Header.Set("Content-Type", j.hdr.ContentType)
	}
	sig := j.hdr.Signature
	if f.opts.ForwardSecret != nil {
		mac := hmac.New(sha256.New, f.opts.ForwardSecret)
		mac.Write(body)
		sig = hex.EncodeToString(mac.Sum(nil))
	}
	if sig != "" {
		req.Header.Set(SignatureHeader, sig)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		return attempt{err: err}
	}
	discardBody(resp)
	return attempt{status: resp.StatusCode, retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
}

// finish removes a delivered hook, gives up one past --forward-max-age, and sets
// the time of the next try of the others.
func (f *forwarder) finish(q *chatQueue, j *job, a attempt) {
	j.attempts++
	if !a.ok() && f.base.Err() != nil {
		f.release(q, j, false, time.Time{}, false) // stopping: it stays in the outbox for next time
		return
	}
	state := "retrying"
	var next time.Time
	switch {
	case a.ok():
		state = "delivered"
		if err := os.Remove(j.path); err != nil {
			f.warn("outbox: delivered %s but could not remove %s: %v (it will be sent again)", j.hdr.Label, j.path, err)
		}
		f.counts.fwdOK.Add(1)
		f.warn("forwarded %s: %s answered %d", j.hdr.Label, f.url, a.status)
	case time.Since(j.hdr.ReceivedAt) > f.opts.ForwardMaxAge:
		state = "given-up"
		if err := giveUp(j); err != nil {
			f.warn("outbox: give up %s: %v", j.path, err)
		}
		f.counts.fwdGivenUp.Add(1)
		f.warn("forward %s: given up after %d attempts over %s; kept in %s", j.hdr.Label, j.attempts, f.opts.ForwardMaxAge, givenUpFolder)
	default:
		f.counts.fwdRetries.Add(1)
		if a.err == nil && q.down {
			j.streak = 0 // it answers again: the waits grown while it was down start over
		}
		j.streak++
		wait := max(backoff(f.opts.ForwardBackoff, j.streak), a.retryAfter)
		next = time.Now().Add(wait)
		f.warn("forward %s: %s; trying again in %s", j.hdr.Label, a.describe(), wait.Round(time.Millisecond))
	}
	f.journal.record(j, f.url, a, state)
	f.observe(j, a, state)
	f.release(q, j, state != "retrying", next, a.err != nil)
}

// release frees q after an attempt of its head j, dropping j when it is done.
// An answer from the target after chats found it unreachable means it is back: those
// chats are tried now rather than after their grown waits.
func (f *forwarder) release(q *chatQueue, j *job, done bool, next time.Time, down bool) {
	f.mu.Lock()
	q.busy, q.next, q.down = false, next, down
	if !down {
		for _, o := range f.chats {
			if o.down && !o.busy {
				o.next, o.down = time.Time{}, false
				if len(o.jobs) > 0 {
					o.jobs[0].streak = 0 // the waits grown while it was down start over
				}
			}
		}
	}
	if done {
		// Remove j itself, not the head: a hook of this chat accepted at the same moment
		// with a lower sequence number may have been put in front of it meanwhile.
		if i := slices.Index(q.jobs, j); i >= 0 {
			q.jobs = slices.Delete(q.jobs, i, i+1)
		}
		f.pending--
	}
	if len(q.jobs) == 0 {
		delete(f.chats, q.key)
	}
	f.mu.Unlock()
	f.poke()
}

// backoff is base doubled per attempt after the first, at most maxBackoff.
func backoff(base time.Duration, attempts int) time.Duration {
	d := base
	for i := 1; i < attempts && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// stop takes no more hooks and waits for the attempts in flight until ctx ends;
// then they are cancelled. Hooks not delivered stay in the outbox.
func (f *forwarder) stop(ctx context.Context) {
	f.once.Do(func() {
		f.mu.Lock()
		f.stopped = true
		close(f.stopCh)
		f.mu.Unlock()
		done := make(chan struct{})
		go func() { f.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
			f.cancel()
			<-done
		}
		f.cancel()
		f.client.CloseIdleConnections()
		f.journal.close()
	})
}
