package cli

import (
	"strings"

	"github.com/smarthook/smarthook/internal/convert"
	"github.com/spf13/cobra"
)

// completionExamples are the Examples of `smarthook completion SHELL`.
var completionExamples = map[string]string{
	"bash":       "  source <(smarthook completion bash)\n  smarthook completion bash > /etc/bash_completion.d/smarthook",
	"zsh":        "  smarthook completion zsh > \"${fpath[1]}/_smarthook\"",
	"fish":       "  smarthook completion fish > ~/.config/fish/completions/smarthook.fish",
	"powershell": "  smarthook completion powershell | Out-String | Invoke-Expression",
}

// registerCompletions gives cobra's completion command examples like every other
// command's. Flag values complete from their own declarations (enumFlag, tzFlag).
func registerCompletions(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, cmd := range root.Commands() {
		if cmd.Name() != "completion" {
			continue
		}
		cmd.Example = "  smarthook completion bash > /etc/bash_completion.d/smarthook\n  smarthook completion zsh > \"${fpath[1]}/_smarthook\""
		for _, sub := range cmd.Commands() {
			sub.Example = completionExamples[sub.Name()]
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
