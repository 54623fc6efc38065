// Package cli is smarthook's command line: the root command, one file per subcommand,
// the shared flags, and the one place that prints errors and maps them to exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/iostreams"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Exit codes, as documented in the README (package exit defines them).
const (
	ExitOK          = exit.OK
	ExitProblems    = exit.Problems // the input has problems, or the run failed
	ExitUsage       = exit.Usage    // bad flag, bad filter, unreadable path
	ExitInterrupted = exit.Interrupted
)

// IO is where a command reads and writes, and whether each stream is a terminal.
type IO = iostreams.IO

// SystemIO is the process's standard streams.
func SystemIO() IO { return iostreams.System() }

// exitError carries an exit code; a nil Err means the command already said everything.
type exitError = exit.Error

// usageErrorf reports a usage error (exit 2).
func usageErrorf(format string, args ...any) error { return exit.Usagef(format, args...) }

// errProblems ends a command whose findings have been printed: exit 1, no more words.
var errProblems = exit.ErrProblems

// errUnreadable ends a command that could not read some of its paths: exit 2.
var errUnreadable = exit.ErrUnreadable

// NewRootCmd builds the smarthook command tree.
func NewRootCmd(streams IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "smarthook",
		Short: "Validate, read, query, convert and replay Smartsupp webhook payloads",
		Long: `smarthook reads the JSON that Smartsupp posts after every chat (the "POST hook"),
its REST API webhooks and its hourly stats reports, from files, folders, NDJSON,
gzip, tar and zip archives or stdin, and validates, shows, queries, converts
and replays them.`,
		Example: `  smarthook validate hooks/
  smarthook pretty --transcript chat.json
  smarthook query -r '.visitor.email' archive.tar.gz
  smarthook convert --to csv --rows messages hooks/ -o messages.csv
  smarthook replay --rate 20 --shift-time --redact https://staging.example/hook hooks/`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       ReadBuildInfo().Version,
	}
	root.SetVersionTemplate(ReadBuildInfo().String() + "\n")
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{Code: ExitUsage, Err: enumError(err)}
	})
	root.AddCommand(NewCmdValidate(streams, nil), NewCmdFake(streams, nil), NewCmdConvert(streams, nil), NewCmdVersion(streams), NewCmdPretty(streams, nil), NewCmdQuery(streams), NewCmdReplay(streams), NewCmdRedact(streams, nil), NewCmdListen(streams), NewCmdVerify(streams), NewCmdStats(streams), NewCmdReport(streams), NewCmdGenDocs(streams))
	registerCompletions(root)
	markRunErrors(root)
	return root
}

// enumError words a value refused by an enumFlag as every command words it:
// unknown --NAME "VALUE": use a, b or c.
func enumError(err error) error {
	var ive *pflag.InvalidValueError
	if !errors.As(err, &ive) {
		return err
	}
	ev, ok := ive.GetFlag().Value.(*enumValue)
	if !ok {
		return err
	}
	list := strings.Join(ev.allowed, ", ")
	if n := len(ev.allowed); n > 1 {
		list = strings.Join(ev.allowed[:n-1], ", ") + " or " + ev.allowed[n-1]
	}
	return fmt.Errorf("unknown --%s %q: use %s", ive.GetFlag().Name, ive.GetValue(), list)
}

// markRunErrors makes an error a command's run returns without an exit code (a failed
// write, a full disk) exit 1, so that the fallback of exitCode, exit 2, is left to what
// cobra itself rejects before running anything: unknown commands and bad arguments.
func markRunErrors(cmd *cobra.Command) {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(c *cobra.Command, args []string) error {
			err := run(c, args)
			var ee *exitError
			if err == nil || errors.As(err, &ee) || errors.Is(err, context.Canceled) {
				return err
			}
			return &exitError{Code: ExitProblems, Err: err}
		}
	}
	for _, sub := range cmd.Commands() {
		markRunErrors(sub)
	}
}

// Main runs smarthook with args and returns the process's exit code.
func Main(args []string, streams IO) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first Ctrl-C the command winds down; a second one kills at once.
		<-ctx.Done()
		stop()
	}()
	if path := os.Getenv("SMARTHOOK_CPUPROFILE"); path != "" {
		// For developers: profile a real run (go tool pprof smarthook PATH).
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	root := NewRootCmd(streams)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return exitCode(err, ctx, streams.Err)
}

// exitCode prints err (when it has words) and maps it to an exit code.
func exitCode(err error, ctx context.Context, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "smarthook: interrupted")
		return ExitInterrupted
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(stderr, "smarthook: %v\n", ee.Err)
		}
		return ee.Code
	}
	fmt.Fprintf(stderr, "smarthook: %v\n", err)
	// Run errors carry their code (markRunErrors): what is left is cobra's own
	// rejection of an unknown command or bad arguments, a usage error.
	return ExitUsage
}
