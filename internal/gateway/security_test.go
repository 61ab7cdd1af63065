package gateway

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
)

// createKey makes a key through the API and returns the key and its id.
func (f *fixture) createKey(name, role string, dbs ...string) (key, id string) {
	f.t.Helper()
	body := map[string]any{"name": name, "role": role}
	if dbs != nil {
		body["databases"] = dbs
	}
	r := f.do("POST", "/admin/keys", body)
	f.expect(r, 201, "")
	if r.header.Get("Cache-Control") != "no-store" {
		f.t.Fatal("key creation may be cached")
	}
	return r.str("key"), r.str("id")
}

// as sends a request with another key.
func (f *fixture) as(key, method, path string, body any) response {
	f.t.Helper()
	return f.doWith(method, path, body, map[string]string{"Authorization": "Bearer " + key})
}

// checksum is a digest of table t in db, read with the admin key.
func (f *fixture) checksum(db string) string {
	f.t.Helper()
	r := f.exec(db, "SELECT count(*) AS n, group_concat(id || ':' || v, ',') AS s FROM (SELECT * FROM t ORDER BY id)")
	b, _ := json.Marshal(r.body["data"])
	return string(b)
}

// TestReadOnlyScopedKey is the acceptance test of scoped keys: a readonly
// key scoped to one database cannot write to it (even through WITH …
// INSERT, ATTACH, PRAGMA writable_schema or VACUUM INTO), cannot read
// another, and cannot see another in the lists.
func TestReadOnlyScopedKey(t *testing.T) {
	f := newFixture(t, Options{})
	for _, db := range []string{"mine", "other"} {
		f.spawn(db)
		f.exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
		f.exec(db, "INSERT INTO t(v) VALUES ('a'), ('b')")
	}
	ro, _ := f.createKey("reporting", "readonly", "mine")
	before := f.checksum("mine")
	out := filepath.Join(t.TempDir(), "stolen.db")

	// cannot write to its database, however the write is spelled
	for _, sql := range []string{
		"INSERT INTO t(v) VALUES ('x')",
		"WITH n(v) AS (VALUES ('x')) INSERT INTO t(v) SELECT v FROM n",
		"with d as (select 1) delete from t",
		"UPDATE t SET v = 'x'",
		"DROP TABLE t",
		"CREATE TABLE u(a)",
		"ATTACH DATABASE '" + out + "' AS o",
		"PRAGMA writable_schema=1",
		"PRAGMA writable_schema = ON",
		"VACUUM INTO '" + out + "'",
		"VACUUM/**/INTO'" + out + "'",
		"PRAGMA user_version=9",
	} {
		r := f.as(ro, "POST", "/api/db/mine/query", map[string]any{"sql": sql})
		if r.status != 403 && r.status != 400 {
			t.Errorf("%q: status %d, want a refusal: %s", sql, r.status, r.raw)
		}
		f.expect(r, r.status, "")
	}
	f.expect(f.as(ro, "POST", "/api/db/mine/tables", map[string]any{"table_name": "u", "columns": []any{map[string]any{"name": "a"}}}), 403, "")
	f.expect(f.as(ro, "POST", "/api/db/mine/tables/t/rows", map[string]any{"rows": []any{map[string]any{"v": "x"}}}), 403, "")
	f.expect(f.as(ro, "POST", "/api/db/mine/import/csv?table=t&header=true", "id,v\n9,x\n"), 403, "")
	f.expect(f.as(ro, "POST", "/api/db/mine/import/sql", "INSERT INTO t(v) VALUES ('x');"), 403, "")
	f.expect(f.as(ro, "POST", "/admin/databases/mine/backup", nil), 403, "")
	if r := f.as(ro, "GET", "/api/db/mine/export/csv?table=t", nil); r.status != 200 || !strings.Contains(string(r.raw), "a") {
		t.Fatalf("export: %d %s", r.status, r.raw)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a file was written outside the data directory")
	}
	if after := f.checksum("mine"); after != before {
		t.Fatalf("data changed: %s → %s", before, after)
	}
	if r := f.exec("mine", "PRAGMA user_version"); !strings.Contains(string(r.raw), `"user_version":0`) {
		t.Fatalf("user_version changed: %s", r.raw)
	}
	// it can read its own database
	r := f.as(ro, "POST", "/api/db/mine/query", map[string]any{"sql": "SELECT v FROM t ORDER BY id"})
	f.expect(r, 200, "")
	if len(r.body["data"].([]any)) != 2 {
		t.Fatalf("read: %s", r.raw)
	}
	f.expect(f.as(ro, "GET", "/api/db/mine/tables/t/rows", nil), 200, "")
	f.expect(f.as(ro, "GET", "/api/db/mine/schema", nil), 200, "")
	f.expect(f.as(ro, "GET", "/admin/databases/mine", nil), 200, "")

	// cannot read another, whether it exists or not
	for _, p := range []string{"/api/db/other/schema", "/api/db/other/tables/t/rows", "/admin/databases/other", "/admin/databases/other/stats", "/api/db/nosuch/schema"} {
		f.expect(f.as(ro, "GET", p, nil), 403, "This key is not scoped to this database.")
	}
	f.expect(f.as(ro, "POST", "/api/db/other/query", map[string]any{"sql": "SELECT * FROM t"}), 403, "")

	// cannot see another in the lists
	for _, p := range []string{"/admin/databases", "/admin/databases?status=all", "/admin/discovery"} {
		r := f.as(ro, "GET", p, nil)
		f.expect(r, 200, "")
		if len(r.list) != 1 || strings.Contains(string(r.raw), "other") {
			t.Fatalf("%s shows more than its scope: %s", p, r.raw)
		}
	}
	// and has no admin powers
	for _, c := range [][2]string{{"POST", "/admin/databases/spawn/new"}, {"POST", "/admin/databases/prune/mine"}, {"DELETE", "/admin/databases/mine?force=true"}, {"GET", "/admin/keys"}, {"GET", "/admin/audit"}, {"GET", "/admin/gateway/stats"}} {
		f.expect(f.as(ro, c[0], c[1], nil), 403, "This route needs an admin key.")
	}
}

func TestReadWriteKeyAndRevocation(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("a")
	f.spawn("b")
	rw, id := f.createKey("app", "readwrite", "a")
	f.expect(f.as(rw, "POST", "/api/db/a/tables", map[string]any{"table_name": "t", "columns": []any{map[string]any{"name": "id", "type": "INTEGER", "primary_key": true}}}), 201, "")
	f.expect(f.as(rw, "POST", "/api/db/a/tables/t/rows", map[string]any{"rows": []any{map[string]any{"id": 1}}}), 201, "")
	f.expect(f.as(rw, "POST", "/api/db/a/query", map[string]any{"sql": "INSERT INTO t VALUES (2)"}), 200, "")
	f.expect(f.as(rw, "POST", "/api/db/b/query", map[string]any{"sql": "SELECT 1"}), 403, "")
	f.expect(f.as(rw, "POST", "/admin/databases/spawn/c", nil), 403, "")
	// an unscoped readwrite key sees everything but still no admin route
	all, _ := f.createKey("all", "readwrite")
	if r := f.as(all, "GET", "/admin/databases", nil); len(r.list) != 2 {
		t.Fatalf("unscoped list: %s", r.raw)
	}
	// the key list never shows keys
	r := f.do("GET", "/admin/keys", nil)
	f.expect(r, 200, "")
	if len(r.list) != 2 || strings.Contains(string(r.raw), rw) || strings.Contains(string(r.raw), "hash") {
		t.Fatalf("list: %s", r.raw)
	}
	// revocation works at once, without a restart
	f.expect(f.do("DELETE", "/admin/keys/"+id, nil), 200, "API key revoked.")
	f.expect(f.as(rw, "POST", "/api/db/a/query", map[string]any{"sql": "SELECT 1"}), 401, "Invalid API Key.")
	f.expect(f.do("DELETE", "/admin/keys/key_nosuch", nil), 404, "API key not found.")
	// the bootstrap key keeps working
	f.expect(f.do("GET", "/admin/keys", nil), 200, "")
	// bad requests
	f.expect(f.do("POST", "/admin/keys", map[string]any{"name": "x", "role": "root"}), 400, "")
	f.expect(f.do("POST", "/admin/keys", map[string]any{"name": "x", "role": "readonly", "databases": []string{"../x"}}), 400, "")
	f.expect(f.do("POST", "/admin/keys", map[string]any{"role": "readonly"}), 422, "")
	f.expect(f.do("POST", "/admin/keys", map[string]any{"name": "x", "role": "readonly", "databases": "a"}), 422, "")
}

func TestAuditRoute(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("a")
	ro, id := f.createKey("auditor", "readonly", "a")
	f.exec("a", "CREATE TABLE t(x)")
	f.exec("a", "INSERT INTO t VALUES (?), (?)", "secret-param", 2)
	f.as(ro, "POST", "/api/db/a/query", map[string]any{"sql": "SELECT * FROM t WHERE x <> 'secret-literal'"})
	f.as(ro, "POST", "/api/db/a/query", map[string]any{"sql": "DELETE FROM t"})
	f.doWith("GET", "/admin/databases", nil, map[string]string{"X-API-Key": "wrong-key-material"})
	// the audit writer is asynchronous (and writes calls without a valid
	// key once a second): wait for the six entries
	var r response
	for range 1000 {
		r = f.do("GET", "/admin/audit?limit=50", nil)
		if len(r.body["entries"].([]any)) >= 6 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	f.expect(r, 200, "")
	raw := string(r.raw)
	for _, leak := range []string{"secret-param", "secret-literal", "DELETE FROM", ro, "wrong-key-material", testKey} {
		if strings.Contains(raw, leak) {
			t.Fatalf("the audit log holds %q: %s", leak, raw)
		}
	}
	r = f.do("GET", "/admin/audit?key="+id, nil)
	entries := r.body["entries"].([]any)
	if len(entries) != 2 {
		t.Fatalf("entries of the key: %s", r.raw)
	}
	refused, read := entries[0].(map[string]any), entries[1].(map[string]any)
	if refused["status"] != json.Number("403") || refused["kind"] != engine.KindWrite || refused["key_name"] != "auditor" ||
		read["status"] != json.Number("200") || read["kind"] != engine.KindRead || read["rows"] != json.Number("2") ||
		read["route"] != "POST /api/db/{db}/query" || read["database"] != "a" || read["remote_addr"] != "127.0.0.1" {
		t.Fatalf("entries: %s", r.raw)
	}
	if r := f.do("GET", "/admin/audit?db=a&since=2000-01-01T00:00:00Z", nil); len(r.body["entries"].([]any)) < 4 {
		t.Fatalf("by db: %s", r.raw)
	}
	for _, q := range []string{"limit=0", "limit=x", "db=../x", "since=yesterday"} {
		if r := f.do("GET", "/admin/audit?"+q, nil); r.status < 400 || r.status >= 500 {
			t.Errorf("%s: %d", q, r.status)
		}
	}
}

func TestConcurrencyLimit(t *testing.T) {
	f := newFixtureConfig(t, engine.Config{MaxConcurrent: 1}, Options{})
	f.spawn("c")
	release, err := f.eng.Enter("c")
	if err != nil {
		t.Fatal(err)
	}
	r := f.do("POST", "/api/db/c/query", map[string]any{"sql": "SELECT 1"})
	f.expect(r, 429, "")
	if r.code() != "TOO_MANY_REQUESTS" || r.header.Get("Retry-After") == "" {
		t.Fatalf("429: %s %v", r.raw, r.header)
	}
	release.Leave()
	f.expect(f.do("POST", "/api/db/c/query", map[string]any{"sql": "SELECT 1"}), 200, "")
}

// TestAuditKindFromEngine: the audit log records what each statement did
// as SQLite saw it, through the real gateway and the audit API, whatever
// its text starts with.
func TestAuditKindFromEngine(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("k")
	ro, roID := f.createKey("reader", "readonly", "k")
	rw, rwID := f.createKey("writer", "readwrite", "k")
	cases := []struct{ sql, want string }{
		{"CREATE TABLE t(a)", engine.KindDDL},
		{"INSERT INTO t VALUES (1)", engine.KindWrite},
		{"  -- c\n /* DELETE */ select * from t", engine.KindRead},
		{"WITH x AS (SELECT 1) SELECT * FROM x", engine.KindRead},
		{"WITH x AS (SELECT 1) DELETE FROM t WHERE a = 5", engine.KindWrite},
		// deletes nothing yet returns (no) rows: still a write
		{"WITH x AS (SELECT 9) DELETE FROM t WHERE a IN x RETURNING *", engine.KindWrite},
		{"PRAGMA user_version", engine.KindRead},
		{"PRAGMA user_version = 3", engine.KindWrite},
		{"ALTER TABLE t ADD COLUMN b", engine.KindDDL},
		{"mysecret", engine.KindOther},
	}
	for _, c := range cases {
		f.as(rw, "POST", "/api/db/k/query", map[string]any{"sql": c.sql})
	}
	// a read-only key's write is refused by SQLite, and recorded as a write
	f.expect(f.as(ro, "POST", "/api/db/k/query", map[string]any{"sql": "WITH x AS (SELECT 1) DELETE FROM t"}), 403, "")
	entries := func(id string, n int) []any {
		var r response
		for range 1000 {
			if r = f.do("GET", "/admin/audit?limit=100&key="+id, nil); len(r.body["entries"].([]any)) >= n {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		return r.body["entries"].([]any)
	}
	got := entries(rwID, len(cases))
	if len(got) != len(cases) {
		t.Fatalf("%d entries, want %d", len(got), len(cases))
	}
	for i, c := range cases {
		en := got[len(got)-1-i].(map[string]any) // newest first
		if en["kind"] != c.want {
			t.Errorf("%q: kind %v, want %s", c.sql, en["kind"], c.want)
		}
	}
	if ro := entries(roID, 1); len(ro) != 1 || ro[0].(map[string]any)["kind"] != engine.KindWrite {
		t.Fatalf("refused write: %v", ro)
	}
}

// TestKeySlotsComeBack: a key's slot is given back whatever ends its call,
// a database refusing it for its own limit included; with one slot per
// key, a call after twenty refused ones still runs, and a second call
// while one is held is refused for the key.
func TestKeySlotsComeBack(t *testing.T) {
	f := newFixtureConfig(t, engine.Config{MaxConcurrent: 1}, Options{MaxConcurrentPerKey: 1})
	f.spawn("c")
	key, id := f.createKey("agent", "readwrite", "c")
	as := map[string]string{"X-API-Key": key}
	hold, err := f.eng.Enter("c")
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		f.expect(f.doWith("POST", "/api/db/c/query", map[string]any{"sql": "SELECT 1"}, as), 429, "")
	}
	hold.Leave()
	if n := len(f.gw.keySlots.inUse); n != 0 {
		t.Fatalf("%d keys still hold slots after their calls ended", n)
	}
	f.expect(f.doWith("POST", "/api/db/c/query", map[string]any{"sql": "SELECT 1"}, as), 200, "")
	if err := f.gw.keySlots.enter(id); err != nil {
		t.Fatal(err)
	}
	r := f.doWith("POST", "/api/db/c/query", map[string]any{"sql": "SELECT 1"}, as)
	f.expect(r, 429, "")
	if !strings.Contains(string(r.raw), "this API key") {
		t.Errorf("refused for the key: %s", r.raw)
	}
}
