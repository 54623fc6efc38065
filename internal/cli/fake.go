package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

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

// NewCmdFake builds `smarthook fake`.
func NewCmdFake(streams IO) *cobra.Command {
	opts := &FakeOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "fake [flags]",
		Short: "Generate realistic synthetic payloads (the same seed gives the same bytes)",
		Long: `Generate synthetic Smartsupp payloads: POST hooks with missed and offline chats,
triggers, ratings, Unicode text and visitor variables; REST webhooks; stats reports.
Output is NDJSON on stdout, or one file per document in a date tree with --out.`,
		Example: `  smarthook fake -n 3
  smarthook fake -n 1000 --seed 7 --out hooks/ --pretty
  smarthook fake -n 100 --kind webhook > webhooks.ndjson`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runFake(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&opts.Count, "count", "n", 10, "how many documents")
	f.Int64Var(&opts.Seed, "seed", 1, "random seed")
	f.StringVar(&opts.Kind, "kind", "hook", "payload kind: hook, webhook or stats")
	f.StringVar(&opts.OutDir, "out", "", "write one file per document under DIR/YYYY/MM/DD/ instead of NDJSON to stdout")
	f.BoolVar(&opts.Pretty, "pretty", false, "indent each document (files only; NDJSON stays one line each)")
	return cmd
}

func runFake(ctx context.Context, opts *FakeOptions) error {
	switch fake.Kind(opts.Kind) {
	case fake.KindHook, fake.KindWebhook, fake.KindStats:
	default:
		return usageErrorf("unknown --kind %q: use hook, webhook or stats", opts.Kind)
	}
	if opts.Count < 0 {
		return usageErrorf("--count must not be negative")
	}
	g := fake.New(fake.Options{Seed: opts.Seed, Kind: fake.Kind(opts.Kind)})
	if opts.OutDir != "" {
		return writeFakeFiles(ctx, g, opts)
	}
	w := bufio.NewWriterSize(opts.IO.Out, 256<<10)
	var buf []byte
	for i := range opts.Count {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		buf = append(g.Append(buf[:0], i), '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return w.Flush()
}

func writeFakeFiles(ctx context.Context, g *fake.Generator, opts *FakeOptions) error {
	var buf []byte
	var pretty bytes.Buffer
	for i := range opts.Count {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		buf = g.Append(buf[:0], i)
		data := buf
		if opts.Pretty {
			pretty.Reset()
			if err := json.Indent(&pretty, buf, "", "  "); err != nil {
				return err
			}
			data = pretty.Bytes()
		}
		dir := filepath.Join(opts.OutDir, g.Time(i).Format("2006/01/02"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		name := filepath.Join(dir, g.Key(i)+".json")
		// O_EXCL: never overwrite a file the user already has.
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		_, err = f.Write(append(data, '\n'))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}
