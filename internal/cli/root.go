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
	"syscall"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes, as documented in the README.
const (
	ExitOK          = 0
	ExitProblems    = 1 // the input has problems
	ExitUsage       = 2 // bad flag, bad filter, unreadable path
	ExitInterrupted = 130
)

// IO is where a command reads and writes, and whether each stream is a terminal.
type IO struct {
	In                    io.Reader
	Out, Err              io.Writer
	InTTY, OutTTY, ErrTTY bool
	Getenv                func(string) string
	Input                 input.Options // how the command reads its inputs (see addInputFlags)
}

// SystemIO is the process's standard streams.
func SystemIO() IO {
	return IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY: isTerminal(os.Stdin), OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr),
		Getenv: os.Getenv,
	}
}

// isTerminal reports a terminal (not any character device: /dev/null is one too).
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// exitError carries an exit code; a nil Err means the command already said everything.
type exitError struct {
	Code int
	Err  error
}

func (e *exitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}
func (e *exitError) Unwrap() error { return e.Err }

// usageErrorf reports a usage error (exit 2).
func usageErrorf(format string, args ...any) error {
	return &exitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// errProblems ends a command whose findings have been printed: exit 1, no more words.
var errProblems = &exitError{Code: ExitProblems}

// errUnreadable ends a command that could not read some of its paths: exit 2.
var errUnreadable = &exitError{Code: ExitUsage}

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
		return &exitError{Code: ExitUsage, Err: err}
	})
	root.AddCommand(NewCmdValidate(streams), NewCmdFake(streams), NewCmdConvert(streams), NewCmdVersion(streams), NewCmdPretty(streams), NewCmdQuery(streams), NewCmdReplay(streams), NewCmdRedact(streams), NewCmdListen(streams), NewCmdGenDocs(streams))
	registerCompletions(root)
	return root
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
	// Cobra's own argument and command errors are usage errors.
	return ExitUsage
}
