package cli

import (
	"context"

	"github.com/smarthook/smarthook/internal/findings"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/validate"
	"github.com/spf13/cobra"
)

// ValidateOptions are the flags and streams of `smarthook validate`.
type ValidateOptions struct {
	IO        IO
	Paths     []string
	Input     input.Options // how to read Paths; Stdin is set from IO at run time
	Format    string        // text, json or github
	Strict    bool
	Quiet     bool
	ListRules bool
	Report    string // text or json (--report)
	Color     string
}

// NewCmdValidate builds `smarthook validate`. runF, when not nil, gets the parsed
// options instead of running the command (for tests of the flags).
func NewCmdValidate(streams IO, runF func(*ValidateOptions) error) *cobra.Command {
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
either), 1 when any has, 2 for usage errors and unreadable paths.`,
		Example: `  smarthook validate hooks/
  smarthook validate --format json archive.tar.gz | jq -r .message
  cat chats.ndjson | smarthook validate --quiet
  smarthook validate --list-rules`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if runF != nil {
				return runF(opts)
			}
			return runValidate(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	enumFlag(cmd, &opts.Format, "format", "", "text", findings.Formats, "output format (json: one object a line; github: Actions annotations)")
	f.BoolVar(&opts.Strict, "strict", false, "fail (exit 1) on warnings too")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print the summary only")
	enumFlag(cmd, &opts.Report, "report", "", "text", []string{"text", "json"},
		"summary (text: a table on stderr; json: one object, the last line on stdout, that smarthook report merge adds up)")
	f.BoolVar(&opts.ListRules, "list-rules", false, "list the rules with their ids and severities (--format text or json), and exit")
	colorFlag(cmd, &opts.Color)
	addInputFlags(cmd.Flags(), &opts.Input, "validate", readElements|offerAllowEmpty)
	return cmd
}

func runValidate(ctx context.Context, opts *ValidateOptions) error {
	if opts.ListRules {
		return validate.ListRules(opts.IO.Out, opts.Format)
	}
	if err := needInput(opts.IO, opts.Paths, "validate"); err != nil {
		return err
	}
	color, err := colorEnabled(opts.Color, opts.IO.OutTTY, opts.IO.Getenv)
	if err != nil {
		return err
	}
	opts.Input = readOptions(opts.Input, opts.IO)
	return validate.Run(ctx, validate.Options{
		Paths: opts.Paths, Input: opts.Input,
		Format: opts.Format, Strict: opts.Strict, Quiet: opts.Quiet, Color: color, Report: opts.Report,
		Out: opts.IO.Out, Err: opts.IO.Err,
	})
}
