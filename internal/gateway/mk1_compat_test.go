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
