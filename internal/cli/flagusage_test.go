package cli

import (
	"strings"
	"testing"

	"github.com/smarthook/smarthook/internal/iostreams"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestFlagValueNames checks the placeholder every flag shows in --help: pflag takes
// the first `quoted` word of a usage as the value's name, so back quotes around a
// phrase turn the phrase into the placeholder ("--report smarthook report merge").
// jq's two-value flags (--arg name value) are the one intended exception.
func TestFlagValueNames(t *testing.T) {
	streams, _, _, _ := iostreams.Test()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			name, _ := pflag.UnquoteUsage(f)
			if strings.ContainsAny(name, " \t") && !strings.HasPrefix(name, "name ") {
				t.Errorf("%s --%s: value shown as %q in --help", c.CommandPath(), f.Name, name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRootCmd(streams))
}
