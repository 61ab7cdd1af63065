package gateway

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestExportQueryRoute streams a query's rows over real HTTP in each
// format, with parameters, headers like the table exports, and clear
// errors before any byte is sent.
func TestExportQueryRoute(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("d")
	f.script("d", `CREATE TABLE t(id INTEGER PRIMARY KEY, r REAL, s TEXT, at DATETIME);
		INSERT INTO t VALUES (1, 1.0, 'a,"b"', '2024-01-02T03:04:05Z'), (2, 16192.210000000001, NULL, NULL), (3, 2.5, 'c', NULL);`)
	body := map[string]any{"sql": "SELECT * FROM t WHERE id <= ? ORDER BY id", "params": []any{2}}

	r := f.do("POST", "/api/db/d/export/query", body)
	f.expect(r, 200, "")
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type %q", ct)
	}
	if want := "id,r,s,at\r\n1,1.0,\"a,\"\"b\"\"\",2024-01-02T03:04:05Z\r\n2,16192.210000000001,,\r\n"; string(r.raw) != want {
		t.Fatalf("CSV %q, want %q", r.raw, want)
	}

	body["format"] = "json"
	r = f.do("POST", "/api/db/d/export/query", body)
	f.expect(r, 200, "")
	var rows []map[string]any
	if err := json.Unmarshal(r.raw, &rows); err != nil || len(rows) != 2 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("JSON %s (%v)", r.raw, err)
	}
	if !strings.Contains(string(r.raw), `"r":1.0`) {
		t.Fatalf("REAL lost its fraction: %s", r.raw)
	}

	body["format"] = "ndjson"
	body["params"] = map[string]any{"n": 3}
	body["sql"] = "SELECT id FROM t WHERE id < :n"
	r = f.do("POST", "/api/db/d/export/query", body)
	if r.status != 200 || string(r.raw) != "{\"id\":1}\n{\"id\":2}\n" || r.header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("NDJSON %d %q", r.status, r.raw)
	}

	for _, c := range []struct {
		body   any
		status int
		code   string
	}{
		{map[string]any{"sql": "SELECT 1", "format": "xml"}, 422, "VALIDATION_ERROR"},
		{map[string]any{"format": "csv"}, 422, ""},
		{map[string]any{"sql": "SELECT nope FROM t"}, 400, "SQL_ERROR"},
		{map[string]any{"sql": "SELECT 1; SELECT 2"}, 400, ""},
		{"not json", 400, ""},
	} {
		r := f.do("POST", "/api/db/d/export/query", c.body)
		f.expect(r, c.status, "")
		if c.code != "" && r.code() != c.code {
			t.Errorf("%v: code %q, want %q", c.body, r.code(), c.code)
		}
	}
	f.expect(f.do("POST", "/api/db/nosuch/export/query", map[string]any{"sql": "SELECT 1"}), 404, "Database not found.")
}

// TestExportQueryKeys: a readonly key may export its own database but no
// spelling of a write gets through (INSERT … RETURNING, WITH … INSERT …
// RETURNING, pragmas that set), nor does even an admin key write through
// an export; a key scoped to another database is refused.
func TestExportQueryKeys(t *testing.T) {
	f := newFixture(t, Options{})
	for _, db := range []string{"mine", "other"} {
		f.spawn(db)
		f.exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
		f.exec(db, "INSERT INTO t(v) VALUES ('a'), ('b')")
	}
	ro, _ := f.createKey("reporting", "readonly", "mine")
	before := f.checksum("mine")
	writes := []string{
		"INSERT INTO t(v) VALUES ('x') RETURNING id",
		"WITH n(v) AS (VALUES ('x')) INSERT INTO t(v) SELECT v FROM n RETURNING id",
		"UPDATE t SET v = 'x' RETURNING id",
		"DELETE FROM t RETURNING id",
		"PRAGMA user_version = 9",
		"PRAGMA query_only = 0",
		"PRAGMA journal_mode = DELETE",
	}
	for _, key := range []string{ro, f.key} {
		for _, sql := range writes {
			r := f.as(key, "POST", "/api/db/mine/export/query", map[string]any{"sql": sql})
			if r.status != 403 && r.status != 400 {
				t.Errorf("%q: status %d, want a refusal: %s", sql, r.status, r.raw)
			}
			f.expect(r, r.status, "")
		}
	}
	if after := f.checksum("mine"); after != before {
		t.Fatalf("data changed through an export: %s → %s", before, after)
	}
	if r := f.exec("mine", "PRAGMA user_version"); !strings.Contains(string(r.raw), `"user_version":0`) {
		t.Fatalf("user_version changed: %s", r.raw)
	}
	r := f.as(ro, "POST", "/api/db/mine/export/query", map[string]any{"sql": "SELECT v FROM t ORDER BY id", "format": "ndjson"})
	if r.status != 200 || string(r.raw) != "{\"v\":\"a\"}\n{\"v\":\"b\"}\n" {
		t.Fatalf("readonly export of its own database: %d %s", r.status, r.raw)
	}
	for _, db := range []string{"other", "nosuch"} {
		f.expect(f.as(ro, "POST", "/api/db/"+db+"/export/query", map[string]any{"sql": "SELECT * FROM t"}), 403, "This key is not scoped to this database.")
	}
	f.expect(f.doWith("POST", "/api/db/mine/export/query", map[string]any{"sql": "SELECT 1"}, nil), 401, "")
}
