package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// userRelations lists the tables and views of the tenant's schemas (all
// but the system ones); names outside public are schema-qualified.
const userRelations = `SELECT c.oid::int8,
	CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END,
	CASE WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'table' END,
	GREATEST(c.reltuples, 0)::int8,
	CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) ELSE '' END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
	AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
	AND ($1 = '' OR (n.nspname = 'public' AND c.relname = $1))
ORDER BY 2`

const relColumns = `SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
	pg_get_expr(d.adbin, d.adrelid),
	EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)),
	a.attidentity::text, a.attgenerated::text
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`

const relIndexes = `SELECT ic.relname, i.indisunique, pg_get_indexdef(i.indexrelid),
	ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k)
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = $1::int8::oid ORDER BY ic.relname`

const relForeignKeys = `SELECT (SELECT relname FROM pg_class WHERE oid = con.confrelid),
	ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
		JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),
	ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
		JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o)
FROM pg_constraint con WHERE con.conrelid = $1::int8::oid AND con.contype = 'f' ORDER BY con.conname`

const relConstraints = `SELECT conname, pg_get_constraintdef(oid, true) FROM pg_constraint
WHERE conrelid = $1::int8::oid AND contype IN ('p', 'u', 'f', 'c', 'x')
ORDER BY CASE contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'f' THEN 2 ELSE 3 END, conname`

const userTriggers = `SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid, true)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
	AND ($1 = '' OR (n.nspname = 'public' AND c.relname = $1))
ORDER BY t.tgname`

// Schema reads tables, views, columns, indexes, foreign keys and triggers
// from pg_catalog, with row estimates (reltuples) and DDL rebuilt from the
// catalog, in one read-only transaction.
func (d *database) Schema(ctx context.Context, only string) (*engine.Schema, error) {
	s := &engine.Schema{Tables: []engine.TableSchema{}, Triggers: []engine.Trigger{}}
	_, err := d.inTx(ctx, true, d.lim.QueryTimeout, func(ctx context.Context, tx *pgx.Conn) error {
		rows, err := tx.Query(ctx, userRelations, only)
		if err != nil {
			return err
		}
		var oids []int64
		for rows.Next() {
			var t engine.TableSchema
			var oid int64
			var viewDef string
			if err := rows.Scan(&oid, &t.Name, &t.Type, &t.RowCount, &viewDef); err != nil {
				return err
			}
			if t.Type == "view" {
				t.SQL = "CREATE VIEW " + qualified(t.Name) + " AS\n" + viewDef
			}
			oids = append(oids, oid)
			s.Tables = append(s.Tables, t)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if only != "" && len(s.Tables) == 0 {
			return &engine.SQLError{Msg: fmt.Sprintf("relation %q does not exist", only)}
		}
		for i := range s.Tables {
			if err := describe(ctx, tx, oids[i], &s.Tables[i]); err != nil {
				return err
			}
		}
		trows, err := tx.Query(ctx, userTriggers, only)
		if err != nil {
			return err
		}
		for trows.Next() {
			var t engine.Trigger
			if err := trows.Scan(&t.Name, &t.Table, &t.SQL); err != nil {
				return err
			}
			s.Triggers = append(s.Triggers, t)
		}
		return trows.Err()
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// qualified quotes a possibly schema-qualified name.
func qualified(name string) string {
	if schema, rel, ok := strings.Cut(name, "."); ok {
		return sqltext.QuoteIdent(schema) + "." + sqltext.QuoteIdent(rel)
	}
	return sqltext.QuoteIdent(name)
}

// describe fills the columns, indexes, foreign keys and, for a table, the
// DDL of one relation.
func describe(ctx context.Context, tx *pgx.Conn, oid int64, t *engine.TableSchema) error {
	id := strconv.FormatInt(oid, 10)
	t.Columns, t.Indexes, t.ForeignKeys = []engine.ColumnSchema{}, []engine.IndexSchema{}, []engine.ForeignKey{}
	var defs []string
	rows, err := tx.Query(ctx, relColumns, id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c engine.ColumnSchema
		var identity, generated string
		if err := rows.Scan(&c.Name, &c.Type, &c.NotNull, &c.Default, &c.PrimaryKey, &identity, &generated); err != nil {
			return err
		}
		def := sqltext.QuoteIdent(c.Name) + " " + c.Type
		switch {
		case generated == "s" && c.Default != nil:
			def += " GENERATED ALWAYS AS (" + *c.Default + ") STORED"
			c.Default = nil
		case identity == "a":
			def += " GENERATED ALWAYS AS IDENTITY"
		case identity == "d":
			def += " GENERATED BY DEFAULT AS IDENTITY"
		case c.Default != nil:
			def += " DEFAULT " + *c.Default
		}
		if c.NotNull && identity == "" {
			def += " NOT NULL"
		}
		defs = append(defs, def)
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if t.Type == "view" {
		return nil
	}
	if rows, err = tx.Query(ctx, relIndexes, id); err != nil {
		return err
	}
	for rows.Next() {
		var ix engine.IndexSchema
		if err := rows.Scan(&ix.Name, &ix.Unique, &ix.SQL, &ix.Columns); err != nil {
			return err
		}
		t.Indexes = append(t.Indexes, ix)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if rows, err = tx.Query(ctx, relForeignKeys, id); err != nil {
		return err
	}
	for rows.Next() {
		var fk engine.ForeignKey
		if err := rows.Scan(&fk.RefTable, &fk.Columns, &fk.RefColumns); err != nil {
			return err
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if rows, err = tx.Query(ctx, relConstraints, id); err != nil {
		return err
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return err
		}
		defs = append(defs, "CONSTRAINT "+sqltext.QuoteIdent(name)+" "+def)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	t.SQL = "CREATE TABLE " + qualified(t.Name) + " (\n    " + strings.Join(defs, ",\n    ") + "\n)"
	return nil
}

// Explain runs EXPLAIN (FORMAT JSON) in a read-only transaction (the
// statement is planned, never run) and flattens the plan into the engine's
// tree: each node's id, its parent's (0 for the root) and a detail line
// with the node, its relation or index, its condition and its costs.
func (d *database) Explain(ctx context.Context, q engine.Query) ([]engine.PlanNode, error) {
	text, args, err := bindParams(q.SQL, q.Params, q.Named)
	if err != nil {
		return nil, err
	}
	pool := d.owner
	if q.ReadOnly {
		pool = d.ro
	}
	var doc string
	_, err = inTxOn(ctx, pool, true, d.lim.QueryTimeout, func(ctx context.Context, tx *pgx.Conn) error {
		return tx.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+text, args...).Scan(&doc)
	})
	if err != nil {
		return nil, err
	}
	var plans []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(doc), &plans); err != nil {
		return nil, fmt.Errorf("postgres: reading the plan: %w", err)
	}
	out := []engine.PlanNode{}
	for _, p := range plans {
		flatten(&p.Plan, 0, &out)
	}
	return out, nil
}

// planNode is the part of a FORMAT JSON plan node the tree shows.
type planNode struct {
	NodeType     string     `json:"Node Type"`
	Relation     string     `json:"Relation Name"`
	Alias        string     `json:"Alias"`
	Index        string     `json:"Index Name"`
	JoinType     string     `json:"Join Type"`
	Strategy     string     `json:"Strategy"`
	IndexCond    string     `json:"Index Cond"`
	HashCond     string     `json:"Hash Cond"`
	Filter       string     `json:"Filter"`
	StartupCost  float64    `json:"Startup Cost"`
	TotalCost    float64    `json:"Total Cost"`
	PlanRows     float64    `json:"Plan Rows"`
	PlanWidth    int64      `json:"Plan Width"`
	Plans        []planNode `json:"Plans"`
	Relationship string     `json:"Parent Relationship"`
}

func flatten(n *planNode, parent int, out *[]engine.PlanNode) {
	id := len(*out) + 1
	*out = append(*out, engine.PlanNode{ID: id, Parent: parent, Detail: n.detail()})
	for i := range n.Plans {
		flatten(&n.Plans[i], id, out)
	}
}

// detail reads like EXPLAIN's text format: "Index Scan using i on t
// (cost=0.15..8.17 rows=1 width=36) Index Cond: (id = 1)".
func (n *planNode) detail() string {
	var b strings.Builder
	if n.Strategy != "" && n.Strategy != "Plain" {
		b.WriteString(n.Strategy + " ")
	}
	b.WriteString(n.NodeType)
	if n.JoinType != "" && n.JoinType != "Inner" {
		b.WriteString(" (" + n.JoinType + ")")
	}
	if n.Index != "" {
		b.WriteString(" using " + n.Index)
	}
	if n.Relation != "" {
		b.WriteString(" on " + n.Relation)
		if n.Alias != "" && n.Alias != n.Relation {
			b.WriteString(" " + n.Alias)
		}
	}
	fmt.Fprintf(&b, " (cost=%.2f..%.2f rows=%.0f width=%d)", n.StartupCost, n.TotalCost, n.PlanRows, n.PlanWidth)
	for _, c := range []struct{ k, v string }{{"Index Cond", n.IndexCond}, {"Hash Cond", n.HashCond}, {"Filter", n.Filter}} {
		if c.v != "" {
			b.WriteString(" " + c.k + ": " + c.v)
		}
	}
	return b.String()
}
