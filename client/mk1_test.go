package client_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/dbforge/dbforge/client"
)

func TestMK1Capabilities(t *testing.T) {
	c := client.New(newMK1(t).URL)
	ctx := ctxT(t)
	caps, err := c.Capabilities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if caps.Extended {
		t.Errorf("MK1 detected as extended: %+v", caps)
	}
	spawn(t, c, "x")
	checks := map[string]func() error{
		"health":          func() error { _, err := c.Health(ctx); return err },
		"database stats":  func() error { _, err := c.DatabaseStats(ctx, "x"); return err },
		"details":         func() error { _, err := c.Database(ctx, "x"); return err },
		"delete database": func() error { _, err := c.DeleteDatabase(ctx, "x", true); return err },
		"metrics":         func() error { _, err := c.Metrics(ctx); return err },
	}
	for name, call := range checks {
		if err := call(); !errors.Is(err, client.ErrUnsupported) {
			t.Errorf("%s: want ErrUnsupported, got %v", name, err)
		}
	}
	list, err := c.ListDatabases(ctx, true)
	if err != nil || len(list) != 1 || list[0].Name != "x" || list[0].Status != "running" {
		t.Errorf("list = %+v, %v", list, err)
	}
}

func TestMK1Query(t *testing.T) {
	c := client.New(newMK1(t).URL)
	ctx := ctxT(t)
	r, err := c.Spawn(ctx, "m")
	if err != nil || !r.Created {
		t.Fatalf("spawn = %+v, %v", r, err)
	}
	exec(t, c, "m", "CREATE TABLE t (z INTEGER PRIMARY KEY, a REAL, m TEXT)")
	ins := exec(t, c, "m", "INSERT INTO t (a, m) VALUES (?, ?), (6363.0, 'two'), (NULL, 'three'), (4.5, 'four'), (5.5, 'five')", 1.25, "one")
	if ins.Returning() || ins.RowsAffected != 5 || ins.LastInsertID != 5 {
		t.Errorf("insert = %+v", ins)
	}

	// order from the JSON text, types from the values
	res := exec(t, c, "m", "SELECT m, z, a FROM t WHERE z <= 2 ORDER BY z")
	if !reflect.DeepEqual(res.Columns, []client.Column{{Name: "m", Type: "TEXT"}, {Name: "z", Type: "INTEGER"}, {Name: "a", Type: "REAL"}}) {
		t.Errorf("columns = %+v", res.Columns)
	}
	if !reflect.DeepEqual(res.Rows, [][]any{{"one", int64(1), 1.25}, {"two", int64(2), 6363.0}}) {
		t.Errorf("rows = %#v", res.Rows)
	}

	// paging: a SELECT is wrapped, fetching one row more to learn HasMore
	page, err := c.Query(ctx, "m", client.QueryRequest{SQL: "SELECT z FROM t ORDER BY z -- trailing comment", Limit: 2, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(page.Rows, [][]any{{int64(2)}, {int64(3)}}) || !page.HasMore || page.RowCount != 2 {
		t.Errorf("page = %+v", page)
	}
	last, err := c.Query(ctx, "m", client.QueryRequest{SQL: "SELECT z FROM t ORDER BY z;", Limit: 2, Offset: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(last.Rows, [][]any{{int64(5)}}) || last.HasMore {
		t.Errorf("last page = %+v", last)
	}
	// anything else is paged on the client
	prag, err := c.Query(ctx, "m", client.QueryRequest{SQL: "PRAGMA table_info(t)", Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(prag.Rows) != 1 || prag.Rows[0][1] != "a" || !prag.HasMore {
		t.Errorf("pragma page = %+v", prag)
	}

	rows, err := c.GetRows(ctx, "m", "t", nil, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := columnNames(rows); !reflect.DeepEqual(got, []string{"z", "a", "m"}) || len(rows.Rows) != 5 {
		t.Errorf("get rows: columns %v, %d rows", got, len(rows.Rows))
	}

	// MK1's detail errors map to the same codes
	_, err = c.Query(ctx, "m", client.QueryRequest{SQL: "SELEC 1"})
	if !client.IsSQLError(err) {
		t.Errorf("bad SQL: %v", err)
	}
	if _, err := c.Query(ctx, "nope", client.QueryRequest{SQL: "SELECT 1"}); !client.IsNotFound(err) {
		t.Errorf("unknown db: %v", err)
	}
	_, err = c.Query(ctx, "m", client.QueryRequest{SQL: ""})
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != 422 || ae.Code != client.CodeValidation || ae.Message != "body.sql: field required" {
		t.Errorf("validation error: %#v", err)
	}
}

func TestMK1SchemaAndExplain(t *testing.T) {
	checkSchemaAndExplain(t, client.New(newMK1(t).URL))
}
