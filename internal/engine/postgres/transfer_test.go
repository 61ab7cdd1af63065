package postgres

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/pgtest"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// testDB is a fresh database owned by its own unprivileged login role,
// as the backend creates them, with a pool connected as that role.
type testDB struct {
	pool *pgxpool.Pool
	dsn  string // the owner's DSN
	name string
}

func newTestDB(t testing.TB, c *pgtest.Cluster) *testDB {
	t.Helper()
	ctx := context.Background()
	id := randomID()
	db, role, pw := "dbforge_"+id, "dbforge_"+id+"_owner", randomID()
	admin, err := pgx.Connect(ctx, c.AdminDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{
		"CREATE ROLE " + role + " LOGIN PASSWORD '" + pw + "' NOSUPERUSER NOCREATEDB NOCREATEROLE",
		"CREATE DATABASE " + db + " OWNER " + role,
		"REVOKE CONNECT ON DATABASE " + db + " FROM PUBLIC",
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	dsn := c.DSN(role, pw, db)
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return &testDB{pool: pool, dsn: dsn, name: db}
}

func randomID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (d *testDB) exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	if _, err := d.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func (d *testDB) count(t testing.TB, table string) int64 {
	t.Helper()
	var n int64
	if err := d.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+sqltext.QuoteIdent(table)).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func (d *testDB) exists(t testing.TB, table string) bool {
	t.Helper()
	var ok bool
	if err := d.pool.QueryRow(context.Background(), "SELECT to_regclass($1) IS NOT NULL", sqltext.QuoteIdent(table)).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

func csvOf(t testing.TB, d *testDB, table string, null string) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := exportCSV(context.Background(), d.pool, table, &b, engine.CSVExportOptions{Null: null}); err != nil {
		t.Fatalf("exportCSV %s: %v", table, err)
	}
	return b.String()
}

// sameRows fails unless a and b hold the same multiset of rows.
func sameRows(t testing.TB, d *testDB, a, b string) {
	t.Helper()
	var diff int64
	q := fmt.Sprintf(`SELECT count(*) FROM ((TABLE %[1]s EXCEPT ALL TABLE %[2]s) UNION ALL (TABLE %[2]s EXCEPT ALL TABLE %[1]s)) x`, sqltext.QuoteIdent(a), sqltext.QuoteIdent(b))
	if err := d.pool.QueryRow(context.Background(), q).Scan(&diff); err != nil {
		t.Fatal(err)
	}
	if diff != 0 {
		t.Fatalf("%s and %s differ in %d rows", a, b, diff)
	}
}

func TestTransfers(t *testing.T) {
	c := pgtest.Start(t)
	ctx := context.Background()

	// The same table in SQLite and PostgreSQL exports to the same bytes.
	t.Run("CSVExportMatchesSQLite", func(t *testing.T) {
		rows := []string{
			`(1, 'plain', 'a,b', 6363.0, x'00ff10')`,
			`(2, '', NULL, 0.5, NULL)`,
			`(3, 'q"uote', 'crlf' || char(13) || char(10) || 'in', -2.25, x'')`,
			`(4, 'lf' || char(10) || 'in cr' || char(13) || 'x', '\N', 1e-7, x'deadbeef')`,
			`(5, '👩‍💻 می‌خواهم', ' lead', 12345.0, NULL)`,
			`(-9223372036854775808, 'NULL', '"', 100.125, x'41')`,
			`(6, '', '', 1e6, NULL)`, `(7, '', '', -1234567.5, NULL)`, `(8, '', '', 98765432109876.0, NULL)`,
			`(9, '', '', 1e15, NULL)`, `(10, '', '', 123456.0, NULL)`, `(11, '', '', 1e-5, NULL)`, `(12, '', '', 0.0001, NULL)`,
			`(13, '', '', 1.5e300, NULL)`, `(14, '', '', -0.0, NULL)`, `(15, '', '', 999999.99, NULL)`, `(16, '', '', 1e21, NULL)`,
		}
		e, err := engine.Open(engine.Config{DataDir: t.TempDir(), SampleInterval: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		if _, _, err := e.Spawn(ctx, "d", ""); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`CREATE TABLE t (id INTEGER, name TEXT, note TEXT, price REAL, data BLOB)`,
			`INSERT INTO t VALUES ` + strings.Join(rows, ", "),
		} {
			if _, err := e.Exec(ctx, "d", engine.Query{SQL: q}); err != nil {
				t.Fatal(err)
			}
		}
		d := newTestDB(t, c)
		d.exec(t, `CREATE TABLE t (id bigint, name text, note text, price double precision, data bytea)`)
		pgRows := strings.NewReplacer("char(13)", "chr(13)", "char(10)", "chr(10)", "x'00ff10'", `'\x00ff10'::bytea`,
			"x''", `''::bytea`, "x'deadbeef'", `'\xdeadbeef'::bytea`, "x'41'", `'\x41'::bytea`).Replace(strings.Join(rows, ", "))
		d.exec(t, `INSERT INTO t VALUES `+pgRows)
		for _, null := range []string{"", `\N`, "NULL"} {
			var lite bytes.Buffer
			if _, err := e.ExportCSVWith(ctx, "d", "t", &lite, engine.CSVExportOptions{Null: null}); err != nil {
				t.Fatal(err)
			}
			if got := csvOf(t, d, "t", null); got != lite.String() {
				t.Errorf("null %q:\npostgres %q\nsqlite   %q", null, got, lite.String())
			}
		}
	})

	// Export → import → export gives the same rows and the same bytes,
	// for every kind of value.
	t.Run("CSVRoundTrip", func(t *testing.T) {
		d := newTestDB(t, c)
		d.exec(t, `CREATE TABLE src (i8 bigint, i2 smallint, n numeric, f float8, r real, b boolean, by bytea, s text,
			ts timestamptz, dt date, j jsonb, arr int[], tarr text[], u uuid, iv interval)`)
		d.exec(t, `INSERT INTO src VALUES
			(9223372036854775807, -32768, 12345678901234567890.000000001, 1e300, 0.1, true, '\x00ff0d0a22', 'a,"b"'||chr(13)||chr(10)||'c', '2024-02-29 12:34:56.789+00', '2024-02-29', '{"k": [1, "x\n"]}', '{1,NULL,3}', '{"a,b","q\"",NULL}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 day 02:03:04'),
			(-9223372036854775808, 0, -0.5, 'NaN', '-Infinity', false, '', '', NULL, NULL, 'null', '{}', '{}', NULL, NULL),
			(NULL, NULL, NULL, 'Infinity', -0, NULL, NULL, NULL, 'infinity', NULL, NULL, NULL, NULL, NULL, NULL),
			(0, 1, 0, 1, 2.5, true, '\x', '\N', NULL, NULL, '[]', NULL, '{""}', NULL, '-1 mons'),
			(1, 2, 3, 1e6, 1234567, false, '\x5c2e', 'a'||chr(10)||'\.'||chr(10)||'b', NULL, NULL, '"\\."', NULL, '{"\\."}', NULL, NULL)`)
		d.exec(t, `CREATE TABLE dst (LIKE src)`)
		for _, null := range []string{"", `\N`} {
			d.exec(t, `TRUNCATE dst`)
			first := csvOf(t, d, "src", null)
			res, err := importCSV(ctx, d.pool, importGuard{}, "dst", strings.NewReader(first), engine.CSVOptions{Header: true, Null: null})
			if err != nil {
				t.Fatalf("null %q: import: %v\n%s", null, err, first)
			}
			if res.Rows != 5 || res.Created || len(res.Columns) != 15 || res.Columns[0] != (engine.Column{Name: "i8", Type: "bigint"}) {
				t.Fatalf("result %+v", res)
			}
			sameRows(t, d, "src", "dst")
			if second := csvOf(t, d, "dst", null); second != first {
				t.Fatalf("null %q: second export differs:\n%q\n%q", null, first, second)
			}
		}
		// a query's CSV has the bytes of the table's
		var q bytes.Buffer
		if _, err := exportQuery(ctx, d.pool, "SELECT * FROM src", nil, engine.ExportCSV, &q); err != nil {
			t.Fatal(err)
		}
		if table := csvOf(t, d, "src", ""); q.String() != table {
			t.Fatalf("query CSV:\n%q\ntable CSV:\n%q", q.String(), table)
		}
	})

	t.Run("JSONShapes", func(t *testing.T) {
		d := newTestDB(t, c)
		// the database's own defaults do not change what exports write
		d.exec(t, `ALTER DATABASE `+d.name+` SET bytea_output = 'escape'`)
		d.exec(t, `ALTER DATABASE `+d.name+` SET extra_float_digits = -15`)
		d.exec(t, `ALTER DATABASE `+d.name+` SET DateStyle = 'SQL, DMY'`)
		d.pool.Reset()
		d.exec(t, `CREATE TABLE t (id bigint, n numeric, f float8, ok boolean, by bytea, s text, ts timestamp, j json, arr int[], nul text)`)
		d.exec(t, `INSERT INTO t VALUES (9007199254740993, 1.10, 2, true, '\x00ff', 'x"<y>'||chr(10), '2024-01-02 03:04:05', '{"a" : [1, 2]}', '{1,2}', NULL),
			(-1, -0.0, 'NaN', false, '', '', NULL, 'null', '{}', NULL)`)
		row1 := `{"id":9007199254740993,"n":"1.10","f":2.0,"ok":true,"by":{"$blob":"AP8="},"s":"x\"<y>\n","ts":"2024-01-02 03:04:05","j":{"a":[1,2]},"arr":[1,2],"nul":null}`
		row2 := `{"id":-1,"n":"0.0","f":null,"ok":false,"by":{"$blob":""},"s":"","ts":null,"j":null,"arr":[],"nul":null}`
		for _, c := range []struct {
			ndjson bool
			want   string
		}{
			{false, "[\n" + row1 + ",\n" + row2 + "\n]\n"},
			{true, row1 + "\n" + row2 + "\n"},
		} {
			var b bytes.Buffer
			n, err := exportJSON(ctx, d.pool, "t", c.ndjson, &b)
			if err != nil || n != 2 {
				t.Fatalf("n=%d err=%v", n, err)
			}
			got := strings.ReplaceAll(b.String(), `\u003c`, "<")
			got = strings.ReplaceAll(got, `\u003e`, ">")
			if got != c.want {
				t.Errorf("ndjson=%v:\ngot  %s\nwant %s", c.ndjson, got, c.want)
			}
		}
		var b bytes.Buffer
		if n, err := exportJSON(ctx, d.pool, "missing", false, &b); err == nil || b.Len() != 0 || n != 0 {
			t.Errorf("missing table: n=%d err=%v out=%q", n, err, b.String())
		}
	})

	t.Run("ExportQuery", func(t *testing.T) {
		d := newTestDB(t, c)
		d.exec(t, `CREATE TABLE t (id bigint, name text, tags text[], by bytea)`)
		d.exec(t, `INSERT INTO t VALUES (1, 'a', '{x,y}', '\x01'), (2, NULL, NULL, NULL), (3, 'c,d', '{}', '\x')`)
		q := `SELECT id, name, tags, by FROM t WHERE id >= $1 ORDER BY id`
		want := map[string]string{
			engine.ExportCSV:    "id,name,tags,by\r\n2,,,\r\n3,\"c,d\",{},\"\"\r\n", // arrays as COPY writes them
			engine.ExportNDJSON: `{"id":2,"name":null,"tags":null,"by":null}` + "\n" + `{"id":3,"name":"c,d","tags":[],"by":{"$blob":""}}` + "\n",
			engine.ExportJSON:   "[\n" + `{"id":2,"name":null,"tags":null,"by":null}` + ",\n" + `{"id":3,"name":"c,d","tags":[],"by":{"$blob":""}}` + "\n]\n",
		}
		for format, w := range want {
			var b bytes.Buffer
			n, err := exportQuery(ctx, d.pool, q, []any{2}, format, &b)
			if err != nil || n != 2 || b.String() != w {
				t.Errorf("%s: n=%d err=%v\n%q\nwant %q", format, n, err, b.String(), w)
			}
		}
		var b bytes.Buffer
		if _, err := exportQuery(ctx, d.pool, `DELETE FROM t RETURNING id`, nil, engine.ExportCSV, &b); !errors.Is(err, engine.ErrReadOnly) {
			t.Errorf("a writing statement: %v", err)
		}
		if d.count(t, "t") != 3 {
			t.Error("the export deleted rows")
		}
		if _, err := exportQuery(ctx, d.pool, `CREATE TEMP TABLE x (a int)`, nil, engine.ExportCSV, &b); err == nil {
			t.Error("a statement without rows was exported")
		}
		if _, err := exportQuery(ctx, d.pool, `SELECT 1`, nil, "xml", &b); err == nil || b.Len() != 0 {
			t.Errorf("unknown format: %v", err)
		}
	})

	// A row COPY refuses, a malformed record or a body that breaks off
	// leaves nothing behind, and the error names the CSV line.
	t.Run("BrokenLineRollsBack", func(t *testing.T) {
		d := newTestDB(t, c)
		d.exec(t, `CREATE TABLE t (id bigint PRIMARY KEY, note text)`)
		d.exec(t, `INSERT INTO t VALUES (1, 'kept')`)
		var many strings.Builder
		many.WriteString("id,note\r\n")
		for i := 2; i < 3000; i++ {
			fmt.Fprintf(&many, "%d,row %d\r\n", i, i)
		}
		cases := []struct {
			name, csv, want string
		}{
			{"bad integer after a multi-line record", "id,note\n2,\"two\nlines\"\n\n3,x\nfour,y\n5,z\n", "CSV line 6"},
			{"duplicate key", "id,note\n2,a\n1,dup\n", "CSV line 3"},
			{"past the sample", many.String() + "3000,ok\r\n2999,dup\r\n", "CSV line 3001"},
			{"bare quote", "id,note\n2,a\"b\n", "CSV line 2, column 4"},
			{"wrong width", "id,note\n2,a\n3\n", "CSV line 3: wrong number of fields"},
		}
		for _, tc := range cases {
			_, err := importCSV(ctx, d.pool, importGuard{}, "t", strings.NewReader(tc.csv), engine.CSVOptions{Header: true})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: err %v, want %q", tc.name, err, tc.want)
			}
			if n := d.count(t, "t"); n != 1 {
				t.Fatalf("%s: %d rows after a failed import", tc.name, n)
			}
		}
		// a body that breaks off after many rows
		body := io.MultiReader(strings.NewReader(many.String()), errReader{errors.New("connection reset")})
		_, err := importCSV(ctx, d.pool, importGuard{}, "t", body, engine.CSVOptions{Header: true})
		var re *engine.ReadError
		if !errors.As(err, &re) || d.count(t, "t") != 1 {
			t.Fatalf("broken body: %v, %d rows", err, d.count(t, "t"))
		}
		// a body slower than the transfer's deadline
		tctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		_, err = importCSV(tctx, d.pool, importGuard{}, "slow", &slowReader{rows: &rowsReader{n: 1_000_000}}, engine.CSVOptions{Create: true})
		cancel()
		if !errors.Is(err, engine.ErrTimeout) || d.exists(t, "slow") {
			t.Fatalf("slow body: %v, table left: %v", err, d.exists(t, "slow"))
		}
		// a created table goes with the failed import
		// (typed bigint from the first 1000 rows, then a text value)
		var typed strings.Builder
		typed.WriteString("a,b\n")
		for i := range engine.CSVSampleRows {
			fmt.Fprintf(&typed, "%d,x\n", i)
		}
		typed.WriteString("z,w\n")
		_, err = importCSV(ctx, d.pool, importGuard{}, "fresh", strings.NewReader(typed.String()), engine.CSVOptions{Header: true, Create: true})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("CSV line %d", engine.CSVSampleRows+2)) || d.exists(t, "fresh") {
			t.Fatalf("failed create import: %v, exists=%v", err, d.exists(t, "fresh"))
		}
	})

	t.Run("ImportOptions", func(t *testing.T) {
		d := newTestDB(t, c)
		res, err := importCSV(ctx, d.pool, importGuard{}, "made", strings.NewReader("1;2.5;007\n-3;1e3;\\N\n"), engine.CSVOptions{Create: true, Delimiter: ';', Null: `\N`})
		if err != nil {
			t.Fatal(err)
		}
		want := []engine.Column{{Name: "c1", Type: "bigint"}, {Name: "c2", Type: "double precision"}, {Name: "c3", Type: "text"}}
		if !res.Created || res.Rows != 2 || fmt.Sprint(res.Columns) != fmt.Sprint(want) {
			t.Fatalf("created: %+v", res)
		}
		if res, err := importCSV(ctx, d.pool, importGuard{}, "headeronly", strings.NewReader("a,b\r\n"), engine.CSVOptions{Header: true, Create: true}); err != nil || !res.Created || res.Rows != 0 || res.Columns[1] != (engine.Column{Name: "b", Type: "text"}) {
			t.Fatalf("header only: %+v %v", res, err)
		}
		if got := csvOf(t, d, "made", ""); got != "c1,c2,c3\r\n1,2.5,007\r\n-3,1000.0,\r\n" {
			t.Fatalf("made: %q", got)
		}
		// header: a subset of the columns, any case, a BOM
		d.exec(t, `CREATE TABLE "Mixed" (id bigint, "Name" text, extra text DEFAULT 'd', g bigint GENERATED ALWAYS AS (id * 2) STORED)`)
		res, err = importCSV(ctx, d.pool, importGuard{}, "Mixed", strings.NewReader("\uFEFFNAME,ID\n\"\",1\n,2\n"), engine.CSVOptions{Header: true})
		if err != nil || res.Rows != 2 || res.Columns[0].Name != "Name" {
			t.Fatalf("header import: %+v %v", res, err)
		}
		if got := csvOf(t, d, "Mixed", ""); got != "id,Name,extra,g\r\n1,\"\",d,2\r\n2,,d,4\r\n" {
			t.Fatalf("Mixed: %q", got)
		}
		for _, bad := range []struct {
			csv  string
			opt  engine.CSVOptions
			want string
		}{
			{"nope,ID\n1,2\n", engine.CSVOptions{Header: true}, "has no column 'nope'"},
			{"1,2\n", engine.CSVOptions{}, "has 3 columns"},
			{"", engine.CSVOptions{Header: true}, "empty"},
			{"1\n", engine.CSVOptions{Delimiter: '"'}, "Invalid delimiter"},
			{"a\n", engine.CSVOptions{Null: `"`}, "Invalid null"},
		} {
			if _, err := importCSV(ctx, d.pool, importGuard{}, "Mixed", strings.NewReader(bad.csv), bad.opt); err == nil || !strings.Contains(err.Error(), bad.want) {
				t.Errorf("%q: %v, want %q", bad.csv, err, bad.want)
			}
		}
		if _, err := importCSV(ctx, d.pool, importGuard{}, "absent", strings.NewReader("a\n1\n"), engine.CSVOptions{Header: true}); err == nil || !strings.Contains(err.Error(), "create=true") {
			t.Errorf("absent table: %v", err)
		}
	})

	// Table names are data, never SQL: a name that tries to break out of
	// its quotes names a table (that does not exist, or is created with
	// exactly that name); a name PostgreSQL would truncate onto another
	// table, or with control characters, is refused.
	t.Run("InjectionInTableNames", func(t *testing.T) {
		d := newTestDB(t, c)
		d.exec(t, `CREATE TABLE victim (a int)`)
		d.exec(t, `INSERT INTO victim VALUES (1)`)
		long63 := strings.Repeat("x", 63)
		d.exec(t, `CREATE TABLE `+long63+` (a int)`)
		evil := []string{`victim"; DROP TABLE victim; --`, `victim" (a) FROM PROGRAM 'id'; --`, `x") TO STDOUT; DROP TABLE victim; --`, `pg_catalog"."pg_authid`}
		for _, name := range evil {
			var b bytes.Buffer
			if _, err := exportCSV(ctx, d.pool, name, &b, engine.CSVExportOptions{}); err == nil || !strings.Contains(err.Error(), "no such table") {
				t.Errorf("export %q: %v", name, err)
			}
			if _, err := exportJSON(ctx, d.pool, name, true, &b); err == nil {
				t.Errorf("export json %q accepted", name)
			}
			if _, err := importCSV(ctx, d.pool, importGuard{}, name, strings.NewReader("a\n1\n"), engine.CSVOptions{Header: true}); err == nil {
				t.Errorf("import %q accepted", name)
			}
		}
		// with create the name is just a name
		name := evil[0]
		if _, err := importCSV(ctx, d.pool, importGuard{}, name, strings.NewReader("a\n1\n"), engine.CSVOptions{Header: true, Create: true}); err != nil {
			t.Fatal(err)
		}
		if !d.exists(t, name) || d.count(t, "victim") != 1 {
			t.Fatal("the table name ran as SQL")
		}
		for _, name := range []string{long63 + "y", "a\x00b", "a\nb", ""} {
			if _, err := importCSV(ctx, d.pool, importGuard{}, name, strings.NewReader("a\n1\n"), engine.CSVOptions{Header: true, Create: true}); !errors.Is(err, engine.ErrInvalidIdentifier) {
				t.Errorf("import into %q: %v", name, err)
			}
			var b bytes.Buffer
			if _, err := exportCSV(ctx, d.pool, name, &b, engine.CSVExportOptions{}); !errors.Is(err, engine.ErrInvalidIdentifier) {
				t.Errorf("export of %q: %v", name, err)
			}
		}
		if d.count(t, long63) != 0 {
			t.Fatal("a truncated name wrote into another table")
		}
		// a header column name is data too
		if _, err := importCSV(ctx, d.pool, importGuard{}, "cols", strings.NewReader("\"a\"\"); DROP TABLE victim; --\"\n1\n"), engine.CSVOptions{Header: true, Create: true}); err != nil {
			t.Fatal(err)
		}
		if d.count(t, "victim") != 1 {
			t.Fatal("victim changed")
		}
	})

	t.Run("ImportSQL", func(t *testing.T) {
		d := newTestDB(t, c)
		script := `-- a dump-like script
BEGIN;
CREATE TABLE a (id int PRIMARY KEY, note text);
INSERT INTO a VALUES (1, 'semi;colon'), (2, $$dollar ; quoted$$), (3, E'esc\';still');
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;
CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;
UPDATE a SET note = note || '!' WHERE id > 1;
COMMIT;
`
		res, err := importSQL(ctx, d.pool, importGuard{}, script)
		if err != nil {
			t.Fatal(err)
		}
		if res.Statements != 5 || res.RowsAffected != 5 {
			t.Fatalf("result %+v", res)
		}
		var note string
		d.pool.QueryRow(ctx, `SELECT note || f() || g() FROM a WHERE id = 3`).Scan(&note)
		if note != "esc';still!12" {
			t.Fatalf("note %q", note)
		}
		if res, err := importSQL(ctx, d.pool, importGuard{}, "BEGIN; COMMIT; -- nothing else\n;"); err != nil || res.Statements != 0 {
			t.Fatalf("an empty transaction: %+v %v", res, err)
		}
		// a database default of standard_conforming_strings = off cannot
		// make a COMMIT inside a string run
		d.exec(t, `ALTER DATABASE `+d.name+` SET standard_conforming_strings = off`)
		d.pool.Reset()
		res, err = importSQL(ctx, d.pool, importGuard{}, `CREATE TABLE leak (a int); SELECT 'x\'' ; COMMIT; SELECT 1/0; --'`)
		if err != nil || res.Statements != 2 {
			t.Fatalf("backslash in a string: %+v %v", res, err)
		}
		d.exec(t, `ALTER DATABASE `+d.name+` RESET standard_conforming_strings`)
		d.exec(t, `DROP TABLE leak`)
		d.pool.Reset()
		// a failing statement rolls back everything before it
		_, err = importSQL(ctx, d.pool, importGuard{}, "CREATE TABLE b (x int);\nINSERT INTO b VALUES (1);\n\nINSERT INTO a VALUES (1, 'dup');\nCREATE TABLE c (y int);")
		var se *engine.ScriptError
		if !errors.As(err, &se) || se.Index != 3 || se.Line != 4 || !strings.Contains(se.Error(), "duplicate key") {
			t.Fatalf("failing script: %#v", err)
		}
		if d.exists(t, "b") || d.exists(t, "c") {
			t.Fatal("a failed script left tables")
		}
		// a syntax error is found by position
		_, err = importSQL(ctx, d.pool, importGuard{}, "CREATE TABLE b (x int);\nSELECT 1;\nSELEC oops;")
		if !errors.As(err, &se) || se.Index != 3 || se.Line != 3 || d.exists(t, "b") {
			t.Fatalf("syntax error: %v", err)
		}
		tctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		_, err = importSQL(tctx, d.pool, importGuard{}, "CREATE TABLE slow (a int); SELECT pg_sleep(30);")
		cancel()
		if !errors.Is(err, engine.ErrTimeout) || d.exists(t, "slow") {
			t.Fatalf("a script past its deadline: %v", err)
		}
		for _, bad := range []string{"CREATE TABLE z (a int); COMMIT; CREATE TABLE y (a int)", "ROLLBACK", "BEGIN; SELECT 1", "COPY a FROM STDIN", "INSERT INTO a VALUES (9, 'x'); ABORT", ""} {
			if _, err := importSQL(ctx, d.pool, importGuard{}, bad); err == nil {
				t.Errorf("%q accepted", bad)
			}
		}
		if d.exists(t, "z") || d.count(t, "a") != 3 {
			t.Fatal("a refused script ran")
		}
	})
}

// The line map of records that span lines is bounded: past it an error
// names the record.
func TestCopySourceLineMapBounded(t *testing.T) {
	var csv strings.Builder
	records := maxLineMarks/2 + 10
	for i := range records {
		fmt.Fprintf(&csv, "%d,\"two\nlines\"\n", i)
	}
	src, err := engine.NewCSVReader(strings.NewReader(csv.String()), engine.CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cs := &copySource{src: src, bytea: []bool{false, false}}
	if _, err := io.Copy(io.Discard, cs); err != nil {
		t.Fatal(err)
	}
	if len(cs.lines) > maxLineMarks || cs.lost == 0 {
		t.Fatalf("%d marks, lost from %d", len(cs.lines), cs.lost)
	}
	if got := cs.line(1000); got != 1999 {
		t.Errorf("record 1000 at line %d, want 1999", got)
	}
	if got := cs.line(records); got != 0 {
		t.Errorf("last record at line %d, want unknown", got)
	}
}

// slowReader hands out its rows a little at a time.
type slowReader struct{ rows *rowsReader }

func (r *slowReader) Read(p []byte) (int, error) {
	time.Sleep(20 * time.Millisecond)
	return r.rows.Read(p[:min(len(p), 4096)])
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// rowsReader generates a CSV of n rows on the fly, so the test holds no
// copy of it.
type rowsReader struct {
	n, i int
	buf  []byte
}

func (r *rowsReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.i == r.n {
			return 0, io.EOF
		}
		for j := 0; j < 1000 && r.i < r.n; j++ {
			r.buf = fmt.Appendf(r.buf, "%d,item number %d with some padding text,%d.%02d\r\n", r.i, r.i, r.i%1000, r.i%100)
			r.i++
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// A million rows (about 60 MB of CSV) go through with the heap staying
// far below the size of the input: the import streams.
func TestImportCSVStreamsMillionRows(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	c := pgtest.Start(t)
	d := newTestDB(t, c)
	d.exec(t, `CREATE TABLE big (id bigint, name text, price numeric)`)
	const rows = 1_000_000
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	res, err := importCSV(context.Background(), d.pool, importGuard{}, "big", &rowsReader{n: rows}, engine.CSVOptions{})
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != rows || d.count(t, "big") != rows {
		t.Fatalf("imported %d rows", res.Rows)
	}
	grown := int64(peak.Load()) - int64(before.HeapInuse)
	t.Logf("heap in use grew by at most %d KiB", grown>>10)
	if grown > 24<<20 {
		t.Fatalf("heap grew by %d MiB for a 60 MB import: not streamed", grown>>20)
	}
}

// benchCSVFile writes the import benchmark's CSV (the shape of the SQLite
// import benchmark's: 5 columns, a quoted field with a comma) to a file.
func benchCSVFile(b *testing.B, rows int) (string, int64) {
	b.Helper()
	var buf bytes.Buffer
	buf.WriteString("id,name,price,qty,note\r\n")
	for i := range rows {
		fmt.Fprintf(&buf, "%d,item %d,%d.%02d,%d,\"a note, with a comma\"\r\n", i, i, i%1000, i%100, i%7)
	}
	path := b.TempDir() + "/bench.csv"
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return path, int64(buf.Len())
}

const benchRows = 100_000

func benchTable(b *testing.B) (*testDB, *pgtest.Cluster) {
	c := pgtest.Start(b)
	d := newTestDB(b, c)
	d.exec(b, `CREATE TABLE bench (id bigint, name text, price numeric, qty int, note text)`)
	return d, c
}

// BenchmarkImportCSVCopy is importCSV (csvio parsing, COPY FROM STDIN in
// one transaction) of 100,000 rows; BenchmarkImportCSVPsqlCopy is psql's
// \copy of the same file into the same table, for comparison.
func BenchmarkImportCSVCopy(b *testing.B) {
	d, _ := benchTable(b)
	path, size := benchCSVFile(b, benchRows)
	ctx := context.Background()
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		d.exec(b, `TRUNCATE bench`)
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		res, err := importCSV(ctx, d.pool, importGuard{}, "bench", f, engine.CSVOptions{Header: true})
		f.Close()
		if err != nil || res.Rows != benchRows {
			b.Fatalf("%+v %v", res, err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkImportCSVPsqlCopy(b *testing.B) {
	d, c := benchTable(b)
	path, size := benchCSVFile(b, benchRows)
	target, env, err := toolTarget(d.dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		d.exec(b, `TRUNCATE bench`)
		cmd := exec.Command(c.Bin("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--dbname="+target,
			"--command", `\copy bench FROM '`+path+`' WITH (FORMAT csv, HEADER true)`)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("psql: %v %s", err, out)
		}
	}
	b.StopTimer()
	if n := d.count(b, "bench"); n != benchRows {
		b.Fatalf("%d rows", n)
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
