package engine

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// allocated runs fn and returns the bytes the Go heap handed out meanwhile:
// an upper bound of what fn held at once.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHugeValuesRefused: one function call cannot build a value past the
// budget; a read-only caller gets ErrResultTooLarge and the engine never
// allocates the value.
func TestHugeValuesRefused(t *testing.T) {
	const budget = 8 << 20
	e := openTest(t, func(c *Config) { c.MaxResultBytes = budget })
	spawn(t, e, "m")
	exec(t, e, "m", "CREATE TABLE t(a)")
	for _, s := range []string{
		"SELECT zeroblob(999000000)",
		"SELECT randomblob(1000000000)",
		"SELECT randomblob(1e9)",
		"SELECT printf('%.*c', 900000000, 'x')",
		"SELECT replace(printf('%.*c', 5000000, 'x'), 'x', 'yyyyyyyyyy')",
		"SELECT length(zeroblob(999000000))",
		"SELECT group_concat(b) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 100) SELECT zeroblob(1000000) AS b FROM c)",
		"WITH RECURSIVE s(v) AS (SELECT 'x' UNION ALL SELECT v || v FROM s WHERE length(v) < 100000000) SELECT max(length(v)) FROM s",
		// a wide row: each value fits the budget, all of them do not
		"WITH z(b) AS (SELECT zeroblob(7000000)) SELECT b" + strings.Repeat(", b", 29) + " FROM z",
		"SELECT randomblob(7000000)" + strings.Repeat(", randomblob(7000000)", 29),
		"SELECT printf('%.*c', 7000000, 'x')" + strings.Repeat(", printf('%.*c', 7000000, 'x')", 29),
	} {
		var err error
		n := allocated(func() { _, err = e.Exec(context.Background(), "m", Query{SQL: s, ReadOnly: true}) })
		if !errors.Is(err, ErrResultTooLarge) {
			t.Errorf("%q: err = %v, want ErrResultTooLarge", s, err)
		}
		if n > 4*budget {
			t.Errorf("%q allocated %d MB", s, n>>20)
		}
	}
	// writes are refused the same way and change nothing
	_, err := e.Exec(context.Background(), "m", Query{SQL: "INSERT INTO t VALUES (zeroblob(100000000))"})
	wantErr(t, err, ErrResultTooLarge)
	if res := exec(t, e, "m", "SELECT count(*) FROM t"); res.Rows[0][0] != int64(0) {
		t.Fatal("the refused insert left a row")
	}
	// values within the limit still work
	if res := exec(t, e, "m", "SELECT length(zeroblob(1000000))"); res.Rows[0][0] != int64(1000000) {
		t.Fatalf("1 MB value: %v", res.Rows)
	}
}

// TestStoredValuesShareTheBudget: a stored value larger than its share of
// the budget (budget / result columns) is read alone, not in a wide row.
func TestStoredValuesShareTheBudget(t *testing.T) {
	const budget = 8 << 20
	e := openTest(t, func(c *Config) { c.MaxResultBytes = budget })
	spawn(t, e, "s")
	exec(t, e, "s", "CREATE TABLE img(id INTEGER PRIMARY KEY, name TEXT, kind TEXT, data BLOB)")
	exec(t, e, "s", "INSERT INTO img VALUES (1, 'a', 'png', zeroblob(1000000)), (2, 'b', 'png', zeroblob(3000000))")
	if res := exec(t, e, "s", "SELECT * FROM img WHERE id = 1"); len(res.Rows[0][3].([]byte)) != 1000000 {
		t.Fatal("1 MB value in a 4-column row")
	}
	_, err := e.Exec(context.Background(), "s", Query{SQL: "SELECT * FROM img WHERE id = 2", ReadOnly: true})
	wantErr(t, err, ErrResultTooLarge)
	if res := exec(t, e, "s", "SELECT data FROM img WHERE id = 2"); len(res.Rows[0][0].([]byte)) != 3000000 {
		t.Fatal("3 MB value read alone")
	}
	// the lowered limit ends with the statement
	if res := exec(t, e, "s", "SELECT length(zeroblob(7000000))"); res.Rows[0][0] != int64(7000000) {
		t.Fatal("7 MB value after a wide statement")
	}
	var n int64
	for range 8 { // every reader
		n += exec(t, e, "s", "SELECT length(data) FROM img WHERE id = 2").Rows[0][0].(int64)
	}
	if n != 8*3000000 {
		t.Fatalf("reads after a wide statement: %d", n)
	}
}

// TestResultBudgetCutsRows: many big rows are cut at the budget with
// HasMore, and the Go heap does not grow with the rows asked for.
func TestResultBudgetCutsRows(t *testing.T) {
	const budget = 8 << 20
	e := openTest(t, func(c *Config) { c.MaxResultBytes = budget })
	spawn(t, e, "m")
	const manyMB = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 100000) SELECT x, zeroblob(1000000) AS b FROM c"
	var res *Result
	var err error
	n := allocated(func() {
		res, err = e.Exec(context.Background(), "m", Query{SQL: manyMB, Limit: 100000, ReadOnly: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.HasMore || len(res.Rows) == 0 || len(res.Rows) > budget/1000000 {
		t.Fatalf("rows = %d, has_more = %v; want a cut result under %d rows", len(res.Rows), res.HasMore, budget/1000000)
	}
	if n > 4*budget {
		t.Fatalf("the call allocated %d MB for a %d MB budget", n>>20, budget>>20)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > 64<<20+2*budget {
		t.Fatalf("heap in use %d MB while holding the result", ms.HeapInuse>>20)
	}
	runtime.KeepAlive(res)
	// with an offset (paged inside SQLite) and on the writer (RETURNING)
	res = exec(t, e, "m", "SELECT 1")
	r2, err := e.Exec(context.Background(), "m", Query{SQL: manyMB, Offset: 5, Limit: 1000})
	if err != nil || !r2.HasMore || len(r2.Rows) > budget/1000000 || r2.Rows[0][0] != int64(6) {
		t.Fatalf("offset page: %v rows, %v", len(r2.Rows), err)
	}
	exec(t, e, "m", "CREATE TABLE big(b)")
	r3, err := e.Exec(context.Background(), "m", Query{SQL: "INSERT INTO big SELECT b FROM (" + manyMB + " LIMIT 20) RETURNING b", Limit: 1000})
	if err != nil || !r3.HasMore || len(r3.Rows) > budget/1000000 {
		t.Fatalf("RETURNING: %v rows, %v", len(r3.Rows), err)
	}
	// a first row past the budget is an error, not an empty result
	_, err = e.Exec(context.Background(), "m", Query{SQL: "SELECT randomblob(5000000), randomblob(5000000)", ReadOnly: true})
	wantErr(t, err, ErrResultTooLarge)
}

// TestRedefinedViewSharesTheBudget: a statement whose result widened since
// it was cached (a view redefined) gets the share of its new width.
func TestRedefinedViewSharesTheBudget(t *testing.T) {
	const budget = 8 << 20
	e := openTest(t, func(c *Config) { c.MaxResultBytes = budget })
	spawn(t, e, "v")
	exec(t, e, "v", "CREATE VIEW v AS SELECT zeroblob(10) AS a")
	for range 8 { // cached on every reader with one column
		exec(t, e, "v", "SELECT * FROM v")
	}
	exec(t, e, "v", "DROP VIEW v")
	exec(t, e, "v", "CREATE VIEW v AS SELECT zeroblob(7000000) AS a"+strings.Repeat(", zeroblob(7000000)", 29))
	for range 8 {
		var err error
		n := allocated(func() { _, err = e.Exec(context.Background(), "v", Query{SQL: "SELECT * FROM v", ReadOnly: true}) })
		wantErr(t, err, ErrResultTooLarge)
		if n > 4*budget {
			t.Fatalf("the widened view allocated %d MB", n>>20)
		}
	}
	// the same through the writer's cache (INSERT … RETURNING)
	exec(t, e, "v", "CREATE TABLE t(a)")
	ret := "INSERT INTO t(a) VALUES (1) RETURNING *"
	exec(t, e, "v", ret)
	exec(t, e, "v", "ALTER TABLE t ADD COLUMN b DEFAULT 1")
	if res := exec(t, e, "v", ret); len(res.Columns) != 2 {
		t.Fatalf("RETURNING * after ALTER: %v", res.Columns)
	}
}
