package replay

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ClientOptions configure the HTTP client that sends the documents.
type ClientOptions struct {
	Concurrency int           // requests at once: the number of connections kept alive
	Timeout     time.Duration // bounds connecting and the TLS handshake too
	Insecure    bool          // skip TLS certificate verification
	CAFile      string        // PEM certificates trusted besides the system's
	CertFile    string        // client certificate (PEM), for mutual TLS
	KeyFile     string        // its key; empty when CertFile holds both
}

// NewClient builds a client tuned for many small POSTs to one host: as many idle
// keep-alive connections as requests at once, proxies from the environment
// (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), TLS verified unless Insecure, redirects not
// followed (a 3xx is an answer like any other).
func NewClient(o ClientOptions) (*http.Client, error) {
	tlsConf, err := tlsConfig(o)
	if err != nil {
		return nil, err
	}
	conc := max(o.Concurrency, 1)
	dialer := &net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   o.Timeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          max(100, 2*conc),
		MaxIdleConnsPerHost:   conc,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true,
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, nil
}

func tlsConfig(o ClientOptions) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: o.Insecure} //nolint:gosec // only on --insecure
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read --cacert: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--cacert %s holds no PEM certificate", o.CAFile)
		}
		conf.RootCAs = pool
	}
	if o.CertFile != "" {
		key := o.KeyFile
		if key == "" {
			key = o.CertFile
		}
		cert, err := tls.LoadX509KeyPair(o.CertFile, key)
		if err != nil {
			return nil, fmt.Errorf("load --cert/--key: %w", err)
		}
		conf.Certificates = []tls.Certificate{cert}
	} else if o.KeyFile != "" {
		return nil, errors.New("--key needs --cert")
	}
	return conf, nil
}

// Target is where and how documents are sent.
type Target struct {
	URL        string
	Method     string      // POST when empty
	Header     http.Header // sent with every request (Host is taken from it)
	SignSecret []byte      // when set, each body's hex HMAC-SHA256 goes in SignHeader
	SignHeader string      // X-Smartsupp-Hmac when empty
	// Given are the canonical names of the headers the user set (or removed) with -H:
	// they win over a document's stored headers (--with-headers).
	Given []string
}

// DefaultSignHeader is the header Smartsupp's REST webhooks carry their signature in.
const DefaultSignHeader = "X-Smartsupp-Hmac"

// CheckURL accepts an absolute http or https URL with a host and, when it names one, a
// port from 1 to 65535. Its errors say how to fix the URL.
func CheckURL(raw string) error {
	if strings.TrimSpace(raw) != raw || strings.ContainsAny(raw, " \t\r\n") {
		return fmt.Errorf("bad URL %q: it holds white space (quote it, or encode a space as %%20)", raw)
	}
	if !strings.Contains(raw, "://") {
		return fmt.Errorf("bad URL %q: no scheme: add http:// or https:// (e.g. http://%s)", raw, strings.TrimPrefix(raw, "//"))
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if strings.Contains(err.Error(), "invalid port") {
			return fmt.Errorf("bad URL %q: the port must be a number from 1 to 65535", raw)
		}
		return fmt.Errorf("bad URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("bad URL %q: the scheme %q is not supported: use http:// or https://", raw, u.Scheme)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("bad URL %q: no host: write it after %s:// (e.g. %s://127.0.0.1:8080/hook)", raw, u.Scheme, u.Scheme)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("bad URL %q: port %s is out of range: use 1 to 65535", raw, p)
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return fmt.Errorf("bad URL %q: empty port after ':': give one (e.g. :8080) or drop the colon", raw)
	}
	return nil
}

// sender makes one attempt at a time for a worker. It is safe for concurrent use.
type sender struct {
	client   *http.Client
	target   Target
	host     string
	timeout  time.Duration
	keepBody bool // keep the first bytes of every answer, not only of a non-2xx
}

func newSender(client *http.Client, t Target, timeout time.Duration) *sender {
	if t.Method == "" {
		t.Method = http.MethodPost
	}
	if t.SignHeader == "" {
		t.SignHeader = DefaultSignHeader
	}
	h := t.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	// Go sends Host from Request.Host, never from the header map.
	host := h.Get("Host")
	h.Del("Host")
	t.Header = h
	return &sender{client: client, target: t, host: host, timeout: timeout}
}

// header returns the headers of a request carrying body: the shared map (read only,
// as net/http leaves it) or, with a document's stored headers (stored) or when
// signing, a copy: the stored headers replace the defaults but not what -H gave, and
// the signature goes in last.
func (s *sender) header(body []byte, stored http.Header) http.Header {
	if len(s.target.SignSecret) == 0 && stored == nil {
		return s.target.Header
	}
	h := s.target.Header.Clone()
	for k, vs := range stored {
		if !slices.Contains(s.target.Given, k) {
			h[k] = vs
		}
	}
	if len(s.target.SignSecret) > 0 {
		h.Set(s.target.SignHeader, Sign(s.target.SignSecret, body))
	}
	return h
}

// Sign returns the hex HMAC-SHA256 of body keyed with secret, as in X-Smartsupp-Hmac.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// result is the outcome of one attempt.
type result struct {
	status        int
	body          []byte // the first bytes of the answer's body, for a non-2xx (see keepBody)
	latency       time.Duration
	err           error
	retryAfter    time.Duration
	hasRetryAfter bool
	// fromSchedule is the time from the request's slot of --rate to its answer: its
	// latency as a user arriving on schedule sees it (scheduled says it was measured).
	fromSchedule time.Duration
	scheduled    bool
}

// send makes one attempt with body (and its stored headers, nil for none), bounded
// by the timeout; ctx aborts it.
func (s *sender) send(ctx context.Context, body []byte, stored http.Header) result {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, s.target.Method, s.target.URL, bytes.NewReader(body))
	if err != nil {
		return result{err: err}
	}
	req.Header = s.header(body, stored)
	if s.host != "" {
		req.Host = s.host
	}
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		return result{latency: time.Since(start), err: attemptError(ctx, err, s.timeout)}
	}
	r := result{status: resp.StatusCode}
	if resp.StatusCode/100 != 2 || s.keepBody {
		r.body, err = readPreview(resp.Body)
	}
	if err == nil {
		// Read the answer to its end so that the connection is reused.
		_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	}
	resp.Body.Close()
	r.latency = time.Since(start)
	if err != nil && resp.StatusCode/100 != 2 {
		r.err = attemptError(ctx, err, s.timeout)
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		r.retryAfter, r.hasRetryAfter = parseRetryAfter(ra, time.Now())
	}
	return r
}

// readPreview reads the first bodyPreview bytes of an answer's body.
func readPreview(body io.Reader) ([]byte, error) {
	buf := make([]byte, bodyPreview)
	n, err := io.ReadFull(body, buf)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	return buf[:n], err
}

// The errors of attempts that got no answer for a reason of their own.
var (
	errTimeout = errors.New("timeout")                                        // longer than --timeout
	errAborted = errors.New("aborted: the run was interrupted a second time") // a second Ctrl-C
)

// attemptError words a failed attempt without the method and URL every line shares.
func attemptError(ctx context.Context, err error, timeout time.Duration) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w after %v", errTimeout, timeout)
	}
	if errors.Is(err, context.Canceled) {
		return errAborted
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
