package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// enumValue is a string flag that accepts only its listed values. Its values, its
// help text, its validation and its shell completion come from this one declaration.
type enumValue struct {
	target  *string
	allowed []string
}

func (e *enumValue) String() string { return *e.target }
func (e *enumValue) Type() string   { return "string" }

// Set accepts a listed value, case-insensitively, and stores it as listed.
func (e *enumValue) Set(v string) error {
	for _, a := range e.allowed {
		if strings.EqualFold(a, v) {
			*e.target = a
			return nil
		}
	}
	return fmt.Errorf("valid values are %s", quoteList(e.allowed))
}

func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// enumFlag declares a string flag on cmd that takes one of values (default def). The
// help text gets the list of values appended; a value outside it is a usage error
// (exit 2, from the flag parser); TAB offers the values.
func enumFlag(cmd *cobra.Command, p *string, name, shorthand, def string, values []string, usage string) {
	*p = def
	cmd.Flags().VarP(&enumValue{target: p, allowed: values}, name, shorthand,
		fmt.Sprintf("%s: %s", usage, strings.Join(values, ", ")))
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}
