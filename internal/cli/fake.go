package cli

import (
	"context"

	"github.com/smarthook/smarthook/internal/fake"
	"github.com/spf13/cobra"
)

// FakeOptions are the flags and streams of `smarthook fake`.
type FakeOptions struct {
	IO     IO
	Count  int
	Seed   int64
	Kind   string
	OutDir string
	Pretty bool
	Start  string // --start DATE: YYYY-MM-DD or RFC 3339
	Days   int    // --days N: spread the chats over N days from --start
	Shape  string // --webhook-shape: documented or nested
	// Progress is --progress: progress and the closing summary on a pipe too.
	Progress bool
}

// NewCmdFake builds `smarthook fake`. runF, when not nil, gets the parsed options
// instead of running the command (for tests of the flags).
func NewCmdFake(streams IO, runF func(*FakeOptions) error) *cobra.Command {
	opts := &FakeOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "fake [flags]",
		Short: "Generate realistic synthetic payloads (the same seed gives the same bytes)",
		Long: `Generate synthetic Smartsupp payloads: POST hooks with missed and offline chats,
triggers, ratings, Unicode text and visitor variables; REST webhooks; stats reports.

Output is NDJSON on stdout, generated on every core and written in order: the same
--seed gives the same bytes whatever the machine. With --out DIR each document is a
file DIR/YYYY/MM/DD/<key>.json (the key is account-chat for hooks and webhooks,
stats-YYYYMMDDHH for reports), indented with --pretty; a file appears complete or not
at all (temporary file, then rename); when any of the files exists already, nothing
is written.

Chat ids count up from a base that depends on the seed, so two seeds never share one.
Chats come as real traffic does: busy on weekday mornings and afternoons, quiet at
night and calmer at weekends (UTC). --start sets the first day (default 2026-01-05)
and --days N spreads the chats over N days; without --days a chat comes every 40 s on
average. REST webhooks have the documented shape (data.message beside
data.conversation, data.contact) and every event type; --webhook-shape nested puts
the messages and the contact inside data.conversation instead.

On a terminal (or with --progress) stderr shows the documents made of -n, the bytes
written, the rate and the time left, and the run ends with one line: the documents
written, their size and where (with --out, how many files). On a pipe nothing of this
is written without --progress.`,
		Example: `  smarthook fake -n 3
  smarthook fake -n 1000000 --seed 7 > chats.ndjson
  smarthook fake -n 1000 --seed 7 --out hooks/ --pretty
  smarthook fake -n 100 --kind webhook > webhooks.ndjson
  smarthook fake -n 5000 --start 2026-03-02 --days 28 > march.ndjson`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runFake(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&opts.Count, "count", "n", 10, "how many documents")
	f.Int64Var(&opts.Seed, "seed", 1, "random seed")
	enumFlag(cmd, &opts.Kind, "kind", "", "hook", fake.Kinds, "payload kind")
	f.StringVar(&opts.OutDir, "out", "", "write one file per document under DIR/YYYY/MM/DD/ instead of NDJSON to stdout")
	f.BoolVar(&opts.Pretty, "pretty", false, "indent each file (with --out; NDJSON stays one line each)")
	f.StringVar(&opts.Start, "start", "", "the first day (YYYY-MM-DD, UTC) or time (RFC 3339) of the documents (default 2026-01-05T08:00:00Z)")
	f.IntVar(&opts.Days, "days", 0, "spread the documents over N days from --start, by a weekday and hour profile")
	progressFlag(cmd, &opts.Progress)
	enumFlag(cmd, &opts.Shape, "webhook-shape", "", "documented", []string{"documented", "nested"},
		"REST webhooks: data.message beside data.conversation (documented) or messages inside it (nested)")
	return cmd
}

func runFake(ctx context.Context, opts *FakeOptions) error {
	start, err := fake.ParseStart(opts.Start)
	if err != nil {
		return err
	}
	return fake.Run(ctx, fake.RunOptions{
		Count: opts.Count, Seed: opts.Seed, Kind: fake.Kind(opts.Kind), Start: start, Days: opts.Days,
		NestedWebhooks: opts.Shape == "nested",
		OutDir:         opts.OutDir, Pretty: opts.Pretty, Out: opts.IO.Out, Err: opts.IO.Err,
		Progress: showProgress(opts.IO, opts.Progress),
	})
}
