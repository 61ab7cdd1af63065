package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
)

func newAuditCmd() *cobra.Command {
	var (
		format, db, key, since string
		limit                  int
	)
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show the audit log, newest first (admin key required)",
		Long: `Show who called the gateway, when, from where, on which route and database,
the statement kind (read, write, ddl, admin), rows, outcome and duration. The log
never holds keys, parameters or SQL text.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := validFormat(format); err != nil {
				return err
			}
			q := client.AuditQuery{Limit: limit, Database: db, Key: key}
			if since != "" {
				if d, err := time.ParseDuration(since); err == nil {
					q.Since = time.Now().Add(-d)
				} else if q.Since, err = time.Parse(time.RFC3339, since); err != nil {
					return usagef("--since must be an RFC 3339 time or a duration like 1h, not %q", since)
				}
			}
			return withSession(cmd, func(s *Session) error {
				out, err := s.Client.Audit(cmd.Context(), q)
				if err != nil {
					return err
				}
				g := grid{cols: []string{"time", "key", "remote", "route", "database", "kind", "rows", "status", "ms"}}
				for _, e := range out.Entries {
					who := e.KeyName
					if who == "" {
						who = e.KeyID
					}
					g.rows = append(g.rows, []any{timeText(&e.Time), who, e.RemoteAddr, e.Route, e.Database, e.Kind, e.Rows, int64(e.Status), e.DurationMs})
				}
				if out.Dropped > 0 {
					cmd.PrintErrf("note: %d audit entries were dropped (queue full) since the gateway started\n", out.Dropped)
				}
				return printGrid(cmd, s, format, g)
			})
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&limit, "limit", 100, "entries to show (at most 10000)")
	fl.StringVar(&db, "db", "", "only this database")
	fl.StringVar(&key, "key", "", "only this key (id or name)")
	fl.StringVar(&since, "since", "", "only entries since this time (RFC 3339) or this long ago (e.g. 1h)")
	addFormatFlag(cmd, &format)
	return cmd
}
