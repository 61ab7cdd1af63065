package engine

import (
	"context"
	"fmt"
	"testing"
)

// readerEntry returns the reader cache entry of text in database db (the
// engine has one reader).
func readerEntry(t *testing.T, e *Engine, db, text string) *cachedStmt {
	t.Helper()
	_, c, err := e.running(db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.release()
	c.rmu.RLock()
	defer c.rmu.RUnlock()
	for _, st := range c.rstate {
		if el, ok := st.stmts.byKey[text]; ok {
			return el.Value.(*cachedStmt)
		}
	}
	t.Fatalf("%q is not in a reader's statement cache", text)
	return nil
}

// A statement with a DATETIME column is read once, through a wrapper that
// is prepared once for its window and kept with the statement.
func TestTimeColumnsReadThroughCachedWrapper(t *testing.T) {
	e := openTest(t, func(c *Config) { c.ReaderPool = 1 })
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE ev(id INTEGER PRIMARY KEY, at DATETIME, note TEXT)")
	exec(t, e, "d", "INSERT INTO ev(at, note) VALUES ('2024-01-02T10:00:00Z', 'a'), ('2024-01-03', 'b')")
	const q = "SELECT id, at, note FROM ev WHERE id = ?"

	res := exec(t, e, "d", q, 1)
	if res.Rows[0][1] != "2024-01-02T10:00:00Z" || res.Columns[1].Type != "DATETIME" || res.Columns[2].Type != "TEXT" {
		t.Fatalf("first read: %+v %#v", res.Columns, res.Rows)
	}
	cs := readerEntry(t, e, "d", q)
	if !cs.timed || cs.exact == nil || cs.exact.stmt == nil {
		t.Fatalf("a DATETIME result is not read through a prepared wrapper: timed %v exact %+v", cs.timed, cs.exact)
	}
	wrapper := cs.exact.stmt
	res = exec(t, e, "d", q, 2)
	if res.Rows[0][1] != "2024-01-03" || res.Rows[0][2] != "b" {
		t.Fatalf("second read: %#v", res.Rows)
	}
	if cs.exact.stmt != wrapper {
		t.Fatal("the wrapper was prepared again for the same window")
	}

	// a table without time columns never takes the wrapper
	exec(t, e, "d", "CREATE TABLE plain(id INTEGER PRIMARY KEY, at TEXT)")
	exec(t, e, "d", "INSERT INTO plain(at) VALUES ('2024-01-02T10:00:00Z')")
	exec(t, e, "d", "SELECT id, at FROM plain")
	if p := readerEntry(t, e, "d", "SELECT id, at FROM plain"); p.timed || p.exact != nil {
		t.Fatal("a statement without time columns was given a wrapper")
	}
}

// The wrapper follows the schema: a column that becomes DATETIME is read
// exactly, and one that stops being DATETIME loses the wrapper.
func TestTimeWrapperFollowsSchema(t *testing.T) {
	e := openTest(t, func(c *Config) { c.ReaderPool = 1 })
	spawn(t, e, "d")
	const q = "SELECT * FROM ev"
	exec(t, e, "d", "CREATE TABLE ev(at TEXT)")
	exec(t, e, "d", "INSERT INTO ev VALUES ('2024-01-02T10:00:00Z')")
	if res := exec(t, e, "d", q); res.Columns[0].Type != "TEXT" || readerEntry(t, e, "d", q).exact != nil {
		t.Fatalf("TEXT column: %+v", res.Columns)
	}
	exec(t, e, "d", "DROP TABLE ev")
	exec(t, e, "d", "CREATE TABLE ev(at DATETIME, n INTEGER)")
	exec(t, e, "d", "INSERT INTO ev VALUES ('2024-01-02T10:00:00Z', 7)")
	res := exec(t, e, "d", q)
	if len(res.Columns) != 2 || res.Columns[0].Type != "DATETIME" || res.Rows[0][0] != "2024-01-02T10:00:00Z" || res.Rows[0][1] != int64(7) {
		t.Fatalf("after the column became DATETIME: %+v %#v", res.Columns, res.Rows)
	}
	exec(t, e, "d", "DROP TABLE ev")
	exec(t, e, "d", "CREATE TABLE ev(at TEXT)")
	exec(t, e, "d", "INSERT INTO ev VALUES ('x')")
	if res := exec(t, e, "d", q); res.Rows[0][0] != "x" || readerEntry(t, e, "d", q).exact != nil {
		t.Fatalf("after the column stopped being DATETIME: %#v", res.Rows)
	}
}

// A description gone stale (the driver parses a time value the statement
// was not known to have) is learnt again, and the text still comes back
// as stored.
func TestStaleTimeDescriptionIsLearntAgain(t *testing.T) {
	e := openTest(t, func(c *Config) { c.ReaderPool = 1 })
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE ev(at DATETIME)")
	exec(t, e, "d", "INSERT INTO ev VALUES ('2024-01-02T10:00:00Z')")
	const q = "SELECT at FROM ev"
	exec(t, e, "d", q)
	cs := readerEntry(t, e, "d", q)
	cs.closeWrapper()
	cs.timed, cs.exact = false, nil
	if res := exec(t, e, "d", q); res.Rows[0][0] != "2024-01-02T10:00:00Z" {
		t.Fatalf("stale description: %#v", res.Rows)
	}
	if !cs.timed || cs.exact == nil {
		t.Fatal("the stale description was not learnt again")
	}
}

// Statements the wrapper cannot take still answer: clashing names, a
// PRAGMA, a trailing comment; pages and a result past the small budget
// come back exact.
func TestTimeWrapperEdges(t *testing.T) {
	e := openTest(t, memTestConfig)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE ev(id INTEGER PRIMARY KEY, at DATETIME, body TEXT)")
	exec(t, e, "d", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 100) INSERT INTO ev SELECT x, printf('2024-01-%02dT10:00:00Z', x % 28 + 1), printf('%.*c', 20000, 'a') FROM c")

	res := exec(t, e, "d", "SELECT at, at FROM ev WHERE id = 1")
	if len(res.Columns) != 2 || len(res.Rows) != 1 {
		t.Fatalf("clashing names: %+v %#v", res.Columns, res.Rows)
	}
	if res := exec(t, e, "d", "SELECT at FROM ev WHERE id = 1 -- the first"); res.Rows[0][0] != "2024-01-02T10:00:00Z" {
		t.Fatalf("trailing comment: %#v", res.Rows)
	}
	if res := exec(t, e, "d", "PRAGMA table_info(ev)"); len(res.Rows) != 3 {
		t.Fatalf("pragma: %#v", res.Rows)
	}
	for _, off := range []int{0, 10, 95} {
		page, err := e.Exec(context.Background(), "d", Query{SQL: "SELECT id, at FROM ev ORDER BY id", Limit: 10, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		want := min(10, 100-off)
		if len(page.Rows) != want || page.HasMore != (off+10 < 100) {
			t.Fatalf("page at %d: %d rows, has_more %v", off, len(page.Rows), page.HasMore)
		}
		for i, row := range page.Rows {
			id := off + i + 1
			if row[0] != int64(id) || row[1] != fmt.Sprintf("2024-01-%02dT10:00:00Z", id%28+1) {
				t.Fatalf("page at %d row %d = %#v", off, i, row)
			}
		}
	}
	// 2 MB: past the small first budget, read again in a large-result slot
	whole := exec(t, e, "d", "SELECT id, at, body FROM ev ORDER BY id")
	if len(whole.Rows) != 100 || whole.HasMore || whole.Rows[99][1] != "2024-01-17T10:00:00Z" {
		t.Fatalf("large result: %d rows, has_more %v", len(whole.Rows), whole.HasMore)
	}
}
