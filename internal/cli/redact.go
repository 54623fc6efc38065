package cli

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/smarthook/smarthook/internal/atomicfile"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/redact"
	"github.com/smarthook/smarthook/internal/rules"
	"github.com/spf13/cobra"
)

// defaultKeyEnv holds the redaction key unless --key-env names another variable.
const defaultKeyEnv = "SMARTHOOK_REDACT_KEY"

// RedactOptions are the flags and streams of `smarthook redact`.
type RedactOptions struct {
	IO         IO
	Paths      []string
	Fields     []string
	KeyEnv     string
	RandomKey  bool
	OutDir     string
	ListFields bool
}

// NewCmdRedact builds `smarthook redact`.
func NewCmdRedact(streams IO) *cobra.Command {
	opts := &RedactOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "redact [flags] [PATH|-]...",
		Short: "Replace personal data with stable pseudonyms, keeping everything else byte for byte",
		Long: `Write cleaned copies of payloads: the visitor's name, e-mail, IP address, note, user
agent, variables and message texts (the contact's in REST webhooks) become pseudonyms;
every other byte stays (key order, numbers, white space). --list-fields shows the fields.

A pseudonym is an HMAC-SHA256 of the value under a secret key: the same key gives the
same pseudonym in every document and run (one visitor's chats still group together),
and without the key nobody can guess the value back. The key comes from the variable
SMARTHOOK_REDACT_KEY (or the one --key-env names), never from the command line; without
it redact refuses, unless --random-key makes a one-off key. Pseudonyms keep the shape:
visitor-3f9a1c0b2d@example.invalid, Visitor 3f9a1c0b2d, 192.0.2.17, 2001:db8:...,
[redacted 42 chars 3f9a1c0b2d], numbers of as many digits; null and "" stay.

Output is NDJSON on stdout, or with --out DIR a copy of each input file at its relative
path under DIR (a leading / or ../ dropped), archive members as DIR/<archive>/<member>,
stdin as DIR/stdin.ndjson; files appear complete (temporary file, then rename) and never
replace an existing one. Documents that are not JSON are reported and skipped (exit 1).`,
		Example: `  export SMARTHOOK_REDACT_KEY=$(openssl rand -hex 32)   # keep it to get the same pseudonyms again
  smarthook redact hooks/ > clean.ndjson
  smarthook redact --out clean/ hooks/ archive.tar.gz
  smarthook redact --fields default,paths,messages.agent chats.ndjson
  smarthook redact --random-key --fields visitor.email chat.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			return runRedact(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Fields, "fields", nil, "what to redact, comma-separated (default: the default set; also \"default\" and \"all\"; see --list-fields)")
	f.StringVar(&opts.KeyEnv, "key-env", defaultKeyEnv, "environment variable holding the secret key")
	f.BoolVar(&opts.RandomKey, "random-key", false, "use a random key: pseudonyms then match no other run")
	f.StringVar(&opts.OutDir, "out", "", "write a copy of each input file under DIR instead of NDJSON to stdout")
	f.BoolVar(&opts.ListFields, "list-fields", false, "list the fields with what each covers, and exit")
	addInputFlags(f, &opts.IO.Input, "redact", readElements)
	return cmd
}

func runRedact(ctx context.Context, opts *RedactOptions) error {
	if opts.ListFields {
		return listRedactFields(opts.IO.Out)
	}
	if err := needInput(opts.IO, opts.Paths, "redact"); err != nil {
		return err
	}
	r, err := newRedactor(opts)
	if err != nil {
		return err
	}
	var sink redactSink = &streamSink{w: bufio.NewWriterSize(opts.IO.Out, 256<<10)}
	if opts.OutDir != "" {
		if err := checkOutDir(opts.OutDir, opts.Paths); err != nil {
			return err
		}
		sink = &dirSink{root: opts.OutDir}
	}
	problems := newProblemReporter(opts.IO)
	lines := opts.OutDir == ""
	newWork := func() func(*input.Batch) redactedBatch {
		var dec payload.Decoder
		var scratch []byte
		return func(b *input.Batch) redactedBatch { return redactBatch(r, &dec, &scratch, b, lines) }
	}
	docs := 0
	emit := func(b *input.Batch, rb redactedBatch) error {
		defer outBufPool.Put(rb.out)
		start := 0
		for i, rec := range b.Records {
			end := rb.ends[i]
			doc := (*rb.out)[start:end]
			start = end
			if fs, bad := rb.problems[i]; bad || rec.Err != nil {
				problems.check(rec, fs) // read and syntax errors only: any JSON is redacted
				continue
			}
			if err := sink.write(rec, doc); err != nil {
				return err
			}
			docs++
		}
		return nil
	}
	runErr := input.Run(ctx, opts.Paths, opts.IO.readOptions(), newWork, emit)
	if err := sink.close(runErr == nil); err != nil && runErr == nil {
		runErr = err
	}
	fmt.Fprintf(opts.IO.Err, "smarthook redact: %s redacted%s\n", plural(docs, "document"), sink.summary())
	if line := problems.summaryLine(); line != "" {
		fmt.Fprintln(opts.IO.Err, "smarthook redact: "+line)
	}
	if runErr != nil {
		return runErr
	}
	return problems.err()
}

// newRedactor reads the key and the fields.
func newRedactor(opts *RedactOptions) (*redact.Redactor, error) {
	fields, err := expandFields(opts.Fields)
	if err != nil {
		return nil, err
	}
	key, err := redactKey(opts)
	if err != nil {
		return nil, err
	}
	r, err := redact.New(redact.Options{Key: key, Fields: fields})
	if err != nil {
		return nil, &exitError{Code: ExitUsage, Err: err}
	}
	return r, nil
}

// expandFields checks --fields, turning "default" and "all" into their fields.
func expandFields(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		switch n = strings.TrimSpace(n); {
		case n == "default":
			out = append(out, redact.DefaultFields()...)
		case n == "all":
			out = append(out, redact.AllFields()...)
		case redact.Describe(n) != "":
			out = append(out, n)
		default:
			return nil, usageErrorf("unknown --fields name %q: use default, all or one of %s (see --list-fields)", n, strings.Join(redact.AllFields(), ", "))
		}
	}
	return out, nil
}

// redactKey reads the key from the environment, or makes a random one.
func redactKey(opts *RedactOptions) ([]byte, error) {
	if opts.RandomKey {
		key := make([]byte, 32)
		rand.Read(key)
		fmt.Fprintln(opts.IO.Err, "smarthook redact: using a random key: its pseudonyms match no other run (set "+defaultKeyEnv+" for stable ones)")
		return key, nil
	}
	if opts.KeyEnv == "" {
		return nil, usageErrorf("--key-env needs the name of an environment variable")
	}
	key := ""
	if opts.IO.Getenv != nil {
		key = opts.IO.Getenv(opts.KeyEnv)
	}
	if key == "" {
		return nil, usageErrorf("no redaction key: set %s to a secret and keep it, e.g. `export %s=$(openssl rand -hex 32)`, or use --random-key for one-off pseudonyms", opts.KeyEnv, opts.KeyEnv)
	}
	if len(key) < 16 {
		fmt.Fprintf(opts.IO.Err, "smarthook redact: warning: %s holds only %d bytes; a short key can be guessed (use 32 random bytes)\n", opts.KeyEnv, len(key))
	}
	return []byte(key), nil
}

func listRedactFields(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, name := range redact.AllFields() {
		mark := map[bool]string{true: "*", false: " "}[redact.IsDefault(name)]
		fmt.Fprintf(bw, "%s %-20s %s\n", mark, name, redact.Describe(name))
	}
	fmt.Fprintln(bw, "\n* in the default set (--fields default); --fields all takes every field")
	return bw.Flush()
}

// redactedBatch is one batch's output: the documents one after another, where each
// ends, and the syntax errors of those that are not JSON.
type redactedBatch struct {
	out      *[]byte
	ends     []int
	problems map[int][]rules.Finding
}

// redactBatch redacts a batch's documents (runs on a worker). A whole .json file is
// written as it was, otherwise each document becomes one line.
func redactBatch(r *redact.Redactor, dec *payload.Decoder, scratch *[]byte, b *input.Batch, lines bool) redactedBatch {
	rb := redactedBatch{out: outBufPool.Get().(*[]byte), ends: make([]int, len(b.Records))}
	out := (*rb.out)[:0]
	for i, rec := range b.Records {
		if rec.Err == nil {
			var err error
			if lines || !wholeFile(rec.Origin) {
				if *scratch, err = r.Apply((*scratch)[:0], rec.Raw); err == nil {
					out = append(jsontext.AppendCompact(out, bytes.TrimPrefix(*scratch, []byte("\uFEFF"))), '\n')
				}
			} else {
				out, err = r.Apply(out, rec.Raw)
			}
			if err != nil {
				if rb.problems == nil {
					rb.problems = make(map[int][]rules.Finding)
				}
				// Only a document that is not JSON fails: the decoder says where.
				_, fs := dec.Decode(rec.Raw)
				if rb.problems[i] = errorFindings(fs); len(rb.problems[i]) == 0 {
					rb.problems[i] = []rules.Finding{rules.New(rules.Syntax, 0, "", "%v", err)}
				}
			}
		}
		rb.ends[i] = len(out)
	}
	*rb.out = out
	return rb
}

// wholeFile reports an origin that is a file of exactly one document (.json, .json.gz).
func wholeFile(o input.Origin) bool {
	name := strings.ToLower(o.Path + "/" + o.Member)
	return strings.HasSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "/"), ".gz"), ".json")
}

// checkOutDir refuses an --out folder inside a folder being read: the walk would read
// what the run writes.
func checkOutDir(out string, paths []string) error {
	outAbs := resolvedPath(out)
	for _, p := range paths {
		if info, err := os.Stat(p); err != nil || !info.IsDir() {
			continue
		}
		if rel, err := filepath.Rel(resolvedPath(p), outAbs); err == nil && (rel == "." || filepath.IsLocal(rel)) {
			return usageErrorf("--out %s is inside the input folder %s: choose a folder outside it", out, p)
		}
	}
	return nil
}

// resolvedPath is p absolute, links resolved (those of its folder when p is not there).
func resolvedPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	if real, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(real, filepath.Base(abs))
	}
	return abs
}

// mirrorName is where --out puts the documents of an origin, relative to DIR.
func mirrorName(o input.Origin) (string, error) {
	if o.Path == "-" {
		return "stdin.ndjson", nil
	}
	name := o.Path
	if filepath.IsAbs(name) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, name); err == nil && filepath.IsLocal(rel) {
				name = rel
			}
		}
	}
	name = localName(name)
	if o.Member != "" {
		name = filepath.Join(name, localName(o.Member))
	}
	if !filepath.IsLocal(name) {
		return "", fmt.Errorf("%s: cannot make a file name under --out from it", o.Name())
	}
	return name, nil
}

// localName drops a name's root and leading .. elements, as tar does: archive members
// cannot write outside DIR.
func localName(name string) string {
	slashed := filepath.ToSlash(strings.TrimPrefix(name, filepath.VolumeName(name)))
	return filepath.FromSlash(strings.TrimPrefix(path.Clean("/"+slashed), "/"))
}

// redactSink is where redacted documents go.
type redactSink interface {
	write(rec input.Record, doc []byte) error
	close(ok bool) error
	summary() string
}

// streamSink writes NDJSON to stdout.
type streamSink struct{ w *bufio.Writer }

func (s *streamSink) write(_ input.Record, doc []byte) error { _, err := s.w.Write(doc); return err }
func (s *streamSink) close(bool) error                       { return s.w.Flush() }
func (s *streamSink) summary() string                        { return "" }

// dirSink writes each input file's documents to its mirror under root, one file at a
// time (the records of a file come one after another).
type dirSink struct {
	root  string
	key   string // path and member of the file being written
	file  *atomicfile.File
	gz    *gzip.Writer // on file, for names ending in .gz
	w     io.Writer    // file or gz
	array bool         // the file is a top-level array being written element by element
	docs  int          // documents written to the file
	last  []byte       // the last byte written
	files int
}

func (d *dirSink) write(rec input.Record, doc []byte) error {
	o := rec.Origin
	if key := o.Path + "\x00" + o.Member; d.file == nil || key != d.key {
		if err := d.commit(); err != nil {
			return err
		}
		name, err := mirrorName(o)
		if err != nil {
			return err
		}
		name = filepath.Join(d.root, name)
		if d.file, err = atomicfile.Create(name); err != nil {
			return outErr(name, err)
		}
		d.key, d.gz, d.w = key, nil, d.file
		if strings.HasSuffix(strings.ToLower(name), ".gz") {
			d.gz = gzip.NewWriter(d.file)
			d.w = d.gz
		}
	}
	sep := ""
	switch {
	case rec.Element > 0 && !d.array:
		sep, d.array = "[\n", true // a top-level array read element by element stays an array
	case rec.Element > 0:
		sep = ",\n"
	case d.docs > 0 && !bytes.HasSuffix(d.last, []byte("\n")):
		sep = "\n" // a .json of several documents: one a line, as they were
	}
	if _, err := io.WriteString(d.w, sep); err != nil {
		return err
	}
	d.docs++
	d.last = append(d.last[:0], doc[max(len(doc)-1, 0):]...)
	_, err := d.w.Write(doc)
	return err
}

func outErr(name string, err error) error {
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists: refusing to overwrite it (choose another --out folder)", name)
	}
	return fmt.Errorf("write %s: %w", name, unwrapPath(err))
}

// commit makes the file being written final.
func (d *dirSink) commit() error {
	f := d.file
	if f == nil {
		return nil
	}
	end := ""
	switch {
	case d.array:
		end = "\n]\n"
	case d.docs > 1 && !bytes.HasSuffix(d.last, []byte("\n")):
		end = "\n"
	}
	d.file, d.docs, d.array = nil, 0, false
	if _, err := io.WriteString(d.w, end); err != nil {
		f.Abort()
		return outErr(f.Name(), err)
	}
	if d.gz != nil {
		if err := d.gz.Close(); err != nil {
			f.Abort()
			return outErr(f.Name(), err)
		}
	}
	if err := f.Commit(); err != nil {
		return outErr(f.Name(), err)
	}
	d.files++
	return nil
}

// close makes the last file final, or drops it when the run failed or was interrupted.
func (d *dirSink) close(ok bool) error {
	if !ok && d.file != nil {
		d.file.Abort()
		d.file = nil
	}
	return d.commit()
}

func (d *dirSink) summary() string {
	return fmt.Sprintf(" into %s (%s)", d.root, plural(d.files, "file"))
}
