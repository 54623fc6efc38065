package replay

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/schollz/progressbar/v3"

	"github.com/smarthook/smarthook/internal/input"
)

// progress is the bar drawn on a terminal while a run goes: documents done of the
// total (percent, a bar, documents a second, elapsed and the time left), with the
// outcomes so far. Without a total yet (it is being counted, or the input is stdin)
// it shows a spinner and the count.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress draws on w; total is the number of documents, 0 when not known.
func newProgress(w io.Writer, total int) *progress {
	max := int64(-1)
	if total > 0 {
		max = int64(total)
	}
	bar := progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("replay"),
		progressbar.OptionSetWidth(24),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("docs"),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionUseANSICodes(true),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionClearOnFinish(),
	)
	return &progress{bar: bar}
}

// setTotal gives the bar its total once counted. Safe from any goroutine.
func (p *progress) setTotal(n int) {
	if n > 0 {
		p.bar.ChangeMax64(int64(n))
	}
}

// draw shows done documents and the outcomes so far.
func (p *progress) draw(done int, r *Report, errors int) {
	// The collector calls this every 100 ms: the bar needs no throttle of its own.
	p.bar.Set64(int64(done))
	p.bar.Describe(fmt.Sprintf("%d delivered, %d failed, %d errors, %d retried", r.Delivered, r.Failed, errors, r.Retried))
}

// finish removes the bar, leaving the line clean for the report.
func (p *progress) finish() {
	p.bar.Clear()
	p.bar.Exit()
}

// countForProgress counts the documents of paths in the background, for the bar's
// total, when nothing counted them before the run (stdin cannot be read twice: then
// the bar has no total).
func countForProgress(ctx context.Context, paths []string, in input.Options, p *progress) {
	if len(paths) == 0 || slices.Contains(paths, "-") {
		return
	}
	go func() {
		n := 0
		work := func() func(*input.Batch) int {
			return func(b *input.Batch) int {
				k := 0
				for _, rec := range b.Records {
					if rec.Err == nil {
						k++
					}
				}
				return k
			}
		}
		emit := func(_ *input.Batch, k int) error { n += k; return nil }
		if input.Run(ctx, paths, in, work, emit) == nil {
			p.setTotal(n)
		}
	}()
}
