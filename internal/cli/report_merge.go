package cli

import (
	"github.com/smarthook/smarthook/internal/report"
	"github.com/spf13/cobra"
)

// NewCmdReport builds `smarthook report` and its subcommand merge.
func NewCmdReport(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Add up the JSON reports of runs over shards into the totals of one run",
	}
	cmd.AddCommand(newCmdReportMerge(streams))
	return cmd
}

func newCmdReportMerge(streams IO) *cobra.Command {
	return &cobra.Command{
		Use:   "merge FILE...",
		Short: "Merge the --report json reports of validate, convert or replay runs into one",
		Long: `Read the JSON reports that validate, convert and replay write with --report json,
typically one per shard (--shard I/N), and write the report one run over all of the
input gives: counts are added up, files read are counted once per shard count (every
shard reads all the inputs), replay's latency quantiles come from its merged
histograms (exact, not averaged) and its elapsed time is the longest run's.

Lines of the files that are not reports (validate's findings before its report) are
copied first, in the files' order; the merged report is the last line. A shard given
twice is refused; a missing one is warned about and the report says "shard":"partial".
FILE may be - for stdin.`,
		Example: `  parallel 'smarthook validate --format json --report json --shard {}/4 hooks/ > v{}.json' ::: 0 1 2 3
  smarthook report merge v0.json v1.json v2.json v3.json | tail -1
  smarthook report merge replay-*.json | jq .latency_ms`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return report.Merge(report.MergeOptions{Paths: args, Stdin: streams.In, Out: streams.Out, Err: streams.Err})
		},
	}
}
