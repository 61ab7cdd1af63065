package cli

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
)

func newKeysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Create, list and revoke API keys (admin key required)",
		Long: `Manage the gateway's API keys. Roles: admin (everything), readwrite (the data
plane, reading and writing), readonly (statements that do not write). A key may
be scoped to some databases with --db; it then cannot use or see any other.

Only a hash of each key is stored: the key itself is printed once, at creation.
Against a running gateway use --url; without one the keys of the local data
directory are managed (a gateway already running on it applies the change
within a second).`,
		Args: usageArgs(cobra.NoArgs),
	}
	cmd.AddCommand(newKeysCreateCmd(), newKeysListCmd(), newKeysRevokeCmd())
	return cmd
}

func newKeysCreateCmd() *cobra.Command {
	var role string
	var dbs []string
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a key and print it (shown only this once)",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withSession(cmd, func(s *Session) error {
				if err := app.RefuseIf(s.Config.ReadOnly, app.ChangeKeyCreate, args[0]); err != nil {
					return err
				}
				out, err := s.Client.CreateKey(cmd.Context(), client.NewKey{Name: args[0], Role: role, Databases: dbs})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "Created key %s (%s, %s). Store it now: it is shown only this once.\n",
					sanitize.Line(out.ID), sanitize.Line(out.Role), scopeText(out.Databases))
				_, err = fmt.Fprintln(cmd.OutOrStdout(), sanitize.Line(out.Key))
				return err
			})
		},
	}
	cmd.Flags().StringVar(&role, "role", "readonly", "admin, readwrite or readonly")
	cmd.Flags().StringSliceVar(&dbs, "db", nil, "database the key is scoped to (repeat or comma-separate; none = every database)")
	return cmd
}

func newKeysListCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List keys (never the keys themselves)",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := validFormat(format); err != nil {
				return err
			}
			return withSession(cmd, func(s *Session) error {
				keys, err := s.Client.ListKeys(cmd.Context())
				if err != nil {
					return err
				}
				g := grid{cols: []string{"id", "name", "role", "databases", "created_at", "last_used_at", "revoked_at"}}
				for _, k := range keys {
					g.rows = append(g.rows, []any{k.ID, k.Name, k.Role, scopeText(k.Databases),
						timeText(&k.CreatedAt), timeText(k.LastUsedAt), timeText(k.RevokedAt)})
				}
				return printGrid(cmd, s, format, g)
			})
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func newKeysRevokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a key by id; it stops working at once",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withSession(cmd, func(s *Session) error {
				if err := app.RefuseIf(s.Config.ReadOnly, app.ChangeKeyRevoke, args[0]); err != nil {
					return err
				}
				out, err := s.Client.RevokeKey(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "Revoked key %s (%s).\n", sanitize.Line(out.ID), sanitize.Line(out.Name))
				return err
			})
		},
	}
}

// printGrid renders g in the chosen format.
func printGrid(cmd *cobra.Command, s *Session, format string, g grid) error {
	p, err := newPrinter(cmd, s.Config, format)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := p.render(&b, g); err != nil {
		return err
	}
	return p.flush(&b)
}

func scopeText(dbs []string) string {
	if len(dbs) == 0 {
		return "all databases"
	}
	return strings.Join(dbs, ",")
}

func timeText(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.Local().Format(time.DateTime)
}
