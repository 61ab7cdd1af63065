package engine

import (
	"context"
	"testing"
)

// Row-changing statements on the writer are prepared once and report
// their changes from the driver's exec result; statements that change
// nothing (DDL) still report 0 after them, triggers' rows are not counted,
// and a cached statement follows a schema change.
func TestWriterStatementCache(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "w")
	exec(t, e, "w", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
	exec(t, e, "w", "CREATE TABLE log (x)")
	exec(t, e, "w", "CREATE TRIGGER tr AFTER UPDATE ON t BEGIN INSERT INTO log VALUES (1); INSERT INTO log VALUES (2); END")

	const insert = "INSERT INTO t (v) VALUES (?)"
	for i := 1; i <= 3; i++ {
		res := exec(t, e, "w", insert, "a")
		if res.RowsAffected != 1 || res.LastInsertID != int64(i) || res.Returning {
			t.Fatalf("insert %d: %+v", i, res)
		}
	}
	_, c, err := e.running("w")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.wstmts.byKey[insert]; !ok || c.wstmts.order.Len() != 1 {
		t.Fatalf("writer cache holds %d statements, insert cached: %v", c.wstmts.order.Len(), ok)
	}

	if res := exec(t, e, "w", "UPDATE t SET v = 'b' WHERE id <= 2"); res.RowsAffected != 2 {
		t.Fatalf("update with a trigger: %d rows affected, want 2", res.RowsAffected)
	}
	// DDL right after cached writes: changes() still says 2, but nothing changed.
	if res := exec(t, e, "w", "CREATE INDEX iv ON t (v)"); res.RowsAffected != 0 {
		t.Fatalf("DDL after writes: %d rows affected", res.RowsAffected)
	}
	if res := exec(t, e, "w", "UPDATE t SET v = 'c' WHERE id = 99"); res.RowsAffected != 0 {
		t.Fatalf("update of nothing: %d rows affected", res.RowsAffected)
	}

	res := exec(t, e, "w", "INSERT INTO t (v) VALUES ('r'), ('s') RETURNING id")
	if !res.Returning || len(res.Rows) != 2 || res.RowsAffected != 2 || res.LastInsertID != 5 {
		t.Fatalf("returning: %+v", res)
	}

	// The cached insert after the table is replaced by one of another shape.
	exec(t, e, "w", "DROP TABLE t")
	exec(t, e, "w", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL, w TEXT DEFAULT 'd')")
	if res := exec(t, e, "w", insert, "z"); res.RowsAffected != 1 || res.LastInsertID != 1 {
		t.Fatalf("insert after the schema changed: %+v", res)
	}
	_, err = e.Exec(context.Background(), "w", Query{SQL: insert, Params: []any{nil}})
	wantSQLError(t, err, "NOT NULL constraint failed: t.v")
	if got := exec(t, e, "w", "SELECT w FROM t"); len(got.Rows) != 1 || got.Rows[0][0] != "d" {
		t.Fatalf("rows after the schema change: %+v", got.Rows)
	}

	// A script right after cached writes counts only its own rows.
	exec(t, e, "w", insert, "y")
	sr, err := e.ImportSQL(context.Background(), "w", "INSERT INTO t (v) VALUES ('p'); CREATE TABLE u (x);")
	if err != nil || sr.RowsAffected != 1 {
		t.Fatalf("script after cached writes: %v %+v", err, sr)
	}
}
