package cli

import "github.com/spf13/cobra"

// progressFlag declares --progress, which convert, redact and fake share: the
// progress line and the closing summary on stderr, which a terminal gets anyway.
func progressFlag(cmd *cobra.Command, asked *bool) {
	cmd.Flags().BoolVar(asked, "progress", false, "show progress and a closing summary on stderr even when it is not a terminal")
}

// showProgress reports whether a run draws its progress and ends with a summary line:
// when stderr is a terminal, or when --progress asks for it (on a pipe nothing extra
// is written otherwise).
func showProgress(streams IO, asked bool) bool { return asked || streams.ErrTTY }
