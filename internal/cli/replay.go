package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/replay"
	"github.com/smarthook/smarthook/internal/rules"
	"github.com/spf13/cobra"
)

// ReplayOptions are the flags and streams of `smarthook replay`.
type ReplayOptions struct {
	IO           IO
	URL          string
	Paths        []string
	Input        input.Options // reading limits (--max-doc-size, --max-member-size)
	Method       string
	Headers      []string
	Concurrency  int
	Rate         string
	Pace         bool
	Speed        float64
	Order        string
	Timeout      time.Duration
	Retries      int
	MaxWait      time.Duration
	SignEnv      string
	SignHeader   string
	Insecure     bool
	CACert       string
	Cert, Key    string
	SendInvalid  bool
	ShiftTime    bool
	ShiftTo      string
	Sets         []string
	Redact       bool
	RedactEnv    string
	RedactFields []string
	Journal      string
	Resume       bool
	FailedOut    string
	DryRun       bool
	Report       string
	Force        bool
	ShowResponse bool
	Events       []string
	WithHeaders  bool
	Where        string

	orderSet bool          // --order was given
	abort    chan struct{} // closed on a second interrupt
}

// NewCmdReplay builds `smarthook replay`.
func NewCmdReplay(streams IO) *cobra.Command {
	opts := &ReplayOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "replay [flags] URL [PATH|-]...",
		Short: "POST stored payloads to a URL again: staging replays and receiver load tests",
		Long:  replayLong,
		Example: `  smarthook replay https://staging.example.com/hook hooks/
  smarthook replay --shift-time --set accountId=999 http://localhost:8080/hook chats.ndjson
  smarthook replay --order time --pace --speed 60 http://localhost:8080/hook hooks/
  smarthook replay -c 32 --rate 500 --journal run.jnl --failed-out failed.ndjson URL hooks/
  smarthook replay --journal run.jnl --resume --failed-out failed.ndjson URL hooks/
  SECRET=... smarthook replay --sign-secret-env SECRET URL webhooks.ndjson
  smarthook replay --dry-run -H 'Authorization: Bearer x' URL doc.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("replay needs the URL to send to (see smarthook replay --help)")
			}
			opts.URL, opts.Paths = args[0], args[1:]
			opts.orderSet = cmd.Flags().Changed("order")
			if cmd.Flags().Changed("speed") && !opts.Pace {
				return usageErrorf("--speed needs --pace")
			}
			stop := opts.catchSecondInterrupt()
			defer stop()
			return runReplay(cmd.Context(), opts)
		},
	}
	addReplayFlags(cmd, opts)
	return cmd
}

const replayLong = `Send every document read from PATHs (as every command reads them: files, folders,
NDJSON, gzip, tar and zip archives, stdin) to URL as the body of an HTTP POST, exactly
as stored, with Content-Type: application/json and User-Agent: smarthook/VERSION.
A document that is not JSON is reported with its place and not sent (--send-invalid
sends it as stored); one that is JSON but breaks Smartsupp's rules is replayed as it
was received (smarthook validate judges those).

Sending: --concurrency requests at once; --rate sends requests a second, retries
included, on an even grid: --rate 500 steadily; --rate 10:500/60s ramps linearly from
10 to 500 a second over 60 s, then holds 500; --rate 10,50,100/10s holds 10 a second
for 10 s, then 50 for 10 s, then 100 from then on. Each request keeps its slot on the
grid even when it is sent late (all workers busy with a slow receiver), and the
report gives its latency both from when it was sent and from its slot (as wrk2 does,
so coordinated omission does not hide a stall); --pace keeps the chats' own spacing by beginAt (--speed 60
plays an hour in a minute) and implies --order time unless --order is given.
--order time reads all documents first: their bodies wait in a temporary file and
about 130 bytes each stay in memory.

Retries: network errors, timeouts, 5xx and 429 are retried (--retries, 8 by default)
after an exponential backoff with jitter (0.25 s doubling up to 8 s, each wait between
half and all of that, so the default retries span 16 to 32 s and outlast a receiver
restarting), or after the receiver's Retry-After (seconds or an HTTP date, capped by
--max-wait); other 4xx and 3xx are final. Redirects are not
followed. TLS certificates are verified (--cacert adds a CA, --insecure skips the
check, --cert/--key present a client certificate); HTTPS_PROXY, HTTP_PROXY and
NO_PROXY are honoured.

Rewriting (off by default; key order and every other byte kept): --shift-time moves
every timestamp by the same amount so that the newest document of the run ends now
(or at --shift-to): a chat's beginAt, endAt and messages[].sentAt, a REST webhook's
ISO times (timestamp, created_at and every other *_at, offset and precision kept); a
document with no such time is sent unshifted with a warning naming it. --set
path=value replaces a value or adds a member (missing parents become objects): the
path is member names joined by dots; a number is an array index in an array
(messages.0.content) and a name in an object; [N] is an index only
(messages[0].content); a name in double quotes may hold dots ('visitor."a.b"=x', or
'visitor["a.b"]=x'); the value is JSON when it parses as JSON, else a string.
--redact replaces personal data with stable pseudonyms (as smarthook redact).
Every document is rewritten once before the first request: a --set that meets a
number or string, an index out of range, or a shift that overflows stops the run
(exit 2) naming each document, and nothing is sent. The signature of
--sign-secret-env is computed over the body as sent.

Accounting: --journal FILE starts with a header line (the method, URL and canonical
inputs of the run) and gets one JSON line per finished attempt (time, origin, id,
sha256, status, latency_ms, attempt, error, final), written as the run goes. --resume
with the same journal skips the documents it shows delivered: a document's id hashes
the canonical path of its file (absolute, links resolved: fifty.ndjson,
./fifty.ndjson and a link to it are the same), its member, line and column, and its
bytes; stdin's documents keep ids of their own. A run stopped at any moment (Ctrl-C,
kill -9) continues where it stopped: only requests in flight at the stop may be sent
twice. --resume refuses (exit 2) a journal made for another method or URL, or for
inputs none of which are given (--force resumes anyway); a journal without a header
(older versions) is accepted with a warning. --failed-out FILE gets the documents that
finally failed (and those not sent), as NDJSON that replay reads back; an existing
FILE is replaced only with --force. Neither file is ever written onto an input (by
name, link or glob), nor under a .json/.ndjson/.jsonl name inside an input folder,
whose reading would take it. Ctrl-C stops taking new documents,
waits for the requests in flight (Ctrl-C again aborts them), reports and exits 130.

Stored headers: --with-headers sends each document with the headers its request came
with, as smarthook listen stores them: for a file NAME.json the sidecar NAME.json.meta,
for an NDJSON file FILE the file FILE.meta whose line N describes line N of FILE (a
JSON object with headers and body_sha256, among others). Connection headers,
Content-Length and Host are left out, -H wins over a stored header, and when the body
is rewritten (--set, --shift-time, --redact) the stored signature header is dropped
unless --sign-secret-env signs it again. A line that listen compacted is sent as the
bytes received, which its meta keeps (body_b64), so the stored signature still fits.
A document without meta, or whose body_sha256 does not match its bytes, is sent with
the default headers, named in a warning and counted in the report.

Choosing: --events conversation.closed,conversation.rated sends only the REST webhooks
of those events; --where EXPR sends only the documents for which the jq expression
(the language and helpers of smarthook query) gives neither false nor null, e.g.
--where '.messages | length > 3'. The documents left out are counted in the report
(filtered out), not sent and not failed; a --where that fails on a document says so
and skips it.

A report goes to stderr at the end (--report json: one JSON object on stdout), and a
progress bar while it runs on a terminal. It lists why requests failed, by reason
(connection refused, timeout, TLS certificate not trusted, connection reset, HTTP
status NNN, ...) with counts, one example document each and, for a 4xx or 5xx, the
first 200 bytes of the answer; --show-response prints every answer to stderr.
Exit status: 0 when every document was delivered, 1 when some were not, 2 for usage
errors (bad URL, bad flags, empty secret variable) and unreadable paths, 130 when
interrupted.`

func addReplayFlags(cmd *cobra.Command, opts *ReplayOptions) {
	f := cmd.Flags()
	addInputFlags(f, &opts.Input, "replay", readElements)
	f.StringVarP(&opts.Method, "request", "X", "POST", "HTTP method")
	f.StringArrayVarP(&opts.Headers, "header", "H", nil, "add or replace a header, 'Name: value' (repeatable; 'Name:' removes it)")
	f.IntVarP(&opts.Concurrency, "concurrency", "c", 4, "requests at once")
	f.StringVar(&opts.Rate, "rate", "0", "requests a second, retries included, evenly spaced: `R` (500), a ramp FROM:TO/DURATION (10:500/60s) or steps R1,R2,.../DURATION (10,50,100/10s); 0: no limit")
	f.BoolVar(&opts.Pace, "pace", false, "keep the chats' own spacing by beginAt")
	f.Float64Var(&opts.Speed, "speed", 1, "with --pace, play this many times faster")
	enumFlag(cmd, &opts.Order, "order", "", "stored", []string{"stored", "time"}, "sending order (time: by beginAt)")
	secondsVar(f, &opts.Timeout, "timeout", 10*time.Second, "time limit of each request (5s, 500ms, or bare seconds: 5)")
	f.IntVar(&opts.Retries, "retries", replay.DefaultRetryPolicy.Retries, "retries of a request after a network error, timeout, 5xx or 429 (the default waits 16 to 32 s in all)")
	secondsVar(f, &opts.MaxWait, "max-wait", replay.DefaultRetryPolicy.Max, "longest wait before a retry, Retry-After included (a duration or bare seconds)")
	f.StringVar(&opts.SignEnv, "sign-secret-env", "", "sign each body with the secret in this environment `VARIABLE` (hex HMAC-SHA256, as Smartsupp's REST webhooks)")
	f.StringVar(&opts.SignHeader, "sign-header", replay.DefaultSignHeader, "header that carries the signature")
	f.BoolVar(&opts.Insecure, "insecure", false, "do not verify the server's TLS certificate")
	f.StringVar(&opts.CACert, "cacert", "", "trust the CA certificates in this PEM `FILE` too")
	f.StringVar(&opts.Cert, "cert", "", "client certificate PEM `FILE` (mutual TLS)")
	f.StringVar(&opts.Key, "key", "", "client key PEM `FILE` (when not in --cert)")
	f.BoolVar(&opts.SendInvalid, "send-invalid", false, "send documents that are not JSON too, exactly as stored")
	f.BoolVar(&opts.ShiftTime, "shift-time", false, "move every timestamp (chats, REST webhooks) by the same amount so that the newest document ends now")
	f.StringVar(&opts.ShiftTo, "shift-to", "", "like --shift-time, the newest document ending at this RFC 3339 `TIME`")
	f.StringArrayVar(&opts.Sets, "set", nil, "set a value, `path=value`: a.b, messages.0.content, messages[0], 'a.\"b.c\"' (value JSON if valid JSON, else a string; repeatable)")
	f.BoolVar(&opts.Redact, "redact", false, "replace personal data with stable pseudonyms keyed by --redact-key-env (see smarthook redact)")
	f.StringVar(&opts.RedactEnv, "redact-key-env", defaultKeyEnv, "environment `VARIABLE` holding the secret key of --redact")
	f.StringSliceVar(&opts.RedactFields, "redact-fields", nil, "what --redact replaces, comma-separated (default: the default set; see smarthook redact --list-fields)")
	f.StringArrayVar(&opts.Events, "events", nil, "send only the REST webhooks of these `EVENTS`, comma-separated (conversation.closed,...); others are skipped and counted")
	f.StringVar(&opts.Where, "where", "", "send only the documents for which this jq `EXPR` is truthy (as smarthook query; e.g. '.accountId == 208')")
	f.BoolVar(&opts.WithHeaders, "with-headers", false, "send each document with the headers of its stored request (FILE.meta beside it, as smarthook listen writes; -H wins)")
	f.StringVar(&opts.Journal, "journal", "", "write one JSON line per finished attempt to `FILE`")
	f.BoolVar(&opts.Resume, "resume", false, "skip documents the --journal shows delivered, and append to it (refused for a journal made for another URL or other inputs, unless --force)")
	f.StringVar(&opts.FailedOut, "failed-out", "", "write the documents that finally failed to `FILE`, as NDJSON (written at the end of the run; an existing file needs --force)")
	f.BoolVar(&opts.Force, "force", false, "replace an existing --failed-out; resume a --journal made for another URL or other inputs")
	f.BoolVar(&opts.ShowResponse, "show-response", false, "print every answer (status or error, latency, first 200 bytes of the body) to stderr")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print what would be sent and send nothing")
	enumFlag(cmd, &opts.Report, "report", "", "text", []string{"text", "json"}, "final report (text: a table on stderr; json: one object on stdout)")
}

// catchSecondInterrupt makes a second Ctrl-C (or SIGTERM) abort the requests in
// flight; the first one cancels the command's context (see Main).
func (o *ReplayOptions) catchSecondInterrupt() (stop func()) {
	o.abort = make(chan struct{})
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for n := 1; ; n++ {
			select {
			case <-sigs:
			case <-done:
				return
			}
			if n == 1 {
				fmt.Fprintln(o.IO.Err, "\nsmarthook: interrupted: waiting for the requests in flight (Ctrl-C again aborts them)")
				continue
			}
			close(o.abort)
			return
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

func runReplay(ctx context.Context, opts *ReplayOptions) error {
	ro, err := opts.replayOptions()
	if err != nil {
		return err
	}
	problems := newProblemReporter(opts.IO)
	ro.Problems = func(rec input.Record, errs []rules.Finding) { problems.check(rec, errs) }
	ro.Notice = func(origin, msg string) { fmt.Fprintf(opts.IO.Err, "smarthook: warning: %s: %s\n", origin, msg) }
	files, err := opts.openFiles(&ro)
	if err != nil {
		return err
	}
	rep, runErr := replay.Run(ctx, ro)
	if err := files.close(); err != nil && runErr == nil {
		runErr = err
	}
	var refused *replay.RefusedError
	if errors.As(runErr, &refused) {
		return &exitError{Code: ExitUsage, Err: runErr}
	}
	if err := opts.printReport(rep); err != nil && runErr == nil {
		runErr = err
	}
	switch {
	case runErr != nil && errors.Is(runErr, context.Canceled):
		return runErr
	case runErr != nil:
		return &exitError{Code: ExitProblems, Err: runErr}
	case problems.unreadable > 0:
		return errUnreadable
	case !rep.OK():
		notDelivered(opts, rep)
		return errProblems
	}
	return nil
}

// notDelivered says how many documents were not delivered and where they are.
func notDelivered(opts *ReplayOptions, rep *replay.Report) {
	n := rep.Failed + rep.Invalid
	switch {
	case n == 0:
	case opts.FailedOut != "":
		fmt.Fprintf(opts.IO.Err, "smarthook: %d document(s) not delivered: they are in %s\n", n, opts.FailedOut)
	default:
		fmt.Fprintf(opts.IO.Err, "smarthook: %d document(s) not delivered (--failed-out FILE keeps them for another run)\n", n)
	}
}

func (o *ReplayOptions) printReport(rep *replay.Report) error {
	if o.Report == "json" {
		return rep.WriteJSON(o.IO.Out)
	}
	return rep.WriteTable(o.IO.Err)
}
