package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// page is client-side paging for an MK1 gateway, which ignores limit and
// offset and returns every row.
type page struct {
	limit  int // 0: no limit
	offset int // rows still to skip on the client
}

// mk1Page moves q's paging into the SQL when the statement is one SELECT
// (or VALUES), fetching one row more than asked to learn HasMore; for other
// statements everything is paged on the client.
func mk1Page(q QueryRequest) (QueryRequest, *page) {
	pg := &page{limit: q.Limit, offset: q.Offset}
	q.Limit, q.Offset = 0, 0
	stmts := sqltext.Split(q.SQL)
	if len(stmts) == 1 {
		if kw := stmts[0].Keyword(); kw == "SELECT" || kw == "VALUES" {
			limit := -1 // SQLite: no limit
			if pg.limit > 0 {
				limit = pg.limit + 1
			}
			// newlines keep a trailing "-- comment" from swallowing the ")"
			q.SQL = fmt.Sprintf("SELECT * FROM (\n%s\n) LIMIT %d OFFSET %d", stmts[0].Text, limit, pg.offset)
			pg.offset = 0
		}
	}
	return q, pg
}

// apply pages a row result on the client. A nil page does nothing.
func (pg *page) apply(res *QueryResult) {
	if pg == nil || !res.Returning() {
		return
	}
	rows := res.Rows
	if pg.offset > 0 {
		rows = rows[min(pg.offset, len(rows)):]
	}
	if pg.limit > 0 && len(rows) > pg.limit {
		rows = rows[:pg.limit]
		res.HasMore = true
	}
	res.Rows = rows
	res.RowCount = len(rows)
	res.RowsAffected = int64(len(rows))
}

// rowSet reads a fallback query's rows by column name.
type rowSet struct {
	*QueryResult
	col map[string]int
}

func (c *Client) fallbackQuery(ctx context.Context, db, sql string, params ...any) (*rowSet, error) {
	if params == nil {
		params = []any{}
	}
	res, err := c.Query(ctx, db, QueryRequest{SQL: sql, Params: params})
	if err != nil {
		return nil, err
	}
	rs := &rowSet{QueryResult: res, col: make(map[string]int, len(res.Columns))}
	for i, col := range res.Columns {
		rs.col[col.Name] = i
	}
	return rs, nil
}

func (rs *rowSet) str(row []any, name string) string {
	i, ok := rs.col[name]
	if !ok || i >= len(row) {
		return ""
	}
	switch v := row[i].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func (rs *rowSet) null(row []any, name string) bool {
	i, ok := rs.col[name]
	return !ok || i >= len(row) || row[i] == nil
}

func (rs *rowSet) int(row []any, name string) int64 {
	i, ok := rs.col[name]
	if !ok || i >= len(row) {
		return 0
	}
	switch v := row[i].(type) {
	case int64:
		return v
	case float64:
		return int64(v)
	case bool:
		if v {
			return 1
		}
	}
	return 0
}

// userObjects filters out SQLite's internal sqlite_* objects; the
// parameters (the same table name twice) select one table, or all when empty.
const userObjects = `m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND (? = '' OR m.name = ?)`

// mk1Schema reads the schema through /query: the objects, then columns,
// indexes and foreign keys of every table in one query each (joining the
// pragma table functions), then the row counts.
func (c *Client) mk1Schema(ctx context.Context, db, table string) (*Schema, error) {
	objs, err := c.fallbackQuery(ctx, db, `SELECT m.type AS type, m.name AS name, m.tbl_name AS tbl, COALESCE(m.sql, '') AS sql
		FROM sqlite_master AS m
		WHERE m.type IN ('table', 'view', 'trigger') AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		AND (? = '' OR m.name = ? OR (m.type = 'trigger' AND m.tbl_name = ?))
		ORDER BY m.type = 'trigger', m.name`, table, table, table)
	if err != nil {
		return nil, err
	}
	s := &Schema{Tables: []TableSchema{}, Triggers: []Trigger{}}
	byName := map[string]*TableSchema{}
	for _, row := range objs.Rows {
		if objs.str(row, "type") == "trigger" {
			s.Triggers = append(s.Triggers, Trigger{Name: objs.str(row, "name"), Table: objs.str(row, "tbl"), SQL: objs.str(row, "sql")})
			continue
		}
		s.Tables = append(s.Tables, TableSchema{
			Name: objs.str(row, "name"), Type: objs.str(row, "type"), SQL: objs.str(row, "sql"),
			Columns: []ColumnSchema{}, Indexes: []IndexSchema{}, ForeignKeys: []ForeignKey{},
		})
	}
	if table != "" && len(s.Tables) == 0 {
		return nil, &APIError{Status: http.StatusBadRequest, Code: CodeSQL, Message: "SQL Error: no such table: " + table}
	}
	for i := range s.Tables {
		byName[s.Tables[i].Name] = &s.Tables[i]
	}
	if err := c.mk1Columns(ctx, db, table, byName); err != nil {
		return nil, err
	}
	if err := c.mk1Indexes(ctx, db, table, byName); err != nil {
		return nil, err
	}
	if err := c.mk1ForeignKeys(ctx, db, table, byName); err != nil {
		return nil, err
	}
	if err := c.mk1RowCounts(ctx, db, s.Tables); err != nil {
		return nil, err
	}
	return s, nil
}

// mk1PerTable runs one of the MK1 schema queries (its two placeholders
// both bound to table, as userObjects needs) and calls fn with each row and
// the table the row's "tbl" names, skipping tables byName does not hold.
func (c *Client) mk1PerTable(ctx context.Context, db, query, table string, byName map[string]*TableSchema, fn func(rs *rowSet, row []any, t *TableSchema)) error {
	rs, err := c.fallbackQuery(ctx, db, query, table, table)
	if err != nil {
		return err
	}
	for _, row := range rs.Rows {
		if t := byName[rs.str(row, "tbl")]; t != nil {
			fn(rs, row, t)
		}
	}
	return nil
}

func (c *Client) mk1Columns(ctx context.Context, db, table string, byName map[string]*TableSchema) error {
	return c.mk1PerTable(ctx, db, `SELECT m.name AS tbl, p.name AS name, p.type AS type, p."notnull" AS not_null, p.dflt_value AS dflt, p.pk AS pk
		FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
		WHERE m.type IN ('table', 'view') AND `+userObjects+`
		ORDER BY m.name, p.cid`, table, byName, func(rs *rowSet, row []any, t *TableSchema) {
		col := ColumnSchema{Name: rs.str(row, "name"), Type: rs.str(row, "type"),
			NotNull: rs.int(row, "not_null") != 0, PrimaryKey: rs.int(row, "pk") > 0}
		if !rs.null(row, "dflt") {
			d := rs.str(row, "dflt")
			col.Default = &d
		}
		t.Columns = append(t.Columns, col)
	})
}

func (c *Client) mk1Indexes(ctx context.Context, db, table string, byName map[string]*TableSchema) error {
	return c.mk1PerTable(ctx, db, `SELECT m.name AS tbl, l.name AS idx, l."unique" AS uniq, COALESCE(s.sql, '') AS sql, COALESCE(i.name, '<expr>') AS col
		FROM sqlite_master AS m JOIN pragma_index_list(m.name) AS l JOIN pragma_index_info(l.name) AS i
		LEFT JOIN sqlite_master AS s ON s.type = 'index' AND s.name = l.name
		WHERE m.type = 'table' AND `+userObjects+`
		ORDER BY m.name, l.name, i.seqno`, table, byName, func(rs *rowSet, row []any, t *TableSchema) {
		name := rs.str(row, "idx")
		if n := len(t.Indexes); n == 0 || t.Indexes[n-1].Name != name {
			t.Indexes = append(t.Indexes, IndexSchema{Name: name, Columns: []string{},
				Unique: rs.int(row, "uniq") != 0, SQL: rs.str(row, "sql")})
		}
		ix := &t.Indexes[len(t.Indexes)-1]
		ix.Columns = append(ix.Columns, rs.str(row, "col"))
	})
}

func (c *Client) mk1ForeignKeys(ctx context.Context, db, table string, byName map[string]*TableSchema) error {
	lastTable, lastID := "", int64(-1)
	return c.mk1PerTable(ctx, db, `SELECT m.name AS tbl, f.id AS id, f."table" AS ref, f."from" AS src, f."to" AS dst
		FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f
		WHERE m.type = 'table' AND `+userObjects+`
		ORDER BY m.name, f.id, f.seq`, table, byName, func(rs *rowSet, row []any, t *TableSchema) {
		if id := rs.int(row, "id"); t.Name != lastTable || id != lastID {
			t.ForeignKeys = append(t.ForeignKeys, ForeignKey{Columns: []string{}, RefTable: rs.str(row, "ref"), RefColumns: []string{}})
			lastTable, lastID = t.Name, id
		}
		fk := &t.ForeignKeys[len(t.ForeignKeys)-1]
		fk.Columns = append(fk.Columns, rs.str(row, "src"))
		if !rs.null(row, "dst") {
			fk.RefColumns = append(fk.RefColumns, rs.str(row, "dst"))
		}
	})
}

// countsPerQuery keeps the one-row count query well under SQLite's column
// limit.
const countsPerQuery = 200

// mk1RowCounts counts the rows of every table (views keep 0), many tables
// per query as one row of scalar subqueries.
func (c *Client) mk1RowCounts(ctx context.Context, db string, tables []TableSchema) error {
	var idx []int
	for i := range tables {
		if tables[i].Type == "table" {
			idx = append(idx, i)
		}
	}
	for start := 0; start < len(idx); start += countsPerQuery {
		chunk := idx[start:min(start+countsPerQuery, len(idx))]
		var b strings.Builder
		b.WriteString("SELECT ")
		for k, i := range chunk {
			if k > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "(SELECT count(*) FROM %s) AS c%d", sqltext.QuoteIdent(tables[i].Name), k)
		}
		rs, err := c.fallbackQuery(ctx, db, b.String())
		if err != nil {
			return err
		}
		if len(rs.Rows) != 1 {
			return errors.New("schema: row count query returned no row")
		}
		for k, i := range chunk {
			tables[i].RowCount = rs.int(rs.Rows[0], fmt.Sprintf("c%d", k))
		}
	}
	return nil
}
