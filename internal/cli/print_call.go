package cli

import (
	"bytes"
	"context"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
)

// printCall is a command that makes one call about database db and prints
// its answer: the call runs under the command's context (so ^C cancels
// it), and its failure is reported by onDB, which names the database.
func printCall[T any](cmd *cobra.Command, format, db string,
	call func(ctx context.Context, c *client.Client) (T, error),
	print func(p *printer, b *bytes.Buffer, v T) error) error {
	return runPrint(cmd, format, func(s *Session, p *printer, b *bytes.Buffer) error {
		ctx, stop := commandContext(cmd)
		defer stop()
		v, err := call(ctx, s.Client)
		if err != nil {
			return onDB(db, err)
		}
		return print(p, b, v)
	})
}
