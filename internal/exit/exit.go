// Package exit names what a failed run means for smarthook's exit status. Feature
// packages return these errors; the command line maps them to the process's exit code
// in one place, so an error means the same code in every command:
//
//	0   success (warnings allowed)
//	1   the input has problems, or the run failed (an I/O error such as a full disk)
//	2   usage error: bad flag, bad argument, unreadable path
//	130 interrupted
package exit

import "fmt"

// The exit codes, as documented in the README.
const (
	OK          = 0
	Problems    = 1 // the input has problems, or writing the output failed
	Usage       = 2 // bad flag, bad filter, unreadable path
	Interrupted = 130
)

// Error carries an exit code; a nil Err means the command already said everything.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

// Unwrap gives the error underneath, for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Usagef reports a usage error (exit 2): the user asked for something the command
// cannot do as asked.
func Usagef(format string, args ...any) error {
	return &Error{Code: Usage, Err: fmt.Errorf(format, args...)}
}

// UsageError marks err as a usage error (exit 2); nil stays nil.
func UsageError(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Code: Usage, Err: err}
}

// ErrProblems ends a run whose findings have been printed: exit 1, no more words.
var ErrProblems = &Error{Code: Problems}

// ErrUnreadable ends a run that could not read some of its paths, already reported:
// exit 2.
var ErrUnreadable = &Error{Code: Usage}
