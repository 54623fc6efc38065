package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/smarthook/smarthook/internal/listen"
	"github.com/smarthook/smarthook/internal/objstore"
	"github.com/spf13/cobra"
)

// ListenOptions are the flags and streams of `smarthook listen`.
type ListenOptions struct {
	IO             IO
	Addr           string
	Path           string
	View           string
	Dir            string
	S3Endpoint     string
	NDJSON         string
	Meta           string
	KeepBad        bool
	SecretEnv      string
	MaxBody        string
	MaxInflight    string
	MaxConns       int
	Forward        string
	Outbox         string
	ForwardSecret  string
	ForwardMaxAge  time.Duration
	ForwardJournal string
	Insecure       bool
	ForwardTimeout time.Duration
	TZ             string
	UI             bool
	UIAddr         string
	UITokenEnv     string
}

// NewCmdListen builds `smarthook listen`.
func NewCmdListen(streams IO) *cobra.Command {
	opts := &ListenOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "listen [flags]",
		Short: "Receive Smartsupp hooks locally: validate, show, store and forward each one",
		Long: `Run a local HTTP receiver for Smartsupp's POST hook and REST webhooks. Each POST body is
validated, shown on stdout (--view summary: one line per hook; json: one object per hook
with receive time, headers, findings and body; none), and stored byte for byte: --dir
DIR keeps one file per document as DIR/YYYY/MM/DD/<accountId>-<channel.id>-<time>.json
with its request headers and receive time in NAME.json.meta; --ndjson FILE appends one
line per document, its metadata as the same line of FILE.meta (--meta); a body that is
not one line is compacted onto its line, and its meta line keeps the bytes received
(body_b64), so verify and replay --with-headers still use them. A hook is
answered 204 once it is on disk (synced), so a sender that got 204 never loses it; a
write that fails (disk full) is rolled back and answered 507 or 503. --dir
s3://bucket/prefix/ stores the same names as objects, each one PUT that appears whole
(answered 204 once the storage has it, 503 with Retry-After when it fails); the
--forward outbox then stays on this machine (--outbox, default a state folder).

With --secret-env VAR, the X-Smartsupp-Hmac header must be the hex HMAC-SHA256 of the
body keyed with the secret in VAR; others get 401 and are not stored. Bodies over
--max-body get 413 (after reading and discarding a bounded part, so clients that send
first and read later see it), bodies that are not JSON 400 (kept under DIR/rejected/
with --keep-bad), other methods 405; GET /healthz answers 200 "ok". Bodies in memory
stay under --max-inflight, connections under --max-conns.

--forward URL passes each accepted hook on through an outbox on disk (DIR/.outbox,
FILE.outbox, or --outbox): it is answered 204 only once queued there, retried with
growing waits (and Retry-After) until --forward-max-age, in order per chat, and sent by
the next start if listen stops first. --forward-journal FILE records each attempt.

--ui serves an inspector page at /_/ on the same address: the hooks live, newest first,
with filters; one hook as a transcript, as JSON with its findings marked, with its
headers, signature check and forward attempts; resend, copy as curl, download, compare
two. It lists what --dir or --ndjson already hold. It answers only on loopback, unless
--ui-addr serves it elsewhere, where every request needs the token from --ui-token-env
(or the one made up and printed).

Ctrl-C stops accepting, lets the requests in hand finish, prints the counts on stderr
and exits with status 130.`,
		Example: `  smarthook listen --dir hooks/
  smarthook listen --dir s3://smartsupp-hooks/raw/ --s3-endpoint http://127.0.0.1:9000
  smarthook listen --addr 127.0.0.1:9000 --path /smartsupp --ndjson hooks.ndjson --view json
  smarthook listen --dir hooks/ --ui       # then open http://127.0.0.1:8080/_/
  SMARTSUPP_SECRET=... smarthook listen --secret-env SMARTSUPP_SECRET --dir hooks/ --forward https://crm.example.com/hook`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runListen(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free one)")
	f.StringVar(&opts.Path, "path", "/", "URL path that takes the hooks")
	enumFlag(cmd, &opts.View, "view", "", "summary", []string{"summary", "json", "none"}, "what stdout shows per hook")
	f.StringVar(&opts.Dir, "dir", "", "store each hook as a file under DIR/YYYY/MM/DD/, with its headers in NAME.json.meta (DIR may be s3://bucket/prefix/)")
	f.StringVar(&opts.S3Endpoint, "s3-endpoint", "", "address of the S3-compatible storage of --dir s3:// (MinIO, R2, Ceph, GCS; default AWS_ENDPOINT_URL, else AWS)")
	f.StringVar(&opts.NDJSON, "ndjson", "", "append each hook to FILE, one line each, with its headers in FILE.meta")
	f.StringVar(&opts.Meta, "meta", "", "with --ndjson, where the headers and receive times go (default FILE.meta)")
	f.BoolVar(&opts.KeepBad, "keep-bad", false, "keep bodies that are not JSON under DIR/rejected/ (needs --dir)")
	f.StringVar(&opts.SecretEnv, "secret-env", "", "verify X-Smartsupp-Hmac with the secret in this environment variable")
	f.StringVar(&opts.MaxBody, "max-body", "1MiB", "largest body taken (bytes, or with KiB, MiB)")
	f.StringVar(&opts.MaxInflight, "max-inflight", "64MiB", "bytes of bodies held in memory across all connections")
	f.IntVar(&opts.MaxConns, "max-conns", 1024, "connections served at once (more wait to be accepted)")
	f.StringVar(&opts.Forward, "forward", "", "pass each accepted hook on to this URL, through an outbox on disk")
	f.StringVar(&opts.Outbox, "outbox", "", "folder of hooks still to forward (default DIR/.outbox, FILE.outbox, or a state folder)")
	f.StringVar(&opts.ForwardSecret, "forward-secret-env", "", "sign forwarded hooks again with the secret in this environment variable")
	f.DurationVar(&opts.ForwardMaxAge, "forward-max-age", 24*time.Hour, "retry a hook that the target refuses until it is this old")
	f.StringVar(&opts.ForwardJournal, "forward-journal", "", "append one NDJSON line per forward attempt to FILE")
	f.BoolVar(&opts.Insecure, "insecure", false, "with --forward, do not verify the target's TLS certificate")
	f.DurationVar(&opts.ForwardTimeout, "forward-timeout", 10*time.Second, "time limit of each forwarded request")
	tzFlag(cmd, &opts.TZ, "local", "time zone of the summary view")
	f.BoolVar(&opts.UI, "ui", false, "serve the inspector page at /_/ on the same address")
	f.StringVar(&opts.UIAddr, "ui-addr", "", "serve the inspector on this address instead (implies --ui; away from loopback it needs its token)")
	f.StringVar(&opts.UITokenEnv, "ui-token-env", defaultUITokenEnv, "read the inspector's token from this environment variable (made up when unset)")
	return cmd
}

func runListen(ctx context.Context, opts *ListenOptions) error {
	lo, err := opts.serverOptions()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return usageErrorf("listen on %s: %v", opts.Addr, err)
	}
	var inspectorNote string
	if opts.UI || opts.UIAddr != "" {
		if opts.UIAddr == "" && strings.HasPrefix(lo.Path+"/", listen.UIPrefix) {
			ln.Close()
			return usageErrorf("--ui serves the inspector at %s: choose another --path for the hooks", listen.UIPrefix)
		}
		note, stop, err := startInspector(ctx, opts, &lo, ln)
		if err != nil {
			ln.Close()
			return err
		}
		defer stop()
		inspectorNote = note
	}
	srv, err := listen.New(lo)
	if err != nil {
		ln.Close()
		return &exitError{Code: ExitUsage, Err: err}
	}
	// Said once the start-up sweep is done: what a reader of this line sees is final.
	fmt.Fprintf(opts.IO.Err, "listening on http://%s%s\n%s", ln.Addr(), lo.Path, inspectorNote)
	if os.Getenv("GOMEMLIMIT") == "" {
		// Bodies are bounded by --max-inflight, but the buffers they outgrew are garbage
		// until the next collection: a soft limit makes it come before they pile up.
		debug.SetMemoryLimit(max(lo.MaxInflight, 64<<20)*2 + 64<<20)
	}
	if lo.Secret == nil && !isLoopback(ln.Addr()) {
		fmt.Fprintln(opts.IO.Err, "smarthook listen: warning: reachable from other hosts and no --secret-env: anyone who reaches it can post hooks")
	}
	serveErr := srv.Serve(ctx, ln)
	printListenStats(opts.IO.Err, srv.Stats(), lo)
	if serveErr != nil {
		return serveErr
	}
	return ctx.Err()
}

// serverOptions checks the flags and turns them into the server's options.
func (o *ListenOptions) serverOptions() (listen.Options, error) {
	lo := listen.Options{
		Path: o.Path, View: o.View, Dir: o.Dir, S3Endpoint: o.S3Endpoint, NDJSON: o.NDJSON, KeepBad: o.KeepBad,
		Meta: o.Meta, MaxConns: o.MaxConns, Forward: o.Forward, Outbox: o.Outbox,
		ForwardMaxAge: o.ForwardMaxAge, ForwardJournal: o.ForwardJournal, UserAgent: UserAgent(),
		Insecure: o.Insecure, ForwardTimeout: o.ForwardTimeout, Out: o.IO.Out, Err: o.IO.Err,
	}
	if !strings.HasPrefix(o.Path, "/") {
		return lo, usageErrorf("--path must start with /, got %q", o.Path)
	}
	max, err := parseSize(o.MaxBody)
	if err != nil {
		return lo, usageErrorf("--max-body %q: %v", o.MaxBody, err)
	}
	lo.MaxBody = max
	if o.MaxInflight != "" { // empty: the default
		if lo.MaxInflight, err = parseSize(o.MaxInflight); err != nil {
			return lo, usageErrorf("--max-inflight %q: %v", o.MaxInflight, err)
		}
	}
	if o.MaxConns < 0 {
		return lo, usageErrorf("--max-conns must be at least 1, got %d", o.MaxConns)
	}
	if o.Meta != "" && o.NDJSON == "" {
		return lo, usageErrorf("--meta goes with --ndjson (with --dir each hook gets NAME.json.meta)")
	}
	if lo.TZ, err = loadLocation(o.TZ); err != nil {
		return lo, err
	}
	if lo.Secret, err = secretFromEnv(o.IO, "--secret-env", o.SecretEnv); err != nil {
		return lo, err
	}
	if lo.ForwardSecret, err = secretFromEnv(o.IO, "--forward-secret-env", o.ForwardSecret); err != nil {
		return lo, err
	}
	if o.Forward == "" && (o.Outbox != "" || o.ForwardSecret != "" || o.ForwardJournal != "") {
		return lo, usageErrorf("--outbox, --forward-secret-env and --forward-journal go with --forward")
	}
	if o.Forward != "" && o.Outbox == "" && (o.Dir == "" || objstore.Is(o.Dir)) && o.NDJSON == "" {
		if lo.Outbox, err = defaultOutbox(); err != nil {
			return lo, usageErrorf("--forward needs --outbox DIR: %v", err)
		}
		fmt.Fprintf(o.IO.Err, "smarthook listen: hooks to forward wait in %s (choose with --outbox)\n", lo.Outbox)
	}
	if o.S3Endpoint != "" && !objstore.Is(o.Dir) {
		return lo, usageErrorf("--s3-endpoint goes with --dir s3://bucket/prefix/")
	}
	if o.Dir != "" && !objstore.Is(o.Dir) {
		if err := os.MkdirAll(o.Dir, 0o755); err != nil {
			return lo, usageErrorf("--dir %s: %v", o.Dir, unwrapPath(err))
		}
	}
	return lo, nil
}

// secretFromEnv reads the secret in the variable a --*secret-env flag names; nil
// when the flag is unset.
func secretFromEnv(streams IO, flag, name string) ([]byte, error) {
	if name == "" {
		return nil, nil
	}
	secret := ""
	if streams.Getenv != nil {
		secret = streams.Getenv(name)
	}
	if secret == "" {
		return nil, usageErrorf("%s %s: the variable is not set or empty", flag, name)
	}
	return []byte(secret), nil
}

// defaultOutbox is the outbox when nothing is stored: a folder in the user's state
// folder ($XDG_STATE_HOME, else ~/.local/state), so that it survives restarts.
func defaultOutbox() (string, error) {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "smarthook", "outbox"), nil
}

// parseSize reads 1048576, 512KiB, 1MiB (also KB, MB, K, M as binary units).
func parseSize(s string) (int64, error) {
	num := strings.TrimRight(s, "KMGiBkmgb ")
	unit := strings.ToUpper(strings.TrimSpace(s[len(num):]))
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("want a positive size like 1048576, 512KiB or 1MiB")
	}
	mult := map[string]int64{"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20, "G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30}
	m, ok := mult[unit]
	if !ok || n > (1<<62)/m {
		return 0, fmt.Errorf("unknown unit %q: use KiB, MiB or GiB", unit)
	}
	return n * m, nil
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// printListenStats draws what the run did as a table on w.
func printListenStats(w io.Writer, st listen.Stats, lo listen.Options) {
	rows := [][]string{{"received", strconv.FormatInt(st.Received, 10)}, {"accepted", strconv.FormatInt(st.Accepted, 10)}}
	if lo.Dir != "" {
		what := "stored as files"
		if objstore.Is(lo.Dir) {
			what = "stored as objects"
		}
		rows = append(rows, []string{what, strconv.FormatInt(st.Files, 10)})
	}
	if lo.NDJSON != "" {
		rows = append(rows, []string{"appended to " + lo.NDJSON, strconv.FormatInt(st.Lines, 10)})
	}
	for _, r := range listen.Reasons {
		if n := st.Rejected[r]; n > 0 {
			rows = append(rows, []string{"rejected: " + r, strconv.FormatInt(n, 10)})
		}
	}
	if lo.KeepBad {
		rows = append(rows, []string{"kept under rejected/", strconv.FormatInt(st.Kept, 10)})
	}
	if lo.Forward != "" {
		rows = append(rows, []string{"forwarded", strconv.FormatInt(st.ForwardOK, 10)},
			[]string{"forward retries", strconv.FormatInt(st.ForwardRetries, 10)},
			[]string{"forward given up", strconv.FormatInt(st.ForwardGivenUp, 10)},
			[]string{"waiting in the outbox", strconv.FormatInt(st.ForwardPending, 10)})
	}
	t := tablewriter.NewWriter(w)
	t.Header("hooks", "count")
	if err := t.Bulk(rows); err == nil {
		_ = t.Render()
	} else {
		fmt.Fprintln(w, err)
	}
}
