package cli

import (
	"github.com/smarthook/smarthook/internal/timezone"
	"github.com/spf13/cobra"
)

// tzChoices are what TAB offers for --tz: the words of the grammar and a few IANA
// names (any other IANA name or offset is accepted too).
var tzChoices = []string{"UTC", "local", "+00:00", "Europe/London", "Europe/Prague", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney"}

// tzFlag declares a command's --tz flag, read by loadLocation in package timezone's
// one grammar, which its help states.
func tzFlag(cmd *cobra.Command, p *string, def, usage string) {
	cmd.Flags().StringVar(p, "tz", def, usage+": "+timezone.Help)
	_ = cmd.RegisterFlagCompletionFunc("tz", cobra.FixedCompletions(tzChoices, cobra.ShellCompDirectiveNoFileComp))
}
