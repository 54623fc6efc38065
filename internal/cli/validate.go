package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/payload"
	"github.com/smarthook/smarthook/internal/rules"
	"github.com/spf13/cobra"
)

// ValidateOptions are the flags and streams of `smarthook validate`.
type ValidateOptions struct {
	IO        IO
	Paths     []string
	Format    string // text, json or github
	Strict    bool
	Quiet     bool
	ListRules bool
	Color     string
}

// NewCmdValidate builds `smarthook validate`.
func NewCmdValidate(streams IO) *cobra.Command {
	opts := &ValidateOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "validate [flags] [PATH|-]...",
		Short: "Check payloads for broken JSON and Smartsupp format errors",
		Long: `Check each document's JSON syntax and the rules of the Smartsupp formats (POST hook,
REST webhook, stats report). Each finding names its place as path[:member]:line:col,
its severity, its rule id and the JSON pointer of the value concerned.

PATH may be a .json file (one document), a .ndjson/.jsonl file (one per line), a
directory (searched for those and their .gz), a .gz, a .tar, .tar.gz/.tgz or .zip
archive, a glob, or - for stdin (NDJSON or concatenated documents).

Exit status: 0 when no document has an error (warnings allowed; with --strict none
either), 1 when any has or when no document was read at all (unless --allow-empty),
2 for usage errors and unreadable paths.`,
		Example: `  smarthook validate hooks/
  smarthook validate --format json archive.tar.gz | jq -r .message
  cat chats.ndjson | smarthook validate --quiet
  smarthook validate --list-rules`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			return runValidate(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Format, "format", "text", "output format: text, json (one object a line) or github (Actions annotations)")
	f.BoolVar(&opts.Strict, "strict", false, "fail (exit 1) on warnings too")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print the summary only")
	f.BoolVar(&opts.ListRules, "list-rules", false, "list the rules with their ids and severities, and exit")
	f.StringVar(&opts.Color, "color", "auto", "colour: auto, always or never")
	addInputFlags(f, &opts.IO.Input, "validate", readElements|offerAllowEmpty)
	return cmd
}

// docInfo is what the run keeps of one document after its batch is gone.
type docInfo struct {
	kind    payload.Kind
	chat    [2]int64 // accountId, channel.id of a hook
	chatOK  bool
	chatOff int // offset of channel.id, for a duplicate-chat finding
}

// validated is one batch's outcome.
type validated struct {
	docs     []docInfo
	findings [][]rules.Finding // per record; nil for most
}

func runValidate(ctx context.Context, opts *ValidateOptions) error {
	if opts.ListRules {
		return listRules(opts.IO.Out, opts.Format)
	}
	if err := needInput(opts.IO, opts.Paths, "validate"); err != nil {
		return err
	}
	w, err := newFindingWriter(opts.IO, opts.Format, opts.Color, opts.Quiet)
	if err != nil {
		return err
	}
	var sum summary
	seen := make(map[[2]int64]struct{})
	newWork := func() func(*input.Batch) validated {
		dec := payload.Decoder{Lean: true} // findings only: long chats are checked as they are read
		return func(b *input.Batch) validated { return validateBatch(&dec, b) }
	}
	emit := func(b *input.Batch, v validated) error {
		sum.files += b.Files
		for i, rec := range b.Records {
			fs := v.findings[i]
			d := v.docs[i]
			if rec.Err != nil {
				sum.add(rec, fs, d.kind)
				if err := w.write(rec, d.kind, fs); err != nil {
					return err
				}
				continue
			}
			if d.chatOK {
				if _, dup := seen[d.chat]; dup {
					fs = append(fs, rules.New(rules.DuplicateChat, d.chatOff, "/channel/id",
						"the same chat (accountId %d, channel.id %d) was seen before in this run", d.chat[0], d.chat[1]))
					// Keep the document's findings in document order.
					slices.SortStableFunc(fs, func(a, b rules.Finding) int { return a.Offset - b.Offset })
				} else {
					seen[d.chat] = struct{}{}
				}
			}
			sum.add(rec, fs, d.kind)
			if err := w.write(rec, d.kind, fs); err != nil {
				return err
			}
		}
		return nil
	}
	runErr := input.Run(ctx, opts.Paths, opts.IO.readOptions(), newWork, emit)
	if err := w.finish(); err != nil && runErr == nil {
		runErr = err
	}
	sum.print(opts.IO.Err, opts.IO.ErrTTY)
	if sum.files == 0 && sum.unreadable == 0 && runErr == nil {
		fmt.Fprintln(opts.IO.Err, "smarthook validate: no .json, .ndjson, .jsonl (or .gz) files or archives found in the given paths")
	}
	switch {
	case errors.Is(runErr, input.ErrNoDocuments) && sum.unreadable == 0:
		return errProblems // nothing was checked (said above)
	case runErr != nil && !errors.Is(runErr, input.ErrNoDocuments):
		return runErr
	case sum.unreadable > 0:
		return errUnreadable
	case sum.errors > 0 || (opts.Strict && sum.warnings > 0):
		return errProblems
	}
	return nil
}

// validateBatch decodes and checks every record of a batch (runs on a worker).
func validateBatch(dec *payload.Decoder, b *input.Batch) validated {
	v := validated{docs: make([]docInfo, len(b.Records)), findings: make([][]rules.Finding, len(b.Records))}
	for i, rec := range b.Records {
		if rec.Err != nil {
			v.findings[i] = []rules.Finding{rules.New(rules.Read, 0, "", "%v", readErrorText(rec.Err))}
			continue
		}
		doc, fs := dec.Decode(rec.Raw)
		d := &v.docs[i]
		d.kind = doc.Kind
		if len(fs) > 0 {
			v.findings[i] = slices.Clone(fs)
		}
		v.findings[i] = readingFindings(rec, v.findings[i], true)
		if doc.Kind == payload.KindHook {
			a, okA := doc.Hook.AccountID.Int()
			c, okC := doc.Hook.Channel.ID.Int()
			d.chat, d.chatOK, d.chatOff = [2]int64{a, c}, okA && okC, int(doc.Hook.Channel.ID.Off)
		}
	}
	return v
}

// readErrorText is a read error without the path that the origin already shows.
func readErrorText(err error) string {
	var re *input.ReadError
	if errors.As(err, &re) {
		return re.Err.Error()
	}
	return err.Error()
}

func listRules(out io.Writer, format string) error {
	for _, r := range rules.Catalog {
		var err error
		if format == "json" {
			_, err = fmt.Fprintf(out, "{\"rule\":%q,\"severity\":%q,\"summary\":%q}\n", r.ID, r.Severity, r.Summary)
		} else {
			_, err = fmt.Fprintf(out, "%-15s %-8s %s\n", r.ID, r.Severity, r.Summary)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
