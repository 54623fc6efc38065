package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version, Commit and Date are set at build time by the release build:
// -ldflags "-X github.com/smarthook/smarthook/internal/cli.Version=1.2.3 ...".
// A `go install` build falls back to the module's build information.
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// BuildInfo is the version, commit and date this binary was built from.
type BuildInfo struct {
	Version, Commit, Date, Go string
}

// ReadBuildInfo returns the build-time values, filled from the module build
// information where the release build did not set them.
func ReadBuildInfo() BuildInfo {
	b := BuildInfo{Version: Version, Commit: Commit, Date: Date, Go: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && b.Commit == "":
				b.Commit = s.Value
			case s.Key == "vcs.time" && b.Date == "":
				b.Date = s.Value
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if len(b.Commit) > 12 {
		b.Commit = b.Commit[:12]
	}
	return b
}

// UserAgent names smarthook and its version in HTTP requests.
func UserAgent() string { return "smarthook/" + ReadBuildInfo().Version }

func (b BuildInfo) String() string {
	s := "smarthook " + b.Version
	if b.Commit != "" {
		s += " (commit " + b.Commit
		if b.Date != "" {
			s += ", built " + b.Date
		}
		s += ")"
	}
	return s + " " + b.Go + " " + runtime.GOOS + "/" + runtime.GOARCH
}

// NewCmdVersion builds `smarthook version`.
func NewCmdVersion(streams IO) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version, commit and build date",
		Example: "  smarthook version\n  smarthook --version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(streams.Out, ReadBuildInfo())
			return err
		},
	}
}
