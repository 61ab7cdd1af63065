package client_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/mk1fake"
)

func TestMK1Capabilities(t *testing.T) {
	c := newMK1Client(t)
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
	c := newMK1Client(t)
	ctx := ctxT(t)
	r, err := c.Spawn(ctx, "m")
	if err != nil || !r.Created {
		t.Fatalf("spawn = %+v, %v", r, err)
	}
	exec(t, c, "m", "CREATE TABLE t (z INTEGER PRIMARY KEY, a REAL, m TEXT)")
	ins := exec(t, c, "m", "INSERT INTO t (a, m) VALUES (?, ?), (6363.0, 'two'), (NULL, 'three'), (4.5, 'four'), (5.5, 'five')", 1.25, "one")
	// MK1 sends no last_insert_id
	if ins.Returning() || ins.RowsAffected != 5 || ins.LastInsertID != 0 {
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
	// anything else is paged on the client; VALUES is wrapped like SELECT
	vals, err := c.Query(ctx, "m", client.QueryRequest{SQL: "VALUES (1), (2), (3)", Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(vals.Rows, [][]any{{int64(2)}}) || !vals.HasMore {
		t.Errorf("values page = %+v", vals)
	}
	// MK1 returns rows only for SQL starting with SELECT: a PRAGMA runs and
	// answers like a write (Python's rowcount -1), which the client reports as is
	prag, err := c.Query(ctx, "m", client.QueryRequest{SQL: "PRAGMA table_info(t)", Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if prag.Returning() || prag.Message != "Query executed successfully." || prag.RowsAffected != -1 {
		t.Errorf("pragma on MK1 = %+v", prag)
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
	// MK1's params is a list: named parameters fail its validation (422)
	_, err = c.Query(ctx, "m", client.QueryRequest{SQL: "SELECT :a", Params: map[string]any{"a": 1}})
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != 422 || ae.Code != client.CodeValidation || ae.Message != "body.params: Input should be a valid list" {
		t.Errorf("validation error: %#v", err)
	}
}

// TestMK1Spawn: MK1 answers 201 to every spawn, so Created comes from the
// message; a prune there removes the container and a spawn after it is a
// new spawn by MK1's word (its data file is kept).
func TestMK1Spawn(t *testing.T) {
	c := newMK1Client(t)
	ctx := ctxT(t)
	first, err := c.Spawn(ctx, "s")
	if err != nil || !first.Created || first.Restarted || first.Message != client.MessageSpawned || len(first.ID) != 64 {
		t.Fatalf("first spawn = %+v, %v", first, err)
	}
	again, err := c.Spawn(ctx, "s")
	if err != nil || again.Created || again.Message != client.MessageAlreadyExists || again.ID != first.ID {
		t.Fatalf("spawn of an existing database = %+v, %v", again, err)
	}
	exec(t, c, "s", "CREATE TABLE kept (x)")
	if _, err := c.Prune(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Prune(ctx, "s"); !client.IsNotFound(err) {
		t.Fatalf("second prune: %v", err)
	}
	back, err := c.Spawn(ctx, "s")
	if err != nil || back.Message != client.MessageSpawned || back.ID == first.ID {
		t.Fatalf("spawn after prune = %+v, %v", back, err)
	}
	if res := exec(t, c, "s", "SELECT count(*) AS n FROM kept"); res.Rows[0][0] != int64(0) {
		t.Fatalf("data after prune and spawn: %+v", res)
	}
}

// TestMK1Auth: MK1 wants its key in X-API-Key on every admin and data route.
func TestMK1Auth(t *testing.T) {
	srv := mk1fake.New(t)
	ctx := ctxT(t)
	for _, c := range []*client.Client{client.New(srv.URL), client.New(srv.URL, client.WithAPIKey("wrong"))} {
		if _, err := c.ListDatabases(ctx, false); !client.IsUnauthorized(err) {
			t.Errorf("without the right key: %v", err)
		}
		if _, err := c.Root(ctx); err != nil {
			t.Errorf("root needs no key: %v", err)
		}
	}
}

// TestMK1Missing: the features an MK1 gateway lacks are named, and explain
// is one of them: MK1 returns no rows for EXPLAIN, so the client says so
// instead of showing an empty plan.
func TestMK1Missing(t *testing.T) {
	c := newMK1Client(t)
	ctx := ctxT(t)
	caps, err := c.Capabilities(ctx)
	if err != nil || caps.Extended || !slices.Contains(caps.Missing(), "explain") || !slices.Contains(caps.Missing(), "health checks") {
		t.Fatalf("caps %+v missing %v, %v", caps, caps.Missing(), err)
	}
	spawn(t, c, "e")
	_, err = c.Explain(ctx, "e", client.QueryRequest{SQL: "SELECT 1"})
	if !errors.Is(err, client.ErrUnsupported) || !strings.Contains(err.Error(), "not available on this gateway") {
		t.Fatalf("explain on MK1: %v", err)
	}
	if (client.Capabilities{Extended: true}).Missing() != nil {
		t.Fatal("a DB-Forge gateway lacks something")
	}
}

func TestMK1Schema(t *testing.T) {
	checkSchemaAndExplain(t, newMK1Client(t), false)
}
