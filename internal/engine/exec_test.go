package engine

import (
	"bytes"
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestExecValueTypes(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "v")
	exec(t, e, "v", "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n, d DATETIME)")
	res := exec(t, e, "v", "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",
		int64(math.MaxInt64), 6363.0, "héllo", []byte{0, 1, 2}, nil, "2024-01-02 03:04:05")
	if res.Returning || res.RowsAffected != 1 || res.LastInsertID != 1 {
		t.Fatalf("insert result = %+v", res)
	}
	res = exec(t, e, "v", "SELECT i, r, s, b, n, d, 1.5 AS x, 'lit' AS y FROM t")
	if !res.Returning || len(res.Rows) != 1 {
		t.Fatalf("select result = %+v", res)
	}
	row := res.Rows[0]
	if row[0] != int64(math.MaxInt64) {
		t.Errorf("int64 max = %#v", row[0])
	}
	if f, ok := row[1].(float64); !ok || f != 6363.0 {
		t.Errorf("REAL = %#v, want float64 6363", row[1])
	}
	if row[2] != "héllo" {
		t.Errorf("TEXT = %#v", row[2])
	}
	if b, ok := row[3].([]byte); !ok || !bytes.Equal(b, []byte{0, 1, 2}) {
		t.Errorf("BLOB = %#v", row[3])
	}
	if row[4] != nil {
		t.Errorf("NULL = %#v", row[4])
	}
	if row[5] != "2024-01-02 03:04:05" {
		t.Errorf("DATETIME text = %#v, want it unchanged", row[5])
	}
	wantCols := []Column{{"i", "INTEGER"}, {"r", "REAL"}, {"s", "TEXT"}, {"b", "BLOB"}, {"n", ""}, {"d", "DATETIME"}, {"x", "REAL"}, {"y", "TEXT"}}
	if !reflect.DeepEqual(res.Columns, wantCols) {
		t.Errorf("columns = %v, want %v", res.Columns, wantCols)
	}
}

func TestExecParams(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "p")
	ctx := context.Background()
	res, err := e.Exec(ctx, "p", Query{SQL: "SELECT :a, @b, $c, ?4", Named: map[string]any{":a": int64(1), "@b": "two", "c": 3.5}, Params: nil})
	if err == nil {
		t.Fatalf("missing ?4 accepted: %+v", res)
	}
	res, err = e.Exec(ctx, "p", Query{SQL: "SELECT :a, @b, $c", Named: map[string]any{":a": int64(1), "@b": "two", "c": 3.5}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{int64(1), "two", 3.5}; !reflect.DeepEqual(res.Rows[0], want) {
		t.Errorf("named row = %#v, want %#v", res.Rows[0], want)
	}
	res, err = e.Exec(ctx, "p", Query{SQL: "SELECT ?, ?, ?, ?", Params: []any{true, 7, nil, []byte("x")}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{int64(1), int64(7), nil, []byte("x")}; !reflect.DeepEqual(res.Rows[0], want) {
		t.Errorf("positional row = %#v, want %#v", res.Rows[0], want)
	}
	_, err = e.Exec(ctx, "p", Query{SQL: "SELECT ?", Params: []any{map[string]any{}}})
	wantBadInput(t, err, "")
	_, err = e.Exec(ctx, "p", Query{SQL: "SELECT :1x", Named: map[string]any{"1x": 1}})
	wantBadInput(t, err, "")
}

func TestExecReturningAndPragma(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "r")
	exec(t, e, "r", "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	res := exec(t, e, "r", "INSERT INTO t(v) VALUES ('a'), ('b') RETURNING id, v")
	if !res.Returning || len(res.Rows) != 2 || res.Rows[1][0] != int64(2) || res.RowsAffected != 2 {
		t.Fatalf("RETURNING = %+v", res)
	}
	// the write happened
	if got := exec(t, e, "r", "SELECT count(*) FROM t").Rows[0][0]; got != int64(2) {
		t.Fatalf("count after RETURNING = %v", got)
	}
	res = exec(t, e, "r", "PRAGMA table_info(t)")
	if !res.Returning || len(res.Rows) != 2 {
		t.Fatalf("PRAGMA table_info = %+v", res)
	}
	res = exec(t, e, "r", "WITH x(n) AS (VALUES (1), (2), (3)) SELECT sum(n) FROM x")
	if res.Rows[0][0] != int64(6) {
		t.Fatalf("WITH = %+v", res)
	}
	res = exec(t, e, "r", "WITH x(n) AS (VALUES ('c')) INSERT INTO t(v) SELECT n FROM x")
	if res.Returning || res.RowsAffected != 1 || res.LastInsertID != 3 {
		t.Fatalf("WITH … INSERT = %+v", res)
	}
	res = exec(t, e, "r", "CREATE INDEX t_v ON t(v)")
	if res.Returning || res.RowsAffected != 0 {
		t.Fatalf("DDL after an insert reports %+v, want 0 rows affected", res)
	}
	res = exec(t, e, "r", "UPDATE t SET v = 'z' WHERE id > 1")
	if res.RowsAffected != 2 {
		t.Fatalf("UPDATE = %+v", res)
	}
	// the same write again goes straight to the writer (cached) and still works
	res = exec(t, e, "r", "UPDATE t SET v = 'z' WHERE id > 1")
	if res.RowsAffected != 2 {
		t.Fatalf("cached UPDATE = %+v", res)
	}
}

func TestExecStatementCount(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "s")
	ctx := context.Background()
	_, err := e.Exec(ctx, "s", Query{SQL: "SELECT 1; SELECT 2"})
	wantErr(t, err, ErrMultipleStatements)
	_, err = e.Exec(ctx, "s", Query{SQL: " ; -- nothing\n"})
	wantErr(t, err, ErrEmptyStatement)
	res, err := e.Exec(ctx, "s", Query{SQL: "SELECT 'a;b';  -- trailing\n"})
	if err != nil || res.Rows[0][0] != "a;b" {
		t.Fatalf("trailing semicolon: %+v %v", res, err)
	}
	for _, tx := range []string{"BEGIN", "commit", "ROLLBACK", "SAVEPOINT x"} {
		_, err = e.Exec(ctx, "s", Query{SQL: tx})
		wantBadInput(t, err, "")
	}
}

func TestExecSQLErrors(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "x")
	ctx := context.Background()
	_, err := e.Exec(ctx, "x", Query{SQL: "SELECT * FROM missing"})
	wantSQLError(t, err, "no such table: missing")
	if err.Error() != "SQL Error: no such table: missing" {
		t.Errorf("Error() = %q", err.Error())
	}
	_, err = e.Exec(ctx, "x", Query{SQL: "SELEC 1"})
	wantSQLError(t, err, `near "SELEC": syntax error`)
	exec(t, e, "x", "CREATE TABLE u(id INTEGER PRIMARY KEY)")
	exec(t, e, "x", "INSERT INTO u VALUES (1)")
	_, err = e.Exec(ctx, "x", Query{SQL: "INSERT INTO u VALUES (1)"})
	wantSQLError(t, err, "UNIQUE constraint failed: u.id")
	_, err = e.Exec(ctx, "x", Query{SQL: "ATTACH DATABASE 'other.db' AS o"})
	wantSQLError(t, err, "")
	if !strings.Contains(err.Error(), "too many attached databases") {
		t.Errorf("ATTACH error = %v", err)
	}
}

func TestExecLimitOffset(t *testing.T) {
	e := openTest(t, func(c *Config) { c.DefaultLimit = 10; c.MaxRows = 50 })
	spawn(t, e, "l")
	exec(t, e, "l", "CREATE TABLE n(i INTEGER)")
	exec(t, e, "l", "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 100) INSERT INTO n SELECT i FROM c")
	ctx := context.Background()
	check := func(q Query, first int64, n int, more bool) {
		t.Helper()
		res, err := e.Exec(ctx, "l", q)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != n || res.HasMore != more || (n > 0 && res.Rows[0][0] != first) {
			t.Fatalf("%+v: %d rows (first %v), has_more %v; want %d from %d, %v", q, len(res.Rows), res.Rows, res.HasMore, n, first, more)
		}
	}
	check(Query{SQL: "SELECT i FROM n ORDER BY i"}, 1, 10, true)
	check(Query{SQL: "SELECT i FROM n ORDER BY i", Limit: 1000}, 1, 50, true)
	check(Query{SQL: "SELECT i FROM n ORDER BY i", Limit: 5, Offset: 95}, 96, 5, false)
	check(Query{SQL: "SELECT i FROM n ORDER BY i", Limit: 5, Offset: 94}, 95, 5, true)
	check(Query{SQL: "SELECT i FROM n ORDER BY i", Offset: 200}, 0, 0, false)
	// duplicate column names cannot be wrapped and are paged in Go
	res, err := e.Exec(ctx, "l", Query{SQL: "SELECT a.i, b.i FROM n a JOIN n b ON a.i = b.i ORDER BY a.i", Limit: 2, Offset: 3})
	if err != nil || len(res.Rows) != 2 || res.Rows[0][0] != int64(4) || res.Columns[1].Name != "i" {
		t.Fatalf("duplicate columns with offset: %+v %v", res, err)
	}
	// a returning write with an offset still writes every row
	res, err = e.Exec(ctx, "l", Query{SQL: "UPDATE n SET i = i RETURNING i", Limit: 2, Offset: 10})
	if err != nil || len(res.Rows) != 2 || !res.HasMore || res.RowsAffected != 100 {
		t.Fatalf("RETURNING with offset: %+v %v", res, err)
	}
	_, err = e.Exec(ctx, "l", Query{SQL: "SELECT 1", Offset: -1})
	wantBadInput(t, err, "")
}

func TestExecTimeoutInterrupts(t *testing.T) {
	e := openTest(t, func(c *Config) { c.QueryTimeout = 100 * time.Millisecond })
	spawn(t, e, "slow")
	start := time.Now()
	_, err := e.Exec(context.Background(), "slow", Query{SQL: "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c) SELECT count(*) FROM c"})
	wantErr(t, err, ErrTimeout)
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("interrupt took %v", d)
	}
	// the connection is usable afterwards
	if res := exec(t, e, "slow", "SELECT 1"); res.Rows[0][0] != int64(1) {
		t.Fatal("no answer after timeout")
	}
	// a write past the timeout is rolled back
	exec(t, e, "slow", "CREATE TABLE t(x)")
	_, err = e.Exec(context.Background(), "slow", Query{SQL: "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c) INSERT INTO t SELECT i FROM c"})
	wantErr(t, err, ErrTimeout)
	if got := exec(t, e, "slow", "SELECT count(*) FROM t").Rows[0][0]; got != int64(0) {
		t.Fatalf("rows kept after interrupted insert: %v", got)
	}
}

func TestExecCallerCancel(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "c")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.Exec(ctx, "c", Query{SQL: "SELECT 1"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestReadersNotBlockedByWriteTransaction(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "w")
	exec(t, e, "w", "CREATE TABLE t(x)")
	exec(t, e, "w", "INSERT INTO t VALUES (1)")
	_, c, err := e.running("w")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// hold an open write transaction on the writer
	if err := c.acquireWriter(ctx, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.writer.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.writer.ExecContext(ctx, "INSERT INTO t VALUES (2)"); err != nil {
		t.Fatal(err)
	}
	res := exec(t, e, "w", "SELECT count(*) FROM t")
	if res.Rows[0][0] != int64(1) {
		t.Fatalf("reader saw %v rows, want the committed 1", res.Rows[0][0])
	}
	if _, err := c.writer.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	c.releaseWriter()
	if got := exec(t, e, "w", "SELECT count(*) FROM t").Rows[0][0]; got != int64(2) {
		t.Fatalf("after commit %v rows", got)
	}
}

func TestWriterBusyPastTimeoutIsLocked(t *testing.T) {
	e := openTest(t, func(c *Config) { c.QueryTimeout = 50 * time.Millisecond })
	spawn(t, e, "b")
	exec(t, e, "b", "CREATE TABLE t(x)")
	_, c, _ := e.running("b")
	if err := c.acquireWriter(context.Background(), time.Time{}); err != nil {
		t.Fatal(err)
	}
	defer c.releaseWriter()
	_, err := e.Exec(context.Background(), "b", Query{SQL: "INSERT INTO t VALUES (1)"})
	if !errors.Is(err, ErrLocked) && !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrLocked or ErrTimeout", err)
	}
}

func TestReadOnlyQueryRefusesWrites(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "ro")
	exec(t, e, "ro", "CREATE TABLE t(x)")
	ctx := context.Background()
	for _, sql := range []string{
		"INSERT INTO t VALUES (1)",
		"WITH v(n) AS (VALUES (1)) INSERT INTO t SELECT n FROM v",
		"DELETE FROM t RETURNING x",
		"CREATE TABLE u(y)",
		"DROP TABLE t",
		"PRAGMA user_version = 7",
	} {
		_, err := e.Exec(ctx, "ro", Query{SQL: sql, ReadOnly: true})
		wantErr(t, err, ErrReadOnly)
	}
	// a pragma that turns query_only off cannot open a way to write: the
	// reader connections are opened read-only
	e.Exec(ctx, "ro", Query{SQL: "PRAGMA query_only = 0", ReadOnly: true})
	for range 8 {
		_, err := e.Exec(ctx, "ro", Query{SQL: "INSERT INTO t VALUES (1)", ReadOnly: true})
		wantErr(t, err, ErrReadOnly)
	}
	// once a statement is known to write, a read-only call still refuses it
	exec(t, e, "ro", "INSERT INTO t VALUES (2)")
	_, err := e.Exec(ctx, "ro", Query{SQL: "INSERT INTO t VALUES (2)", ReadOnly: true})
	wantErr(t, err, ErrReadOnly)
	res, err := e.Exec(ctx, "ro", Query{SQL: "SELECT count(*) FROM t", ReadOnly: true})
	if err != nil || res.Rows[0][0] != int64(1) {
		t.Fatalf("read-only SELECT = %+v, %v", res, err)
	}
	if v := exec(t, e, "ro", "PRAGMA user_version").Rows[0][0]; v != int64(0) {
		t.Fatalf("user_version = %v", v)
	}
}

func TestQuotaExceeded(t *testing.T) {
	e := openTest(t, func(c *Config) { c.MaxDBSizeBytes = 64 * 1024 })
	spawn(t, e, "q")
	exec(t, e, "q", "CREATE TABLE t(b BLOB)")
	exec(t, e, "q", "INSERT INTO t VALUES (zeroblob(1000))")
	_, err := e.Exec(context.Background(), "q", Query{SQL: "INSERT INTO t VALUES (zeroblob(200000))"})
	wantErr(t, err, ErrQuotaExceeded)
	if !strings.Contains(err.Error(), "database or disk is full") {
		t.Errorf("quota error text = %q", err.Error())
	}
	if got := exec(t, e, "q", "SELECT count(*) FROM t").Rows[0][0]; got != int64(1) {
		t.Fatalf("rows after refused write = %v", got)
	}
}

func TestVacuum(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "vac")
	ctx := context.Background()
	exec(t, e, "vac", "CREATE TABLE t(x)")
	exec(t, e, "vac", "INSERT INTO t VALUES (1)")
	exec(t, e, "vac", "VACUUM")
	_, err := e.Exec(ctx, "vac", Query{SQL: "VACUUM", ReadOnly: true})
	wantErr(t, err, ErrReadOnly)
	_, err = e.Exec(ctx, "vac", Query{SQL: "VACUUM INTO 'copy.db'"})
	wantBadInput(t, err, "")
	// ATTACH stays forbidden after a VACUUM
	_, err = e.Exec(ctx, "vac", Query{SQL: "ATTACH DATABASE 'x.db' AS x"})
	wantSQLError(t, err, "")
	if got := exec(t, e, "vac", "SELECT count(*) FROM t").Rows[0][0]; got != int64(1) {
		t.Fatalf("rows after VACUUM = %v", got)
	}
}

// TestResultKind: the kind comes from where SQLite let the statement run
// and what the writer's authorizer saw, so no spelling of the text (WITH
// prefixes, comments, RETURNING) changes it.
func TestResultKind(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "k")
	for _, c := range []struct{ sql, want string }{
		{"CREATE TABLE t(a)", KindDDL},
		{"INSERT INTO t VALUES (1), (2)", KindWrite},
		{"SELECT * FROM t", KindRead},
		{"/* DELETE FROM t */ select 1", KindRead},
		{"WITH x AS (SELECT 1) SELECT * FROM x", KindRead},
		{"WITH x AS (SELECT 1) DELETE FROM t WHERE a = 2", KindWrite},
		{"WITH x AS (SELECT 9) DELETE FROM t WHERE a IN x RETURNING *", KindWrite},
		{"INSERT INTO t VALUES (3) RETURNING a", KindWrite},
		{"UPDATE t SET a = a WHERE 0", KindWrite},
		{"PRAGMA user_version", KindRead},
		{"PRAGMA user_version = 7", KindWrite},
		{"EXPLAIN DELETE FROM t", KindRead},
		{"CREATE INDEX i ON t(a)", KindDDL},
		{"ALTER TABLE t ADD COLUMN b", KindDDL},
		{"CREATE VIEW v AS SELECT a FROM t", KindDDL},
		{"SELECT * FROM v", KindRead},
		{"DROP VIEW v", KindDDL},
		{"VACUUM", KindWrite},
		{"DROP TABLE t", KindDDL},
	} {
		res, err := e.Exec(context.Background(), "k", Query{SQL: c.sql})
		if err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		if res.Kind != c.want {
			t.Errorf("%s: kind %q, want %q", c.sql, res.Kind, c.want)
		}
	}
}

// TestVacuumIntoSpellings: VACUUM INTO is refused with its own message
// however it is spelt, and a word INTO inside a comment is not one.
func TestVacuumIntoSpellings(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "vi")
	ctx := context.Background()
	for _, q := range []string{"VACUUM INTO'copy.db'", "vacuum main into 'copy.db'", "VACUUM\ninto\n'copy.db'"} {
		_, err := e.Exec(ctx, "vi", Query{SQL: q})
		wantBadInput(t, err, "VACUUM INTO is not supported; use the backup route for a copy.")
	}
	for _, q := range []string{"VACUUM /* INTO */", "VACUUM -- into 'x'\n", `VACUUM "main"`} {
		if _, err := e.Exec(ctx, "vi", Query{SQL: q}); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
	_, err := e.Exec(ctx, "vi", Query{SQL: "/* x */ begin"})
	wantBadInput(t, err, "")
}
