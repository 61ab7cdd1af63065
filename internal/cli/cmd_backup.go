package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/units"
)

func newBackupCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "backup DB",
		Short: "Take a consistent snapshot of a database (writes may go on)",
		Long: `Take a consistent online snapshot of database DB while it keeps serving
reads and writes. "dbforge backups DB" lists the snapshots and
"dbforge restore DB NAME" brings one back.`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			db := args[0]
			return printCall(cmd, format, db, func(ctx context.Context, c *client.Client) (*client.BackupResult, error) {
				return app.Backup(ctx, c, db)
			}, printBackupResult)
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func newBackupsCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "backups DB",
		Short: "List a database's backups, newest first",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			db := args[0]
			return printCall(cmd, format, db, func(ctx context.Context, c *client.Client) ([]client.BackupInfo, error) {
				return c.Backups(ctx, db)
			}, func(p *printer, b *bytes.Buffer, list []client.BackupInfo) error {
				g := grid{cols: []string{"name", "created", "size"}}
				for _, bk := range list {
					g.rows = append(g.rows, []any{bk.Name, fmtTime(bk.CreatedAt), units.Bytes(bk.SizeBytes)})
				}
				if p.format == fmtJSON {
					return writeJSONDoc(b, list)
				}
				return p.render(b, g)
			})
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func newRestoreCmd() *cobra.Command {
	var format string
	var force bool
	cmd := &cobra.Command{
		Use:   "restore DB BACKUP",
		Short: "Replace a database's content with one of its backups",
		Long: `Replace the content of database DB with backup BACKUP (a name from
"dbforge backups DB"). Everything written since that backup is lost: take a
fresh backup first if you may want it back. --force confirms.`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, name := args[0], args[1]
			if !force {
				return usageError{errors.New("restoring replaces everything written since that backup; add --force to confirm (`dbforge backup " + db + "` first keeps the current state)")}
			}
			return runPrint(cmd, format, func(s *Session, p *printer, b *bytes.Buffer) error {
				if err := app.RefuseIf(s.Config.ReadOnly, app.ChangeRestore, db); err != nil {
					return err
				}
				ctx, stop := commandContext(cmd)
				defer stop()
				r, err := app.Restore(ctx, s.Client, db, name)
				if ae := (*client.APIError)(nil); errors.As(err, &ae) && ae.Code == client.CodeBackupNotFound {
					return fmt.Errorf("backup %q of database %q not found (see dbforge backups %s)", name, db, db)
				}
				if err != nil {
					return onDB(db, err)
				}
				return printBackupResult(p, b, r)
			})
		},
	}
	addFormatFlag(cmd, &format)
	cmd.Flags().BoolVar(&force, "force", false, "confirm that data written since the backup is lost")
	return cmd
}

func printBackupResult(p *printer, b *bytes.Buffer, r *client.BackupResult) error {
	text := fmt.Sprintf("%s: %s %s (%s)\n", displayText(r.DBName), displayText(r.Message), displayText(r.Name), units.Bytes(r.SizeBytes))
	return p.doc(b, r, text, fieldGrid(
		"db_name", r.DBName,
		"message", r.Message,
		"name", r.Name,
		"created", fmtTime(r.CreatedAt),
		"size_bytes", r.SizeBytes,
	))
}
