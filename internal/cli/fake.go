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
at all (temporary file, then rename), and an existing file is never replaced.`,
		Example: `  smarthook fake -n 3
  smarthook fake -n 1000000 --seed 7 > chats.ndjson
  smarthook fake -n 1000 --seed 7 --out hooks/ --pretty
  smarthook fake -n 100 --kind webhook > webhooks.ndjson`,
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
	return cmd
}

func runFake(ctx context.Context, opts *FakeOptions) error {
	return fake.Run(ctx, fake.RunOptions{
		Count: opts.Count, Seed: opts.Seed, Kind: fake.Kind(opts.Kind),
		OutDir: opts.OutDir, Pretty: opts.Pretty, Out: opts.IO.Out, Err: opts.IO.Err,
	})
}
