package cli

import "github.com/spf13/cobra"

// colorValues are the values of every --color flag.
var colorValues = []string{"auto", "always", "never"}

// colorFlag declares a command's --color flag.
func colorFlag(cmd *cobra.Command, p *string) {
	enumFlag(cmd, p, "color", "", "auto", colorValues, "colour")
}

// colorEnabled decides whether to colour a stream: --color always/never win; auto
// colours a terminal unless NO_COLOR is set or TERM is dumb.
func colorEnabled(flag string, tty bool, getenv func(string) string) (bool, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	switch flag {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
		return tty && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb", nil
	}
	return false, usageErrorf("unknown --color %q: use auto, always or never", flag)
}
