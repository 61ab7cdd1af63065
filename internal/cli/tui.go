package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// runTUI opens the terminal UI; it is the root command's default action.
func runTUI(cmd *cobra.Command, _ []string) error {
	return errors.New("the terminal UI is not built yet; try `dbforge serve` or `dbforge --help`")
}
