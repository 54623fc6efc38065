package exit

import (
	"errors"
	"io/fs"
	"testing"
)

func TestUsageErrorKeepsTheCause(t *testing.T) {
	err := UsageError(fs.ErrNotExist)
	var e *Error
	if !errors.As(err, &e) || e.Code != Usage {
		t.Fatalf("UsageError = %#v, want code %d", err, Usage)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the cause is lost: %v", err)
	}
	if UsageError(nil) != nil {
		t.Errorf("UsageError(nil) is not nil")
	}
}

func TestUsagefAndSilentErrors(t *testing.T) {
	if got := Usagef("bad --x %q", "y").Error(); got != `bad --x "y"` {
		t.Errorf("Usagef text = %q", got)
	}
	if ErrProblems.Code != Problems || ErrUnreadable.Code != Usage {
		t.Errorf("codes: problems %d, unreadable %d", ErrProblems.Code, ErrUnreadable.Code)
	}
	if got := ErrProblems.Error(); got != "exit status 1" {
		t.Errorf("silent error text = %q", got)
	}
}
