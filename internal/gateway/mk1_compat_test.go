package gateway

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/engine"
)

// fillRows creates table t in db with n rows (i = 1..n).
func (f *fixture) fillRows(db string, n int) {
	f.t.Helper()
	f.exec(db, "CREATE TABLE t (i INTEGER PRIMARY KEY, s TEXT)")
	f.exec(db, fmt.Sprintf(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d)
		INSERT INTO t SELECT i, 'row ' || i FROM c`, n))
}

// TestNoLimitReturnsEveryRow: MK1 returns every row of a SELECT and of
// GET …/rows; without a limit we do too, up to --max-rows, and has_more
// is true only past that cap.
func TestNoLimitReturnsEveryRow(t *testing.T) {
	const n = 2500 // past the old silent cut at 1000
	f := newFixture(t, Options{})
	f.spawn("all")
	f.fillRows("all", n)
	for _, r := range []response{
		f.do("POST", "/api/db/all/query", map[string]any{"sql": "SELECT * FROM t"}),
		f.do("GET", "/api/db/all/tables/t/rows", nil),
	} {
		f.expect(r, 200, "")
		if got := len(r.body["data"].([]any)); got != n || r.body["rows_affected"] != json.Number(fmt.Sprint(n)) || r.body["has_more"] != false {
			t.Fatalf("%d rows, rows_affected %v, has_more %v; want all %d", got, r.body["rows_affected"], r.body["has_more"], n)
		}
	}
	// an explicit limit still pages
	r := f.do("GET", "/api/db/all/tables/t/rows?limit=10&offset=2490", nil)
	if got := len(r.body["data"].([]any)); got != 10 || r.body["has_more"] != false {
		t.Fatalf("last page: %d rows, has_more %v", got, r.body["has_more"])
	}
}

func TestNoLimitStopsAtMaxRows(t *testing.T) {
	f := newFixtureConfig(t, engine.Config{MaxRows: 1200}, Options{})
	f.spawn("cap")
	f.fillRows("cap", 1500)
	for _, r := range []response{
		f.do("POST", "/api/db/cap/query", map[string]any{"sql": "SELECT * FROM t"}),
		f.do("GET", "/api/db/cap/tables/t/rows", nil),
	} {
		f.expect(r, 200, "")
		if got := len(r.body["data"].([]any)); got != 1200 || r.body["has_more"] != true {
			t.Fatalf("%d rows, has_more %v; want the cap 1200 and has_more", got, r.body["has_more"])
		}
	}
	// exactly the cap: nothing more follows
	f.exec("cap", "DELETE FROM t WHERE i > 1200")
	r := f.do("POST", "/api/db/cap/query", map[string]any{"sql": "SELECT * FROM t"})
	if got := len(r.body["data"].([]any)); got != 1200 || r.body["has_more"] != false {
		t.Fatalf("at the cap: %d rows, has_more %v", got, r.body["has_more"])
	}
}

// TestLongestDatabaseName: MK1 accepts any name of its pattern; we accept
// up to 200 characters, through every route, and refuse 201 with 400.
func TestLongestDatabaseName(t *testing.T) {
	f := newFixture(t, Options{})
	name := strings.Repeat("L", 197) + "_.9"
	f.expect(f.do("POST", "/admin/databases/spawn/"+name, nil), 201, "Database instance spawned successfully.")
	f.expect(f.do("POST", "/api/db/"+name+"/tables", map[string]any{
		"table_name": "t", "columns": []map[string]any{{"name": "x", "type": "INTEGER"}},
	}), 201, "")
	f.expect(f.do("POST", "/api/db/"+name+"/tables/t/rows", map[string]any{"rows": []map[string]any{{"x": 1}}}), 201, "")
	r := f.do("GET", "/api/db/"+name+"/tables/t/rows", nil)
	f.expect(r, 200, "")
	if len(r.body["data"].([]any)) != 1 {
		t.Fatalf("rows: %s", r.raw)
	}
	f.expect(f.do("POST", "/admin/databases/"+name+"/backup", nil), 201, "")
	r = f.do("GET", "/admin/databases", nil)
	if len(r.list) != 1 || r.list[0].(map[string]any)["name"] != name {
		t.Fatalf("list: %s", r.raw)
	}
	f.expect(f.do("POST", "/admin/databases/prune/"+name, nil), 200, "")
	f.expect(f.do("POST", "/admin/databases/spawn/"+name, nil), 201, "Database instance spawned successfully.")

	tooLong := name + "x"
	for _, r := range []response{
		f.do("POST", "/admin/databases/spawn/"+tooLong, nil),
		f.do("POST", "/api/db/"+tooLong+"/query", map[string]any{"sql": "SELECT 1"}),
		f.do("GET", "/api/db/"+tooLong+"/tables/t/rows", nil),
	} {
		f.expect(r, 400, "Invalid database name.")
		if r.code() != "INVALID_DATABASE_NAME" {
			t.Fatalf("code: %s", r.raw)
		}
	}
}

// TestMK1AnswerKeys checks every MK1 route's answer for the keys MK1's
// models send, explicit nulls included ("message": null on row answers,
// "data": null on write answers): MK1's clients index them.
func TestMK1AnswerKeys(t *testing.T) {
	f := newFixture(t, Options{})
	has := func(what string, body map[string]any, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if _, ok := body[k]; !ok {
				t.Errorf("%s: no key %q in %v", what, k, body)
			}
		}
	}
	isNull := func(what string, r response, key string) {
		t.Helper()
		if v, ok := r.body[key]; !ok || v != nil {
			t.Errorf("%s: %q is %v (present %v), want an explicit null: %s", what, key, v, ok, r.raw)
		}
	}
	r := f.do("GET", "/", nil)
	has("root", r.body, "message")
	r = f.do("POST", "/admin/databases/spawn/k", nil)
	has("spawn", r.body, "message", "db_name", "container_id")
	r = f.do("GET", "/admin/databases", nil)
	has("list", r.list[0].(map[string]any), "name", "container_id", "status")
	r = f.do("GET", "/admin/discovery", nil)
	has("discovery", r.list[0].(map[string]any), "db_name", "status")
	r = f.do("GET", "/admin/gateway/stats", nil)
	has("stats", r.body, "uptime_seconds", "total_requests", "total_errors", "requests_by_endpoint", "errors_by_type")
	r = f.do("POST", "/api/db/k/tables", map[string]any{"table_name": "t", "columns": []map[string]any{{"name": "x", "type": "TEXT"}}})
	has("create table", r.body, "message")
	r = f.do("POST", "/api/db/k/tables/t/rows", map[string]any{"rows": []map[string]any{{"x": "a"}}})
	has("insert", r.body, "message", "rows_affected")

	r = f.exec("k", "SELECT x FROM t")
	has("select", r.body, "data", "rows_affected", "message")
	isNull("select", r, "message")
	r = f.exec("k", "SELECT x FROM t WHERE 0")
	isNull("empty select", r, "message")
	if d, ok := r.body["data"].([]any); !ok || len(d) != 0 {
		t.Errorf("empty select: data %v, want []", r.body["data"])
	}
	r = f.do("GET", "/api/db/k/tables/t/rows", nil)
	has("get rows", r.body, "data", "rows_affected", "message")
	isNull("get rows", r, "message")
	for _, sql := range []string{"INSERT INTO t VALUES ('b')", "UPDATE t SET x = 'c'", "CREATE TABLE u (y)"} {
		r = f.exec("k", sql)
		has(sql, r.body, "data", "rows_affected", "message")
		isNull(sql, r, "data")
		if r.str("message") != "Query executed successfully." {
			t.Errorf("%s: message %q", sql, r.str("message"))
		}
	}
	r = f.do("POST", "/admin/databases/prune/k", nil)
	has("prune", r.body, "message", "db_name")
}
