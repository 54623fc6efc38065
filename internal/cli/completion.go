package cli

import (
	"strings"

	"github.com/smarthook/smarthook/internal/convert"
	"github.com/spf13/cobra"
)

// fixedChoices lists, per command and flag, the values TAB offers.
var fixedChoices = map[string]map[string][]string{
	"validate": {"format": {"text", "json", "github"}, "color": {"auto", "always", "never"}},
	"pretty":   {"color": {"auto", "always", "never"}, "paging": {"auto", "never"}, "tz": {"local", "UTC", "Europe/Prague"}},
	"query":    {"color": {"auto", "always", "never"}},
	"convert": {"to": {"csv", "tsv", "ndjson"}, "rows": convert.RowKindNames(), "time": {"rfc3339", "ms", "unix"},
		"tz": {"UTC", "Local", "Europe/Prague"}},
	"fake":   {"kind": {"hook", "webhook", "stats"}},
	"replay": {"order": {"stored", "time"}, "report": {"text", "json"}},
	"listen": {"view": {"summary", "json"}},
}

// registerCompletions teaches the shell completions the values of flags: fixed
// choices, and the column names of convert --columns for the --rows given so far.
func registerCompletions(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		for flag, values := range fixedChoices[cmd.Name()] {
			if cmd.Flags().Lookup(flag) == nil {
				continue
			}
			values := values
			_ = cmd.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return values, cobra.ShellCompDirectiveNoFileComp
			})
		}
		if cmd.Name() == "convert" {
			_ = cmd.RegisterFlagCompletionFunc("columns", completeColumns)
		}
	}
}

// completeColumns offers the columns of the chosen --rows (chats by default), after the
// ones already typed in a comma-separated list.
func completeColumns(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	rows, _ := cmd.Flags().GetString("rows")
	rk, err := convert.LookupRowKind(rows)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	prefix := ""
	if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
		prefix = toComplete[:i+1]
	}
	var out []string
	for _, c := range rk.Columns {
		out = append(out, prefix+c.Name)
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}
