package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd writes a man page per command (dbforge.1, dbforge-query.1, …)
// generated from the commands' own help, so the pages cannot drift from
// --help. Hidden: it is for packagers (make man).
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write the man pages of every command into DIR",
		Hidden: true,
		Args:   usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("man: %w", err)
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true // no generator line, so pages are reproducible
			header := &doc.GenManHeader{
				Title:   "DBFORGE",
				Section: "1",
				Source:  "DB-Forge " + version(),
				Manual:  "DB-Forge Manual",
			}
			if err := doc.GenManTree(root, header, dir); err != nil {
				return fmt.Errorf("man: %w", err)
			}
			return nil
		},
	}
}
