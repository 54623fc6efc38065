package testutil

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// BuildSmarthook builds the smarthook binary into a temporary folder of t and returns
// its path; the folder is also what to put on PATH. Go's build cache makes every build
// after the first quick. Tests that need it are end-to-end tests: skip them with
// testing.Short().
func BuildSmarthook(t testing.TB) string {
	t.Helper()
	name := "smarthook"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	bin := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("go", "build", "-o", bin, "github.com/smarthook/smarthook/cmd/smarthook")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
