// Package pretty is `smarthook pretty`: it reads documents through package input and
// prints each with package render, as indented JSON that keeps the document's bytes,
// as a chat transcript, or as one row of a summary table, in input order, reporting
// the documents it skips.
package pretty

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/findings"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/render"
)

// Mode is what the run prints.
type Mode uint8

// The modes.
const (
	JSON       Mode = iota // each document indented (or compact), its bytes kept
	Transcript             // each chat as a transcript
	Summary                // one table row per document
)

// Options are what a pretty run reads and how it prints.
type Options struct {
	Paths     []string      // files, folders, archives, globs, "-" for stdin
	Input     input.Options // how to read them (stdin among others)
	Mode      Mode
	Indent    int  // spaces per level, 0 to 7 (0 is Compact)
	Tab       bool // indent with tabs
	Compact   bool // one document a line
	SortKeys  bool
	Location  *time.Location // of transcript and summary times
	Color     bool           // colour the output
	Colors    *render.Colors // JSON colours, when Color
	NoHeaders bool           // no "==> origin <==" even with several inputs
	Out       io.Writer
	Err       io.Writer // problems and the closing summary
	ErrColor  bool      // colour problems on Err
	// ReaderGone, when set, reports a write error that means the reader of Out went
	// away (a pager the user quit): the run then ends as if the output were complete.
	ReaderGone func(error) bool
}

// plan is what Run decided from the options, before reading anything.
type plan struct {
	mode    Mode
	json    render.Options
	loc     *time.Location
	color   bool
	headers bool // head each document with its origin
	blank   bool // a blank line between documents
}

// Check reports options that cannot work together, as usage errors.
func (o *Options) Check() error {
	if o.Indent < 0 || o.Indent > 7 {
		return exit.Usagef("--indent %d is out of range: use 0 to 7", o.Indent)
	}
	return nil
}

func (o *Options) plan() *plan {
	p := &plan{mode: o.Mode, loc: o.Location, color: o.Color}
	if p.loc == nil {
		p.loc = time.Local
	}
	p.json = render.Options{Indent: strings.Repeat(" ", o.Indent), Compact: o.Compact || o.Indent == 0, SortKeys: o.SortKeys}
	if o.Tab {
		p.json.Indent, p.json.Compact = "\t", false
	}
	if o.Color && p.mode == JSON {
		p.json.Colors = o.Colors
		if p.json.Colors == nil {
			p.json.Colors = &render.DefaultColors
		}
	}
	compact := p.mode == JSON && p.json.Compact
	p.blank = p.mode != Summary && !compact
	p.headers = p.blank && !o.NoHeaders && input.SeveralFiles(o.Paths)
	return p
}

// Run prints the documents of opts.Paths. Documents it cannot print are reported on
// Err and end the run with exit.ErrProblems (exit.ErrUnreadable for unreadable paths);
// a failed write ends it with that error.
func Run(ctx context.Context, opts Options) error {
	if err := opts.Check(); err != nil {
		return err
	}
	rep := findings.NewReporter(opts.Err, opts.ErrColor)
	w := newWriter(opts.Out, opts.plan(), rep)
	runErr := input.Run(ctx, opts.Paths, opts.Input, w.newWork, w.emit)
	if err := w.finish(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil && (opts.ReaderGone == nil || !opts.ReaderGone(runErr)) {
		return runErr
	}
	if line := rep.SummaryLine(); line != "" {
		fmt.Fprintln(opts.Err, "smarthook: "+line)
	}
	return rep.Err()
}
