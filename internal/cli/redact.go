package cli

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/redact"
	"github.com/spf13/cobra"
)

// defaultKeyEnv holds the redaction key unless --key-env names another variable.
const defaultKeyEnv = "SMARTHOOK_REDACT_KEY"

// RedactOptions are the flags and streams of `smarthook redact`.
type RedactOptions struct {
	IO         IO
	Paths      []string
	Input      input.Options // how to read Paths; Stdin is set from IO at run time
	Fields     []string
	KeyEnv     string
	RandomKey  bool
	OutDir     string
	ListFields bool
	Check      bool     // scan PATHs (redacted output) for what looks personal
	Against    []string // with Check: the original input, whose values must not survive
	Progress   bool     // --progress: progress and the closing summary on a pipe too
}

// NewCmdRedact builds `smarthook redact`. runF, when not nil, gets the parsed options
// instead of running the command (for tests of the flags).
func NewCmdRedact(streams IO, runF func(*RedactOptions) error) *cobra.Command {
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
replace an existing one, nor write through a symbolic link inside DIR; archive members
of the same name get a suffix (name~2.json) and are reported. Documents that are not
JSON are reported and skipped (exit 1).

On a terminal (or with --progress) stderr shows the documents and bytes read, the rate
and, when the input's size is known, the time left; the run ends with one line: the
documents written and where, the values replaced of each kind (names, e-mail
addresses, phone numbers, IP addresses, texts, other values) and the documents
skipped. On a pipe nothing of this is written without --progress.

Values are redacted wherever they stand, not only in their own member: the visitor's
name in system messages, greetings, rating comments and variables, each of its words
alone too and in any form (case, diacritics, Czech and Slovak declension: "Petra
Svobody", "paní Svobodová", "Petře"; Mueller for Müller), the city in text ("jsem z
Brna"); the e-mail, phone, IP address and visitor key; and any e-mail address, phone
number or IP address found in other text. An agent's full name stays.

--check proves a clean result: it reads PATHs (redacted output, no key needed) and
lists every string that still holds an e-mail address, a phone number or an IP address
(pseudonyms excepted) and, with --against ORIGINAL, any name (in any of its forms),
e-mail, phone, IP or visitor key of the original input; it exits 1 when anything
survives.`,
		Example: `  export SMARTHOOK_REDACT_KEY=$(openssl rand -hex 32)   # keep it to get the same pseudonyms again
  smarthook redact hooks/ > clean.ndjson
  smarthook redact --out clean/ hooks/ archive.tar.gz
  smarthook redact --fields default,paths,messages.agent chats.ndjson
  smarthook redact --random-key --fields visitor.email chat.json
  smarthook redact --check --against hooks/ clean.ndjson`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if runF != nil {
				return runF(opts)
			}
			return runRedact(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Fields, "fields", nil, "what to redact, comma-separated (default: the default set; also \"default\" and \"all\"; see --list-fields)")
	f.StringVar(&opts.KeyEnv, "key-env", defaultKeyEnv, "environment variable holding the secret key")
	f.BoolVar(&opts.RandomKey, "random-key", false, "use a random key: pseudonyms then match no other run")
	f.StringVar(&opts.OutDir, "out", "", "write a copy of each input file under DIR instead of NDJSON to stdout")
	f.BoolVar(&opts.ListFields, "list-fields", false, "list the fields with what each covers, and exit")
	f.BoolVar(&opts.Check, "check", false, "check PATHs (redacted output) for values that look personal; exit 1 when any survive")
	f.StringSliceVar(&opts.Against, "against", nil, "with --check: the original input; none of its personal values may survive (repeatable)")
	progressFlag(cmd, &opts.Progress)
	addInputFlags(cmd.Flags(), &opts.Input, "redact", readElements)
	return cmd
}

func runRedact(ctx context.Context, opts *RedactOptions) error {
	if opts.ListFields {
		return redact.ListFields(opts.IO.Out)
	}
	if err := needInput(opts.IO, opts.Paths, "redact"); err != nil {
		return err
	}
	opts.Input.Stdin = opts.IO.In
	if len(opts.Against) > 0 && !opts.Check {
		return usageErrorf("--against needs --check")
	}
	if opts.Check {
		if opts.OutDir != "" {
			return usageErrorf("--check reads redacted output and writes none: drop --out")
		}
		return redact.Check(ctx, redact.CheckOptions{Paths: opts.Paths, Against: opts.Against, Input: opts.Input, Out: opts.IO.Out, Err: opts.IO.Err})
	}
	r, err := newRedactor(opts)
	if err != nil {
		return err
	}
	opts.Input = readOptions(opts.Input, opts.IO)
	return redact.Run(ctx, redact.RunOptions{
		Paths: opts.Paths, Input: opts.Input, Redactor: r, OutDir: opts.OutDir,
		Out: opts.IO.Out, Err: opts.IO.Err, ErrColor: stderrColor(opts.IO),
		Progress: showProgress(opts.IO, opts.Progress),
	})
}

// newRedactor reads the key and the fields.
func newRedactor(opts *RedactOptions) (*redact.Redactor, error) {
	fields, err := redact.ExpandFields(opts.Fields)
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

// expandFields is redact.ExpandFields, for replay --redact-fields.
func expandFields(names []string) ([]string, error) { return redact.ExpandFields(names) }
