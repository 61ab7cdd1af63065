package app

import (
	"context"
	"errors"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// A read-only session cannot write by any statement: the text check lets
// a write it does not recognise through, and the engine refuses it.
func TestStatementsReadOnlyEnforcedByTheEngine(t *testing.T) {
	c := startShop(t)
	ctx := context.Background()
	ro := Statements{Client: c, ReadOnly: true}
	for _, sql := range []string{
		"PRAGMA user_version(7)", // a write that looks like a PRAGMA read
		"SELECT 1; DELETE FROM items",
	} {
		if ro.FirstWrite(sql) == 0 && sql == "PRAGMA user_version(7)" {
			t.Fatalf("the text check now catches %q: pick a write it misses", sql)
		}
		if _, err := ro.Run(ctx, "shop", client.QueryRequest{SQL: sql}); err == nil {
			t.Errorf("read-only session ran %q", sql)
		}
	}
	if got := rows(t, c, "shop", "PRAGMA user_version"); got[0][0] != int64(0) {
		t.Errorf("user_version changed to %v", got[0][0])
	}
	if got := rows(t, c, "shop", "SELECT count(*) FROM items"); got[0][0] != int64(2) {
		t.Errorf("items now %v", got[0][0])
	}
	// the early word names the first writing statement
	if i := ro.FirstWrite("SELECT 1", "UPDATE items SET qty = 0", "DELETE FROM items"); i != 1 {
		t.Errorf("FirstWrite = %d, want 1", i)
	}
	if i := (Statements{Client: c}).FirstWrite("DELETE FROM items"); i != -1 {
		t.Errorf("a read-write session refused a write early: %d", i)
	}
	// and reads still work
	res, err := ro.Run(ctx, "shop", client.QueryRequest{SQL: "SELECT name FROM items ORDER BY id"})
	if err != nil || len(res.Rows) != 2 {
		t.Fatalf("read: %v, %v", res, err)
	}
	rw := Statements{Client: c}
	if _, err := rw.Run(ctx, "shop", client.QueryRequest{SQL: "PRAGMA user_version(7)"}); err != nil {
		t.Fatalf("read-write session: %v", err)
	}
	if got := rows(t, c, "shop", "PRAGMA user_version"); got[0][0] != int64(7) {
		t.Errorf("user_version %v after a read-write set", got[0][0])
	}
}

func TestRunScriptStopsAtTheFirstError(t *testing.T) {
	c := startShop(t)
	ctx := context.Background()
	run := Statements{Client: c}
	r := run.RunScript(ctx, "shop", []string{
		"INSERT INTO items (name) VALUES ('a'), ('b')",
		"UPDATE items SET qty = 1 WHERE qty IS NULL",
		"SELECT name FROM items ORDER BY id",
		"INSERT INTO nope VALUES (1)",
		"DELETE FROM items",
	}, client.QueryRequest{Shape: "rows"})
	var apiErr *client.APIError
	if !errors.As(r.Err, &apiErr) || r.Failed() != 3 || len(r.Results) != 3 {
		t.Fatalf("failed at %d with %v (%d results)", r.Failed(), r.Err, len(r.Results))
	}
	// 2 inserted + 3 updated (the NULL one and the two new rows)
	if !r.Wrote || r.Affected != 5 {
		t.Errorf("wrote %v, affected %d, want true and 5", r.Wrote, r.Affected)
	}
	if got := rows(t, c, "shop", "SELECT count(*) FROM items"); got[0][0] != int64(4) {
		t.Errorf("the statement after the failure ran: %v rows", got[0][0])
	}
	ok := run.RunScript(ctx, "shop", []string{"SELECT 1", "SELECT 2"}, client.QueryRequest{})
	if ok.Err != nil || ok.Failed() != -1 || ok.Wrote {
		t.Errorf("read-only script: %+v", ok)
	}
	// INSERT … RETURNING returns rows and still counts as a write
	ret, err := run.Run(ctx, "shop", client.QueryRequest{SQL: "INSERT INTO items (name) VALUES ('r') RETURNING id"})
	if err != nil || !ret.Returning() || !Wrote("INSERT INTO items (name) VALUES ('r') RETURNING id", ret) {
		t.Errorf("RETURNING: %v, %v", ret, err)
	}
	if Wrote("SELECT 1", &client.QueryResult{Columns: []client.Column{{Name: "1"}}, Rows: [][]any{{int64(1)}}}) || Wrote("SELECT 1", nil) {
		t.Error("a read counted as a write")
	}
}

// FirstDestructive names the first statement to confirm, read by the
// database's dialect: a PostgreSQL dollar-quoted body is text, not a DROP.
func TestFirstDestructive(t *testing.T) {
	if i, why := FirstDestructive(sqltext.SQLite, "SELECT 1", "DELETE FROM t WHERE x = 1", "DELETE FROM t"); i != 2 || why != "DELETE without WHERE removes every row of t" {
		t.Errorf("got %d %q", i, why)
	}
	if i, _ := FirstDestructive(sqltext.SQLite, "SELECT 'DROP TABLE t'", "UPDATE t SET x = 1 WHERE y"); i != -1 {
		t.Errorf("harmless statements flagged: %d", i)
	}
	body := "CREATE FUNCTION f() RETURNS void AS $$ DROP TABLE t $$ LANGUAGE sql"
	if i, _ := FirstDestructive(sqltext.Postgres, body); i != -1 {
		t.Errorf("a dollar-quoted body counted as a DROP in PostgreSQL")
	}
	if i, _ := FirstDestructive(sqltext.Postgres, "DROP TABLE t"); i != 0 {
		t.Errorf("DROP not flagged in PostgreSQL")
	}
}

// FirstWrite reads statements by the session's dialect: a PostgreSQL
// dollar-quoted string that holds DELETE is text, not the statement's verb.
func TestFirstWriteFollowsTheDialect(t *testing.T) {
	sql := "WITH a AS (SELECT $$ ) DELETE FROM t -- $$ AS x) SELECT * FROM a"
	if i := (Statements{ReadOnly: true, Dialect: sqltext.Postgres}).FirstWrite("SELECT 1", sql); i != -1 {
		t.Errorf("PostgreSQL: a read counted as a write at %d", i)
	}
	if i := (Statements{ReadOnly: true}).FirstWrite("SELECT 1", sql); i != 1 {
		t.Errorf("SQLite's reading of the same text: %d, want 1", i)
	}
	if i := (Statements{ReadOnly: true, Dialect: sqltext.Postgres}).FirstWrite("SELECT 1", "DELETE FROM t"); i != 1 {
		t.Errorf("PostgreSQL DELETE: %d", i)
	}
	if i := (Statements{Dialect: sqltext.Postgres}).FirstWrite("DELETE FROM t"); i != -1 {
		t.Errorf("outside read-only mode: %d", i)
	}
}
