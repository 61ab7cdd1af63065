package engine

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// richSchema exercises what a dump must carry: rowid aliases and plain
// rowids with gaps, AUTOINCREMENT, WITHOUT ROWID, generated columns, odd
// identifiers, every storage class and awkward values, indexes, views on
// views, triggers (one INSTEAD OF on a view), ANALYZE statistics and the
// user_version.
const richSchema = `
CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE child(id INTEGER PRIMARY KEY AUTOINCREMENT, parent_id INTEGER REFERENCES parent(id), v REAL, b BLOB, note TEXT, at DATETIME);
CREATE TABLE norowid(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE plain(a, b);
CREATE TABLE gen(a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL, c INTEGER GENERATED ALWAYS AS (a * 3) STORED);
CREATE TABLE "we""ird; name"("col one" TEXT, "x'y" INTEGER, rowid TEXT);
CREATE TABLE log(msg TEXT);
INSERT INTO child(parent_id, v, b, note, at) VALUES (NULL, 1.0, X'', 'placeholder', NULL);
INSERT INTO parent VALUES (1, 'one'), (2, 'it''s two'), (9223372036854775807, 'max');
INSERT INTO child(parent_id, v, b, note, at) VALUES
  (1, 6363.0, X'00FF10', 'line1' || char(10) || 'line2; still', '2024-01-02T03:04:05Z'),
  (2, 0.1, NULL, '', '2024-01-02 03:04:05'),
  (1, -1e-300, X'', 'ünïcødé ✓', 'not a date'),
  (NULL, 1e999, zeroblob(3), CAST(X'61FF62' AS TEXT), NULL),
  (2, -0.0, X'DEADBEEF', 'nul' || CAST(X'00' AS TEXT) || 'byte', 17);
DELETE FROM child WHERE id = 1;
INSERT INTO norowid VALUES ('k1', -9223372036854775808), ('k2', 2.5), ('k3', NULL);
INSERT INTO plain VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd');
DELETE FROM plain WHERE a IN (1, 3);
INSERT INTO gen(a) VALUES (1), (2), (NULL);
INSERT INTO "we""ird; name" VALUES ('q''uote', 5, 'text rowid');
CREATE INDEX child_parent ON child(parent_id, at);
CREATE UNIQUE INDEX plain_b ON plain(b) WHERE b IS NOT NULL;
CREATE VIEW v_child AS SELECT c.id, p.name FROM child c JOIN parent p ON p.id = c.parent_id;
CREATE VIEW v_names AS SELECT name FROM v_child;
CREATE TRIGGER parent_log AFTER INSERT ON parent BEGIN INSERT INTO log VALUES ('parent ' || new.name); END;
CREATE TRIGGER v_child_ins INSTEAD OF INSERT ON v_child BEGIN INSERT INTO parent(name) VALUES (new.name); SELECT 1; END;
INSERT INTO parent(name) VALUES ('via trigger');
ANALYZE;
PRAGMA user_version = 7;
`

// runScript runs a script through ImportSQL and fails the test on error.
func runScript(t *testing.T, e *Engine, db, script string) ScriptResult {
	t.Helper()
	res, err := e.ImportSQL(context.Background(), db, script)
	if err != nil {
		t.Fatalf("ImportSQL: %v", err)
	}
	return res
}

// dump returns the database's SQL dump.
func dump(t *testing.T, e *Engine, db string) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := e.DumpSQL(context.Background(), db, &b); err != nil {
		t.Fatalf("DumpSQL(%s): %v", db, err)
	}
	return b.String()
}

// schemaRows lists sqlite_schema without root pages, which differ between
// two files with the same schema.
func schemaRows(t *testing.T, e *Engine, db string) [][]any {
	t.Helper()
	return exec(t, e, db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").Rows
}

// tableContent reads every row of a table with each value's storage class,
// rowid first when the table has one, in rowid (or key) order. It reads
// through the engine's query path, independently of the dump code.
func tableContent(t *testing.T, e *Engine, db, table string) [][]any {
	t.Helper()
	cols := exec(t, e, db, "SELECT name FROM pragma_table_xinfo(?) WHERE hidden != 1", table).Rows
	var parts []string
	for _, c := range cols {
		q := sqltext.QuoteIdent(c[0].(string))
		parts = append(parts, "typeof("+q+")", "+"+q)
	}
	wr := exec(t, e, db, "SELECT wr FROM pragma_table_list WHERE name = ? AND schema = 'main'", table).Rows
	order := "1"
	if len(wr) == 1 && wr[0][0].(int64) == 0 {
		parts = append([]string{"_rowid_"}, parts...)
		order = "_rowid_"
	}
	res, err := e.Exec(context.Background(), db, Query{
		SQL:   fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", strings.Join(parts, ", "), sqltext.QuoteIdent(table), order),
		Limit: 100000,
	})
	if err != nil {
		t.Fatalf("read %s.%s: %v", db, table, err)
	}
	return res.Rows
}

// sameDatabase compares schema and every table row by row.
func sameDatabase(t *testing.T, e *Engine, a, b string) {
	t.Helper()
	sa, sb := schemaRows(t, e, a), schemaRows(t, e, b)
	if !reflect.DeepEqual(sa, sb) {
		t.Fatalf("schemas differ:\n%v\n%v", sa, sb)
	}
	tables := exec(t, e, a, "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'").Rows
	for _, r := range tables {
		name := r[0].(string)
		// sqlite_stat4 holds optimizer samples the dump leaves out (ANALYZE rebuilds them)
		if name == "sqlite_schema" || name == "sqlite_temp_schema" || name == "sqlite_stat4" {
			continue
		}
		ca, cb := tableContent(t, e, a, name), tableContent(t, e, b, name)
		if !reflect.DeepEqual(ca, cb) {
			t.Fatalf("table %s differs:\n%v\n%v", name, ca, cb)
		}
	}
	uva := exec(t, e, a, "PRAGMA user_version").Rows
	uvb := exec(t, e, b, "PRAGMA user_version").Rows
	if !reflect.DeepEqual(uva, uvb) {
		t.Fatalf("user_version %v vs %v", uva, uvb)
	}
}

func TestDumpReimportsIdentically(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "src")
	spawn(t, e, "dst")
	runScript(t, e, "src", richSchema)
	text := dump(t, e, "src")
	for _, want := range []string{
		"PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n",
		"PRAGMA user_version=7;",
		"X'00ff10'",
		"6363.0",
		"1e999",
		"CAST(X'61ff62' AS TEXT)",
		"'it''s two'",
		"INSERT INTO \"plain\"(rowid,\"a\",\"b\") VALUES(2,2,'b');",
		"INSERT INTO \"gen\"(rowid,\"a\") VALUES(1,1);",
		"DELETE FROM \"sqlite_sequence\";",
		"ANALYZE sqlite_schema;",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("dump lacks %q", want)
		}
	}
	if !strings.HasSuffix(text, "COMMIT;\n") {
		t.Errorf("dump does not end with COMMIT: %q", text[max(0, len(text)-40):])
	}
	// tables, then data, then indexes, views, triggers
	order := []string{"CREATE TABLE parent", "INSERT INTO \"parent\"", "CREATE INDEX child_parent", "CREATE VIEW v_child", "CREATE TRIGGER parent_log"}
	last := -1
	for _, s := range order {
		i := strings.Index(text, s)
		if i <= last {
			t.Fatalf("%q at %d, not after the previous part (%d)", s, i, last)
		}
		last = i
	}
	res := runScript(t, e, "dst", text)
	if res.Statements == 0 {
		t.Fatal("no statements run")
	}
	sameDatabase(t, e, "src", "dst")
	if again := dump(t, e, "dst"); again != text {
		t.Fatalf("dump of the copy differs from the original dump")
	}
	// the INSTEAD OF trigger came back and works on the copy
	exec(t, e, "dst", "INSERT INTO v_child(name) VALUES ('via view')")
	if n := exec(t, e, "dst", "SELECT count(*) FROM parent WHERE name = 'via view'").Rows[0][0]; n != int64(1) {
		t.Fatalf("trigger on the copy inserted %v rows", n)
	}
}

func TestDumpEmptyDatabase(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	if got := dump(t, e, "d"); got != "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCOMMIT;\n" {
		t.Fatalf("dump of an empty database = %q", got)
	}
}

func TestDumpVirtualTable(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "src")
	spawn(t, e, "dst")
	runScript(t, e, "src", `CREATE VIRTUAL TABLE docs USING fts5(title, body);
		INSERT INTO docs VALUES ('a', 'the quick brown fox'), ('b', 'lazy dogs');`)
	text := dump(t, e, "src")
	if strings.Contains(text, "docs_data") || strings.Contains(text, "docs_idx") {
		t.Fatalf("dump carries FTS shadow tables:\n%s", text)
	}
	runScript(t, e, "dst", text)
	if !reflect.DeepEqual(schemaRows(t, e, "src"), schemaRows(t, e, "dst")) {
		t.Fatal("schemas differ")
	}
	got := exec(t, e, "dst", "SELECT title FROM docs WHERE docs MATCH 'fox'").Rows
	if len(got) != 1 || got[0][0] != "a" {
		t.Fatalf("full-text search on the copy = %v", got)
	}
}

func TestDumpErrors(t *testing.T) {
	e := openTest(t, nil)
	var b bytes.Buffer
	_, err := e.DumpSQL(context.Background(), "nope", &b)
	wantErr(t, err, ErrNotFound)
	_, err = e.DumpSQL(context.Background(), "../x", &b)
	wantErr(t, err, ErrInvalidName)
	spawn(t, e, "d")
	if _, err := e.Prune(context.Background(), "d"); err != nil {
		t.Fatal(err)
	}
	_, err = e.DumpSQL(context.Background(), "d", &b)
	wantErr(t, err, ErrStopped)
	if b.Len() != 0 {
		t.Fatalf("wrote %q on error", b.String())
	}
}
