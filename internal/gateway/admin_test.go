package gateway

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRoot(t *testing.T) {
	f := newFixture(t, Options{})
	r := f.doWith("GET", "/", nil, nil)
	f.expect(r, 200, "")
	if string(r.raw) != `{"message":"Praetorian DB-Forge is online."}` {
		t.Fatalf("root: %s", r.raw)
	}
}

func TestSpawnLifecycle(t *testing.T) {
	f := newFixture(t, Options{})
	r := f.do("POST", "/admin/databases/spawn/shop", nil)
	f.expect(r, 201, "")
	if r.str("message") != "Database instance spawned successfully." || r.str("db_name") != "shop" || r.str("container_id") == "" {
		t.Fatalf("spawn: %s", r.raw)
	}
	id := r.str("container_id")
	r = f.do("POST", "/admin/databases/spawn/shop", nil)
	f.expect(r, 200, "")
	if r.str("message") != "Database instance already exists and is running." || r.str("container_id") != id {
		t.Fatalf("respawn: %s", r.raw)
	}
	f.exec("shop", "CREATE TABLE t (x)")
	f.exec("shop", "INSERT INTO t VALUES (42)")

	r = f.do("POST", "/admin/databases/prune/shop", nil)
	f.expect(r, 200, "")
	if r.str("message") != "Database instance pruned successfully." || r.str("db_name") != "shop" {
		t.Fatalf("prune: %s", r.raw)
	}
	f.expect(f.do("POST", "/admin/databases/prune/shop", nil), 404, "Database instance not found.")
	f.expect(f.do("POST", "/admin/databases/prune/ghost", nil), 404, "Database instance not found.")

	// pruned: gone from the default list, present with ?status=all, data routes 409
	r = f.do("GET", "/admin/databases", nil)
	f.expect(r, 200, "")
	if r.list == nil || len(r.list) != 0 {
		t.Fatalf("list after prune: %s", r.raw)
	}
	r = f.do("GET", "/admin/databases?status=all", nil)
	if len(r.list) != 1 || r.list[0].(map[string]any)["status"] != "stopped" {
		t.Fatalf("list all: %s", r.raw)
	}
	r = f.do("POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1"})
	f.expect(r, 409, "")
	if r.code() != "DATABASE_STOPPED" {
		t.Fatalf("stopped code: %s", r.raw)
	}

	// spawning again restarts it with its data, answered as MK1 answers a
	// spawn (its scripts run twice match the message), plus "restarted"
	r = f.do("POST", "/admin/databases/spawn/shop", nil)
	f.expect(r, 201, "Database instance spawned successfully.")
	if r.body["restarted"] != true || r.str("db_name") != "shop" || r.str("container_id") == "" {
		t.Fatalf("re-spawn answer: %s", r.raw)
	}
	r = f.do("POST", "/admin/databases/spawn/shop", nil)
	f.expect(r, 200, "Database instance already exists and is running.")
	if r.body["restarted"] != false {
		t.Fatalf("spawn of a running database: %s", r.raw)
	}
	r = f.exec("shop", "SELECT x FROM t")
	if string(r.body["data"].([]any)[0].(map[string]any)["x"].(json.Number)) != "42" {
		t.Fatalf("data lost over prune/spawn: %s", r.raw)
	}
}

func TestSpawnBody(t *testing.T) {
	f := newFixture(t, Options{})
	f.expect(f.do("POST", "/admin/databases/spawn/a", map[string]any{"backend": "sqlite"}), 201, "")
	r := f.do("POST", "/admin/databases/spawn/b", map[string]any{"backend": "postgres"})
	f.expect(r, 400, "")
	if !strings.Contains(r.str("detail"), "Unsupported backend") {
		t.Fatalf("backend: %s", r.raw)
	}
	f.expect(f.do("POST", "/admin/databases/spawn/c", "{nope"), 400, "")
}

func TestInvalidDatabaseNames(t *testing.T) {
	f := newFixture(t, Options{})
	for _, name := range []string{
		"-lead", "_lead", ".hidden", "a%2Fb", "%2E%2E", "a%20b", "x;y", "a%00b",
		strings.Repeat("a", 201), "%C3%A9t%C3%A9",
	} {
		for _, path := range []string{"/admin/databases/spawn/" + name, "/api/db/" + name + "/query"} {
			r := f.do("POST", path, map[string]any{"sql": "SELECT 1"})
			if r.status != 400 {
				t.Errorf("%s: status %d %s", path, r.status, r.raw)
				continue
			}
			f.expect(r, 400, "")
		}
	}
	f.expect(f.do("POST", "/admin/databases/spawn/"+strings.Repeat("a", 201), nil), 400, "Invalid database name.")
	f.expect(f.do("POST", "/admin/databases/spawn/a%2Fb", nil), 400, "Invalid database name.")
	// dot segments never reach the router, which would redirect elsewhere
	for _, p := range []string{"/admin/databases/spawn/..", "/admin/databases/spawn/.", "/api/db/../db/x/query", "/admin/databases/spawn//x"} {
		r := f.do("POST", p, nil)
		f.expect(r, 400, "")
	}
	// nothing was created, inside the data dir or out of it
	r := f.do("GET", "/admin/databases?status=all", nil)
	if len(r.list) != 0 {
		t.Fatalf("an invalid name created a database: %s", r.raw)
	}
	f.expect(f.do("GET", "/admin/databases?status=bogus", nil), 422, "")
}

func TestDiscoveryDetailsStatsDelete(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("one")
	f.spawn("two")
	f.exec("one", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
	f.exec("one", "CREATE INDEX t_v ON t (v)")
	f.exec("one", "INSERT INTO t (v) VALUES ('a'), ('b')")
	f.do("POST", "/admin/databases/prune/two", nil)

	r := f.do("GET", "/admin/discovery", nil)
	f.expect(r, 200, "")
	if len(r.list) != 2 || r.list[0].(map[string]any)["db_name"] != "one" || r.list[1].(map[string]any)["status"] != "stopped" {
		t.Fatalf("discovery: %s", r.raw)
	}

	r = f.do("GET", "/admin/databases/one", nil)
	f.expect(r, 200, "")
	tables := r.body["tables"].([]any)
	if len(tables) != 1 || tables[0].(map[string]any)["row_count"] != json.Number("2") || r.str("journal_mode") != "wal" {
		t.Fatalf("details: %s", r.raw)
	}
	for _, k := range []string{"name", "container_id", "status", "size_bytes", "indexes", "page_size", "page_count", "wal_bytes"} {
		if _, ok := r.body[k]; !ok {
			t.Errorf("details lacks %q", k)
		}
	}
	f.expect(f.do("GET", "/admin/databases/nope", nil), 404, "Database not found.")

	r = f.do("GET", "/admin/databases/one/stats", nil)
	f.expect(r, 200, "")
	for _, k := range []string{"status", "uptime_seconds", "open_connections", "queries_total", "errors_total", "rows_read", "rows_written", "latency_ms", "series"} {
		if _, ok := r.body[k]; !ok {
			t.Errorf("stats lacks %q: %s", k, r.raw)
		}
	}
	if r.body["queries_total"] == json.Number("0") {
		t.Fatalf("stats counted nothing: %s", r.raw)
	}
	f.expect(f.do("GET", "/admin/databases/nope/stats", nil), 404, "Database not found.")

	r = f.do("DELETE", "/admin/databases/one", nil)
	f.expect(r, 400, "")
	if !strings.Contains(r.str("detail"), "force=true") {
		t.Fatalf("delete without force: %s", r.raw)
	}
	f.expect(f.do("DELETE", "/admin/databases/one?force=true", nil), 200, "")
	f.expect(f.do("GET", "/admin/databases/one", nil), 404, "Database not found.")
	f.expect(f.do("DELETE", "/admin/databases/one?force=true", nil), 404, "Database not found.")
	f.expect(f.do("DELETE", "/admin/databases/a%2Fb?force=true", nil), 400, "Invalid database name.")
}

func TestGatewayStatsByPattern(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("s1")
	f.spawn("s2")
	f.exec("s1", "SELECT 1")
	f.exec("s2", "SELECT 1")
	f.do("POST", "/api/db/ghost/query", map[string]any{"sql": "SELECT 1"})
	f.do("GET", "/no/such/route", nil)
	r := f.do("GET", "/admin/gateway/stats", nil)
	f.expect(r, 200, "")
	by := r.body["requests_by_endpoint"].(map[string]any)
	if by["POST /api/db/{db}/query"] != json.Number("3") || by["POST /admin/databases/spawn/{db}"] != json.Number("2") {
		t.Fatalf("by endpoint: %s", r.raw)
	}
	for k := range by {
		if strings.Contains(k, "s1") || strings.Contains(k, "ghost") || strings.Contains(k, "no/such") {
			t.Fatalf("raw path leaked into stats: %q", k)
		}
	}
	errs := r.body["errors_by_type"].(map[string]any)
	if errs["404"] != json.Number("2") || r.body["total_errors"] != json.Number("2") || r.body["total_requests"] != json.Number("6") {
		t.Fatalf("errors: %s", r.raw)
	}
	if _, ok := r.body["uptime_seconds"]; !ok {
		t.Fatal("no uptime_seconds")
	}
}
