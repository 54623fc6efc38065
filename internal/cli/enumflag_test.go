package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestEnumFlag(t *testing.T) {
	var got string
	newCmd := func() *cobra.Command {
		cmd := &cobra.Command{Use: "x", SilenceUsage: true, SilenceErrors: true, RunE: func(*cobra.Command, []string) error { return nil }}
		enumFlag(cmd, &got, "mode", "m", "fast", []string{"fast", "slow", "none"}, "how to run")
		return cmd
	}
	cases := []struct {
		args    []string
		want    string
		wantErr string
	}{
		{nil, "fast", ""},
		{[]string{"--mode", "slow"}, "slow", ""},
		{[]string{"-m", "NONE"}, "none", ""},
		{[]string{"--mode", "xml"}, "", `valid values are "fast", "slow" or "none"`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			cmd := newCmd()
			cmd.SetArgs(c.args)
			err := cmd.Execute()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
	cmd := newCmd()
	if u := cmd.Flags().Lookup("mode").Usage; !strings.Contains(u, "fast, slow, none") {
		t.Errorf("usage %q does not list the values", u)
	}
	fn, ok := cmd.GetFlagCompletionFunc("mode")
	if !ok {
		t.Fatal("no completion registered")
	}
	if vals, _ := fn(cmd, nil, ""); strings.Join(vals, ",") != "fast,slow,none" {
		t.Errorf("completion = %v", vals)
	}
}
