package mcp_test

import (
	"fmt"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/dbforge/dbforge/internal/engine"
)

// TestHTTPScopes: behind /mcp each call runs with the request's own key,
// so a scoped or read-only key sees and does exactly what it may over REST.
func TestHTTPScopes(t *testing.T) {
	s := serve(t, engine.Config{})
	ctx := ctxT(t)
	for _, db := range []string{"a", "b"} {
		if _, err := s.admin.Spawn(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, err := s.admin.Query(ctx, db, queryReq("CREATE TABLE secret(v TEXT)")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.admin.Query(ctx, db, queryReq("INSERT INTO secret VALUES ('"+db+"-data')")); err != nil {
			t.Fatal(err)
		}
	}
	onlyA := s.httpSession(t, s.newKey(t, "app-a", "readwrite", "a"))
	reader := s.httpSession(t, s.newKey(t, "reader", "readonly"))
	adminA := s.httpSession(t, s.newKey(t, "admin-a", "admin", "a"))

	var ls struct {
		Databases []struct{ Name string } `json:"databases"`
	}
	call(t, onlyA, "list_databases", map[string]any{"all": true}, &ls)
	if fmt.Sprint(ls.Databases) != "[{a}]" {
		t.Fatalf("a key scoped to a lists %v", ls.Databases)
	}
	if got := rowsOf(t, onlyA, "a", "SELECT v FROM secret"); fmt.Sprint(got) != "[[a-data]]" {
		t.Fatalf("a reads %v", got)
	}
	for _, args := range []map[string]any{
		{"database": "b", "sql": "SELECT v FROM secret"},
		{"database": "b", "sql": "DELETE FROM secret"},
	} {
		callErr(t, onlyA, "query", args, "FORBIDDEN")
	}
	callErr(t, onlyA, "schema", map[string]any{"database": "b"}, "FORBIDDEN")
	callErr(t, onlyA, "export_csv", map[string]any{"database": "b", "table": "secret"}, "FORBIDDEN")
	callErr(t, onlyA, "spawn_database", map[string]any{"name": "c"}, "FORBIDDEN")
	callErr(t, onlyA, "fork_database", map[string]any{"source": "a", "target": "a2"}, "FORBIDDEN")
	callErr(t, adminA, "fork_database", map[string]any{"source": "a", "target": "b2"}, "FORBIDDEN")
	callErr(t, adminA, "fork_database", map[string]any{"source": "b", "target": "a2"}, "FORBIDDEN")
	callErr(t, adminA, "delete_database", map[string]any{"name": "b", "confirm": "b"}, "FORBIDDEN")
	if _, err := onlyA.ReadResource(ctxT(t), &sdk.ReadResourceParams{URI: "dbforge://db/b/schema"}); err == nil {
		t.Fatal("a key scoped to a read b's schema resource")
	}
	res, err := onlyA.ReadResource(ctxT(t), &sdk.ReadResourceParams{URI: "dbforge://db/a/schema"})
	if err != nil || len(res.Contents) != 1 || !strings.Contains(res.Contents[0].Text, `"secret"`) || res.Contents[0].MIMEType != "application/json" {
		t.Fatalf("schema resource of a: %+v, %v", res, err)
	}

	// the read-only key reads everything and writes nothing
	if got := rowsOf(t, reader, "b", "SELECT v FROM secret"); fmt.Sprint(got) != "[[b-data]]" {
		t.Fatalf("reader reads %v", got)
	}
	callErr(t, reader, "query", map[string]any{"database": "b", "sql": "DELETE FROM secret"}, "FORBIDDEN")
	callErr(t, reader, "query", map[string]any{"database": "b", "sql": "WITH x AS (SELECT 1) DELETE FROM secret"}, "FORBIDDEN")
	callErr(t, reader, "import_csv", map[string]any{"database": "b", "table": "secret", "csv": "v\nx\n"}, "FORBIDDEN")
	callErr(t, reader, "spawn_database", map[string]any{"name": "c"}, "FORBIDDEN")
	callErr(t, reader, "backup", map[string]any{"database": "b"}, "FORBIDDEN")

	// nothing changed in b
	r, err := s.admin.Query(ctx, "b", queryReq("SELECT count(*) FROM secret"))
	if err != nil || fmt.Sprint(r.Rows) != "[[1]]" {
		t.Fatalf("b after the attempts: %v, %v", r, err)
	}
	if dbs, _ := s.admin.ListDatabases(ctx, true); len(dbs) != 2 {
		t.Fatalf("databases after the attempts: %v", dbs)
	}
}

// TestAcceptanceOverHTTP is the flow with a scoped admin key:
// spawn, create a table, insert with parameters, query, fork, change the
// fork, and the original is unchanged.
func TestAcceptanceOverHTTP(t *testing.T) {
	s := serve(t, engine.Config{})
	cs := s.httpSession(t, s.newKey(t, "agent", "admin", "shop", "shop_try"))
	acceptance(t, cs, "shop", "shop_try")
	// and outside its scope the same key cannot
	callErr(t, cs, "spawn_database", map[string]any{"name": "elsewhere"}, "FORBIDDEN")
}

// acceptance runs the acceptance flow through an MCP session.
func acceptance(t *testing.T, cs *sdk.ClientSession, db, fork string) {
	t.Helper()
	call(t, cs, "spawn_database", map[string]any{"name": db}, nil)
	call(t, cs, "query", map[string]any{"database": db, "sql": "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL)"}, nil)
	call(t, cs, "query", map[string]any{"database": db, "sql": "INSERT INTO notes(body) VALUES (?), (?)", "params": []any{"keep me", "it's \"quoted\""}}, nil)
	if got := rowsOf(t, cs, db, "SELECT body FROM notes WHERE id = ?", 2); fmt.Sprint(got) != `[[it's "quoted"]]` {
		t.Fatalf("query: %v", got)
	}
	call(t, cs, "fork_database", map[string]any{"source": db, "target": fork}, nil)
	call(t, cs, "query", map[string]any{"database": fork, "sql": "DELETE FROM notes WHERE id = :id", "params": map[string]any{"id": 1}}, nil)
	call(t, cs, "query", map[string]any{"database": fork, "sql": "ALTER TABLE notes ADD COLUMN tag TEXT"}, nil)
	if got := rowsOf(t, cs, fork, "SELECT count(*) FROM notes"); fmt.Sprint(got) != "[[1]]" {
		t.Fatalf("fork after its change: %v", got)
	}
	if got := rowsOf(t, cs, db, "SELECT id, body FROM notes ORDER BY id"); fmt.Sprint(got) != `[[1 keep me] [2 it's "quoted"]]` {
		t.Fatalf("original changed with its fork: %v", got)
	}
	callErr(t, cs, "query", map[string]any{"database": db, "sql": "SELECT tag FROM notes"}, "no such column: tag")
}
