package engine

import (
	"context"
	"testing"
)

// The rows route learns a table's column names once and again after any
// schema change: a column added by ALTER TABLE (or by a script) can be
// filtered on at once, a dropped one is refused.
func TestSelectRowsColumnNamesFollowSchema(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	spawn(t, e, "r")
	exec(t, e, "r", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)")
	exec(t, e, "r", "INSERT INTO t VALUES (1, 'x'), (2, 'y')")
	sel := func(filters map[string]string) (*Result, error) {
		return e.SelectRows(ctx, "r", "t", filters, 0, 0)
	}
	if res, err := sel(map[string]string{"id": "2"}); err != nil || len(res.Rows) != 1 {
		t.Fatalf("filter on id: %v %+v", err, res)
	}
	_, c, err := e.running("r")
	if err != nil {
		t.Fatal(err)
	}
	if cols, ok := c.tableCols.get("t", c.schemaGen.Load()); !ok || !cols["a"] {
		t.Fatalf("column names not cached: %v %v", ok, cols)
	}
	_, err = sel(map[string]string{"b": "1"})
	wantBadInput(t, err, "Unknown column 'b' in filter.")

	exec(t, e, "r", "ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'z'")
	if res, err := sel(map[string]string{"b": "z"}); err != nil || len(res.Rows) != 2 {
		t.Fatalf("filter on a column just added: %v %+v", err, res)
	}

	if _, err := e.ImportSQL(ctx, "r", "DROP TABLE t; CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT); INSERT INTO t VALUES (7, 'q');"); err != nil {
		t.Fatal(err)
	}
	_, err = sel(map[string]string{"b": "z"})
	wantBadInput(t, err, "Unknown column 'b' in filter.")
	if res, err := sel(map[string]string{"c": "q"}); err != nil || len(res.Rows) != 1 {
		t.Fatalf("filter after the table was replaced by a script: %v %+v", err, res)
	}

	// A table that does not exist yet, then does.
	if _, err := e.SelectRows(ctx, "r", "later", map[string]string{"x": "1"}, 0, 0); err == nil {
		t.Fatal("select from a missing table succeeded")
	}
	exec(t, e, "r", "CREATE TABLE later (x)")
	if _, err := e.SelectRows(ctx, "r", "later", map[string]string{"x": "1"}, 0, 0); err != nil {
		t.Fatalf("table created after a miss: %v", err)
	}
}
