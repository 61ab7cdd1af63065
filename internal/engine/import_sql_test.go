package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestImportSQLRunsScriptInOneTransaction(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	res := runScript(t, e, "d", `-- a comment
		BEGIN;
		CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
		INSERT INTO t(v) VALUES ('a;b'), ('c');
		UPDATE t SET v = v || '!' WHERE id = 2;
		SAVEPOINT sp; DELETE FROM t; ROLLBACK TO sp; RELEASE sp;
		SELECT * FROM t;
		COMMIT;`)
	// rows: 2 inserted, 1 updated, 2 deleted (SQLite counts changes even
	// when a ROLLBACK TO undoes them)
	if res.Statements != 8 || res.RowsAffected != 5 {
		t.Fatalf("result = %+v, want 8 statements, 5 rows changed", res)
	}
	got := exec(t, e, "d", "SELECT v FROM t ORDER BY id").Rows
	if len(got) != 2 || got[0][0] != "a;b" || got[1][0] != "c!" {
		t.Fatalf("rows = %v", got)
	}
}

// TestImportSQLErrorKeepsNothing fails statement 500 of a 600-statement
// script: the error names it and the database is exactly as before.
func TestImportSQLErrorKeepsNothing(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	exec(t, e, "d", "INSERT INTO t VALUES (1, 'kept')")
	before := dump(t, e, "d")
	var b strings.Builder
	b.WriteString("CREATE TABLE extra(x);\n")
	for i := 2; i <= 600; i++ {
		if i == 500 {
			fmt.Fprintf(&b, "INSERT INTO t VALUES (1, 'a duplicate key with a long text that goes past eighty characters for sure');\n")
			continue
		}
		fmt.Fprintf(&b, "INSERT INTO t VALUES (%d, 'row');\n", i)
	}
	_, err := e.ImportSQL(context.Background(), "d", b.String())
	var se *ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want *ScriptError", err, err)
	}
	if se.Index != 500 || se.Line != 500 {
		t.Fatalf("failing statement %d at line %d, want 500 at 500", se.Index, se.Line)
	}
	wantSnippet := "INSERT INTO t VALUES (1, 'a duplicate key with a long text that goes past eighty…"
	if se.Statement != wantSnippet {
		t.Fatalf("snippet = %q\nwant      %q", se.Statement, wantSnippet)
	}
	wantSQLError(t, se.Err, "UNIQUE constraint failed: t.id")
	if after := dump(t, e, "d"); after != before {
		t.Fatalf("database changed:\n%s", after)
	}
}

func TestImportSQLForeignKeysCheckedAtCommit(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	runScript(t, e, "d", `CREATE TABLE p(id INTEGER PRIMARY KEY);
		CREATE TABLE c(id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id));
		INSERT INTO c VALUES (1, 7);
		INSERT INTO p VALUES (7);`)
	before := dump(t, e, "d")
	_, err := e.ImportSQL(context.Background(), "d", "INSERT INTO c VALUES (2, 8);")
	wantSQLError(t, err, "FOREIGN KEY constraint failed (checked when the transaction commits)")
	if after := dump(t, e, "d"); after != before {
		t.Fatal("database changed")
	}
}

func TestImportSQLRefusesTransactionControl(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	before := dump(t, e, "d")
	cases := map[string]string{
		"CREATE TABLE a(x); COMMIT;":                          "Statement 2 (line 1: COMMIT): COMMIT without BEGIN.",
		"BEGIN; CREATE TABLE a(x); COMMIT; SELECT 1;":         "Statement 4 (line 1: SELECT 1): nothing may follow",
		"BEGIN; BEGIN; COMMIT;":                               "Statement 2 (line 1: BEGIN): a script may open one transaction only",
		"CREATE TABLE a(x);\nROLLBACK;":                       "Statement 2 (line 2: ROLLBACK): ROLLBACK is not allowed",
		"CREATE TABLE a(x);\nROLLBACK /* TO */ TRANSACTION;":  "Statement 2 (line 2: ROLLBACK /* TO */ TRANSACTION): ROLLBACK is not allowed",
		"CREATE TABLE a(x);\nROLLBACK -- to sp\nTRANSACTION;": "ROLLBACK is not allowed",
		"BEGIN; CREATE TABLE a(x);":                           "never commits it",
		"CREATE TABLE a(x); VACUUM;":                          "VACUUM is not allowed",
		"ATTACH 'x.db' AS x;":                                 "ATTACH is not allowed",
		"CREATE TABLE a(x);\n-- only a comment\n  ;  ; ":      "",
	}
	for script, want := range cases {
		_, err := e.ImportSQL(context.Background(), "d", script)
		if want == "" {
			if err != nil {
				t.Fatalf("%q: %v", script, err)
			}
			exec(t, e, "d", "DROP TABLE a")
			continue
		}
		var be *BadInputError
		if !errors.As(err, &be) || !strings.Contains(be.Msg, want) {
			t.Fatalf("%q: err = %v, want %q", script, err, want)
		}
	}
	_, err := e.ImportSQL(context.Background(), "d", "  -- nothing\n")
	wantErr(t, err, ErrEmptyStatement)
	if after := dump(t, e, "d"); after != before {
		t.Fatal("database changed")
	}
}

func TestImportSQLSnippetIsSanitized(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	_, err := e.ImportSQL(context.Background(), "d", "SELECT '\x1b[31mred'\n  FROM nowhere")
	var se *ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v", err)
	}
	if strings.ContainsRune(se.Statement, 0x1b) || strings.Contains(se.Statement, "\n") {
		t.Fatalf("snippet not sanitized: %q", se.Statement)
	}
	if !strings.Contains(se.Error(), "no such table: nowhere") {
		t.Fatalf("error = %v", se)
	}
}
