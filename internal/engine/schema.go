package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// readerCall runs fn on a reader under the query timeout and maps its error.
func (e *Engine) readerCall(ctx context.Context, db string, fn func(ctx context.Context, rc *sql.Conn) error) error {
	inst, c, err := e.running(db)
	if err != nil {
		return err
	}
	defer c.release()
	inst.touch(time.Now())
	ctx, cancel := context.WithTimeout(ctx, e.cfg.QueryTimeout)
	defer cancel()
	rc, err := c.acquireFullReader(ctx)
	if err != nil {
		return mapErr(ctx, err)
	}
	defer c.releaseReader(rc)
	return mapErr(ctx, fn(ctx, rc))
}

// Schema introspects the database, or one table/view when table != "".
// Internal sqlite_* tables are left out.
func (e *Engine) Schema(ctx context.Context, db, table string) (*Schema, error) {
	if table != "" && !ValidIdentifier(table) {
		return nil, fmt.Errorf("%w: table name %q", ErrInvalidIdentifier, table)
	}
	if s, ok, err := e.backendSchema(ctx, db, table); ok {
		return s, err
	}
	var out *Schema
	err := e.readerCall(ctx, db, func(ctx context.Context, rc *sql.Conn) error {
		var err error
		out, err = readSchema(ctx, rc, table)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func readSchema(ctx context.Context, rc *sql.Conn, only string) (*Schema, error) {
	s := &Schema{Tables: []TableSchema{}, Triggers: []Trigger{}}
	rows, err := rc.QueryContext(ctx, `SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_schema
		WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
		AND (? = '' OR name = ? OR (type = 'trigger' AND tbl_name = ?))
		ORDER BY type = 'trigger', name`, only, only, only)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var typ, name, tbl, text string
		if err := rows.Scan(&typ, &name, &tbl, &text); err != nil {
			rows.Close()
			return nil, err
		}
		if typ == "trigger" {
			s.Triggers = append(s.Triggers, Trigger{Name: name, Table: tbl, SQL: text})
			continue
		}
		s.Tables = append(s.Tables, TableSchema{Name: name, Type: typ, SQL: text})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if only != "" && len(s.Tables) == 0 {
		return nil, &SQLError{Msg: "no such table: " + only}
	}
	for i := range s.Tables {
		if err := describeTable(ctx, rc, &s.Tables[i]); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// describeTable fills columns, indexes, foreign keys and (for tables) the row count.
func describeTable(ctx context.Context, rc *sql.Conn, t *TableSchema) error {
	t.Columns, t.Indexes, t.ForeignKeys = []ColumnSchema{}, []IndexSchema{}, []ForeignKey{}
	rows, err := rc.QueryContext(ctx, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?) WHERE hidden != 1 ORDER BY cid`, t.Name)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c ColumnSchema
		var dflt sql.NullString
		var pk int64
		if err := rows.Scan(&c.Name, &c.Type, &c.NotNull, &dflt, &pk); err != nil {
			rows.Close()
			return err
		}
		if dflt.Valid {
			c.Default = &dflt.String
		}
		c.PrimaryKey = pk > 0
		t.Columns = append(t.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if t.Type != "table" {
		return nil
	}
	if t.Indexes, err = readIndexes(ctx, rc, t.Name); err != nil {
		return err
	}
	if t.ForeignKeys, err = readForeignKeys(ctx, rc, t.Name); err != nil {
		return err
	}
	return rc.QueryRowContext(ctx, "SELECT count(*) FROM "+sqltext.QuoteIdent(t.Name)).Scan(&t.RowCount)
}

func readIndexes(ctx context.Context, rc *sql.Conn, table string) ([]IndexSchema, error) {
	rows, err := rc.QueryContext(ctx, `SELECT l.name, l."unique", COALESCE(s.sql, '')
		FROM pragma_index_list(?) AS l LEFT JOIN sqlite_schema AS s ON s.type = 'index' AND s.name = l.name
		ORDER BY l.name`, table)
	if err != nil {
		return nil, err
	}
	out := []IndexSchema{}
	for rows.Next() {
		var ix IndexSchema
		if err := rows.Scan(&ix.Name, &ix.Unique, &ix.SQL); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, ix)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		cols, err := rc.QueryContext(ctx, `SELECT COALESCE(name, '<expr>') FROM pragma_index_info(?) ORDER BY seqno`, out[i].Name)
		if err != nil {
			return nil, err
		}
		out[i].Columns = []string{}
		for cols.Next() {
			var name string
			if err := cols.Scan(&name); err != nil {
				cols.Close()
				return nil, err
			}
			out[i].Columns = append(out[i].Columns, name)
		}
		cols.Close()
		if err := cols.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func readForeignKeys(ctx context.Context, rc *sql.Conn, table string) ([]ForeignKey, error) {
	rows, err := rc.QueryContext(ctx, `SELECT id, "table", "from", COALESCE("to", '') FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ForeignKey{}
	last := int64(-1)
	for rows.Next() {
		var id int64
		var ref, from, to string
		if err := rows.Scan(&id, &ref, &from, &to); err != nil {
			return nil, err
		}
		if id != last {
			out = append(out, ForeignKey{Columns: []string{}, RefTable: ref, RefColumns: []string{}})
			last = id
		}
		fk := &out[len(out)-1]
		fk.Columns = append(fk.Columns, from)
		if to != "" {
			fk.RefColumns = append(fk.RefColumns, to)
		}
	}
	return out, rows.Err()
}

// Explain returns EXPLAIN QUERY PLAN for one statement. The statement is
// compiled, never run, so it works for writes on a read-only connection.
func (e *Engine) Explain(ctx context.Context, db string, q Query) ([]PlanNode, error) {
	if plan, ok, err := e.backendExplain(ctx, db, q); ok {
		return plan, err
	}
	_, c, st, err := e.runningStatement(db, q.SQL)
	if err != nil {
		return nil, err
	}
	defer c.release()
	if strings.HasPrefix(st.Keyword(), "EXPLAIN") {
		return nil, &BadInputError{Msg: "The statement is already an EXPLAIN."}
	}
	args, err := bindArgs(q.Params, q.Named)
	if err != nil {
		return nil, err
	}
	plan := []PlanNode{}
	err = e.readerCall(ctx, db, func(ctx context.Context, rc *sql.Conn) error {
		rows, err := rc.QueryContext(ctx, "EXPLAIN QUERY PLAN "+st.Text, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n PlanNode
			var notused any
			if err := rows.Scan(&n.ID, &n.Parent, &notused, &n.Detail); err != nil {
				return err
			}
			plan = append(plan, n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// Details returns the instance with facts read from its file. A stopped
// instance has only its catalog facts and file sizes.
func (e *Engine) Details(ctx context.Context, name string) (Details, error) {
	inst, err := e.lookup(name)
	if err != nil {
		return Details{}, err
	}
	d := Details{Instance: inst.info(), Tables: []TableCount{}, Indexes: []IndexRef{}}
	if isExternal(inst.backend) {
		return e.backendDetails(ctx, d)
	}
	_, d.WALBytes = fileSizes(inst.path)
	if d.Status != StatusRunning {
		return d, nil
	}
	err = e.readerCall(ctx, name, func(ctx context.Context, rc *sql.Conn) error {
		for _, p := range []struct {
			q   string
			dst any
		}{{"PRAGMA page_size", &d.PageSize}, {"PRAGMA page_count", &d.PageCount}, {"PRAGMA journal_mode", &d.JournalMode}} {
			if err := rc.QueryRowContext(ctx, p.q).Scan(p.dst); err != nil {
				return err
			}
		}
		rows, err := rc.QueryContext(ctx, `SELECT type, name, tbl_name FROM sqlite_schema
			WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var typ, n, tbl string
			if err := rows.Scan(&typ, &n, &tbl); err != nil {
				rows.Close()
				return err
			}
			if typ == "table" {
				d.Tables = append(d.Tables, TableCount{Name: n})
			} else {
				d.Indexes = append(d.Indexes, IndexRef{Name: n, Table: tbl})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range d.Tables {
			if err := rc.QueryRowContext(ctx, "SELECT count(*) FROM "+sqltext.QuoteIdent(d.Tables[i].Name)).Scan(&d.Tables[i].RowCount); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Details{}, err
	}
	return d, nil
}
