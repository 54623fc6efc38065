package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/smarthook/smarthook/internal/atomicfile"
	"github.com/smarthook/smarthook/internal/fake"
	"github.com/smarthook/smarthook/internal/input"
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
			return runFake(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&opts.Count, "count", "n", 10, "how many documents")
	f.Int64Var(&opts.Seed, "seed", 1, "random seed")
	f.StringVar(&opts.Kind, "kind", "hook", "payload kind: hook, webhook or stats")
	f.StringVar(&opts.OutDir, "out", "", "write one file per document under DIR/YYYY/MM/DD/ instead of NDJSON to stdout")
	f.BoolVar(&opts.Pretty, "pretty", false, "indent each file (with --out; NDJSON stays one line each)")
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
	if opts.Pretty && opts.OutDir == "" {
		return usageErrorf("--pretty is for --out files: stdout is NDJSON, one document a line (pipe it to `smarthook pretty` to read it)")
	}
	g := fake.New(fake.Options{Seed: opts.Seed, Kind: fake.Kind(opts.Kind)})
	if opts.OutDir != "" {
		n, err := writeFakeFiles(ctx, g, opts)
		fmt.Fprintf(opts.IO.Err, "smarthook fake: wrote %s under %s\n", plural(n, "file"), opts.OutDir)
		return err
	}
	return writeFakeNDJSON(ctx, g, opts.Count, opts.IO.Out, runtime.GOMAXPROCS(0))
}

// fakeChunk is how many documents a worker generates at a time.
const fakeChunk = 256

var fakeBufPool = sync.Pool{New: func() any { b := make([]byte, 0, 256<<10); return &b }}

// writeFakeNDJSON generates documents 0..count-1 on workers goroutines, a chunk at a
// time, and writes them to w in order. Document i depends only on the generator and
// i, so the bytes are the same for any number of workers.
func writeFakeNDJSON(ctx context.Context, g *fake.Generator, count int, w io.Writer, workers int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	starts := make(chan int)
	go func() {
		defer close(starts)
		for start := 0; start < count; start += fakeChunk {
			select {
			case starts <- start:
			case <-ctx.Done():
				return
			}
		}
	}()
	generate := func() func(int) *[]byte {
		return func(start int) *[]byte {
			buf := fakeBufPool.Get().(*[]byte)
			b := (*buf)[:0]
			for i := start; i < min(start+fakeChunk, count); i++ {
				b = append(g.Append(b, i), '\n')
			}
			*buf = b
			return buf
		}
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	write := func(_ int, buf *[]byte) error {
		_, err := bw.Write(*buf)
		return err
	}
	recycle := func(_ int, buf *[]byte) {
		if buf != nil {
			fakeBufPool.Put(buf)
		}
	}
	if err := input.Ordered(ctx, workers, starts, generate, write, recycle); err != nil {
		return err
	}
	return bw.Flush()
}

// writeFakeFiles writes each document to its own file, on every core (each file is
// synced, so the disk sets the pace), and returns how many it wrote. An error stops
// the run; the one of the lowest document is returned.
func writeFakeFiles(ctx context.Context, g *fake.Generator, opts *FakeOptions) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range opts.Count {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var mu sync.Mutex
	var firstErr error // of the lowest document that failed, so the message is stable
	errAt, written := opts.Count, 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) * 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			var pretty bytes.Buffer
			for i := range next {
				err := writeFakeFile(g, i, opts, &buf, &pretty)
				mu.Lock()
				if err != nil && i < errAt {
					firstErr, errAt = err, i
					cancel()
				} else if err == nil {
					written++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return written, firstErr
}

// writeFakeFile writes document i as DIR/YYYY/MM/DD/<key>.json.
func writeFakeFile(g *fake.Generator, i int, opts *FakeOptions, buf *[]byte, pretty *bytes.Buffer) error {
	*buf = append(g.Append((*buf)[:0], i), '\n')
	data := *buf
	if opts.Pretty {
		pretty.Reset()
		// json.Indent keeps key order, number literals, escapes and the final newline.
		if err := json.Indent(pretty, data, "", "  "); err != nil {
			return err
		}
		data = pretty.Bytes()
	}
	name := filepath.Join(opts.OutDir, g.Time(i).Format("2006/01/02"), g.Key(i)+".json")
	err := atomicfile.WriteNew(name, data)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists: refusing to overwrite it (choose another --out folder)", name)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, unwrapPath(err))
	}
	return nil
}
