package cli

import (
	"github.com/spf13/cobra"

	"github.com/smarthook/smarthook/internal/progress"
)

// progressFlag declares --progress, which convert, redact and fake share: the
// progress line and the closing summary on stderr, which a terminal gets anyway.
func progressFlag(cmd *cobra.Command, asked *bool) {
	cmd.Flags().BoolVar(asked, "progress", false, "show progress and a closing summary on stderr even when it is not a terminal (then a plain line every 5 s)")
}

// showProgress is how a run shows its progress and whether it ends with a summary
// line: a line rewriting itself when stderr is a terminal; plain lines now and then
// when --progress asks for it on a pipe or in a log (no escape codes); else nothing.
func showProgress(streams IO, asked bool) progress.Mode {
	switch {
	case streams.ErrTTY:
		return progress.Redraw
	case asked:
		return progress.Lines
	}
	return progress.Off
}
