package cli

import (
	"context"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
)

// commandContext is cmd's context, cancelled on the first Ctrl-C so a long
// statement is interrupted and the session still closes cleanly.
func commandContext(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	return signal.NotifyContext(ctx, os.Interrupt)
}
