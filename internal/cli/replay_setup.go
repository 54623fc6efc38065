package cli

import (
	"fmt"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/redact"
	"github.com/smarthook/smarthook/internal/replay"
)

// replayOptions checks the flags and turns them into the replay package's options
// (everything but the files, see openFiles).
func (o *ReplayOptions) replayOptions() (replay.Options, error) {
	ro := replay.Options{
		Paths: o.Paths, Stdin: o.IO.In, Input: readOptions(o.Input, o.IO), Concurrency: o.Concurrency, Timeout: o.Timeout,
		Pace: o.Pace, Speed: o.Speed, SendInvalid: o.SendInvalid,
		Retry: replay.RetryPolicy{Retries: o.Retries, Base: replay.DefaultRetryPolicy.Base, Cap: replay.DefaultRetryPolicy.Cap, Max: o.MaxWait},
	}
	if err := o.checkNumbers(); err != nil {
		return ro, err
	}
	rate, err := replay.ParseRate(o.Rate)
	if err != nil {
		return ro, &exitError{Code: ExitUsage, Err: err}
	}
	ro.Rate = rate
	if err := replay.CheckURL(o.URL); err != nil {
		return ro, &exitError{Code: ExitUsage, Err: err}
	}
	if len(o.Paths) == 0 && o.IO.InTTY {
		return ro, usageErrorf("no input: name files or folders after the URL, or pipe documents to stdin (see smarthook replay --help)")
	}
	switch o.Order {
	case "stored":
		ro.OrderByTime = o.Pace && !o.orderSet
	case "time":
		ro.OrderByTime = true
	default:
		return ro, usageErrorf("unknown --order %q: use stored or time", o.Order)
	}
	if o.Report != "text" && o.Report != "json" {
		return ro, usageErrorf("unknown --report %q: use text or json", o.Report)
	}
	target, err := o.target()
	if err != nil {
		return ro, err
	}
	ro.Target = target
	if err := o.rewriteOptions(&ro); err != nil {
		return ro, err
	}
	if err := o.filterOptions(&ro); err != nil {
		return ro, err
	}
	ro.Client, err = replay.NewClient(replay.ClientOptions{
		Concurrency: o.Concurrency, Timeout: o.Timeout, Insecure: o.Insecure,
		CAFile: o.CACert, CertFile: o.Cert, KeyFile: o.Key,
	})
	if err != nil {
		return ro, &exitError{Code: ExitUsage, Err: err}
	}
	if o.Resume && o.Journal == "" {
		return ro, usageErrorf("--resume needs --journal FILE (the journal of the run to continue)")
	}
	if o.ShowResponse {
		ro.ShowResponse = o.IO.Err
	} else if o.IO.ErrTTY && !o.DryRun {
		ro.Progress = o.IO.Err
	}
	ro.Abort = o.abort
	ro.WithHeaders = o.WithHeaders
	return ro, nil
}

func (o *ReplayOptions) checkNumbers() error {
	switch {
	case o.Concurrency < 1:
		return usageErrorf("--concurrency must be at least 1, got %d", o.Concurrency)
	case o.Speed <= 0:
		return usageErrorf("--speed must be more than 0, got %v", o.Speed)
	case o.Timeout <= 0:
		return usageErrorf("--timeout must be more than 0, got %v", o.Timeout)
	case o.Retries < 0:
		return usageErrorf("--retries must not be negative, got %d", o.Retries)
	case o.MaxWait < 0:
		return usageErrorf("--max-wait must not be negative, got %v", o.MaxWait)
	}
	return nil
}

// getenv reads an environment variable through the command's IO.
func (o *ReplayOptions) getenv(name string) string {
	if o.IO.Getenv == nil || name == "" {
		return ""
	}
	return o.IO.Getenv(name)
}

// target builds the method, headers and signature of every request.
func (o *ReplayOptions) target() (replay.Target, error) {
	t := replay.Target{URL: o.URL, Method: o.Method, SignHeader: o.SignHeader}
	if o.Method == "" || strings.ContainsAny(o.Method, " \t\r\n") {
		return t, usageErrorf("bad -X %q: give an HTTP method such as POST or PUT", o.Method)
	}
	h, given, err := replayHeaders(o.Headers)
	if err != nil {
		return t, err
	}
	t.Header, t.Given = h, given
	if o.SignEnv != "" {
		secret := o.getenv(o.SignEnv)
		if secret == "" {
			return t, usageErrorf("--sign-secret-env %s: the variable is empty or not set", o.SignEnv)
		}
		t.SignSecret = []byte(secret)
		if !validHeaderName(o.SignHeader) {
			return t, usageErrorf("bad --sign-header %q: not a header name", o.SignHeader)
		}
	}
	return t, nil
}

// replayHeaders are the default headers with each -H applied: the first -H of a name
// replaces the default, later ones add values, and "Name:" with no value removes it.
// given lists the names -H set or removed.
func replayHeaders(flags []string) (h http.Header, given []string, err error) {
	h = http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", UserAgent())
	seen := map[string]bool{}
	for _, f := range flags {
		name, value, ok := strings.Cut(f, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || !validHeaderName(name) {
			return nil, nil, usageErrorf("bad -H %q: use 'Name: value'", f)
		}
		if strings.ContainsAny(value, "\r\n") {
			return nil, nil, usageErrorf("bad -H %q: a value cannot hold a line break", f)
		}
		key := textproto.CanonicalMIMEHeaderKey(name)
		if !seen[key] {
			h.Del(key)
			seen[key] = true
			given = append(given, key)
		}
		if value != "" {
			h.Add(key, value)
		}
	}
	return h, given, nil
}

// validHeaderName reports an HTTP token (RFC 9110 section 5.6.2).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// rewriteOptions reads --shift-time, --shift-to, --set and --redact.
func (o *ReplayOptions) rewriteOptions(ro *replay.Options) error {
	ro.Shift = o.ShiftTime || o.ShiftTo != ""
	if o.ShiftTo != "" {
		t, err := time.Parse(time.RFC3339Nano, o.ShiftTo)
		if err != nil {
			return usageErrorf("bad --shift-to %q: use an RFC 3339 time such as 2026-01-05T10:00:00Z", o.ShiftTo)
		}
		ro.ShiftTo = t
	}
	for _, s := range o.Sets {
		set, err := replay.ParseSet(s)
		if err != nil {
			return &exitError{Code: ExitUsage, Err: err}
		}
		ro.Sets = append(ro.Sets, set)
	}
	return o.redactOption(ro)
}

// filterOptions reads --events and --where.
func (o *ReplayOptions) filterOptions(ro *replay.Options) error {
	events, err := replay.ParseEvents(o.Events)
	if err != nil {
		return &exitError{Code: ExitUsage, Err: err}
	}
	ro.Filter.Events = events
	if o.Where != "" {
		w, err := replay.CompileWhere(o.Where)
		if err != nil {
			return &exitError{Code: ExitUsage, Err: err}
		}
		ro.Filter.Where = w
	}
	return nil
}

// redactOption reads --redact, --redact-key-env and --redact-fields (the key and field
// conventions of `smarthook redact`).
func (o *ReplayOptions) redactOption(ro *replay.Options) error {
	if !o.Redact {
		if len(o.RedactFields) > 0 {
			return usageErrorf("--redact-fields needs --redact")
		}
		return nil
	}
	fields, err := expandFields(o.RedactFields)
	if err != nil {
		return err
	}
	key := o.getenv(o.RedactEnv)
	if o.RedactEnv == "" || key == "" {
		return usageErrorf("--redact needs a key: set %s to a secret and keep it (e.g. `export %s=$(openssl rand -hex 32)`), or name another variable with --redact-key-env", o.RedactEnv, o.RedactEnv)
	}
	r, err := redact.New(redact.Options{Key: []byte(key), Fields: fields})
	if err != nil {
		return &exitError{Code: ExitUsage, Err: fmt.Errorf("--redact: %w", err)}
	}
	ro.Redact = r.Apply
	return nil
}
