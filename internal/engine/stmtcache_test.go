package engine

import (
	"context"
	"fmt"
	"testing"
)

func TestStmtCacheReusesAndEvicts(t *testing.T) {
	ctx := context.Background()
	db, conn, err := openOne(ctx, plainDriver(), dsn(t.TempDir()+"/c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer conn.Close()
	sc := newStmtCache(conn, 3)
	defer sc.close()

	run := func(q string) {
		t.Helper()
		cs, err := sc.get(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := cs.stmt.QueryContext(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	run("SELECT 1")
	first := sc.byKey["SELECT 1"].Value.(*cachedStmt).stmt
	run("SELECT 1")
	if sc.byKey["SELECT 1"].Value.(*cachedStmt).stmt != first || sc.order.Len() != 1 {
		t.Fatal("a repeated statement was prepared again")
	}
	for i := 2; i <= 5; i++ {
		run(fmt.Sprintf("SELECT %d", i))
	}
	if sc.order.Len() != 3 || len(sc.byKey) != 3 {
		t.Fatalf("cache holds %d (%d keys), want at most 3", sc.order.Len(), len(sc.byKey))
	}
	if _, ok := sc.byKey["SELECT 1"]; ok {
		t.Fatal("the least recently used statement was not evicted")
	}
}

// A cached statement follows the schema: after the table is dropped and made
// again with other columns, the same query reads the new table.
func TestCachedStatementFollowsSchema(t *testing.T) {
	e := openTest(t, func(c *Config) { c.ReaderPool = 1 })
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(a INTEGER)")
	exec(t, e, "d", "INSERT INTO t VALUES (1)")
	if got := exec(t, e, "d", "SELECT * FROM t").Columns; len(got) != 1 {
		t.Fatalf("columns = %v", got)
	}
	exec(t, e, "d", "DROP TABLE t")
	if _, err := e.Exec(context.Background(), "d", Query{SQL: "SELECT * FROM t"}); err == nil {
		t.Fatal("cached statement ran against a dropped table")
	}
	exec(t, e, "d", "CREATE TABLE t(x TEXT, y TEXT)")
	exec(t, e, "d", "INSERT INTO t VALUES ('p', 'q')")
	res := exec(t, e, "d", "SELECT * FROM t")
	if len(res.Columns) != 2 || res.Rows[0][1] != "q" {
		t.Fatalf("after re-creating t: %+v %v", res.Columns, res.Rows)
	}
}
