package fake

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smarthook/smarthook/internal/atomicfile"
	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/progress"
)

// Kinds lists the kinds of payload the generator makes, the values of --kind.
var Kinds = []string{string(KindHook), string(KindWebhook), string(KindStats)}

// RunOptions are what `smarthook fake` generates and where it writes.
type RunOptions struct {
	Count  int
	Seed   int64
	Kind   Kind
	OutDir string    // one file per document under OutDir; "" for NDJSON on Out
	Pretty bool      // indent the files (OutDir only)
	Start  time.Time // the time of the first document; zero for the default
	Days   int       // spread the documents over Days days from Start (0: one per 40 s on average)

	NestedWebhooks bool          // webhooks with messages inside data.conversation
	Out            io.Writer     // NDJSON
	Err            io.Writer     // the progress and the closing summary, when Progress
	Progress       progress.Mode // show progress on Err and end with a summary line
}

// Run generates opts.Count documents. Bad options are usage errors.
func Run(ctx context.Context, opts RunOptions) error {
	switch opts.Kind {
	case KindHook, KindWebhook, KindStats:
	default:
		return exit.Usagef("unknown --kind %q: use hook, webhook or stats", opts.Kind)
	}
	if opts.Count < 0 {
		return exit.Usagef("--count must not be negative")
	}
	if opts.Pretty && opts.OutDir == "" {
		return exit.Usagef("--pretty is for --out files: stdout is NDJSON, one document a line (pipe it to `smarthook pretty` to read it)")
	}
	if opts.Days < 0 {
		return exit.Usagef("--days must not be negative")
	}
	g := New(Options{Seed: opts.Seed, Kind: opts.Kind, Start: opts.Start, Days: opts.Days, Count: opts.Count, NestedWebhooks: opts.NestedWebhooks})
	if opts.OutDir != "" {
		if err := refuseExisting(g, &opts); err != nil {
			return err
		}
	}
	t := &tally{}
	if opts.Progress.On() {
		t.meter = progress.StartCount(opts.Err, opts.Progress, "smarthook fake", int64(opts.Count))
	}
	var err error
	where := "stdout"
	if opts.OutDir != "" {
		err = writeFiles(ctx, g, &opts, t)
		// Each file is whole once written: say how many there are, whatever stopped the run.
		where = fmt.Sprintf("%s (%s)", opts.OutDir, progress.Of(t.docs.Load(), "file"))
	} else {
		err = writeNDJSON(ctx, g, opts.Count, opts.Out, runtime.GOMAXPROCS(0), t)
	}
	t.meter.Stop()
	if opts.Progress.On() && (err == nil || opts.OutDir != "") {
		progress.Summary(opts.Err, "smarthook fake", progress.Of(t.docs.Load(), "document")+" ("+progress.Bytes(t.bytes.Load())+")", where, 0)
	}
	return err
}

// tally counts the documents and bytes a run wrote, and shows them on the meter.
type tally struct {
	meter       *progress.Meter // nil when no progress is shown
	docs, bytes atomic.Int64
}

func (t *tally) add(docs int, bytes int64) {
	t.docs.Add(int64(docs))
	t.bytes.Add(bytes)
	t.meter.Add(docs, bytes)
}

// ParseStart reads --start: a date (YYYY-MM-DD, midnight UTC) or an RFC 3339 time;
// "" is the zero time (the default start).
func ParseStart(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, exit.Usagef("--start %q is not a date (2026-03-02) or an RFC 3339 time (2026-03-02T08:00:00Z)", s)
	}
	return t.UTC(), nil
}

// refuseExisting checks every file the run would write before it writes one: when
// any exists, the run stops with nothing written (a half-written tree mixing two runs
// is worse than none).
func refuseExisting(g *Generator, opts *RunOptions) error {
	for i := range opts.Count {
		name := fileName(g, i, opts.OutDir)
		if _, err := os.Lstat(name); err == nil {
			return exit.Usagef("%s exists: refusing to overwrite it; nothing written (choose another --out folder)", name)
		}
	}
	return nil
}

// fileName is where --out puts document i.
func fileName(g *Generator, i int, dir string) string {
	return filepath.Join(dir, g.Time(i).Format("2006/01/02"), g.Key(i)+".json")
}

// chunk is how many documents a worker generates at a time.
const chunk = 256

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 256<<10); return &b }}

// writeNDJSON generates documents 0..count-1 on workers goroutines, a chunk at a
// time, and writes them to w in order. Document i depends only on the generator and
// i, so the bytes are the same for any number of workers.
func writeNDJSON(ctx context.Context, g *Generator, count int, w io.Writer, workers int, t *tally) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	starts := make(chan int)
	go func() {
		defer close(starts)
		for start := 0; start < count; start += chunk {
			select {
			case starts <- start:
			case <-ctx.Done():
				return
			}
		}
	}()
	generate := func() func(int) *[]byte {
		return func(start int) *[]byte {
			buf := bufPool.Get().(*[]byte)
			b := (*buf)[:0]
			for i := start; i < min(start+chunk, count); i++ {
				b = append(g.Append(b, i), '\n')
			}
			*buf = b
			return buf
		}
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	write := func(start int, buf *[]byte) error {
		_, err := bw.Write(*buf)
		if err == nil {
			t.add(min(chunk, count-start), int64(len(*buf)))
		}
		return err
	}
	recycle := func(_ int, buf *[]byte) {
		if buf != nil {
			bufPool.Put(buf)
		}
	}
	if err := input.Ordered(ctx, workers, starts, generate, write, recycle); err != nil {
		return err
	}
	return bw.Flush()
}

// writeFiles writes each document to its own file, on every core (each file is
// synced, so the disk sets the pace), counting those written in t. An error stops
// the run; the one of the lowest document is returned.
func writeFiles(ctx context.Context, g *Generator, opts *RunOptions, t *tally) error {
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
	errAt := opts.Count
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) * 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			var pretty bytes.Buffer
			for i := range next {
				n, err := writeFile(g, i, opts, &buf, &pretty)
				if err == nil {
					t.add(1, int64(n))
					continue
				}
				mu.Lock()
				if i < errAt {
					firstErr, errAt = err, i
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// writeFile writes document i as DIR/YYYY/MM/DD/<key>.json and returns its size.
func writeFile(g *Generator, i int, opts *RunOptions, buf *[]byte, pretty *bytes.Buffer) (int, error) {
	*buf = append(g.Append((*buf)[:0], i), '\n')
	data := *buf
	if opts.Pretty {
		pretty.Reset()
		// json.Indent keeps key order, number literals, escapes and the final newline.
		if err := json.Indent(pretty, data, "", "  "); err != nil {
			return 0, err
		}
		data = pretty.Bytes()
	}
	name := fileName(g, i, opts.OutDir)
	err := atomicfile.WriteNew(name, data)
	if errors.Is(err, fs.ErrExist) {
		return 0, exit.Usagef("%s exists: refusing to overwrite it (choose another --out folder)", name)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", name, err)
	}
	return len(data), nil
}
