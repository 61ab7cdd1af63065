package gateway

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestQueryRowsAndWrites(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("d")
	r := f.exec("d", "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT, price REAL, img BLOB)")
	if r.str("message") != "Query executed successfully." {
		t.Fatalf("ddl: %s", r.raw)
	}
	r = f.exec("d", "INSERT INTO p (name, price, img) VALUES (?, ?, ?)", "Laptop", 6363, map[string]any{"$blob": "AAEC/w=="})
	if r.body["rows_affected"] != json.Number("1") || r.body["last_insert_id"] != json.Number("1") {
		t.Fatalf("insert: %s", r.raw)
	}
	f.exec("d", "INSERT INTO p (name, price) VALUES (?, ?)", "Mouse", 25.5)

	r = f.exec("d", "SELECT name, price, img, id FROM p ORDER BY id")
	raw := string(r.raw)
	// REAL keeps its fraction, BLOB is base64, keys keep column order
	want := `"data":[{"name":"Laptop","price":6363.0,"img":{"$blob":"AAEC/w=="},"id":1},{"name":"Mouse","price":25.5,"img":null,"id":2}]`
	if !strings.Contains(raw, want) {
		t.Fatalf("rows:\n%s\nwant %s", raw, want)
	}
	if r.body["rows_affected"] != json.Number("2") || r.body["row_count"] != json.Number("2") || r.body["has_more"] != false {
		t.Fatalf("counts: %s", raw)
	}
	cols := r.body["columns"].([]any)
	if len(cols) != 4 || cols[0].(map[string]any)["name"] != "name" || cols[3].(map[string]any)["name"] != "id" {
		t.Fatalf("columns: %s", raw)
	}
	if _, ok := r.body["execution_time_ms"].(json.Number); !ok {
		t.Fatalf("execution_time_ms: %s", raw)
	}

	// WITH, PRAGMA and RETURNING return rows too: decided by the statement
	r = f.exec("d", "WITH x AS (SELECT 7 AS v) SELECT v FROM x")
	if !strings.Contains(string(r.raw), `"data":[{"v":7}]`) {
		t.Fatalf("with: %s", r.raw)
	}
	r = f.exec("d", "PRAGMA table_info(p)")
	if r.body["rows_affected"] != json.Number("4") {
		t.Fatalf("pragma: %s", r.raw)
	}
	r = f.exec("d", "UPDATE p SET price = price * 2 WHERE id = ? RETURNING id, price", 2)
	if !strings.Contains(string(r.raw), `"data":[{"id":2,"price":51.0}]`) {
		t.Fatalf("returning: %s", r.raw)
	}
	r = f.exec("d", "DELETE FROM p WHERE id = 2")
	if r.body["rows_affected"] != json.Number("1") {
		t.Fatalf("delete: %s", r.raw)
	}
}

func TestQueryValuesExact(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("v")
	r := f.do("POST", "/api/db/v/query", `{"sql": "SELECT ? AS big, ? AS neg, ? AS f, ? AS e, ? AS s, ? AS b", "params": [9223372036854775807, -9223372036854775808, 1.5, 1e300, "a\"\n\u2028\u0001é", true]}`)
	f.expect(r, 200, "")
	want := `{"big":9223372036854775807,"neg":-9223372036854775808,"f":1.5,"e":1e+300,"s":"a\"\n\u2028\u0001é","b":1}`
	if !strings.Contains(string(r.raw), want) {
		t.Fatalf("values:\n%s\nwant %s", r.raw, want)
	}
	// a NaN from SQLite (0.0/0 is NULL there, so use an infinite REAL)
	r = f.exec("v", "SELECT 1e999 AS inf, 6363.0 AS r, CAST(6363 AS REAL) AS c, 0.0 AS z")
	if !strings.Contains(string(r.raw), `{"inf":null,"r":6363.0,"c":6363.0,"z":0.0}`) {
		t.Fatalf("reals: %s", r.raw)
	}
	// invalid UTF-8 stored as TEXT comes back as U+FFFD
	r = f.exec("v", "SELECT CAST(x'61ff62' AS TEXT) AS t")
	if !strings.Contains(string(r.raw), `{"t":"a\ufffdb"}`) {
		t.Fatalf("invalid utf-8: %s", r.raw)
	}
	if !json.Valid(r.raw) {
		t.Fatal("invalid JSON")
	}
}

func TestQueryParamsNamedAndAlias(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("n")
	r := f.do("POST", "/api/db/n/query", map[string]any{"sql": "SELECT :a + :b AS s", "params": map[string]any{"a": 2, ":b": 3}})
	f.expect(r, 200, "")
	if !strings.Contains(string(r.raw), `{"s":5}`) {
		t.Fatalf("named: %s", r.raw)
	}
	r = f.do("POST", "/api/db/n/query", map[string]any{"sql": "SELECT ? AS x", "parameters": []any{"alias"}})
	if !strings.Contains(string(r.raw), `{"x":"alias"}`) {
		t.Fatalf("alias: %s", r.raw)
	}
	f.expect(f.do("POST", "/api/db/n/query", map[string]any{"sql": "SELECT ?", "params": "x"}), 422, "")
	f.expect(f.do("POST", "/api/db/n/query", map[string]any{"sql": "SELECT ?", "params": []any{[]int{1}}}), 422, "")
	f.expect(f.do("POST", "/api/db/n/query", map[string]any{"sql": "SELECT ?", "params": []any{map[string]any{"$blob": "!!"}}}), 422, "")
}

func TestQueryShapeLimitOffset(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("l")
	f.exec("l", "CREATE TABLE t (i INTEGER, s TEXT)")
	f.exec("l", "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 10) INSERT INTO t SELECT v, 'r' || v FROM n")
	r := f.do("POST", "/api/db/l/query", map[string]any{"sql": "SELECT i, s FROM t ORDER BY i", "limit": 3, "offset": 2, "shape": "rows"})
	f.expect(r, 200, "")
	if !strings.Contains(string(r.raw), `"rows":[[3,"r3"],[4,"r4"],[5,"r5"]]`) || r.body["has_more"] != true {
		t.Fatalf("rows shape: %s", r.raw)
	}
	if _, ok := r.body["data"]; ok {
		t.Fatal("shape rows also sent data")
	}
	r = f.do("POST", "/api/db/l/query", map[string]any{"sql": "SELECT i FROM t", "limit": 100})
	if r.body["has_more"] != false || r.body["row_count"] != json.Number("10") {
		t.Fatalf("all rows: %s", r.raw)
	}
	f.expect(f.do("POST", "/api/db/l/query", map[string]any{"sql": "SELECT 1", "shape": "columns"}), 422, "")
	f.expect(f.do("POST", "/api/db/l/query", map[string]any{"sql": "SELECT 1", "limit": -1}), 400, "")
	f.expect(f.do("POST", "/api/db/l/query", map[string]any{"sql": "SELECT 1", "limit": "10"}), 422, "")
}

func TestQueryErrors(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("e")
	r := f.do("POST", "/api/db/e/query", map[string]any{"sql": "SELECT * FROM nowhere"})
	f.expect(r, 400, "SQL Error: no such table: nowhere")
	if r.code() != "SQL_ERROR" {
		t.Fatalf("code: %s", r.raw)
	}
	f.expect(f.do("POST", "/api/db/e/query", map[string]any{"sql": "SELEC 1"}), 400, "")
	r = f.do("POST", "/api/db/e/query", map[string]any{"sql": "SELECT 1; DROP TABLE x"})
	f.expect(r, 400, "Only one SQL statement per call is allowed.")
	if r.code() != "BAD_REQUEST" {
		t.Fatalf("code: %s", r.raw)
	}
	f.expect(f.do("POST", "/api/db/e/query", map[string]any{"sql": "  ;  "}), 400, "No SQL statement given.")
	r = f.do("POST", "/api/db/ghost/query", map[string]any{"sql": "SELECT 1"})
	f.expect(r, 404, "Database not found.")
	if r.code() != "DATABASE_NOT_FOUND" {
		t.Fatalf("code: %s", r.raw)
	}
	// body problems
	f.expect(f.do("POST", "/api/db/e/query", `{"sql": `), 400, "")
	f.expect(f.do("POST", "/api/db/e/query", `not json`), 400, "")
	f.expect(f.do("POST", "/api/db/e/query", `{"sql": "SELECT 1"} trailing`), 400, "")
	f.expect(f.do("POST", "/api/db/e/query", `{}`), 422, "Field 'sql' is required.")
	f.expect(f.do("POST", "/api/db/e/query", ``), 422, "")
	f.expect(f.do("POST", "/api/db/e/query", `[1]`), 422, "")
	r = f.do("POST", "/api/db/e/query", `{"sql": 5}`)
	f.expect(r, 422, "")
	if r.code() != "VALIDATION_ERROR" || !strings.Contains(r.str("detail"), "'sql'") {
		t.Fatalf("wrong type: %s", r.raw)
	}
}

func TestExplain(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("x")
	f.exec("x", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
	r := f.do("POST", "/api/db/x/explain", map[string]any{"sql": "SELECT * FROM t WHERE id = ?", "params": []any{1}})
	f.expect(r, 200, "")
	plan := r.body["plan"].([]any)
	if len(plan) == 0 || !strings.Contains(plan[0].(map[string]any)["detail"].(string), "t") {
		t.Fatalf("plan: %s", r.raw)
	}
	for _, k := range []string{"id", "parent", "detail"} {
		if _, ok := plan[0].(map[string]any)[k]; !ok {
			t.Fatalf("plan node lacks %q: %s", k, r.raw)
		}
	}
	f.expect(f.do("POST", "/api/db/x/explain", map[string]any{"sql": "SELECT * FROM nope"}), 400, "SQL Error: no such table: nope")
	f.expect(f.do("POST", "/api/db/x/explain", map[string]any{}), 422, "")
	f.expect(f.do("POST", "/api/db/ghost/explain", map[string]any{"sql": "SELECT 1"}), 404, "Database not found.")
}

func TestSchema(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("s")
	f.exec("s", "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x')")
	f.exec("s", "CREATE TABLE b (id INTEGER, a_id INTEGER REFERENCES a(id))")
	f.exec("s", "CREATE UNIQUE INDEX b_a ON b (a_id)")
	r := f.do("GET", "/api/db/s/schema", nil)
	f.expect(r, 200, "")
	tables := r.body["tables"].([]any)
	if len(tables) != 2 {
		t.Fatalf("schema: %s", r.raw)
	}
	r = f.do("GET", "/api/db/s/schema?table=b", nil)
	f.expect(r, 200, "")
	tb := r.body["tables"].([]any)
	if len(tb) != 1 {
		t.Fatalf("one table: %s", r.raw)
	}
	b := tb[0].(map[string]any)
	if b["name"] != "b" || len(b["foreign_keys"].([]any)) != 1 || len(b["indexes"].([]any)) != 1 {
		t.Fatalf("table b: %s", r.raw)
	}
	f.expect(f.do("GET", "/api/db/ghost/schema", nil), 404, "Database not found.")
}

func TestCreateTableInsertSelect(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("m")
	create := map[string]any{
		"table_name": "users",
		"columns": []any{
			map[string]any{"name": "id", "type": "INTEGER", "primary_key": true},
			map[string]any{"name": "name", "type": "TEXT", "not_null": true},
			map[string]any{"name": "age", "type": "INTEGER", "default": nil},
			map[string]any{"name": "at", "type": "TEXT", "default": "CURRENT_TIMESTAMP"},
			map[string]any{"name": "score", "type": "REAL", "default": 1.5},
		},
	}
	f.expect(f.do("POST", "/api/db/m/tables", create), 201, "Table 'users' created successfully.")
	r := f.do("POST", "/api/db/m/tables", create)
	f.expect(r, 400, "")
	if !strings.HasPrefix(r.str("detail"), "SQL Error: ") {
		t.Fatalf("existing table: %s", r.raw)
	}
	f.expect(f.do("POST", "/api/db/m/tables", map[string]any{"table_name": "x"}), 422, "")
	f.expect(f.do("POST", "/api/db/m/tables", map[string]any{"table_name": "x", "columns": []any{map[string]any{"name": "a", "type": "INT); DROP TABLE users; --"}}}), 400, "")
	f.expect(f.do("POST", "/api/db/m/tables", map[string]any{"table_name": "x", "columns": []any{map[string]any{"name": "a", "default": []int{1}}}}), 422, "")
	f.expect(f.do("POST", "/api/db/ghost/tables", map[string]any{"table_name": "t", "columns": []any{}}), 404, "Database not found.")

	rows := map[string]any{"rows": []any{
		map[string]any{"name": "Alice", "age": 30},
		map[string]any{"name": "Bob", "age": 24},
		map[string]any{"name": "Carol", "age": 24},
	}}
	r = f.do("POST", "/api/db/m/tables/users/rows", rows)
	f.expect(r, 201, "Rows inserted successfully.")
	if r.body["rows_affected"] != json.Number("3") {
		t.Fatalf("insert: %s", r.raw)
	}
	f.expect(f.do("POST", "/api/db/m/tables/users/rows", map[string]any{"rows": []any{}}), 400, "No rows provided for insertion.")
	f.expect(f.do("POST", "/api/db/ghost/tables/users/rows", map[string]any{"rows": []any{}}), 404, "Database not found.")
	f.expect(f.do("POST", "/api/db/m/tables/users/rows", map[string]any{"rows": []any{
		map[string]any{"name": "D"}, map[string]any{"name": "E", "age": 1},
	}}), 400, "All rows must have the same columns.")
	// a constraint violation keeps nothing of the batch
	r = f.do("POST", "/api/db/m/tables/users/rows", map[string]any{"rows": []any{
		map[string]any{"id": 100, "name": "F"}, map[string]any{"id": 100, "name": "G"},
	}})
	f.expect(r, 400, "")
	if !strings.HasPrefix(r.str("detail"), "SQL Error: ") {
		t.Fatalf("constraint: %s", r.raw)
	}
	f.expect(f.do("POST", "/api/db/m/tables/users/rows", `{"rows": {}}`), 422, "")
	f.expect(f.do("POST", "/api/db/m/tables/users/rows", `{}`), 422, "")

	r = f.do("GET", "/api/db/m/tables/users/rows", nil)
	f.expect(r, 200, "")
	data := r.body["data"].([]any)
	if r.body["rows_affected"] != json.Number("3") || len(data) != 3 || data[0].(map[string]any)["name"] != "Alice" {
		t.Fatalf("select: %s", r.raw)
	}
	if data[0].(map[string]any)["score"] != json.Number("1.5") || data[0].(map[string]any)["at"] == nil {
		t.Fatalf("defaults: %s", r.raw)
	}
	if _, ok := r.body["columns"]; !ok {
		t.Fatal("no columns")
	}
	r = f.do("GET", "/api/db/m/tables/users/rows?age=24&limit=1&offset=1", nil)
	f.expect(r, 200, "")
	data = r.body["data"].([]any)
	if len(data) != 1 || data[0].(map[string]any)["name"] != "Carol" {
		t.Fatalf("filter: %s", r.raw)
	}
	f.expect(f.do("GET", "/api/db/m/tables/users/rows?limit=x", nil), 422, "")
	f.expect(f.do("GET", "/api/db/m/tables/users/rows?age=1&age=2", nil), 400, "")
	f.expect(f.do("GET", "/api/db/ghost/tables/users/rows", nil), 404, "Database not found.")
	r = f.do("GET", "/api/db/m/tables/nope/rows", nil)
	f.expect(r, 400, "SQL Error: no such table: nope")
}

func TestIdentifierInjection(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("i")
	f.exec("i", "CREATE TABLE t (name TEXT)")
	f.exec("i", "INSERT INTO t VALUES ('a')")
	// a filter key is never pasted into SQL
	r := f.do("GET", `/api/db/i/tables/t/rows?name=x&%22%3B%20DROP%20TABLE%20t%3B--=1`, nil)
	f.expect(r, 400, "")
	if !strings.Contains(r.str("detail"), "Unknown column") {
		t.Fatalf("filter injection: %s", r.raw)
	}
	// a table name in the path is quoted
	r = f.do("GET", `/api/db/i/tables/t%22%3B%20DROP%20TABLE%20t%3B--/rows`, nil)
	f.expect(r, 400, "")
	// a column key in an insert is quoted
	r = f.do("POST", "/api/db/i/tables/t/rows", map[string]any{"rows": []any{map[string]any{`name") VALUES ('x'); DROP TABLE t; --`: "v"}}})
	f.expect(r, 400, "")
	// a table name in create is quoted: it becomes a strange but harmless name
	f.expect(f.do("POST", "/api/db/i/tables", map[string]any{"table_name": `x"; DROP TABLE t; --`, "columns": []any{map[string]any{"name": "a", "type": "TEXT"}}}), 201, "")
	f.expect(f.do("POST", "/api/db/i/tables", map[string]any{"table_name": "bad\x00name", "columns": []any{map[string]any{"name": "a"}}}), 400, "")
	r = f.exec("i", "SELECT count(*) AS n FROM t")
	if !strings.Contains(string(r.raw), `{"n":1}`) {
		t.Fatalf("table t damaged: %s", r.raw)
	}
}
