package mcp_test

// spawn_database's backend argument, through /mcp of a real gateway with
// and without the PostgreSQL backend (a throwaway cluster).

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/engine/postgres"
	"github.com/dbforge/dbforge/internal/gateway"
	"github.com/dbforge/dbforge/internal/mcp"
	"github.com/dbforge/dbforge/internal/pgtest"
)

// servePostgres is serve with the PostgreSQL backend on a throwaway
// cluster; every database is deleted (dropped on the server) at the end.
func servePostgres(t *testing.T) *served {
	t.Helper()
	cluster := pgtest.Start(t)
	dir := t.TempDir()
	pg, err := postgres.New(context.Background(), cluster.AdminDSN(), postgres.Options{SecretFile: filepath.Join(dir, "postgres.secret")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pg.Close)
	eng, err := engine.Open(engine.Config{DataDir: dir, Backends: []engine.Backend{pg}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		list, _ := eng.List(context.Background(), true)
		for _, in := range list {
			eng.Delete(context.Background(), in.Name)
		}
		eng.Close()
	})
	gw := gateway.New(eng, gateway.Options{AdminKeyHash: auth.Hash(adminKey)})
	h, closeMCP := mcp.Mount(gw, "test", nil)
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); closeMCP() })
	return &served{url: srv.URL, admin: client.New(srv.URL, client.WithAPIKey(adminKey))}
}

// TestSpawnBackendInSchema: the tool schema offers backend as an optional
// choice of exactly the client's backends, and says what it does.
func TestSpawnBackendInSchema(t *testing.T) {
	cs, _ := memSession(t, false)
	res, err := cs.ListTools(ctxT(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range res.Tools {
		if tl.Name != "spawn_database" {
			continue
		}
		b, _ := json.Marshal(tl.InputSchema)
		var s struct {
			Required   []string `json:"required"`
			Properties map[string]struct {
				Enum        []string `json:"enum"`
				Description string   `json:"description"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		p, ok := s.Properties["backend"]
		if !ok || !slices.Equal(p.Enum, client.Backends()) || slices.Contains(s.Required, "backend") {
			t.Fatalf("backend property %+v, required %v; schema %s", p, s.Required, b)
		}
		if !strings.Contains(p.Description, "postgres") || !strings.Contains(p.Description, "default") {
			t.Errorf("backend description %q", p.Description)
		}
		if !strings.Contains(tl.Description, "PostgreSQL") {
			t.Errorf("spawn_database description %q does not mention PostgreSQL", tl.Description)
		}
		return
	}
	t.Fatal("no spawn_database tool")
}

// TestSpawnBackendWithoutPostgres: a gateway without PostgreSQL creates
// SQLite by default and refuses backend postgres with the backends it has,
// creating nothing; a backend outside the schema's choices is refused too.
func TestSpawnBackendWithoutPostgres(t *testing.T) {
	s := serve(t, engine.Config{})
	cs := s.httpSession(t, adminKey)
	var sp struct {
		Backend string `json:"backend"`
		Created bool   `json:"created"`
	}
	call(t, cs, "spawn_database", map[string]any{"name": "lite"}, &sp)
	if !sp.Created || sp.Backend != "sqlite" {
		t.Fatalf("default spawn: %+v", sp)
	}
	call(t, cs, "spawn_database", map[string]any{"name": "lite2", "backend": "sqlite"}, &sp)
	if !sp.Created || sp.Backend != "sqlite" {
		t.Fatalf("sqlite spawn: %+v", sp)
	}
	callErr(t, cs, "spawn_database", map[string]any{"name": "pg", "backend": "postgres"}, `available: "sqlite"`)
	res := rawCall(t, cs, "spawn_database", map[string]any{"name": "my", "backend": "mysql"})
	if !res.IsError {
		t.Fatalf("backend mysql accepted: %s", text(res))
	}
	var list struct {
		Databases []struct{ Name, Backend string } `json:"databases"`
	}
	call(t, cs, "list_databases", map[string]any{"all": true}, &list)
	if len(list.Databases) != 2 {
		t.Fatalf("databases after refused spawns: %+v", list.Databases)
	}
	for _, d := range list.Databases {
		if d.Backend != "sqlite" {
			t.Errorf("%s: backend %q", d.Name, d.Backend)
		}
	}
}

// TestSpawnPostgresOverMCP: with PostgreSQL, spawn_database backend
// postgres creates a PostgreSQL database that query, schema and explain
// work on in its dialect, beside a SQLite one; a tenant key scoped to it
// cannot reach the other, and its role is no superuser.
func TestSpawnPostgresOverMCP(t *testing.T) {
	s := servePostgres(t)
	cs := s.httpSession(t, adminKey)
	var sp struct {
		Backend string `json:"backend"`
		Created bool   `json:"created"`
	}
	call(t, cs, "spawn_database", map[string]any{"name": "shop", "backend": "postgres"}, &sp)
	if !sp.Created || sp.Backend != "postgres" {
		t.Fatalf("postgres spawn: %+v", sp)
	}
	call(t, cs, "spawn_database", map[string]any{"name": "lite"}, &sp)
	if sp.Backend != "sqlite" {
		t.Fatalf("default spawn beside postgres: %+v", sp)
	}
	var list struct {
		Databases []struct{ Name, Backend string } `json:"databases"`
	}
	call(t, cs, "list_databases", nil, &list)
	got := map[string]string{}
	for _, d := range list.Databases {
		got[d.Name] = d.Backend
	}
	if got["shop"] != "postgres" || got["lite"] != "sqlite" {
		t.Fatalf("list_databases backends %v", got)
	}

	call(t, cs, "query", map[string]any{"database": "shop", "sql": "CREATE TABLE items(id bigserial PRIMARY KEY, name text NOT NULL, qty int8)"}, nil)
	call(t, cs, "query", map[string]any{"database": "shop", "sql": "INSERT INTO items(name, qty) VALUES (?, ?), (?, ?)",
		"params": []any{"tea", 9007199254740991, "cake", 1000000}}, nil)
	// whole numbers reach an int8 column as integers (not 1e+06), and
	// come back as integers, up to 2^53 (the SDK's float64 bound)
	res := rawCall(t, cs, "query", map[string]any{"database": "shop", "sql": "SELECT name, qty FROM items WHERE qty >= $1 ORDER BY id", "params": []any{1000000}})
	if res.IsError || !strings.Contains(text(res), `"rows":[["tea",9007199254740991],["cake",1000000]]`) {
		t.Fatalf("rows %s", text(res))
	}
	if r := rowsOf(t, cs, "shop", "SELECT current_setting('is_superuser')"); len(r) != 1 || r[0][0] != "off" {
		t.Fatalf("is_superuser %v", r)
	}

	var sch struct {
		Tables []struct {
			Name    string `json:"name"`
			Columns []struct{ Name, Type string }
		} `json:"tables"`
	}
	call(t, cs, "schema", map[string]any{"database": "shop"}, &sch)
	if len(sch.Tables) != 1 || sch.Tables[0].Name != "items" || len(sch.Tables[0].Columns) != 3 {
		t.Fatalf("schema %+v", sch)
	}
	var plan struct {
		Plan []struct {
			Detail string `json:"detail"`
		} `json:"plan"`
	}
	call(t, cs, "explain", map[string]any{"database": "shop", "sql": "SELECT * FROM items WHERE id = ?", "params": []any{1}}, &plan)
	if b, _ := json.Marshal(plan); len(plan.Plan) == 0 || !strings.Contains(string(b), "items") || !strings.Contains(string(b), "cost=") {
		t.Fatalf("plan %s", b)
	}

	tenant := s.httpSession(t, s.newKey(t, "tenant", "readwrite", "shop"))
	if r := rowsOf(t, tenant, "shop", "SELECT count(*) FROM items"); len(r) != 1 || r[0][0] != float64(2) {
		t.Fatalf("tenant count %v", r)
	}
	callErr(t, tenant, "query", map[string]any{"database": "lite", "sql": "SELECT 1"}, "403")
	callErr(t, tenant, "spawn_database", map[string]any{"name": "other", "backend": "postgres"}, "403")

	call(t, cs, "delete_database", map[string]any{"name": "shop", "confirm": "shop"}, nil)
	callErr(t, cs, "query", map[string]any{"database": "shop", "sql": "SELECT 1"}, "404")
}
