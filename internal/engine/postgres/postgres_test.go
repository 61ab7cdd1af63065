package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dbforge/dbforge/internal/engine"
)

// fixture is an engine with the PostgreSQL backend on the test cluster.
type fixture struct {
	t   *testing.T
	e   *engine.Engine
	b   *Backend
	dir string
	dsn string
}

func newFixture(t *testing.T, mod func(*engine.Config)) *fixture {
	t.Helper()
	dsn := needPG(t)
	dir := t.TempDir()
	b, err := New(context.Background(), dsn, Options{SecretFile: filepath.Join(dir, "postgres.secret")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	cfg := engine.Config{DataDir: dir, SampleInterval: time.Hour, Backends: []engine.Backend{b}}
	if mod != nil {
		mod(&cfg)
	}
	e, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, e: e, b: b, dir: dir, dsn: dsn}
	t.Cleanup(func() {
		// drop what the test left, then close
		list, _ := e.List(context.Background(), true)
		for _, in := range list {
			e.Delete(context.Background(), in.Name)
		}
		e.Close()
	})
	return f
}

func (f *fixture) spawn(name string) engine.Instance {
	f.t.Helper()
	in, created, err := f.e.Spawn(context.Background(), name, engine.BackendPostgres)
	if err != nil || !created || in.Backend != engine.BackendPostgres {
		f.t.Fatalf("Spawn(%s) = %+v, %v, %v", name, in, created, err)
	}
	return in
}

func (f *fixture) exec(db, sql string, params ...any) *engine.Result {
	f.t.Helper()
	res, err := f.e.Exec(context.Background(), db, engine.Query{SQL: sql, Params: params})
	if err != nil {
		f.t.Fatalf("Exec(%q): %v", sql, err)
	}
	return res
}

// admin runs a query as the cluster's admin on a database.
// dbforgeDatabases counts the cluster's databases made by the engine.
func (f *fixture) dbforgeDatabases() (n int) {
	f.t.Helper()
	if err := f.admin("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'dbforge_%'").Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *fixture) admin(db, sql string, args ...any) pgx.Row {
	f.t.Helper()
	cfg, err := pgx.ParseConfig(f.dsn)
	if err != nil {
		f.t.Fatal(err)
	}
	cfg.Database = db
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { conn.Close(context.Background()) })
	return conn.QueryRow(context.Background(), sql, args...)
}

// connectAs opens a session as a tenant role with its real password.
func (f *fixture) connectAs(role, db string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(f.dsn)
	if err != nil {
		f.t.Fatal(err)
	}
	cfg.User, cfg.Password, cfg.Database = role, f.b.password(role), db
	return pgx.ConnectConfig(context.Background(), cfg)
}

func wantSQLError(t *testing.T, err error, contains string) {
	t.Helper()
	var se *engine.SQLError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, contains) {
		t.Fatalf("err = %v (%T), want an SQL error containing %q", err, err, contains)
	}
}

func TestSpawnCreatesLockedDownDatabaseAndRoles(t *testing.T) {
	f := newFixture(t, nil)
	in := f.spawn("shop")
	n, _ := namesOf(in)
	var owner string
	var allow bool
	var acl string
	if err := f.admin("postgres", `SELECT pg_get_userbyid(datdba), datallowconn, COALESCE(datacl::text, '')
		FROM pg_database WHERE datname = $1`, n.db).Scan(&owner, &allow, &acl); err != nil {
		t.Fatalf("database %s: %v", n.db, err)
	}
	if owner != n.owner || !allow {
		t.Fatalf("owner %q allow %v", owner, allow)
	}
	// PUBLIC's entry in an ACL starts with "=": it must be absent
	if strings.Contains(acl, "{=") || strings.Contains(acl, ",=") {
		t.Fatalf("PUBLIC keeps privileges on the database: %s", acl)
	}
	for _, role := range []string{n.owner, n.ro} {
		var super, createdb, createrole bool
		if err := f.admin("postgres", `SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = $1`, role).
			Scan(&super, &createdb, &createrole); err != nil {
			t.Fatalf("role %s: %v", role, err)
		}
		if super || createdb || createrole {
			t.Fatalf("role %s is privileged", role)
		}
	}
	var publicCreate bool
	if err := f.admin(n.db, `SELECT has_schema_privilege('public', 'public', 'USAGE')`).Scan(&publicCreate); err != nil || publicCreate {
		t.Fatalf("PUBLIC may use schema public: %v %v", publicCreate, err)
	}
	list, _ := f.e.List(context.Background(), true)
	if len(list) != 1 || list[0].Backend != engine.BackendPostgres || list[0].Status != engine.StatusRunning || list[0].SizeBytes < 1<<20 {
		t.Fatalf("List = %+v", list)
	}
}

func TestExecValuesKindsAndParams(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("v")
	res := f.exec("v", `CREATE TABLE t (id int8 PRIMARY KEY, n numeric, f float8, b bool, s text, by bytea,
		ts timestamp, d date, j jsonb, a int4[], tags text[], u uuid, x int4)`)
	if res.Kind != engine.KindDDL {
		t.Fatalf("CREATE kind = %q", res.Kind)
	}
	res = f.exec("v", `INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		int64(9007199254740993), "12345678901234567890.123", 1.5, true, "it's", []byte{0, 1, 0xff},
		"2024-02-29 13:14:15.5", "2024-01-02", `{"k": [1, 2.5, "x"]}`, "{1,2,NULL}", `{"a b","c\"d"}`,
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", nil)
	if res.Kind != engine.KindWrite || res.RowsAffected != 1 || res.Returning {
		t.Fatalf("INSERT = %+v", res)
	}
	res = f.exec("v", "SELECT * FROM t")
	if res.Kind != engine.KindRead || len(res.Rows) != 1 {
		t.Fatalf("SELECT = %+v", res)
	}
	row := res.Rows[0]
	want := []any{int64(9007199254740993), "12345678901234567890.123", 1.5, true, "it's", []byte{0, 1, 0xff},
		"2024-02-29 13:14:15.5", "2024-01-02", json.RawMessage(`{"k": [1, 2.5, "x"]}`), []any{int64(1), int64(2), nil},
		[]any{"a b", `c"d`}, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", nil}
	for i := range want {
		if fmt.Sprintf("%#v", row[i]) != fmt.Sprintf("%#v", want[i]) {
			t.Errorf("column %s = %#v, want %#v", res.Columns[i].Name, row[i], want[i])
		}
	}
	if res.Columns[0].Type != "int8" || res.Columns[9].Type != "_int4" {
		t.Errorf("column types %+v", res.Columns)
	}
	// named params, a cast and a string with a ? inside are left alone
	res, err := f.e.Exec(context.Background(), "v", engine.Query{SQL: "SELECT id::text, '?:x' AS q FROM t WHERE s = :s AND id = @id",
		Named: map[string]any{":s": "it's", "id": int64(9007199254740993)}})
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != "9007199254740993" || res.Rows[0][1] != "?:x" {
		t.Fatalf("named = %+v, %v", res, err)
	}
	// native $1
	if res := f.exec("v", "SELECT count(*) FROM t WHERE id = $1", int64(9007199254740993)); res.Rows[0][0] != int64(1) {
		t.Fatalf("native $1 = %+v", res.Rows)
	}
	// the kind comes from what ran, not from the text
	res = f.exec("v", "WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone")
	if res.Kind != engine.KindWrite || res.Rows[0][0] != int64(1) {
		t.Fatalf("CTE delete = %+v", res)
	}
	_, err = f.e.Exec(context.Background(), "v", engine.Query{SQL: "SELECT 1; SELECT 2"})
	if !errors.Is(err, engine.ErrMultipleStatements) {
		t.Fatalf("two statements: %v", err)
	}
	var bad *engine.BadInputError
	for _, sql := range []string{"BEGIN", "START TRANSACTION", "COMMIT", "ABORT", "  -- c\n rollback", "SAVEPOINT x",
		"PREPARE TRANSACTION 'x'", "COPY t FROM STDIN", "copy t to stdout"} {
		_, err = f.e.Exec(context.Background(), "v", engine.Query{SQL: sql})
		if !errors.As(err, &bad) {
			t.Fatalf("%q: %v", sql, err)
		}
	}
	_, err = f.e.Exec(context.Background(), "v", engine.Query{SQL: "SELEC 1"})
	wantSQLError(t, err, "syntax error")
	_, err = f.e.Exec(context.Background(), "v", engine.Query{SQL: "SELECT ?", Params: []any{1, 2}})
	if !errors.As(err, &bad) {
		t.Fatalf("param count: %v", err)
	}
}

func TestRowAndByteLimits(t *testing.T) {
	f := newFixture(t, func(c *engine.Config) { c.MaxRows = 5; c.MaxResultBytes = 4096 })
	f.spawn("l")
	res := f.exec("l", "SELECT g FROM generate_series(1, 100) g")
	if len(res.Rows) != 5 || !res.HasMore {
		t.Fatalf("capped: %d rows, has_more %v", len(res.Rows), res.HasMore)
	}
	res, err := f.e.Exec(context.Background(), "l", engine.Query{SQL: "SELECT g FROM generate_series(1, 10) g", Limit: 3, Offset: 8})
	if err != nil || len(res.Rows) != 2 || res.Rows[0][0] != int64(9) || res.HasMore {
		t.Fatalf("window: %+v, %v", res, err)
	}
	res, err = f.e.Exec(context.Background(), "l", engine.Query{SQL: "SELECT g FROM generate_series(1, 100) g ORDER BY g DESC;", Limit: 3, Offset: 2})
	if err != nil || fmt.Sprint(res.Rows) != "[[98] [97] [96]]" || !res.HasMore {
		t.Fatalf("ordered window: %+v, %v", res, err)
	}
	// not wrappable: runs once, as written
	res = f.exec("l", "SELECT g INTO copy FROM generate_series(1, 10) g")
	if res.Kind != engine.KindWrite || res.RowsAffected != 10 {
		t.Fatalf("SELECT INTO = %+v", res)
	}
	if n := f.exec("l", "SELECT count(*) FROM copy").Rows[0][0]; n != int64(10) {
		t.Fatalf("copy has %v rows", n)
	}
	res = f.exec("l", "SELECT 1 AS a, 2 AS a; -- same name twice")
	if len(res.Columns) != 2 || fmt.Sprint(res.Rows) != "[[1 2]]" {
		t.Fatalf("duplicate names: %+v", res)
	}
	res = f.exec("l", "SELECT repeat('x', 1500) FROM generate_series(1, 5)")
	if len(res.Rows) != 2 || !res.HasMore {
		t.Fatalf("byte budget: %d rows, has_more %v", len(res.Rows), res.HasMore)
	}
	_, err = f.e.Exec(context.Background(), "l", engine.Query{SQL: "SELECT repeat('x', 10000)"})
	if !errors.Is(err, engine.ErrResultTooLarge) {
		t.Fatalf("one huge row: %v", err)
	}
}

func TestReadOnlyCallsCannotWrite(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("ro")
	f.exec("ro", "CREATE TABLE t (v int)")
	f.exec("ro", "INSERT INTO t VALUES (1)")
	for _, sql := range []string{"INSERT INTO t VALUES (2)", "DELETE FROM t", "CREATE TABLE u (v int)", "DROP TABLE t",
		"SELECT set_config('default_transaction_read_only', 'off', false)", "SET ROLE NONE"} {
		res, err := f.e.Exec(context.Background(), "ro", engine.Query{SQL: sql, ReadOnly: true})
		if sql == "SELECT set_config('default_transaction_read_only', 'off', false)" || sql == "SET ROLE NONE" {
			// allowed, but must not open a way to write in the next call
			if err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			_, err = f.e.Exec(context.Background(), "ro", engine.Query{SQL: "INSERT INTO t VALUES (3)", ReadOnly: true})
		}
		if !errors.Is(err, engine.ErrReadOnly) {
			t.Fatalf("read-only %q: %v %+v", sql, err, res)
		}
	}
	res, err := f.e.Exec(context.Background(), "ro", engine.Query{SQL: "SELECT count(*) FROM t", ReadOnly: true})
	if err != nil || res.Rows[0][0] != int64(1) || res.Kind != engine.KindRead {
		t.Fatalf("read-only select: %+v, %v", res, err)
	}
	// tables in a schema of the tenant's own are readable too
	f.exec("ro", "CREATE SCHEMA sales")
	f.exec("ro", "CREATE TABLE sales.orders AS SELECT 1 AS id")
	res, err = f.e.Exec(context.Background(), "ro", engine.Query{SQL: "SELECT id FROM sales.orders", ReadOnly: true})
	if err != nil || res.Rows[0][0] != int64(1) {
		t.Fatalf("read-only select in another schema: %+v, %v", res, err)
	}
}

func TestSettingsDoNotLeakIntoTheNextCall(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("s")
	show := func(name string) string {
		return f.exec("s", "SELECT current_setting('"+name+"')").Rows[0][0].(string)
	}
	path, timeout := show("search_path"), show("statement_timeout")
	// more calls than pool connections, so each is followed on a reused one
	for i := 0; i < 10; i++ {
		f.exec("s", "SET search_path = pg_catalog")
		f.exec("s", "SET statement_timeout = 0")
		f.exec("s", "SELECT set_config('application_name', 'leak', false)")
		f.exec("s", "PREPARE p AS SELECT 1")
		f.exec("s", "SELECT pg_advisory_lock(42)")
		if got := show("search_path"); got != path {
			t.Fatalf("search_path leaked: %q", got)
		}
		if got := show("statement_timeout"); got != timeout {
			t.Fatalf("statement_timeout leaked: %q", got)
		}
		if got := show("application_name"); got != "dbforge" {
			t.Fatalf("application_name leaked: %q", got)
		}
		if n := f.exec("s", "SELECT count(*) FROM pg_prepared_statements").Rows[0][0]; n != int64(0) {
			t.Fatalf("prepared statement survived: %v", n)
		}
	}
	// the reset runs as a connection goes back to the pool: the lock is
	// gone by then for any call that gets that connection, and from every
	// session once the pool is idle
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := f.exec("s", "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").Rows[0][0]
		if n == int64(0) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("advisory locks survived: %v", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestTenantCannotBecomeAnotherRole(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("a")
	other := f.spawn("b")
	on, _ := namesOf(other)
	for _, sql := range []string{"SET ROLE dbforge_admin", "SET ROLE " + on.owner, "SET ROLE " + on.ro,
		"SET SESSION AUTHORIZATION dbforge_admin", "SET ROLE postgres"} {
		_, err := f.e.Exec(context.Background(), "a", engine.Query{SQL: sql})
		var se *engine.SQLError
		if !errors.As(err, &se) {
			t.Fatalf("%s: err = %v, want refused", sql, err)
		}
	}
	if u := f.exec("a", "SELECT current_user").Rows[0][0]; !strings.HasSuffix(u.(string), "_owner") {
		t.Fatalf("current_user = %v", u)
	}
}

func TestTenantsAreNotSuperusers(t *testing.T) {
	f := newFixture(t, nil)
	in := f.spawn("p")
	for sql, msg := range map[string]string{
		"CREATE DATABASE evil":                          "",
		"CREATE ROLE evil":                              "permission denied",
		"COPY (SELECT 1) TO PROGRAM 'id'":               "",
		"SELECT pg_read_file('/etc/passwd')":            "permission denied",
		"COPY (SELECT 1) TO '/tmp/dbforge-evil'":        "",
		"ALTER ROLE CURRENT_USER SUPERUSER":             "must be superuser",
		"CREATE EXTENSION IF NOT EXISTS file_fdw":       "",
		"SELECT pg_terminate_backend(pg_backend_pid())": "",
	} {
		_, err := f.e.Exec(context.Background(), "p", engine.Query{SQL: sql})
		if msg == "" {
			if sql == "SELECT pg_terminate_backend(pg_backend_pid())" {
				// a tenant may end its own session: the next call still works
				f.exec("p", "SELECT 1")
				continue
			}
			if err == nil {
				t.Fatalf("%s: allowed", sql)
			}
			continue
		}
		wantSQLError(t, err, msg)
	}
	// outside a transaction too: the roles lack the privileges themselves
	n := mustNames(t, in)
	conn, err := f.connectAs(n.owner, n.db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, sql := range []string{"CREATE DATABASE evil", "CREATE ROLE evil", "DROP DATABASE postgres",
		"COPY (SELECT 1) TO PROGRAM 'id'", "COPY (SELECT 1) TO '/tmp/dbforge-evil'", "COPY pg_class FROM '/etc/passwd'"} {
		_, err := conn.Exec(context.Background(), sql)
		if err == nil || !strings.Contains(err.Error(), "permission denied") && !strings.Contains(err.Error(), "must be owner") &&
			!strings.Contains(err.Error(), "must be superuser") {
			t.Fatalf("%s as the owner role: %v", sql, err)
		}
	}
}

func TestOwnerRoleCannotReachAnotherDatabase(t *testing.T) {
	f := newFixture(t, nil)
	na, nb := mustNames(t, f.spawn("a")), mustNames(t, f.spawn("b"))
	f.exec("b", "CREATE TABLE secret (v text)")
	f.exec("b", "INSERT INTO secret VALUES ('b-only')")
	own, err := f.connectAs(na.owner, na.db)
	if err != nil {
		t.Fatalf("own database with own credentials: %v", err)
	}
	own.Close(context.Background())
	for _, role := range []string{na.owner, na.ro} {
		conn, err := f.connectAs(role, nb.db)
		if err == nil {
			conn.Close(context.Background())
			t.Fatalf("%s connected to %s", role, nb.db)
		}
		if !strings.Contains(err.Error(), "permission denied") {
			t.Fatalf("%s to %s: %v", role, nb.db, err)
		}
	}
	_, err = f.e.Exec(context.Background(), "a", engine.Query{SQL: "SELECT * FROM " + nb.db + ".public.secret"})
	wantSQLError(t, err, "cross-database references are not implemented")
	// nor through the catalog: another tenant's tables are not listed
	s, err := f.e.Schema(context.Background(), "a", "")
	if err != nil || len(s.Tables) != 0 {
		t.Fatalf("schema of a = %+v, %v", s, err)
	}
}

func mustNames(t *testing.T, in engine.Instance) names {
	t.Helper()
	n, err := namesOf(in)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEndlessQueryStopsAtTheTimeout(t *testing.T) {
	f := newFixture(t, func(c *engine.Config) { c.QueryTimeout = 500 * time.Millisecond })
	f.spawn("slow")
	start := time.Now()
	_, err := f.e.Exec(context.Background(), "slow", engine.Query{SQL: "SELECT count(*) FROM generate_series(1, 1000000000000)"})
	if !errors.Is(err, engine.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("stopped after %v", d)
	}
	_, err = f.e.Exec(context.Background(), "slow", engine.Query{SQL: "SELECT pg_sleep(10)"})
	if !errors.Is(err, engine.ErrTimeout) {
		t.Fatalf("pg_sleep: %v", err)
	}
	f.exec("slow", "SELECT 1") // the database still answers
}

func TestSchemaFromCatalog(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("sc")
	for _, sql := range []string{
		"CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, since date DEFAULT CURRENT_DATE)",
		"CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int REFERENCES customers(id), total numeric(10,2) CHECK (total >= 0))",
		"CREATE INDEX orders_customer ON orders (customer_id)",
		"CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100",
		"CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
		"CREATE TRIGGER orders_touch BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch()",
		"INSERT INTO customers (email) SELECT 'c' || g || '@x' FROM generate_series(1, 50) g",
		"ANALYZE customers",
	} {
		f.exec("sc", sql)
	}
	s, err := f.e.Schema(context.Background(), "sc", "")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]engine.TableSchema{}
	for _, tb := range s.Tables {
		byName[tb.Name] = tb
	}
	c := byName["customers"]
	if c.Type != "table" || c.RowCount != 50 || len(c.Columns) != 3 {
		t.Fatalf("customers = %+v", c)
	}
	if !c.Columns[0].PrimaryKey || c.Columns[0].Type != "integer" || c.Columns[0].Default == nil || !strings.HasPrefix(*c.Columns[0].Default, "nextval(") {
		t.Fatalf("customers.id = %+v", c.Columns[0])
	}
	if !c.Columns[1].NotNull || c.Columns[2].Default == nil || *c.Columns[2].Default != "CURRENT_DATE" {
		t.Fatalf("customers columns = %+v", c.Columns)
	}
	if len(c.Indexes) != 2 || !strings.Contains(c.SQL, "UNIQUE (email)") || !strings.HasPrefix(c.SQL, `CREATE TABLE "customers" (`) {
		t.Fatalf("customers indexes %+v sql %s", c.Indexes, c.SQL)
	}
	o := byName["orders"]
	if len(o.ForeignKeys) != 1 || o.ForeignKeys[0].RefTable != "customers" || o.ForeignKeys[0].Columns[0] != "customer_id" || o.ForeignKeys[0].RefColumns[0] != "id" {
		t.Fatalf("orders fks = %+v", o.ForeignKeys)
	}
	if !strings.Contains(o.SQL, "GENERATED ALWAYS AS IDENTITY") || !strings.Contains(o.SQL, "CHECK (total >= 0") {
		t.Fatalf("orders sql = %s", o.SQL)
	}
	var ix engine.IndexSchema
	for _, i := range o.Indexes {
		if i.Name == "orders_customer" {
			ix = i
		}
	}
	if len(ix.Columns) != 1 || ix.Columns[0] != "customer_id" || ix.Unique || !strings.Contains(ix.SQL, "CREATE INDEX orders_customer") {
		t.Fatalf("orders_customer = %+v", ix)
	}
	v := byName["big_orders"]
	if v.Type != "view" || !strings.HasPrefix(v.SQL, `CREATE VIEW "big_orders" AS`) || len(v.Columns) != 3 {
		t.Fatalf("view = %+v", v)
	}
	if len(s.Triggers) != 1 || s.Triggers[0].Table != "orders" || !strings.Contains(s.Triggers[0].SQL, "EXECUTE FUNCTION touch()") {
		t.Fatalf("triggers = %+v", s.Triggers)
	}
	one, err := f.e.Schema(context.Background(), "sc", "orders")
	if err != nil || len(one.Tables) != 1 || len(one.Triggers) != 1 {
		t.Fatalf("one table = %+v, %v", one, err)
	}
	_, err = f.e.Schema(context.Background(), "sc", "nope")
	wantSQLError(t, err, "does not exist")
}

func TestExplainPlanTree(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("ex")
	f.exec("ex", "CREATE TABLE a (id int PRIMARY KEY, v text)")
	f.exec("ex", "CREATE TABLE b (id int PRIMARY KEY, a_id int)")
	plan, err := f.e.Explain(context.Background(), "ex", engine.Query{SQL: "SELECT * FROM a JOIN b ON b.a_id = a.id WHERE a.v = ?", Params: []any{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) < 3 || plan[0].Parent != 0 || plan[0].ID != 1 {
		t.Fatalf("plan = %+v", plan)
	}
	for _, n := range plan[1:] {
		if n.Parent < 1 || n.Parent >= n.ID {
			t.Fatalf("node %+v has no earlier parent", n)
		}
	}
	all := fmt.Sprint(plan)
	if !strings.Contains(all, "(cost=") || !strings.Contains(all, " on a") || !strings.Contains(all, " on b") {
		t.Fatalf("details = %s", all)
	}
	// a write is planned, not run
	if _, err := f.e.Explain(context.Background(), "ex", engine.Query{SQL: "DELETE FROM a"}); err != nil {
		t.Fatal(err)
	}
	f.exec("ex", "INSERT INTO a VALUES (1, 'x')")
	if _, err := f.e.Explain(context.Background(), "ex", engine.Query{SQL: "DELETE FROM a"}); err != nil {
		t.Fatal(err)
	}
	if n := f.exec("ex", "SELECT count(*) FROM a").Rows[0][0]; n != int64(1) {
		t.Fatalf("EXPLAIN ran the DELETE: %v rows left", n)
	}
	_, err = f.e.Explain(context.Background(), "ex", engine.Query{SQL: "EXPLAIN ANALYZE DELETE FROM a"})
	var bad *engine.BadInputError
	if !errors.As(err, &bad) {
		t.Fatalf("EXPLAIN of EXPLAIN: %v", err)
	}
}

// newQuotaFixture opens an engine whose quota is a little above the size
// of an empty database and spawns db there with one text column table t.
func newQuotaFixture(t *testing.T, db string) *fixture {
	t.Helper()
	f := newFixture(t, nil)
	f.spawn("q")
	size, err := f.e.Stats(context.Background(), "q")
	if err != nil {
		t.Fatal(err)
	}
	quota := newFixture(t, func(c *engine.Config) { c.MaxDBSizeBytes = size.SizeBytes + 2<<20 })
	quota.spawn(db)
	quota.exec(db, "CREATE TABLE t (v text)")
	return quota
}

func TestQuotaRefusesWritesThatGrow(t *testing.T) {
	f2 := newQuotaFixture(t, "q2")
	var err2 error
	for i := 0; i < 50 && err2 == nil; i++ {
		_, err2 = f2.e.Exec(context.Background(), "q2", engine.Query{SQL: "INSERT INTO t SELECT md5(g::text) || repeat('x', 500) FROM generate_series(1, 2000) g"})
	}
	if !errors.Is(err2, engine.ErrQuotaExceeded) {
		t.Fatalf("err = %v, want ErrQuotaExceeded", err2)
	}
	if _, err := f2.e.Exec(context.Background(), "q2", engine.Query{SQL: "DELETE FROM t"}); err != nil {
		t.Fatalf("a delete past the quota: %v", err)
	}
	if _, err := f2.e.Exec(context.Background(), "q2", engine.Query{SQL: "SELECT count(*) FROM t"}); err != nil {
		t.Fatal(err)
	}
}

func TestStatsFromPgStatDatabase(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("st")
	for i := 0; i < 5; i++ {
		f.exec("st", "SELECT 1")
	}
	// sessions flush their counters to pg_stat_database about once a second
	var st engine.Stats
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var err error
		if st, err = f.e.Stats(context.Background(), "st"); err != nil {
			t.Fatal(err)
		}
		if st.TransactionsTotal >= 5 || time.Now().After(deadline) {
			break
		}
	}
	if st.Backend != engine.BackendPostgres || st.OpenConnections < 1 || st.TransactionsTotal < 5 || st.SizeBytes < 1<<20 || st.QueriesTotal != 5 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestPruneTerminatesAndDeleteDrops(t *testing.T) {
	f := newFixture(t, nil)
	in := f.spawn("life")
	n, _ := namesOf(in)
	f.exec("life", "CREATE TABLE t (v int)")
	f.exec("life", "INSERT INTO t VALUES (7)")
	// a session of the tenant's own, outside the gateway
	outside, err := f.connectAs(n.owner, n.db)
	if err != nil {
		t.Fatal(err)
	}
	defer outside.Close(context.Background())
	if _, err := f.e.Prune(context.Background(), "life"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.e.Exec(context.Background(), "life", engine.Query{SQL: "SELECT 1"}); !errors.Is(err, engine.ErrStopped) {
		t.Fatalf("call on a pruned database: %v", err)
	}
	if err := outside.Ping(context.Background()); err == nil {
		t.Fatal("the tenant's session survived the prune")
	}
	if _, err := f.connectAs(n.owner, n.db); err == nil {
		t.Fatal("a new session was accepted after the prune")
	}
	var sessions int
	f.admin("postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", n.db).Scan(&sessions)
	if sessions != 0 {
		t.Fatalf("%d sessions left", sessions)
	}
	if _, _, err := f.e.Spawn(context.Background(), "life", ""); err != nil {
		t.Fatal(err)
	}
	if v := f.exec("life", "SELECT v FROM t").Rows[0][0]; v != int64(7) {
		t.Fatalf("data after restart = %v", v)
	}
	if err := f.e.Delete(context.Background(), "life"); err != nil {
		t.Fatal(err)
	}
	var dbs, roles int
	f.admin("postgres", "SELECT count(*) FROM pg_database WHERE datname = $1", n.db).Scan(&dbs)
	f.admin("postgres", "SELECT count(*) FROM pg_roles WHERE rolname IN ($1, $2)", n.owner, n.ro).Scan(&roles)
	if dbs != 0 || roles != 0 {
		t.Fatalf("after delete: %d databases, %d roles", dbs, roles)
	}
}

func TestRunningDatabasesReopenWithTheEngine(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("keep")
	f.exec("keep", "CREATE TABLE t (v text)")
	f.exec("keep", "INSERT INTO t VALUES ('x')")
	if err := f.e.Close(); err != nil {
		t.Fatal(err)
	}
	// without the backend the database stays stopped and spawn says why
	bare, err := engine.Open(engine.Config{DataDir: f.dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if in, _ := bare.Get(context.Background(), "keep"); in.Status != engine.StatusStopped {
		t.Fatalf("without the backend: %+v", in)
	}
	_, _, err = bare.Spawn(context.Background(), "keep", "")
	var bad *engine.BadInputError
	if !errors.As(err, &bad) || !strings.Contains(bad.Msg, `Unsupported backend "postgres"`) {
		t.Fatalf("spawn without the backend: %v", err)
	}
	if _, err := bare.Exec(context.Background(), "keep", engine.Query{SQL: "SELECT 1"}); !errors.Is(err, engine.ErrStopped) {
		t.Fatalf("exec without the backend: %v", err)
	}
	bare.Close()
	e, err := engine.Open(engine.Config{DataDir: f.dir, SampleInterval: time.Hour, Backends: []engine.Backend{f.b}})
	if err != nil {
		t.Fatal(err)
	}
	f.e = e // the fixture's cleanup drops it
	in, err := e.Get(context.Background(), "keep")
	if err != nil || in.Status != engine.StatusRunning || in.Backend != engine.BackendPostgres {
		t.Fatalf("after reopen: %+v, %v", in, err)
	}
	if v := f.exec("keep", "SELECT v FROM t").Rows[0][0]; v != "x" {
		t.Fatalf("v = %v", v)
	}
}

func TestMK1TableRoutes(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("mk1")
	ctx := context.Background()
	err := f.e.CreateTable(ctx, "mk1", "user's table", []engine.ColumnDef{
		{Name: "id", Type: "INTEGER", PrimaryKey: true},
		{Name: "Name", Type: "TEXT", NotNull: true},
		{Name: "active", Type: "BOOLEAN", Default: true, HasDefault: true},
		{Name: "note", Type: "TEXT", Default: "it's", HasDefault: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.e.InsertRows(ctx, "mk1", "user's table", []map[string]any{{"Name": "ann"}, {"Name": "bob"}})
	if err != nil || n != 2 {
		t.Fatalf("InsertRows = %d, %v", n, err)
	}
	res, err := f.e.SelectRows(ctx, "mk1", "user's table", map[string]string{"id": "2"}, 0, 0)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != int64(2) || res.Rows[0][1] != "bob" || res.Rows[0][2] != true || res.Rows[0][3] != "it's" {
		t.Fatalf("SelectRows = %+v, %v", res, err)
	}
	// two filters, each bound to its own column ($1 "Name", $2 "id")
	res, err = f.e.SelectRows(ctx, "mk1", "user's table", map[string]string{"id": "2", "Name": "bob"}, 0, 0)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != int64(2) {
		t.Fatalf("SelectRows(id=2, Name=bob) = %+v, %v", res, err)
	}
	if res, err = f.e.SelectRows(ctx, "mk1", "user's table", map[string]string{"id": "2", "Name": "ann"}, 0, 0); err != nil || len(res.Rows) != 0 {
		t.Fatalf("SelectRows(id=2, Name=ann) = %+v, %v", res, err)
	}
	res, err = f.e.SelectRows(ctx, "mk1", "user's table", nil, 1, 1)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][1] != "bob" || res.HasMore {
		t.Fatalf("window = %+v, %v", res, err)
	}
	_, err = f.e.SelectRows(ctx, "mk1", "user's table", map[string]string{"nope": "1"}, 0, 0)
	var bad *engine.BadInputError
	if !errors.As(err, &bad) || !strings.Contains(bad.Msg, "Unknown column 'nope'") {
		t.Fatalf("unknown column: %v", err)
	}
	// all or nothing
	_, err = f.e.InsertRows(ctx, "mk1", "user's table", []map[string]any{{"Name": "c"}, {"Name": nil}})
	wantSQLError(t, err, "null value")
	if res, _ := f.e.SelectRows(ctx, "mk1", "user's table", nil, 0, 0); len(res.Rows) != 2 {
		t.Fatalf("a failed insert left %d rows", len(res.Rows))
	}
}

// A tenant may change its own role's password; the gateway's pools keep
// working and the next spawn sets it again.
func TestOwnPasswordChangeIsUndoneBySpawn(t *testing.T) {
	f := newFixture(t, nil)
	n := mustNames(t, f.spawn("pw"))
	f.exec("pw", "ALTER ROLE CURRENT_USER PASSWORD 'mine-now'")
	if _, err := f.connectAs(n.owner, n.db); err == nil {
		t.Fatal("the derived password still works after the change")
	}
	if _, err := f.e.Prune(context.Background(), "pw"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.e.Spawn(context.Background(), "pw", ""); err != nil {
		t.Fatal(err)
	}
	f.exec("pw", "SELECT 1")
	conn, err := f.connectAs(n.owner, n.db)
	if err != nil {
		t.Fatalf("after spawn: %v", err)
	}
	conn.Close(context.Background())
}

// An idle PostgreSQL database is pruned like a SQLite one: it stops
// accepting sessions on the server, and its data stays.
func TestIdlePrunePostgres(t *testing.T) {
	f := newFixture(t, func(c *engine.Config) { c.IdlePrune = time.Second })
	n := mustNames(t, f.spawn("idle"))
	f.exec("idle", "CREATE TABLE t AS SELECT 1 AS v")
	deadline := time.Now().Add(10 * time.Second)
	for {
		in, err := f.e.Get(context.Background(), "idle")
		if err != nil {
			t.Fatal(err)
		}
		if in.Status == engine.StatusStopped {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not pruned")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var allow bool
	f.admin("postgres", "SELECT datallowconn FROM pg_database WHERE datname = $1", n.db).Scan(&allow)
	if allow {
		t.Fatal("the server still accepts sessions to a pruned database")
	}
	if _, _, err := f.e.Spawn(context.Background(), "idle", ""); err != nil {
		t.Fatal(err)
	}
	if v := f.exec("idle", "SELECT v FROM t").Rows[0][0]; v != int64(1) {
		t.Fatalf("v = %v", v)
	}
}

// TestImportsRefusedPastQuota: a CSV or SQL import that starts under the
// quota but grows the database past it is rolled back whole before
// COMMIT (a check at the start only would have let it through), and a
// small import still passes.
func TestImportsRefusedPastQuota(t *testing.T) {
	f2 := newQuotaFixture(t, "iq")
	ctx := context.Background()
	if _, err := f2.e.ImportCSV(ctx, "iq", "t", strings.NewReader("v\nsmall\n"), engine.CSVOptions{Header: true}); err != nil {
		t.Fatalf("a small import: %v", err)
	}
	var csv strings.Builder
	csv.WriteString("v\n")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&csv, "%d%s\n", i, strings.Repeat("x", 500))
	}
	if _, err := f2.e.ImportCSV(ctx, "iq", "t", strings.NewReader(csv.String()), engine.CSVOptions{Header: true}); !errors.Is(err, engine.ErrQuotaExceeded) {
		t.Fatalf("CSV import past the quota: %v, want ErrQuotaExceeded", err)
	}
	script := "INSERT INTO t SELECT g || repeat('y', 500) FROM generate_series(1, 10000) g; CREATE TABLE made (x int);"
	if _, err := f2.e.ImportSQL(ctx, "iq", script); !errors.Is(err, engine.ErrQuotaExceeded) {
		t.Fatalf("SQL import past the quota: %v, want ErrQuotaExceeded", err)
	}
	res := f2.exec("iq", "SELECT count(*) AS n, to_regclass('made') IS NULL AS gone FROM t")
	if got := fmt.Sprint(res.Rows[0]); got != "[1 true]" {
		t.Fatalf("after the refused imports: %s, want only the small import's row and no table made", got)
	}
}

// TestImportStatementTimeoutIsTheTransferTimeout: an import's statements
// run under statement_timeout = the transfer timeout, not the (shorter)
// query timeout nor none at all.
func TestImportStatementTimeoutIsTheTransferTimeout(t *testing.T) {
	f := newFixture(t, func(c *engine.Config) {
		c.QueryTimeout = time.Second
		c.TransferTimeout = 7 * time.Second
	})
	f.spawn("st")
	if _, err := f.e.ImportSQL(context.Background(), "st", "CREATE TABLE seen AS SELECT current_setting('statement_timeout') AS v;"); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(f.exec("st", "SELECT v FROM seen").Rows[0]); got != "[7s]" {
		t.Fatalf("statement_timeout inside an import = %s, want [7s]", got)
	}
}

// TestForkOfPrunedDatabaseLeavesNothing: a fork of a pruned PostgreSQL
// database is refused as its other calls are, and leaves no database (nor
// roles) behind; spawned again, it forks, and the copy is independent.
func TestForkOfPrunedDatabaseLeavesNothing(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("src")
	f.exec("src", "CREATE TABLE t AS SELECT g AS n FROM generate_series(1, 100) g")
	ctx := context.Background()
	count := f.dbforgeDatabases
	before := count()
	if _, err := f.e.Prune(ctx, "src"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.e.Fork(ctx, "src", "copy", ""); !errors.Is(err, engine.ErrStopped) {
		t.Fatalf("fork of a pruned database: %v, want ErrStopped", err)
	}
	if _, err := f.e.Get(ctx, "copy"); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("the refused fork left a catalog entry: %v", err)
	}
	if n := count(); n != before {
		t.Fatalf("PostgreSQL databases %d after the refused fork, %d before", n, before)
	}
	if _, _, err := f.e.Spawn(ctx, "src", engine.BackendPostgres); err != nil {
		t.Fatal(err)
	}
	fk, err := f.e.Fork(ctx, "src", "copy", "")
	if err != nil || fk.Backend != engine.BackendPostgres {
		t.Fatalf("fork: %+v, %v", fk, err)
	}
	f.exec("copy", "DELETE FROM t")
	if got := fmt.Sprint(f.exec("src", "SELECT count(*) FROM t").Rows[0]); got != "[100]" {
		t.Fatalf("the source after a delete in its fork: %s", got)
	}
}

// TestSQLDumpRestoresThroughImport: the SQL dump, taken as the read-only
// role, holds a schema of the tenant's own, identity and serial columns,
// a view, a function with a dollar-quoted body holding a semicolon and
// text with a line starting in a backslash, and the SQL import rebuilds
// all of it in an empty database.
func TestSQLDumpRestoresThroughImport(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("src")
	ctx := context.Background()
	if _, err := f.e.ImportSQL(ctx, "src", `CREATE SCHEMA app;
CREATE TABLE app.items (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, note text);
CREATE TABLE plain (id serial PRIMARY KEY, v text);
INSERT INTO app.items (note) VALUES (E'a\n\\restrict x\n;'), ('b');
INSERT INTO plain (v) VALUES ('p');
CREATE VIEW app.notes AS SELECT note FROM app.items;
CREATE FUNCTION app.twice(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x * 2; END $$;`); err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	if _, err := f.e.DumpSQL(ctx, "src", &dump); err != nil {
		t.Fatal(err)
	}
	f.spawn("dst")
	if _, err := f.e.ImportSQL(ctx, "dst", dump.String()); err != nil {
		t.Fatalf("import of the dump: %v\n%s", err, dump.String())
	}
	const check = "SELECT (SELECT string_agg(note, '|' ORDER BY id) FROM app.items) || ' ' || (SELECT count(*) FROM app.notes) || ' ' || app.twice(21) || ' ' || nextval('plain_id_seq')"
	want := fmt.Sprint(f.exec("src", check).Rows[0])
	if got := fmt.Sprint(f.exec("dst", check).Rows[0]); got != want || !strings.Contains(got, "\\restrict x") {
		t.Fatalf("restored %s, source %s", got, want)
	}
}

// TestForkPastTheQuotaIsDeleted: a fork whose copy is larger than the
// size quota is refused and the copy dropped from the server and the
// catalog. The source was filled by an engine without a quota, then the
// engine reopened with one.
func TestForkPastTheQuotaIsDeleted(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("big")
	f.exec("big", "CREATE TABLE t AS SELECT g AS n, repeat('x', 500) AS pad FROM generate_series(1, 20000) g")
	if err := f.e.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, err := engine.Open(engine.Config{DataDir: f.dir, SampleInterval: time.Hour, Backends: []engine.Backend{f.b}, MaxDBSizeBytes: 9 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.Delete(ctx, "big")
		e.Close()
	})
	count := f.dbforgeDatabases
	before := count()
	if _, err := e.Fork(ctx, "big", "big-copy", ""); !errors.Is(err, engine.ErrQuotaExceeded) {
		t.Fatalf("fork past the quota: %v, want ErrQuotaExceeded", err)
	}
	if _, err := e.Get(ctx, "big-copy"); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("the oversized fork is still in the catalog: %v", err)
	}
	if n := count(); n != before {
		t.Fatalf("PostgreSQL databases %d after the oversized fork, %d before", n, before)
	}
}
