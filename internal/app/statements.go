package app

import (
	"context"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// Querier is the client surface of running statements.
type Querier interface {
	Query(ctx context.Context, db string, req client.QueryRequest) (*client.QueryResult, error)
}

// Statements runs a person's SQL. A read-only session sends read_only
// with every statement, so the engine (SQLite itself) refuses a write
// whatever the text looks like; FirstWrite only gives the earlier,
// friendlier word.
type Statements struct {
	Client   Querier
	ReadOnly bool
	Dialect  sqltext.Dialect // the database's SQL rules, for FirstWrite (zero: SQLite's)
}

// Run sends one statement.
func (s Statements) Run(ctx context.Context, db string, req client.QueryRequest) (*client.QueryResult, error) {
	if s.ReadOnly {
		req.ReadOnly = true
	}
	return s.Client.Query(ctx, db, req)
}

// FirstWrite is the index of the first statement a read-only session
// refuses before sending it, because its text writes (read by the
// session's Dialect); -1 for none (and always -1 outside read-only mode).
// The editor asks it before its confirmation dialog, the root model
// before running what other panes send.
func (s Statements) FirstWrite(stmts ...string) int {
	if !s.ReadOnly {
		return -1
	}
	for i, st := range stmts {
		if s.Dialect.IsWrite(st) {
			return i
		}
	}
	return -1
}

// Script is what running statements in order did.
type Script struct {
	Results  []*client.QueryResult // one per statement that ran
	Err      error                 // the first failure; the statement after the last result
	Affected int64                 // rows changed by the statements that returned no rows
	Wrote    bool                  // something may have changed the schema or the data
}

// Failed is the index of the statement that failed, -1 when all ran.
func (r Script) Failed() int {
	if r.Err == nil {
		return -1
	}
	return len(r.Results)
}

// RunScript sends stmts in order, each with req's other fields, and stops
// at the first error; a cancelled ctx stops it too.
func (s Statements) RunScript(ctx context.Context, db string, stmts []string, req client.QueryRequest) Script {
	var out Script
	for _, st := range stmts {
		req.SQL = st
		res, err := s.Run(ctx, db, req)
		if err != nil {
			out.Err = err
			return out
		}
		out.Results = append(out.Results, res)
		if Wrote(st, res) {
			out.Wrote = true
			if !res.Returning() {
				out.Affected += res.RowsAffected
			}
		}
	}
	return out
}

// Wrote says a statement's answer means the schema or the data may have
// changed: it returned no rows (a write or DDL), or its text writes (an
// INSERT … RETURNING returns rows).
func Wrote(sql string, res *client.QueryResult) bool {
	return res != nil && (!res.Returning() || sqltext.IsWrite(sql))
}

// FirstDestructive is the index of the first statement that can lose data
// in a way a person confirms first (DROP, ALTER TABLE … DROP, DELETE or
// UPDATE without WHERE: sqltext's IsDestructive, read by the database's
// dialect), and why, terminal-safe; -1 and "" for none. The TUI asks in a
// dialog, the CLI's query on a terminal.
func FirstDestructive(d sqltext.Dialect, stmts ...string) (int, string) {
	for i, st := range stmts {
		if bad, why := d.IsDestructive(st); bad {
			return i, why
		}
	}
	return -1, ""
}
