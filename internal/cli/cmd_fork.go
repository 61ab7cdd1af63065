package cli

import (
	"bytes"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/internal/app"
)

// forkResult is the printed shape of `db fork`.
type forkResult struct {
	Message string `json:"message"`
	DBName  string `json:"db_name"`
	Source  string `json:"source"`
	Backup  string `json:"backup,omitempty"`
}

func (r forkResult) text() string {
	from := displayText(r.Source)
	if r.Backup != "" {
		from += " (backup " + displayText(r.Backup) + ")"
	}
	return displayText(r.DBName) + ": forked from " + from + "\n"
}

func (r forkResult) grid() grid {
	return grid{cols: []string{"db_name", "source", "backup", "message"}, rows: [][]any{{r.DBName, r.Source, orNull(r.Backup), r.Message}}}
}

func newDBForkCmd() *cobra.Command {
	var backup, format string
	cmd := &cobra.Command{
		Use:   "fork SRC DST",
		Short: "Copy a database as a new, independent one (live, or from a backup)",
		Long: `Copy database SRC as the new database DST. The copy is a consistent
snapshot of SRC taken while it keeps serving writes; with --backup NAME it is
that backup of SRC instead (see dbforge backups SRC). DST must not exist.
Changes to either database never show in the other.`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, dst := args[0], args[1]
			return runPrint(cmd, format, func(s *Session, p *printer, b *bytes.Buffer) error {
				if err := app.RefuseIf(s.Config.ReadOnly, app.ChangeFork, src); err != nil {
					return err
				}
				ctx, stop := commandContext(cmd)
				defer stop()
				f, err := app.Fork(ctx, s.Client, src, dst, backup)
				if err != nil {
					return onDB(src, err)
				}
				r := forkResult{Message: f.Message, DBName: f.DBName, Source: f.Source, Backup: f.Backup}
				return p.doc(b, r, r.text(), r.grid())
			})
		},
	}
	cmd.Flags().StringVar(&backup, "backup", "", "fork from this backup of SRC instead of the live database")
	addFormatFlag(cmd, &format)
	return cmd
}
