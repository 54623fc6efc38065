package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// docsDate is the date man pages carry: fixed, so that regenerating them changes
// nothing unless the commands changed.
var docsDate = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

// NewCmdGenDocs builds the hidden `smarthook gendocs`, which writes the shell completion
// scripts (completions/) and man pages (man/man1/) that the repository and the release
// archives ship.
func NewCmdGenDocs(streams IO) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:    "gendocs [--dir DIR]",
		Short:  "Write shell completions and man pages under DIR",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			files, err := GenerateDocs(cmd.Root())
			if err != nil {
				return err
			}
			for name, data := range files {
				path := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					return err
				}
			}
			fmt.Fprintf(streams.Err, "wrote %d files under %s\n", len(files), dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "folder to write completions/ and man/ into")
	return cmd
}

// GenerateDocs returns the completion scripts and man pages of root, by file name.
func GenerateDocs(root *cobra.Command) (map[string][]byte, error) {
	files := map[string][]byte{}
	gens := map[string]func(*bytes.Buffer) error{
		"completions/smarthook.bash": func(b *bytes.Buffer) error { return root.GenBashCompletionV2(b, true) },
		"completions/_smarthook":     func(b *bytes.Buffer) error { return root.GenZshCompletion(b) },
		"completions/smarthook.fish": func(b *bytes.Buffer) error { return root.GenFishCompletion(b, true) },
		"completions/smarthook.ps1":  func(b *bytes.Buffer) error { return root.GenPowerShellCompletionWithDesc(b) },
	}
	for name, gen := range gens {
		var b bytes.Buffer
		if err := gen(&b); err != nil {
			return nil, fmt.Errorf("generate %s: %w", name, err)
		}
		files[name] = b.Bytes()
	}
	header := &doc.GenManHeader{Section: "1", Date: &docsDate, Source: "smarthook", Manual: "smarthook manual"}
	var walk func(*cobra.Command) error
	walk = func(c *cobra.Command) error {
		if !c.IsAvailableCommand() && c != root || c.IsAdditionalHelpTopicCommand() {
			return nil
		}
		for _, sub := range c.Commands() {
			if err := walk(sub); err != nil {
				return err
			}
		}
		var b bytes.Buffer
		c.DisableAutoGenTag = true
		page := strings.ReplaceAll(c.CommandPath(), " ", "-")
		h := *header
		h.Title = strings.ToUpper(page)
		if err := doc.GenMan(c, &h, &b); err != nil {
			return fmt.Errorf("man page of %s: %w", c.CommandPath(), err)
		}
		files["man/man1/"+page+".1"] = b.Bytes()
		return nil
	}
	return files, walk(root)
}
