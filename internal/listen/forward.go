package listen

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// forwardJob is one accepted body to pass on.
type forwardJob struct {
	body        []byte
	label       string
	contentType string
	signature   string
}

// forwarder passes accepted bodies on to another endpoint from a bounded queue with
// its own workers, so a slow or failing target never holds up receiving: when the
// queue is full, a body is dropped (and counted) rather than waited for.
type forwarder struct {
	url     string
	client  *http.Client
	timeout time.Duration
	counts  *counters
	warn    func(string, ...any)

	mu     sync.RWMutex // closed, and sends on queue
	closed bool
	queue  chan forwardJob
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
	workers, size, timeout := opts.ForwardWorkers, opts.ForwardQueue, opts.ForwardTimeout
	if workers <= 0 {
		workers = 4
	}
	if size <= 0 {
		size = 1000
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = workers
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: opts.Insecure} // #nosec G402 -- only with --insecure
	f := &forwarder{
		url: u.String(), timeout: timeout, counts: counts, warn: warn,
		client: &http.Client{
			Transport: tr,
			// A redirect is the target's answer: report it, do not follow it.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		queue: make(chan forwardJob, size),
	}
	f.base, f.cancel = context.WithCancel(context.Background())
	for range workers {
		f.wg.Add(1)
		go f.work()
	}
	return f, nil
}

// enqueue hands a body to the workers without waiting; a full queue drops it.
func (f *forwarder) enqueue(j forwardJob) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if !f.closed {
		select {
		case f.queue <- j:
			return
		default:
		}
	}
	f.counts.fwdDropped.Add(1)
	f.warn("forward queue full: %s not forwarded", j.label)
}

func (f *forwarder) work() {
	defer f.wg.Done()
	for j := range f.queue {
		if f.base.Err() != nil {
			f.counts.fwdDropped.Add(1) // stop gave up: what is left is not sent
			continue
		}
		f.send(j)
	}
}

// send posts one body and reports the target's answer.
func (f *forwarder) send(j forwardJob) {
	ctx, cancel := context.WithTimeout(f.base, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(j.body))
	if err != nil {
		f.fail(j, err)
		return
	}
	if j.contentType != "" {
		req.Header.Set("Content-Type", j.contentType)
	}
	if j.signature != "" {
		req.Header.Set(SignatureHeader, j.signature)
	}
	req.Header.Set("User-Agent", "smarthook-listen")
	start := time.Now()
	resp, err := f.client.Do(req)
	if err != nil {
		f.fail(j, err)
		return
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so the connection is reused
	resp.Body.Close()
	took := time.Since(start).Round(time.Millisecond)
	if resp.StatusCode/100 != 2 {
		f.counts.fwdFailed.Add(1)
		f.warn("forward %s: %s answered %s (%s)", j.label, f.url, printable(resp.Status, 80), took)
		return
	}
	f.counts.fwdOK.Add(1)
	f.warn("forwarded %s: %s answered %s (%s)", j.label, f.url, printable(resp.Status, 80), took)
}

func (f *forwarder) fail(j forwardJob, err error) {
	f.counts.fwdFailed.Add(1)
	f.warn("forward %s failed: %s", j.label, printable(err.Error(), 200))
}

// stop takes no more bodies and waits for the queue to drain until ctx ends; then
// the requests in flight are cancelled and the bodies still queued are dropped.
func (f *forwarder) stop(ctx context.Context) {
	f.once.Do(func() {
		f.mu.Lock()
		f.closed = true
		close(f.queue)
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
	})
}
