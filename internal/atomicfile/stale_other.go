//go:build !unix

package atomicfile

import "os"

func lock(*os.File) {}

// SweepStale does nothing here: without advisory locks a killed run's temporary file
// cannot be told from a live one.
func SweepStale(string) {}
