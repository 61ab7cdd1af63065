package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// wireQuery is the body of /query and /explain.
type wireQuery struct {
	SQL    string          `json:"sql"`
	Params json.RawMessage `json:"params,omitempty"`
	Limit  int             `json:"limit,omitempty"`
	Offset int             `json:"offset,omitempty"`
	Shape  string          `json:"shape,omitempty"`
	// ReadOnly is an extension key: an MK1 gateway ignores it.
	ReadOnly bool `json:"read_only,omitempty"`
}

func encodeQuery(q QueryRequest) ([]byte, error) {
	params, err := encodeParams(q.Params)
	if err != nil {
		return nil, err
	}
	return json.Marshal(wireQuery{SQL: q.SQL, Params: params, Limit: q.Limit, Offset: q.Offset, Shape: q.Shape, ReadOnly: q.ReadOnly})
}

// Query runs one SQL statement. A statement that returns rows gives
// Columns and Rows (in column order); any other gives Message,
// RowsAffected and LastInsertID. Params binds positionally ([]any or any
// slice) or by name (map[string]any); []byte binds as a BLOB and float64
// always as REAL.
//
// The client always asks for compact rows and ignores q.Shape. Limit and
// Offset page through the rows; against an MK1 gateway, which has no
// paging, a single SELECT is wrapped in "SELECT * FROM (...) LIMIT/OFFSET"
// and other statements are paged on the client.
//
// A query is never retried: it may have run.
func (c *Client) Query(ctx context.Context, db string, q QueryRequest) (*QueryResult, error) {
	path, err := dbPath("/api/db/", db, "/query")
	if err != nil {
		return nil, err
	}
	if q.Limit < 0 || q.Offset < 0 {
		return nil, errors.New("limit and offset must not be negative")
	}
	var pg *page
	if q.Limit > 0 || q.Offset > 0 {
		ext, err := c.extended(ctx)
		if err != nil {
			return nil, err
		}
		if !ext {
			q, pg = mk1Page(q)
		}
	}
	q.Shape = "rows"
	body, err := encodeQuery(q)
	if err != nil {
		return nil, err
	}
	// a read_only statement cannot write, so sending it again is safe
	resp, err := c.do(ctx, request{method: http.MethodPost, path: path, body: body, read: q.ReadOnly})
	if err != nil {
		return nil, err
	}
	res, err := decodeResult(resp.Body())
	if err != nil {
		return nil, err
	}
	pg.apply(res)
	return res, nil
}

// wireColumn is one column of the create-table body.
type wireColumn struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	PrimaryKey bool            `json:"primary_key,omitempty"`
	NotNull    bool            `json:"not_null,omitempty"`
	Default    json.RawMessage `json:"default,omitempty"`
}

// CreateTable creates a table (MK1's tables route). A column's Default is
// nil for none, or a literal; the strings "CURRENT_TIMESTAMP",
// "CURRENT_DATE" and "CURRENT_TIME" keep their SQL meaning.
func (c *Client) CreateTable(ctx context.Context, db, table string, cols []ColumnDef) (*MessageResult, error) {
	path, err := dbPath("/api/db/", db, "/tables")
	if err != nil {
		return nil, err
	}
	wc := make([]wireColumn, len(cols))
	for i, col := range cols {
		wc[i] = wireColumn{Name: col.Name, Type: col.Type, PrimaryKey: col.PrimaryKey, NotNull: col.NotNull}
		if col.Default != nil {
			if wc[i].Default, err = appendValue(nil, col.Default); err != nil {
				return nil, fmt.Errorf("column %q default: %w", col.Name, err)
			}
		}
	}
	body, err := json.Marshal(struct {
		TableName string       `json:"table_name"`
		Columns   []wireColumn `json:"columns"`
	}{table, wc})
	if err != nil {
		return nil, err
	}
	var out MessageResult
	if _, err := c.postJSON(ctx, path, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// InsertRows inserts rows into table in one transaction (all or nothing)
// and returns how many were inserted. Every row must have the same keys.
func (c *Client) InsertRows(ctx context.Context, db, table string, rows []map[string]any) (int64, error) {
	path, err := tablePath(db, table, "/rows")
	if err != nil {
		return 0, err
	}
	body := []byte(`{"rows":[`)
	for i, row := range rows {
		if i > 0 {
			body = append(body, ',')
		}
		obj, err := encodeObject(row)
		if err != nil {
			return 0, fmt.Errorf("row %d: %w", i+1, err)
		}
		body = append(body, obj...)
	}
	body = append(body, "]}"...)
	var out InsertResult
	if _, err := c.postJSON(ctx, path, body, &out); err != nil {
		return 0, err
	}
	return out.RowsAffected, nil
}

// GetRows reads a table (MK1's rows route): filters are equality filters
// on columns (column → value); limit and offset page (0 = server default
// and none). A column named "limit" or "offset" cannot be filtered here;
// use Query.
func (c *Client) GetRows(ctx context.Context, db, table string, filters map[string]string, limit, offset int) (*QueryResult, error) {
	path, err := tablePath(db, table, "/rows")
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	for k, v := range filters {
		if k == "limit" || k == "offset" {
			return nil, fmt.Errorf("filter %q clashes with the paging parameter; use Query", k)
		}
		q.Set(k, v)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path, query: q})
	if err != nil {
		return nil, err
	}
	return decodeResult(resp.Body())
}

func tablePath(db, table, suffix string) (string, error) {
	if table == "" {
		return "", errors.New("table name is required")
	}
	return dbPath("/api/db/", db, "/tables/"+url.PathEscape(table)+suffix)
}

// Schema describes the database's tables, views and triggers, or only the
// named table (and its triggers) when table is not "". Against an MK1
// gateway it is read through /query from sqlite_master and the pragma
// table functions.
func (c *Client) Schema(ctx context.Context, db, table string) (*Schema, error) {
	path, err := dbPath("/api/db/", db, "/schema")
	if err != nil {
		return nil, err
	}
	ext, err := c.extended(ctx)
	if err != nil {
		return nil, err
	}
	if !ext {
		return c.mk1Schema(ctx, db, table)
	}
	var q url.Values
	if table != "" {
		q = url.Values{"table": {table}}
	}
	var out Schema
	if err := c.getJSON(ctx, path, q, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Explain returns the EXPLAIN QUERY PLAN of q.SQL (with q.Params) as a
// list of nodes; the statement is not run. DB-Forge extension:
// ErrUnsupported on MK1.
func (c *Client) Explain(ctx context.Context, db string, q QueryRequest) (*Plan, error) {
	path, err := dbPath("/api/db/", db, "/explain")
	if err != nil {
		return nil, err
	}
	// MK1 has no explain and cannot stand in for one: it returns rows only
	// for SQL that starts with SELECT, so EXPLAIN QUERY PLAN gives none.
	if err := c.requireExtended(ctx, "explain"); err != nil {
		return nil, err
	}
	body, err := encodeQuery(QueryRequest{SQL: q.SQL, Params: q.Params})
	if err != nil {
		return nil, err
	}
	var out Plan
	// a plan runs nothing: sending it again is safe
	resp, err := c.do(ctx, request{method: http.MethodPost, path: path, body: body, read: true})
	if err != nil {
		return nil, err
	}
	if err := decodeJSON(resp.Body(), &out); err != nil {
		return nil, err
	}
	if out.Plan == nil {
		out.Plan = []PlanNode{}
	}
	return &out, nil
}
