//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// lock marks a temporary file as in use for as long as it is open: an advisory lock
// that dies with the process, so that SweepStale can tell a killed run's file from a
// live one.
func lock(f *os.File) {
	syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// staleAge is how old a temporary file must be before SweepStale takes it for a
// killed run's: a file just created might not be locked yet.
const staleAge = 10 * time.Second

// SweepStale removes the temporary files that runs writing final left behind when
// they were killed (a crash, kill -9, a power cut): those no live process holds open,
// last written more than a few seconds ago. Files of live runs are left alone.
func SweepStale(final string) {
	names, _ := filepath.Glob(filepath.Join(filepath.Dir(final), "."+globEscape(filepath.Base(final))+".*.tmp"))
	for _, name := range names {
		info, err := os.Lstat(name)
		if err != nil || !info.Mode().IsRegular() || time.Since(info.ModTime()) < staleAge {
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			os.Remove(name)
		}
		f.Close()
	}
}

// globEscape escapes the characters filepath.Match treats specially.
func globEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune("*?[\\", c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
