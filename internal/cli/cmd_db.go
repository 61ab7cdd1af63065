package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/units"
)

func newDBCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "List, spawn, prune, delete, fork and inspect databases",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usagef("missing subcommand: list, spawn, prune, delete, info, stats or fork (see dbforge db --help)")
		},
	}
	cmd.AddCommand(newDBListCmd(), newDBSpawnCmd(), newDBPruneCmd(), newDBDeleteCmd(), newDBInfoCmd(), newDBStatsCmd(),
		newDBForkCmd())
	return cmd
}

func newDBListCmd() *cobra.Command {
	var all bool
	var format string
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List running databases (--all adds pruned ones)",
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPrint(cmd, format, func(s *Session, p *printer, b *bytes.Buffer) error {
				ctx, stop := commandContext(cmd)
				defer stop()
				dbs, err := s.Client.ListDatabases(ctx, all)
				if err != nil {
					return err
				}
				if dbs == nil {
					dbs = []client.Database{}
				}
				return p.doc(b, dbs, "", databasesGrid(dbs))
			})
		},
	}
	cmd.Flags().BoolVarP(&all, "all", "a", false, "include pruned (stopped) databases")
	addFormatFlag(cmd, &format)
	return cmd
}

func databasesGrid(dbs []client.Database) grid {
	g := grid{cols: []string{"name", "status", "backend", "size", "created", "last_accessed"}}
	for _, d := range dbs {
		g.rows = append(g.rows, []any{d.Name, d.Status, orNull(d.Backend), units.Bytes(d.SizeBytes), fmtTime(d.CreatedAt), fmtTime(d.LastAccessed)})
	}
	return g
}

// lifecycleResult is the JSON shape of spawn, prune and delete.
type lifecycleResult struct {
	Message     string `json:"message"`
	DBName      string `json:"db_name"`
	ContainerID string `json:"container_id,omitempty"`
	Created     *bool  `json:"created,omitempty"`
	Restarted   *bool  `json:"restarted,omitempty"`
}

func (r lifecycleResult) grid() grid {
	return grid{cols: []string{"db_name", "message"}, rows: [][]any{{r.DBName, r.Message}}}
}

func (r lifecycleResult) text() string {
	msg := displayText(r.Message)
	if r.Restarted != nil && *r.Restarted {
		msg += " (started again with its data)"
	}
	return displayText(r.DBName) + ": " + msg + "\n"
}

// newLifecycleCmd builds spawn, prune and delete: one name, one call, one
// message; refused in read-only mode as app's change.
func newLifecycleCmd(use string, change app.Change, short, long string, call func(*cobra.Command, *client.Client, string) (lifecycleResult, error)) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   use + " NAME",
		Short: short,
		Long:  long,
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			return runPrint(cmd, format, func(s *Session, p *printer, b *bytes.Buffer) error {
				if err := app.RefuseIf(s.Config.ReadOnly, change, name); err != nil {
					return err
				}
				r, err := call(cmd, s.Client, name)
				if err != nil {
					return onDB(name, err)
				}
				return p.doc(b, r, r.text(), r.grid())
			})
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func newDBSpawnCmd() *cobra.Command {
	var from spawnFrom
	var backend string
	cmd := newLifecycleCmd("spawn", app.ChangeSpawn, "Create a database, or start a pruned one again",
		"Create database NAME, or start it again with its data if it was pruned.\n"+spawnBackendHelp+spawnFromHelp,
		func(cmd *cobra.Command, c *client.Client, name string) (lifecycleResult, error) {
			ctx, stop := commandContext(cmd)
			defer stop()
			opts, err := from.options(cmd)
			if err != nil {
				return lifecycleResult{}, err
			}
			opts.Backend = backend
			r, err := c.SpawnWith(ctx, name, opts)
			if err != nil {
				return lifecycleResult{}, err
			}
			created, restarted := r.Created, r.Restarted
			return lifecycleResult{Message: r.Message, DBName: name, ContainerID: r.ID, Created: &created, Restarted: &restarted}, nil
		})
	from.addFlags(cmd)
	cmd.Flags().StringVar(&backend, "backend", "", "storage engine of a new database: "+strings.Join(client.Backends(), " or ")+" (default: the gateway's, sqlite)")
	check := cmd.Args
	cmd.Args = func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return err
		}
		return validateBackend(backend)
	}
	return cmd
}

// spawnBackendHelp documents spawn's --backend flag.
const spawnBackendHelp = `
--backend picks the storage engine of a new database: sqlite (the
default) or postgres, which needs a gateway started with --postgres (one
without it refuses, naming the backends it has). A database keeps its
backend; db list shows it.
`

// validateBackend refuses a --backend value no gateway offers before any
// request is sent; "" leaves the choice to the gateway.
func validateBackend(b string) error {
	if b == "" || slices.Contains(client.Backends(), b) {
		return nil
	}
	return usagef("unknown backend %q for --backend: use %s", b, strings.Join(client.Backends(), " or "))
}

func newDBPruneCmd() *cobra.Command {
	return newLifecycleCmd("prune", app.ChangePrune, "Stop a database, keeping its data",
		"Stop database NAME. Its data is kept; `dbforge db spawn NAME` starts it again.",
		func(cmd *cobra.Command, c *client.Client, name string) (lifecycleResult, error) {
			ctx, stop := commandContext(cmd)
			defer stop()
			r, err := c.Prune(ctx, name)
			if client.IsNotFound(err) {
				return lifecycleResult{}, fmt.Errorf("database %q not found or already pruned", name)
			}
			if err != nil {
				return lifecycleResult{}, err
			}
			return lifecycleResult{Message: r.Message, DBName: name}, nil
		})
}

func newDBDeleteCmd() *cobra.Command {
	var force bool
	cmd := newLifecycleCmd("delete", app.ChangeDelete, "Delete a database and its files for good (needs --force)",
		"Delete database NAME and all of its files. This cannot be undone, so it needs --force.",
		func(cmd *cobra.Command, c *client.Client, name string) (lifecycleResult, error) {
			ctx, stop := commandContext(cmd)
			defer stop()
			r, err := c.DeleteDatabase(ctx, name, true)
			if err != nil {
				return lifecycleResult{}, err
			}
			return lifecycleResult{Message: r.Message, DBName: name}, nil
		})
	cmd.Flags().BoolVar(&force, "force", false, "really delete the database and its files")
	check := cmd.Args
	cmd.Args = func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return err
		}
		if !force {
			return usageError{errors.New("deleting removes the database and its files for good; add --force to confirm (or use `dbforge db prune` to stop it and keep the data)")}
		}
		return nil
	}
	return cmd
}

func newDBInfoCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "info NAME",
		Short: "Show a database's details: size, tables, indexes, journal",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			return printCall(cmd, format, name, func(ctx context.Context, c *client.Client) (*client.DatabaseDetails, error) {
				return c.Database(ctx, name)
			}, func(p *printer, b *bytes.Buffer, d *client.DatabaseDetails) error {
				if p.format == fmtJSON {
					return writeJSONDoc(b, d)
				}
				return p.sections(b, detailsGrid(d), tablesGrid(d))
			})
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func detailsGrid(d *client.DatabaseDetails) grid {
	return fieldGrid(
		"name", d.Name,
		"status", d.Status,
		"backend", d.Backend,
		"size", units.Bytes(d.SizeBytes),
		"created", fmtTime(d.CreatedAt),
		"last_accessed", fmtTime(d.LastAccessed),
		"read_only", d.ReadOnly,
		"journal_mode", d.JournalMode,
		"page_size", d.PageSize,
		"page_count", d.PageCount,
		"wal_size", units.Bytes(d.WALBytes),
	)
}

func tablesGrid(d *client.DatabaseDetails) grid {
	g := grid{cols: []string{"table", "rows", "indexes"}}
	for _, t := range d.Tables {
		n := int64(0)
		for _, ix := range d.Indexes {
			if ix.Table == t.Name {
				n++
			}
		}
		g.rows = append(g.rows, []any{t.Name, t.RowCount, n})
	}
	return g
}

func newDBStatsCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "stats NAME",
		Short: "Show a database's health: queries, errors, latency",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			return printCall(cmd, format, name, func(ctx context.Context, c *client.Client) (*client.DatabaseStats, error) {
				return c.DatabaseStats(ctx, name)
			}, func(p *printer, b *bytes.Buffer, st *client.DatabaseStats) error {
				return p.doc(b, st, "", statsGrid(st))
			})
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

// statsGrid is db stats' table; transactions_total only exists for
// PostgreSQL databases.
func statsGrid(st *client.DatabaseStats) grid {
	kv := []any{
		"name", st.Name,
		"status", st.Status,
		"backend", orNull(st.Backend),
		"uptime", fmtSeconds(st.UptimeSeconds),
		"open_connections", st.OpenConnections,
	}
	if st.Backend == client.BackendPostgres {
		kv = append(kv, "transactions_total", st.TransactionsTotal)
	}
	return fieldGrid(append(kv,
		"queries_total", st.QueriesTotal,
		"errors_total", st.ErrorsTotal,
		"rows_read", st.RowsRead,
		"rows_written", st.RowsWritten,
		"size", units.Bytes(st.SizeBytes),
		"wal_size", units.Bytes(st.WALBytes),
		"latency_p50_ms", st.Latency.P50,
		"latency_p95_ms", st.Latency.P95,
		"latency_p99_ms", st.Latency.P99,
		"samples", len(st.Series),
	)...)
}
