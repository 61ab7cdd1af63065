package gateway

// The gateway's contract over both backends: the same requests give the
// same answers on a SQLite database and on a PostgreSQL one, on a
// throwaway PostgreSQL cluster started for the test.

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/engine/postgres"
	"github.com/dbforge/dbforge/internal/pgtest"
)

// pgCluster is the test binary's one throwaway cluster, started by the
// first test that needs it (most of this package's tests do not).
var pgCluster pgtest.Lazy

func TestMain(m *testing.M) { os.Exit(pgCluster.Main(m)) }

// startPostgres returns the admin DSN of the shared cluster; it skips the test loudly when
// PostgreSQL is not installed, and fails instead with
// DBFORGE_REQUIRE_POSTGRES=1, as in CI.
func startPostgres(t *testing.T) string {
	t.Helper()
	return pgCluster.Cluster(t).AdminDSN()
}

// newBackendFixture is a gateway whose engine has the PostgreSQL backend.
func newBackendFixture(t *testing.T, dsn string, cfg engine.Config) *fixture {
	t.Helper()
	cfg.DataDir = t.TempDir()
	pg, err := postgres.New(context.Background(), dsn, postgres.Options{SecretFile: filepath.Join(cfg.DataDir, "postgres.secret")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pg.Close)
	cfg.Backends = []engine.Backend{pg}
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		list, _ := eng.List(context.Background(), true)
		for _, in := range list {
			eng.Delete(context.Background(), in.Name)
		}
		eng.Close()
	})
	gw := New(eng, Options{AdminKeyHash: auth.Hash(testKey)})
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	return &fixture{t: t, eng: eng, gw: gw, srv: srv, key: testKey}
}

// jsonOf is the canonical JSON of a decoded value, to compare answers.
func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestContractOverBackends runs the same calls on a SQLite and a
// PostgreSQL database of one gateway and expects the same answers.
func TestContractOverBackends(t *testing.T) {
	dsn := startPostgres(t)
	f := newBackendFixture(t, dsn, engine.Config{MaxRows: 1000})
	answers := map[string]map[string]string{} // backend → case → answer
	for _, backend := range []string{engine.BackendSQLite, engine.BackendPostgres} {
		db := "shop-" + backend
		got := map[string]string{}
		answers[backend] = got

		r := f.do("POST", "/admin/databases/spawn/"+db, map[string]any{"backend": backend})
		f.expect(r, 201, "Database instance spawned successfully.")
		if r.str("backend") != backend {
			t.Fatalf("%s: spawn answered backend %q", backend, r.str("backend"))
		}
		f.expect(f.do("POST", "/api/db/"+db+"/tables", map[string]any{"table_name": "items", "columns": []map[string]any{
			{"name": "id", "type": "INTEGER", "primary_key": true},
			{"name": "name", "type": "TEXT", "not_null": true},
			{"name": "qty", "type": "INTEGER", "default": 0},
		}}), 201, "")
		r = f.do("POST", "/api/db/"+db+"/tables/items/rows", map[string]any{"rows": []map[string]any{
			{"name": "apple", "qty": 3}, {"name": "pear", "qty": 5}, {"name": "fig", "qty": 0},
		}})
		f.expect(r, 201, "")
		got["insert rows"] = jsonOf(r.body["rows_affected"])

		r = f.do("GET", "/api/db/"+db+"/tables/items/rows?name=pear", nil)
		f.expect(r, 200, "")
		got["select rows filtered"] = jsonOf(r.body["data"])
		r = f.do("GET", "/api/db/"+db+"/tables/items/rows?limit=1&offset=1", nil)
		f.expect(r, 200, "")
		got["select rows window"] = jsonOf([]any{r.body["data"], r.body["has_more"]})
		f.expect(f.do("GET", "/api/db/"+db+"/tables/items/rows?colour=red", nil), 400, "Unknown column 'colour' in filter.")

		r = f.exec(db, "SELECT id, name, qty FROM items WHERE qty >= ? ORDER BY id", 3)
		got["query params"] = jsonOf(r.body["data"])
		r = f.do("POST", "/api/db/"+db+"/query", map[string]any{"sql": "SELECT name FROM items WHERE name = :n", "params": map[string]any{"n": "fig"}})
		f.expect(r, 200, "")
		got["query named"] = jsonOf(r.body["data"])
		r = f.exec(db, "INSERT INTO items (name, qty) VALUES (?, ?)", "kiwi", 9)
		got["query insert"] = jsonOf([]any{r.body["data"], r.body["rows_affected"], r.body["message"]})
		r = f.exec(db, "UPDATE items SET qty = qty + 1 WHERE qty > 0")
		got["query update"] = jsonOf(r.body["rows_affected"])
		r = f.exec(db, "SELECT count(*) AS n, sum(qty) AS total FROM items")
		got["query aggregate"] = jsonOf(r.body["data"])

		for name, sql := range map[string]string{
			"error unknown table":   "SELECT * FROM nope",
			"error syntax":          "SELEC 1",
			"error two statements":  "SELECT 1; SELECT 2",
			"error empty":           "  ",
			"error transaction":     "BEGIN",
			"error not null":        "INSERT INTO items (qty) VALUES (1)",
			"error duplicate table": "CREATE TABLE items (x INTEGER)",
		} {
			r := f.do("POST", "/api/db/"+db+"/query", map[string]any{"sql": sql})
			if r.status < 400 || r.status >= 500 {
				t.Fatalf("%s %s: status %d %s", backend, name, r.status, r.raw)
			}
			got[name] = jsonOf([]any{r.status, r.code()})
		}

		reader, _ := f.createKey("reader-"+backend, "readonly", db)
		r = f.as(reader, "POST", "/api/db/"+db+"/query", map[string]any{"sql": "DELETE FROM items"})
		got["readonly write"] = jsonOf([]any{r.status, r.code()})
		r = f.as(reader, "POST", "/api/db/"+db+"/query", map[string]any{"sql": "SELECT count(*) AS n FROM items"})
		got["readonly read"] = jsonOf([]any{r.status, r.body["data"]})

		r = f.do("GET", "/api/db/"+db+"/schema", nil)
		f.expect(r, 200, "")
		tables := r.body["tables"].([]any)
		items := tables[0].(map[string]any)
		var cols []any
		for _, c := range items["columns"].([]any) {
			c := c.(map[string]any)
			// a PostgreSQL primary key is NOT NULL, SQLite's INTEGER one is
			// not declared so: only other columns' not_null is compared
			notNull := c["not_null"]
			if c["primary_key"] == true {
				notNull = "pk"
			}
			cols = append(cols, []any{c["name"], notNull, c["primary_key"]})
		}
		got["schema"] = jsonOf([]any{len(tables), items["name"], items["type"], cols})

		r = f.do("POST", "/api/db/"+db+"/explain", map[string]any{"sql": "SELECT * FROM items WHERE id = ?", "params": []any{1}})
		f.expect(r, 200, "")
		plan := r.body["plan"].([]any)
		if len(plan) == 0 || plan[0].(map[string]any)["detail"] == "" {
			t.Fatalf("%s explain: %s", backend, r.raw)
		}
		if backend == engine.BackendPostgres && !strings.Contains(string(r.raw), "cost=") {
			t.Fatalf("postgres plan without costs: %s", r.raw)
		}

		transferCases(f, db, backend, got)

		r = f.do("GET", "/admin/databases", nil)
		for _, it := range r.list {
			if m := it.(map[string]any); m["name"] == db && m["backend"] != backend {
				t.Fatalf("list shows %v for %s", m["backend"], db)
			}
		}
		f.expect(f.do("GET", "/admin/databases/"+db+"/stats", nil), 200, "")
		f.expect(f.do("GET", "/admin/databases/"+db, nil), 200, "")

		f.expect(f.do("POST", "/admin/databases/prune/"+db, nil), 200, "")
		r = f.do("POST", "/api/db/"+db+"/query", map[string]any{"sql": "SELECT 1"})
		got["query stopped"] = jsonOf([]any{r.status, r.code()})
		r = f.do("POST", "/admin/databases/spawn/"+db, nil)
		if r.status != 200 && r.status != 201 {
			t.Fatalf("%s restart: %d %s", backend, r.status, r.raw)
		}
		r = f.exec(db, "SELECT count(*) AS n FROM items")
		got["data kept"] = jsonOf(r.body["data"])
		f.expect(f.do("DELETE", "/admin/databases/"+db+"?force=true", nil), 200, "")
		r = f.do("POST", "/api/db/"+db+"/query", map[string]any{"sql": "SELECT 1"})
		got["query deleted"] = jsonOf([]any{r.status, r.code()})
	}
	for name, want := range answers[engine.BackendSQLite] {
		if got := answers[engine.BackendPostgres][name]; got != want {
			t.Errorf("%s: postgres answered %s, sqlite %s", name, got, want)
		}
	}
}

// TestSpawnPostgresWithoutServer: a gateway not given --postgres refuses
// the backend with the list of those it has.
func TestSpawnPostgresWithoutServer(t *testing.T) {
	f := newFixture(t, Options{})
	f.expect(f.do("POST", "/admin/databases/spawn/x", map[string]any{"backend": "postgres"}), 400,
		`Unsupported backend "postgres"; available: "sqlite".`)
	f.expect(f.do("POST", "/admin/databases/spawn/x", map[string]any{"backend": "mysql"}), 400,
		`Unsupported backend "mysql"; available: "sqlite".`)
}

// TestPostgresTenantIsolationOverHTTP: one tenant's calls cannot reach
// another's database, and a key scoped to one cannot name the other.
func TestPostgresTenantIsolationOverHTTP(t *testing.T) {
	dsn := startPostgres(t)
	f := newBackendFixture(t, dsn, engine.Config{QueryTimeout: time.Second})
	for _, db := range []string{"a", "b"} {
		f.expect(f.do("POST", "/admin/databases/spawn/"+db, map[string]any{"backend": "postgres"}), 201, "")
	}
	f.exec("b", "CREATE TABLE secret (v text)")
	f.exec("b", "INSERT INTO secret VALUES ('b-only')")
	bInfo, _ := f.eng.Get(context.Background(), "b")
	writer, _ := f.createKey("a-writer", "readwrite", "a")
	for _, sql := range []string{
		"SELECT * FROM dbforge_" + bInfo.ID + ".public.secret",
		"SET ROLE dbforge_" + bInfo.ID + "_owner",
		"SELECT datname FROM pg_database WHERE has_database_privilege(datname, 'CONNECT') AND datname LIKE 'dbforge_%' AND datname <> current_database()",
	} {
		r := f.as(writer, "POST", "/api/db/a/query", map[string]any{"sql": sql})
		if r.status == 200 {
			if data, _ := r.body["data"].([]any); len(data) > 0 {
				t.Fatalf("%s: %s", sql, r.raw)
			}
		}
	}
	if r := f.as(writer, "POST", "/api/db/b/query", map[string]any{"sql": "SELECT * FROM secret"}); r.status != 403 {
		t.Fatalf("a's key on b: %d %s", r.status, r.raw)
	}
	r := f.as(writer, "POST", "/api/db/a/query", map[string]any{"sql": "SELECT pg_sleep(30)"})
	if r.status < 400 {
		t.Fatalf("endless query: %d %s", r.status, r.raw)
	}
}

// TestQuotaOverBackends: a write past --max-db-size is the same 409 on both
// backends, and the data stays readable.
func TestQuotaOverBackends(t *testing.T) {
	dsn := startPostgres(t)
	// an empty PostgreSQL database is about 7.5 MB; SQLite's starts tiny
	f := newBackendFixture(t, dsn, engine.Config{MaxDBSizeBytes: 12 << 20})
	for _, backend := range []string{engine.BackendSQLite, engine.BackendPostgres} {
		db := "q-" + backend
		f.expect(f.do("POST", "/admin/databases/spawn/"+db, map[string]any{"backend": backend}), 201, "")
		f.exec(db, "CREATE TABLE t (v TEXT)")
		var r response
		fill := "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 2000) INSERT INTO t SELECT n || '" + strings.Repeat("x", 1000) + "' FROM g"
		for i := 0; i < 40; i++ {
			if r = f.do("POST", "/api/db/"+db+"/query", map[string]any{"sql": fill}); r.status != 200 {
				break
			}
		}
		f.expect(r, 409, "Database size quota exceeded; the statement was rolled back.")
		if r.code() != "QUOTA_EXCEEDED" {
			t.Fatalf("%s: %s", backend, r.raw)
		}
		f.exec(db, "SELECT count(*) FROM t")

		// one import that starts under the quota and grows past it is
		// rolled back whole, its CREATE TABLE too
		idb := "qi-" + backend
		f.expect(f.do("POST", "/admin/databases/spawn/"+idb, map[string]any{"backend": backend}), 201, "")
		grow := "CREATE TABLE big (v TEXT); WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 15000) INSERT INTO big SELECT n || '" + strings.Repeat("x", 1000) + "' FROM g;"
		r = f.do("POST", "/api/db/"+idb+"/import/sql", grow)
		if r.status != 409 || r.code() != "QUOTA_EXCEEDED" {
			t.Fatalf("%s: an import past the quota: %d %s", backend, r.status, r.raw)
		}
		if r := f.do("POST", "/api/db/"+idb+"/query", map[string]any{"sql": "SELECT count(*) FROM big"}); r.status != 400 {
			t.Fatalf("%s: the refused import left its table: %d %s", backend, r.status, r.raw)
		}
	}
}

// TestPostgresValuesOverHTTP: PostgreSQL values reach the client per the
// contract, checked on the raw answer (an int8 past 2^53 stays exact).
func TestPostgresValuesOverHTTP(t *testing.T) {
	dsn := startPostgres(t)
	f := newBackendFixture(t, dsn, engine.Config{})
	f.expect(f.do("POST", "/admin/databases/spawn/v", map[string]any{"backend": "postgres"}), 201, "")
	r := f.exec("v", `SELECT 9007199254740993::int8 AS big, 1.50::numeric AS n, 2.5::float8 AS f, '\x0001ff'::bytea AS b,
		'{"k": [1, 2]}'::jsonb AS j, ARRAY[1, NULL]::int4[] AS a, true AS t, '2024-01-02 03:04:05'::timestamp AS ts,
		NULL::text AS z, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u`)
	want := `"data":[{"big":9007199254740993,"n":"1.50","f":2.5,"b":{"$blob":"AAH/"},"j":{"k":[1,2]},"a":[1,null],"t":true,"ts":"2024-01-02 03:04:05","z":null,"u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}]`
	if !strings.Contains(string(r.raw), want) {
		t.Fatalf("answer %s\nwant it to contain %s", r.raw, want)
	}
	if !strings.Contains(string(r.raw), `{"name":"big","type":"int8"}`) {
		t.Fatalf("column types: %s", r.raw)
	}
	// a blob parameter arrives as bytea
	r = f.do("POST", "/api/db/v/query", map[string]any{"sql": "SELECT length(?::bytea) AS n", "params": []any{map[string]any{"$blob": "AAH/"}}})
	f.expect(r, 200, "")
	if !strings.Contains(string(r.raw), `"data":[{"n":3}]`) {
		t.Fatalf("blob param: %s", r.raw)
	}
}

// transferCases are the export, import, dump, backup, restore and fork
// calls of TestContractOverBackends on database db (table items, four
// rows). Their answers go into got, to be compared across backends;
// where the backends legitimately differ the case asserts each side here.
func transferCases(f *fixture, db, backend string, got map[string]string) {
	t := f.t
	const ordered = "SELECT id, name, qty FROM items ORDER BY id"
	rowsOf := func(db string) string {
		t.Helper()
		return jsonOf(f.exec(db, ordered).body["data"])
	}
	want := rowsOf(db)

	// CSV and JSON exports are the same lines; a table is exported in
	// its storage order, which after an UPDATE differs (SQLite: rowid,
	// PostgreSQL: where the new row versions went), so lines are sorted
	r := f.do("GET", "/api/db/"+db+"/export/csv?table=items", nil)
	f.expect(r, 200, "")
	csv := r.raw
	got["export csv"] = sortedLines(csv) + " " + r.header.Get("Content-Type")
	r = f.do("GET", "/api/db/"+db+"/export/json?table=items", nil)
	f.expect(r, 200, "")
	got["export json"] = sortedLines(r.raw)
	r = f.do("GET", "/api/db/"+db+"/export/csv?table=nope", nil)
	got["export unknown table"] = jsonOf([]any{r.status, r.code()})

	// CSV round trip into a new table
	r = f.do("POST", "/api/db/"+db+"/import/csv?table=copy&create=true", csv)
	f.expect(r, 200, "")
	got["import csv"] = jsonOf([]any{r.body["rows_imported"], r.body["created"]})
	got["import csv rows"] = jsonOf(f.exec(db, "SELECT name, qty FROM copy ORDER BY name").body["data"])
	// a text in an INTEGER column: SQLite keeps it (type affinity),
	// PostgreSQL refuses the import and keeps nothing
	r = f.do("POST", "/api/db/"+db+"/import/csv?table=copy", "id,name,qty\n9,x,not-a-number\n")
	wantBad := map[string]string{"sqlite": `[200,"",[{"n":5}]]`, "postgres": `[400,"SQL_ERROR",[{"n":4}]]`}[backend]
	if bad := jsonOf([]any{r.status, r.code(), f.exec(db, "SELECT count(*) AS n FROM copy").body["data"]}); bad != wantBad {
		t.Fatalf("%s: a non-number into an INTEGER column: %s, want %s (%s)", backend, bad, wantBad, r.raw)
	}
	f.exec(db, "DROP TABLE copy")

	// SQL script import: one transaction
	r = f.do("POST", "/api/db/"+db+"/import/sql", "CREATE TABLE s (v INTEGER); INSERT INTO s VALUES (1); INSERT INTO s VALUES (2);")
	f.expect(r, 200, "")
	got["import sql"] = jsonOf([]any{r.body["statements"], r.body["rows_affected"]})
	r = f.do("POST", "/api/db/"+db+"/import/sql", "INSERT INTO s VALUES (3); INSERT INTO nope VALUES (1);")
	got["import sql failing"] = jsonOf([]any{r.status, r.code(), f.exec(db, "SELECT count(*) AS n FROM s").body["data"]})
	f.exec(db, "DROP TABLE s")

	// the SQL dump is in the database's own dialect, so its text differs;
	// what both promise is that it restores through import/sql into an
	// empty database of the same backend
	r = f.do("GET", "/api/db/"+db+"/export/sql", nil)
	f.expect(r, 200, "")
	dump := r.raw
	switch backend {
	case "sqlite":
		if !strings.HasPrefix(string(dump), "PRAGMA foreign_keys=OFF;") {
			t.Fatalf("sqlite dump: %.200s", dump)
		}
	case "postgres":
		if !strings.HasPrefix(string(dump), "--\n-- PostgreSQL database dump") || strings.Contains(string(dump), "FROM stdin") ||
			strings.Contains(string(dump), "\\restrict") {
			t.Fatalf("postgres dump is not a plain script of statements: %.400s", dump)
		}
	}
	empty := db + "-fromdump"
	f.expect(f.do("POST", "/admin/databases/spawn/"+empty, map[string]any{"backend": backend}), 201, "")
	r = f.do("POST", "/api/db/"+empty+"/import/sql", dump)
	f.expect(r, 200, "Script executed successfully.")
	got["dump restored"] = jsonOf(rowsOf(empty) == want)
	// the key goes on after the source's rows: SQLite's INTEGER PRIMARY
	// KEY takes max+1 (5); PostgreSQL's sequence, whose value the dump
	// keeps, also counted the NOT NULL insert that failed earlier (6)
	f.exec(empty, "INSERT INTO items (name) VALUES ('next')")
	next := jsonOf(f.exec(empty, "SELECT max(id) AS id FROM items").body["data"])
	if wantNext := map[string]string{"sqlite": `[{"id":5}]`, "postgres": `[{"id":6}]`}[backend]; next != wantNext {
		t.Fatalf("%s: next key after a dump's restore %s, want %s", backend, next, wantNext)
	}

	// backup, change, restore: the change is gone
	r = f.do("POST", "/admin/databases/"+db+"/backup", nil)
	f.expect(r, 201, "Backup created.")
	backup := r.str("name")
	r = f.do("GET", "/admin/databases/"+db+"/backups", nil)
	f.expect(r, 200, "")
	got["backup listed"] = jsonOf(len(r.list) == 1 && r.list[0].(map[string]any)["name"] == backup)
	f.exec(db, "DELETE FROM items WHERE name = 'apple'")
	r = f.do("POST", "/admin/databases/"+db+"/restore", map[string]any{"backup": backup})
	f.expect(r, 200, "Database restored from backup.")
	got["restored"] = jsonOf(rowsOf(db) == want)
	r = f.do("POST", "/admin/databases/"+db+"/restore", map[string]any{"backup": "nope"})
	got["restore unknown"] = jsonOf([]any{r.status, r.code()})

	// fork, live and from the backup: independent copies of the same backend
	r = f.do("POST", "/admin/databases/"+db+"/fork/"+db+"-fork", nil)
	f.expect(r, 201, "Database forked.")
	got["fork"] = jsonOf([]any{r.str("source") == db, r.str("backend") == backend, rowsOf(db+"-fork") == want})
	f.exec(db+"-fork", "DELETE FROM items")
	got["fork independent"] = jsonOf(rowsOf(db) == want)
	r = f.do("POST", "/admin/databases/"+db+"/fork/"+db+"-old?backup="+backup, nil)
	f.expect(r, 201, "Database forked.")
	got["fork backup"] = jsonOf(rowsOf(db+"-old") == want)
	r = f.do("POST", "/admin/databases/"+db+"/fork/"+db+"-fork", nil)
	got["fork exists"] = jsonOf([]any{r.status, r.code()})
}

// sortedLines is text's lines in sorted order, one per line.
func sortedLines(text []byte) string {
	lines := strings.Split(strings.TrimRight(string(text), "\n"), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
