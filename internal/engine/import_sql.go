package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// snippetRunes is how much of a failing statement an error quotes.
const snippetRunes = 80

// ScriptResult reports a script run by ImportSQL.
type ScriptResult struct {
	Statements   int   // statements run
	RowsAffected int64 // rows changed, as SQLite's total_changes() counts them
}

// ScriptError names the statement of a script that failed. Err is the
// engine's error for it (*SQLError, ErrTimeout, ErrQuotaExceeded, …).
type ScriptError struct {
	Index     int    // 1-based position among the script's statements
	Line      int    // 1-based line where it starts
	Statement string // its first characters, sanitized for one line
	Err       error
}

func (e *ScriptError) Error() string {
	return fmt.Sprintf("statement %d (line %d: %s): %v", e.Index, e.Line, e.Statement, e.Err)
}

func (e *ScriptError) Unwrap() error { return e.Err }

// ImportSQL runs a multi-statement script in one transaction on the writer:
// every statement or none is kept. The script may hold its own BEGIN … COMMIT
// around its statements (a dump does); they are folded into the one
// transaction, and any other transaction control is refused. Foreign keys
// are checked at COMMIT (a dump inserts children before parents). The run is
// bounded by TransferTimeout.
func (e *Engine) ImportSQL(ctx context.Context, db, script string) (ScriptResult, error) {
	if res, ok, err := backendTransfer(e, ctx, db, func(ctx context.Context, d Database) (ScriptResult, error) { return d.ImportSQL(ctx, script) }); ok {
		return res, err
	}
	inst, c, err := e.running(db)
	if err != nil {
		return ScriptResult{}, err
	}
	defer c.release()
	stmts, err := scriptStatements(script)
	if err != nil {
		return ScriptResult{}, err
	}
	start := time.Now()
	inst.touch(start)
	ctx, cancel := context.WithTimeout(ctx, e.cfg.TransferTimeout)
	defer cancel()
	res, err := execScript(ctx, c, stmts)
	inst.stats.record(time.Since(start), &Result{RowsAffected: res.RowsAffected}, err)
	return res, err
}

// execScript runs the statements in one transaction on c's writer: every
// statement or none is kept.
func execScript(ctx context.Context, c *conns, stmts []indexedStatement) (ScriptResult, error) {
	var res ScriptResult
	err := c.inTx(ctx, func(tx *sql.Tx) error {
		for i, st := range stmts {
			if _, err := tx.ExecContext(ctx, st.Text); err != nil {
				return &ScriptError{Index: st.index, Line: st.Line, Statement: snippet(st.Text), Err: mapErr(ctx, err)}
			}
			res.Statements = i + 1
		}
		return nil
	}, &res.RowsAffected)
	if err != nil {
		return ScriptResult{}, mapErr(ctx, err)
	}
	return res, nil
}

// indexedStatement is a statement with its position in the whole script.
type indexedStatement struct {
	sqltext.Statement
	index int
}

// scriptStatements splits the script and drops its own BEGIN and final
// COMMIT/END, refusing transaction control that would break the
// all-or-nothing run.
func scriptStatements(script string) ([]indexedStatement, error) {
	all := sqltext.Split(script)
	if len(all) == 0 {
		return nil, ErrEmptyStatement
	}
	out := make([]indexedStatement, 0, len(all))
	begun, ended := false, false
	for i, st := range all {
		where := func(msg string) error {
			return &BadInputError{Msg: fmt.Sprintf("Statement %d (line %d: %s): %s", i+1, st.Line, snippet(st.Text), msg)}
		}
		if ended {
			return nil, where("nothing may follow the script's COMMIT; the whole script runs in one transaction.")
		}
		switch st.Keyword() {
		case "BEGIN":
			if begun {
				return nil, where("a script may open one transaction only; it runs in one transaction as a whole.")
			}
			begun = true
			continue
		case "COMMIT", "END":
			if !begun {
				return nil, where("COMMIT without BEGIN.")
			}
			ended = true
			continue
		case "ROLLBACK":
			if !sqltext.HasWord(st.Text, "TO") {
				return nil, where("ROLLBACK is not allowed in a script; a failing statement already rolls back everything. Use SAVEPOINT and ROLLBACK TO.")
			}
		case "VACUUM", "ATTACH", "DETACH":
			return nil, where(st.Keyword() + " is not allowed in a script.")
		}
		out = append(out, indexedStatement{Statement: st, index: i + 1})
	}
	if begun && !ended {
		return nil, &BadInputError{Msg: "The script opens a transaction (BEGIN) but never commits it."}
	}
	return out, nil
}

// snippet is the start of a statement, on one line and safe to show.
func snippet(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) > snippetRunes {
		r := []rune(text)
		text = string(r[:snippetRunes]) + "…"
	}
	return sanitize.Line(text)
}

// beginTx begins a transaction on a connection of the engine's own (the
// writer, a reader) that only its caller ends, with Commit or Rollback.
// database/sql rolls back a transaction whose context ends on a goroutine
// of its own, and a *sql.Conn lets the next call in meanwhile: its BEGIN
// failed with "cannot start a transaction within a transaction", and a
// plain INSERT of the next call ran inside the dead transaction and was
// rolled back with it. The statements inside still run under ctx, so a
// caller that goes away still interrupts them.
func beginTx(ctx context.Context, conn *sql.Conn) (*sql.Tx, error) {
	return conn.BeginTx(context.WithoutCancel(ctx), nil)
}

// inTx runs fn in one transaction on the writer with foreign keys checked
// at COMMIT. changed receives the rows the transaction changed when it
// commits.
func (c *conns) inTx(ctx context.Context, fn func(tx *sql.Tx) error, changed *int64) (err error) {
	defer func() { err = c.full(err) }()
	if err := c.acquireWriter(ctx, time.Time{}); err != nil {
		return err
	}
	defer c.releaseWriter()
	defer c.settleSchema(c.schemaGen.Load())
	before, err := c.syncedTotal(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// keep total_changes in step whatever happened
		c.writer.QueryRowContext(context.Background(), "SELECT total_changes()").Scan(&c.total)
	}()
	c.inScript.Store(true)
	defer c.inScript.Store(false)
	tx, err := beginTx(ctx, c.writer)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys=ON"); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	var total int64
	if err := tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&total); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		// deferred foreign keys fail here, not at the statement
		var se *SQLError
		if errors.As(mapErr(ctx, err), &se) {
			return &SQLError{Msg: se.Msg + " (checked when the transaction commits)"}
		}
		return err
	}
	*changed = total - before
	return nil
}
