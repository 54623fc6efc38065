package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// defaultPagerCmd pages only output longer than the screen (-F), passes colours (-R) and
// leaves the text on the screen when it quits (-X).
const defaultPagerCmd = "less -FRX"

// openPager returns where a command's output goes: through the user's pager when
// stdout is a terminal and paging is "auto", straight to stdout otherwise. The
// returned function closes the pager's input and waits for the user to quit it.
func openPager(streams IO, paging string) (io.Writer, func() error, error) {
	direct := func() error { return nil }
	if paging == "never" || !streams.OutTTY {
		return streams.Out, direct, nil
	}
	line := ""
	if streams.Getenv != nil {
		line = strings.TrimSpace(streams.Getenv("PAGER"))
	}
	userSet := line != ""
	if !userSet {
		line = defaultPagerCmd
	}
	args := strings.Fields(line)
	if args[0] == "cat" && len(args) == 1 {
		return streams.Out, direct, nil
	}
	cmd, in, err := startPagerCmd(args, streams)
	if err != nil {
		// Without a pager the output still has to reach the user.
		if userSet {
			fmt.Fprintf(streams.Err, "smarthook: warning: cannot start the pager %q: %v; writing directly\n", line, err)
		}
		return streams.Out, direct, nil
	}
	return in, func() error {
		_ = in.Close()
		// The pager's own exit status (the user quitting early, say) is no failure of ours.
		_ = cmd.Wait()
		return nil
	}, nil
}

// startPagerCmd runs the pager args with streams' output and returns it with its input.
func startPagerCmd(args []string, streams IO) (*exec.Cmd, io.WriteCloser, error) {
	path, err := exec.LookPath(args[0])
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(path, args[1:]...)
	cmd.Stdout, cmd.Stderr = streams.Out, streams.Err
	cmd.Env = os.Environ()
	// Like git: when the user has not configured less, make it keep colours and quit
	// on short output.
	if streams.Getenv == nil || streams.Getenv("LESS") == "" {
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	if streams.Getenv == nil || streams.Getenv("LV") == "" {
		cmd.Env = append(cmd.Env, "LV=-c")
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	return cmd, in, nil
}

// pagerQuit reports a write to a reader that went away, such as a pager the user
// quit before the end: not an error worth reporting.
func pagerQuit(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed)
}
