// Package validate is `smarthook validate`: it reads documents through package input,
// checks each with package payload's decoder and the rules that span documents
// (duplicate-chat), prints the findings in order and a summary, and says how the run
// ended.
package validate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/findings"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/report"
	"github.com/smarthook/smarthook/internal/rules"
)

// Options are what a validation run reads, checks and prints.
type Options struct {
	Paths  []string      // files, folders, archives, globs, "-" for stdin
	Input  input.Options // how to read them (stdin among others)
	Format string        // one of findings.Formats
	Strict bool          // warnings fail the run too
	Quiet  bool          // the summary only
	Report string        // "json": the summary as one JSON object, the last line on Out
	Color  bool          // colour the text format
	Out    io.Writer     // findings
	Err    io.Writer     // the summary
}

// docInfo is what the run keeps of one document after its batch is gone.
type docInfo struct {
	kind payload.Kind
	chat payload.ChatRef
}

// validated is one batch's outcome.
type validated struct {
	docs     []docInfo
	findings [][]rules.Finding // per record; nil for most
}

// Run validates the documents of opts.Paths. It returns exit.ErrProblems when a
// document has an error (or a warning, when Strict), exit.ErrUnreadable when a path
// could not be read, and the error that stopped the run otherwise.
func Run(ctx context.Context, opts Options) error {
	w, err := findings.NewWriter(opts.Out, opts.Format, opts.Color, opts.Quiet)
	if err != nil {
		return exit.UsageError(err)
	}
	var sum summary
	var chats payload.Chats
	newWork := func() func(*input.Batch) validated {
		dec := payload.Decoder{Lean: true} // findings only: long chats are checked as they are read
		return func(b *input.Batch) validated { return validateBatch(&dec, b) }
	}
	emit := func(b *input.Batch, v validated) error {
		sum.files += b.Files
		for i, rec := range b.Records {
			fs, d := v.findings[i], v.docs[i]
			if f, dup := chats.Check(d.chat); dup && rec.Err == nil {
				fs = append(fs, f)
				// Keep the document's findings in document order.
				slices.SortStableFunc(fs, func(a, b rules.Finding) int { return a.Offset - b.Offset })
			}
			sum.add(rec, fs, d.kind)
			if err := w.Write(rec, d.kind, fs); err != nil {
				return err
			}
		}
		return nil
	}
	in := opts.Input
	in.LateSeveral = true // validateBatch splits a broken .json file (input.Batch.Split)
	runErr := input.Run(ctx, opts.Paths, in, newWork, emit)
	if err := w.Flush(); err != nil && runErr == nil {
		runErr = err
	}
	if opts.Report == "json" {
		if err := report.Write(opts.Out, sum.report(opts.Input.Shard)); err != nil && runErr == nil {
			runErr = err
		}
	} else {
		sum.print(opts.Err)
	}
	if sum.files == 0 && sum.unreadable == 0 && runErr == nil {
		fmt.Fprintln(opts.Err, "smarthook validate: no .json, .ndjson, .jsonl (or .gz) files or archives found in the given paths")
	}
	switch {
	case errors.Is(runErr, input.ErrNoDocuments) && sum.unreadable == 0:
		return exit.ErrProblems // nothing was checked (said above)
	case runErr != nil && !errors.Is(runErr, input.ErrNoDocuments):
		return runErr
	case sum.unreadable > 0:
		return exit.ErrUnreadable
	case sum.errors > 0 || (opts.Strict && sum.warnings > 0):
		return exit.ErrProblems
	}
	return nil
}

// validateBatch decodes and checks every record of a batch (runs on a worker).
// A .json file may hold several documents (input.Options.LateSeveral): b.Split puts
// them in its place, before the file is decoded when it does not start with '{' and
// after, when it does not decode; the work then goes on with the first.
func validateBatch(dec *payload.Decoder, b *input.Batch) validated {
	v := validated{docs: make([]docInfo, 0, len(b.Records)), findings: make([][]rules.Finding, 0, len(b.Records))}
	for i := 0; i < len(b.Records); i++ {
		rec := b.Records[i]
		if rec.Err != nil {
			v.docs = append(v.docs, docInfo{})
			v.findings = append(v.findings, []rules.Finding{rules.New(rules.Read, 0, "", "%v", findings.ReadErrorText(rec.Err))})
			continue
		}
		if b.Split(i, false) {
			i--
			continue
		}
		doc, fs := dec.Decode(rec.Raw)
		if len(fs) > 0 && fs[len(fs)-1].Rule == rules.Syntax && b.Split(i, true) {
			i--
			continue
		}
		v.docs = append(v.docs, docInfo{kind: doc.Kind, chat: payload.ChatOf(doc)})
		var kept []rules.Finding
		if len(fs) > 0 {
			kept = slices.Clone(fs)
		}
		v.findings = append(v.findings, findings.Reading(rec, kept, true))
	}
	return v
}

// ListFormats are the formats of ListRules.
var ListFormats = []string{"text", "json"}

// ListRules prints the rule catalog in format text or json (one object a line).
func ListRules(out io.Writer, format string) error {
	if !slices.Contains(ListFormats, format) {
		return exit.Usagef("--list-rules prints text or json, not %q", format)
	}
	width := 0
	for _, r := range rules.Catalog {
		width = max(width, len(r.ID))
	}
	for _, r := range rules.Catalog {
		var err error
		if format == "json" {
			_, err = fmt.Fprintf(out, "{\"rule\":%q,\"severity\":%q,\"summary\":%q}\n", r.ID, r.Severity, r.Summary)
		} else {
			_, err = fmt.Fprintf(out, "%-*s %-8s %s\n", width, r.ID, r.Severity, r.Summary)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
