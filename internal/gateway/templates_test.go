package gateway

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/templates"
)

func TestSpawnFromTemplate(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "crm.sql"), []byte("-- Contacts.\nCREATE TABLE contacts(id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO contacts(name) VALUES ('ada');\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.sql"), []byte("CREATE TABLE a(x);\nINSERT INTO missing VALUES (1);\n"), 0o644)
	f := newFixtureConfig(t, engine.Config{MaxDatabases: 5}, Options{Templates: templates.New(dir)})

	r := f.do("GET", "/admin/templates", nil)
	f.expect(r, 200, "")
	names := []string{}
	for _, x := range r.list {
		names = append(names, x.(map[string]any)["name"].(string))
	}
	if strings.Join(names, ",") != "app,broken,crm,ecommerce,events,kv" {
		t.Fatalf("templates %v", names)
	}

	r = f.do("POST", "/admin/databases/spawn/shop", map[string]any{"template": "ecommerce"})
	f.expect(r, 201, msgSpawned)
	if r.str("template") != "ecommerce" || r.str("container_id") == "" {
		t.Fatalf("spawn answer %s", r.raw)
	}
	if got := f.exec("shop", "SELECT count(*) AS n FROM products").raw; !strings.Contains(string(got), `"n":120`) {
		t.Fatalf("products: %s", got)
	}
	f.expect(f.do("POST", "/admin/databases/spawn/c", map[string]any{"template": "crm"}), 201, "")
	if got := f.exec("c", "SELECT name FROM contacts").raw; !strings.Contains(string(got), `"ada"`) {
		t.Fatalf("crm: %s", got)
	}
	f.expect(f.do("POST", "/admin/databases/spawn/raw", map[string]any{"from_sql": "CREATE TABLE t(x); INSERT INTO t VALUES (42);"}), 201, "")
	if got := f.exec("raw", "SELECT x FROM t").raw; !strings.Contains(string(got), `42`) {
		t.Fatalf("from_sql: %s", got)
	}

	// an existing database (running or pruned) is never filled
	r = f.do("POST", "/admin/databases/spawn/shop", map[string]any{"template": "kv"})
	f.expect(r, 409, "")
	if r.code() != "DATABASE_ALREADY_EXISTS" {
		t.Fatalf("code %s", r.code())
	}
	r = f.do("POST", "/admin/databases/spawn/x", map[string]any{"template": "nope"})
	f.expect(r, 404, `Template "nope" not found; available: app, broken, crm, ecommerce, events, kv.`)
	if r.code() != "TEMPLATE_NOT_FOUND" {
		t.Fatalf("code %s", r.code())
	}
	f.expect(f.do("POST", "/admin/databases/spawn/x", map[string]any{"template": "../../etc/passwd"}), 404, "")
	f.expect(f.do("POST", "/admin/databases/spawn/x", map[string]any{"template": "kv", "from_sql": "SELECT 1"}), 422, "")
	f.expect(f.do("POST", "/admin/databases/spawn/x", map[string]any{"template": 7}), 422, "")

	// a failing script leaves no database behind
	r = f.do("POST", "/admin/databases/spawn/b", map[string]any{"template": "broken"})
	f.expect(r, 400, "SQL Error: no such table: missing (statement 2, line 2: INSERT INTO missing VALUES (1))")
	for _, script := range []string{"ATTACH DATABASE 'x.db' AS x", "CREATE TABLE t(x); PRAGMA writable_schema=1;", ""} {
		if r := f.do("POST", "/admin/databases/spawn/b", map[string]any{"from_sql": script}); r.status != 400 && r.status != 403 {
			t.Fatalf("from_sql %q: %d %s", script, r.status, r.raw)
		}
	}
	f.expect(f.do("GET", "/admin/databases/b", nil), 404, "")

	// templates count against the database limit: shop, c, raw + 2
	f.expect(f.do("POST", "/admin/databases/spawn/d", map[string]any{"template": "app"}), 201, "")
	f.expect(f.do("POST", "/admin/databases/spawn/e", map[string]any{"template": "events"}), 201, "")
	r = f.do("POST", "/admin/databases/spawn/g", map[string]any{"template": "kv"})
	f.expect(r, 409, "")
	if r.code() != "DATABASE_LIMIT_REACHED" {
		t.Fatalf("code %s", r.code())
	}
	// a read-write key may not spawn from a template either
	rw, _ := f.createKey("rw", "readwrite")
	f.expect(f.as(rw, "POST", "/admin/databases/spawn/h", map[string]any{"template": "kv"}), 403, "")
	f.expect(f.as(rw, "GET", "/admin/templates", nil), 403, "")
}
