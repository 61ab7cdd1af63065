package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// maxSQLBytes bounds SQL read from a file or stdin.
const maxSQLBytes = 64 << 20

type queryFlags struct {
	file   string
	params []string
	limit  int
	offset int
	format string
	yes    bool // run a destructive statement without asking
}

func newQueryCmd() *cobra.Command {
	var f queryFlags
	cmd := &cobra.Command{
		Use:   "query DB [SQL | -]",
		Short: "Run one SQL statement",
		Long: `Run one SQL statement against database DB.

The SQL comes from the argument, from a file (-f FILE), or from stdin (an
argument of "-", or no SQL at all while stdin is not a terminal).

--param binds a value to the next ? (repeat it in order), or to a name with
name=value (:name, @name and $name in the SQL). Values are typed: 42 is an
INTEGER, 3.5 a REAL, null is NULL, 'quoted' is TEXT with the quotes removed
(so '42' stays text), anything else is TEXT.

Statements that return rows print them; others print the message with the
number of rows affected.

A statement that can lose data (DROP, ALTER TABLE … DROP, DELETE or UPDATE
without WHERE) is confirmed first when stdin is a terminal; --yes skips the
question, and stdin that is not a terminal (a script, a pipe) is never asked.`,
		Example: `  dbforge query shop "SELECT * FROM orders WHERE total > ?" --param 100
  dbforge query shop "INSERT INTO users(name) VALUES (:name)" --param name=alice
  dbforge query shop -f report.sql --format csv > report.csv
  echo "SELECT count(*) FROM users" | dbforge query shop`,
		Args: usageArgs(cobra.RangeArgs(1, 2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runQuery(cmd, args, f)
		},
	}
	addStatementFlags(cmd, &f)
	fl := cmd.Flags()
	fl.IntVar(&f.limit, "limit", 0, "rows to return at most (default row_limit from the config, 1000)")
	fl.IntVar(&f.offset, "offset", 0, "rows to skip")
	fl.BoolVar(&f.yes, "yes", false, "run a destructive statement without asking")
	addFormatFlag(cmd, &f.format)
	return cmd
}

func runQuery(cmd *cobra.Command, args []string, f queryFlags) error {
	if err := validFormat(f.format); err != nil {
		return err
	}
	if f.limit < 0 || f.offset < 0 {
		return usagef("--limit and --offset must not be negative")
	}
	db, sql, params, err := statementArgs(cmd, args, f)
	if err != nil {
		return err
	}
	return withSession(cmd, func(s *Session) error {
		p, err := newPrinter(cmd, s.Config, f.format)
		if err != nil {
			return err
		}
		limit := f.limit
		if limit == 0 {
			limit = s.Config.RowLimit
		}
		ctx, stop := commandContext(cmd)
		defer stop()
		if err := confirmDestructive(ctx, cmd, s, db, sql, f.yes); err != nil {
			return err
		}
		run := app.Statements{Client: s.Client, ReadOnly: s.Config.ReadOnly}
		res, err := run.Run(ctx, db, client.QueryRequest{SQL: sql, Params: params, Limit: limit, Offset: f.offset})
		if err != nil {
			return onDB(db, err)
		}
		var b bytes.Buffer
		if err := p.queryResult(&b, res, f.offset); err != nil {
			return err
		}
		if res.HasMore && p.format != fmtTable {
			fmt.Fprintf(cmd.ErrOrStderr(), "note: more rows follow; read them with --offset %d\n", f.offset+len(res.Rows))
		}
		return p.flush(&b)
	})
}

// confirmDestructive asks on the terminal before a statement that can
// lose data runs (app.FirstDestructive, by the database's dialect). --yes,
// or stdin that is not a terminal (a script, a pipe), passes through
// unasked, so scripts run as they always did.
func confirmDestructive(ctx context.Context, cmd *cobra.Command, s *Session, db, sql string, yes bool) error {
	in := cmd.InOrStdin()
	if yes || !isTerminal(in) {
		return nil
	}
	i, why := app.FirstDestructive(dialectOf(ctx, s.Client, db), sql)
	if i < 0 {
		return nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%s.\nRun it? [y/N] ", why)
	answer, _ := bufio.NewReader(in).ReadString('\n') // no answer (EOF) is a no
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	return fmt.Errorf("not run: %s (answer y, or pass --yes)", why)
}

// dialectOf is the SQL dialect of db's backend; SQLite's when the gateway
// does not say (the statement then meets any error of its own).
func dialectOf(ctx context.Context, c *client.Client, db string) sqltext.Dialect {
	st, err := c.DatabaseStats(ctx, db)
	if err != nil || st == nil {
		return sqltext.SQLite
	}
	return sqltext.DialectOf(st.Backend)
}

// readSQL finds the statement: the argument, -f FILE, or stdin.
func readSQL(cmd *cobra.Command, rest []string, file string) (string, error) {
	var (
		sql string
		err error
	)
	switch {
	case len(rest) > 0 && file != "":
		return "", usagef("give the SQL either as an argument or with -f, not both")
	case file == "-" || len(rest) > 0 && rest[0] == "-":
		sql, err = readAll(cmd.InOrStdin(), "stdin")
	case file != "":
		fh, ferr := os.Open(file)
		if ferr != nil {
			return "", fmt.Errorf("reading SQL: %w", ferr)
		}
		defer fh.Close()
		sql, err = readAll(fh, file)
	case len(rest) > 0:
		sql = rest[0]
	case isTerminal(cmd.InOrStdin()):
		return "", usagef("no SQL given: pass it as an argument, with -f FILE, or on stdin")
	default:
		sql, err = readAll(cmd.InOrStdin(), "stdin")
	}
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(sql) == "" {
		return "", usagef("no SQL given: the statement is empty")
	}
	return sql, nil
}

func readAll(r io.Reader, name string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSQLBytes+1))
	if err != nil {
		return "", fmt.Errorf("reading SQL from %s: %w", name, err)
	}
	if len(b) > maxSQLBytes {
		return "", errors.New("SQL from " + name + " is larger than 64 MiB")
	}
	return string(b), nil
}

// writeResult is the JSON shape of a statement that returns no rows,
// with the gateway's keys.
type writeResult struct {
	Message      string `json:"message"`
	RowsAffected int64  `json:"rows_affected"`
	LastInsertID int64  `json:"last_insert_id"`
}

// queryResult renders a statement's answer: its rows, or its message.
func (p *printer) queryResult(b *bytes.Buffer, res *client.QueryResult, offset int) error {
	if !res.Returning() {
		return p.message(b, res)
	}
	g := grid{cols: make([]string, len(res.Columns)), rows: res.Rows}
	for i, c := range res.Columns {
		g.cols[i] = c.Name
	}
	if err := p.render(b, g); err != nil {
		return err
	}
	if p.format == fmtTable {
		b.WriteString(p.footer(rowCount(len(res.Rows), res.HasMore, offset)))
	}
	return nil
}

// rowCount says how many rows were shown and how to read the rest.
func rowCount(n int, more bool, offset int) string {
	s := fmt.Sprintf("(%d row%s", n, plural(n))
	if more {
		s += fmt.Sprintf("; more follow: --offset %d", offset+n)
	}
	return s + ")"
}

// message renders a write's outcome in the chosen format.
func (p *printer) message(b *bytes.Buffer, res *client.QueryResult) error {
	w := writeResult{Message: res.Message, RowsAffected: res.RowsAffected, LastInsertID: res.LastInsertID}
	switch p.format {
	case fmtJSON:
		return writeJSONDoc(b, w)
	case fmtCSV:
		return writeCSV(b, grid{
			cols: []string{"message", "rows_affected", "last_insert_id"},
			rows: [][]any{{w.Message, w.RowsAffected, w.LastInsertID}},
		})
	}
	line := displayText(w.Message)
	line += fmt.Sprintf(" (%d row%s affected", w.RowsAffected, plural(int(w.RowsAffected)))
	if w.LastInsertID != 0 {
		line += fmt.Sprintf(", last insert id %d", w.LastInsertID)
	}
	b.WriteString(line + ")\n")
	return nil
}

// footer is a muted line under a table.
func (p *printer) footer(s string) string {
	if p.styled {
		s = p.th.Muted.Render(s)
	}
	return s + "\n"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
