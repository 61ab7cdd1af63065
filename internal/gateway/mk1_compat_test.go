package gateway

import (
	"encoding/json"
	"fmt"
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
