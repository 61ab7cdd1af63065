package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// connStateSchema has a CHECK constraint, a foreign key and a table whose
// name a temp object could shadow.
const connStateSchema = `CREATE TABLE parent(id INTEGER PRIMARY KEY);
CREATE TABLE items(id INTEGER PRIMARY KEY, a INTEGER CHECK (a >= 0), pid INTEGER REFERENCES parent(id));
CREATE TABLE log(msg TEXT);
INSERT INTO parent VALUES (1);`

// stateAttacks are statements a writing caller may send to leave the
// shared writer changed for every later call. Each must be refused.
var stateAttacks = []string{
	"CREATE TEMP TABLE items(id INTEGER PRIMARY KEY, a, pid)",
	"CREATE TEMPORARY TABLE items AS SELECT * FROM main.items",
	"CREATE TABLE temp.items(id INTEGER PRIMARY KEY, a, pid)",
	"create /**/ temp table \"items\"(a)",
	"CREATE TEMP VIEW items AS SELECT 1 AS id, 1 AS a, 1 AS pid",
	"CREATE TEMP TRIGGER tr AFTER INSERT ON main.items BEGIN UPDATE main.items SET a = 999 WHERE id = new.id; END",
	"CREATE TEMP TRIGGER tr BEFORE INSERT ON main.items BEGIN SELECT RAISE(IGNORE); END",
	"CREATE VIRTUAL TABLE temp.items USING fts5(a)",
	"PRAGMA foreign_keys=0",
	"PRAGMA foreign_keys = OFF",
	"PRAGMA main.foreign_keys=false",
	"PRAGMA ignore_check_constraints=1",
	"PRAGMA ignore_check_constraints = ON",
	"PRAGMA recursive_triggers=1",
	"PRAGMA defer_foreign_keys=1",
	"PRAGMA legacy_alter_table=1",
	"PRAGMA cache_size=1",
	"PRAGMA cache_size=-1000000",
	"PRAGMA wal_autocheckpoint=0",
	"PRAGMA case_sensitive_like=1",
	"PRAGMA reverse_unordered_selects=1",
	"PRAGMA automatic_index=0",
	"PRAGMA secure_delete=1",
	"PRAGMA temp_store=2",
	"PRAGMA temp.user_version=5",
	"PRAGMA hard_heap_limit=1",
	"PRAGMA soft_heap_limit=1",
	"PRAGMA threads=8",
	"PRAGMA page_size=65536",
	"PRAGMA auto_vacuum=FULL",
	"PRAGMA schema_version=1",
	"PRAGMA cell_size_check=1",
	"PRAGMA analysis_limit=1",
	"PRAGMA journal_size_limit=1",
	"PRAGMA max_page_count=99999999",
	"PRAGMA query_only=1",
	"PRAGMA busy_timeout=0",
	"PRAGMA mmap_size=1000000000",
	"PRAGMA count_changes=1",
	"PRAGMA full_column_names=1",
	"PRAGMA short_column_names=0",
	"PRAGMA empty_result_callbacks=1",
	"PRAGMA trusted_schema=1",
}

// TestCallsStartFromTheSameState is the acceptance test of the shared
// writer: after each attack by a writing caller, the next caller's INSERT
// lands in the main table unmodified, is visible to the next SELECT, to the
// SQL export and after a restart, and foreign keys and CHECK constraints
// still hold.
func TestCallsStartFromTheSameState(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	for i, attack := range stateAttacks {
		db := fmt.Sprintf("s%d", i)
		spawn(t, e, db)
		if _, err := e.ImportSQL(ctx, db, connStateSchema); err != nil {
			t.Fatal(err)
		}
		_, err := e.Exec(ctx, db, Query{SQL: attack})
		var se *SQLError
		if !errors.As(err, &se) {
			t.Errorf("%q: err = %v, want a refusal", attack, err)
		}
		checkCleanWriter(t, e, db, attack)
	}
}

// checkCleanWriter runs an ordinary caller's writes and checks they are
// stored as sent, in the main database, with constraints enforced.
func checkCleanWriter(t *testing.T, e *Engine, db, after string) {
	t.Helper()
	ctx := context.Background()
	res, err := e.Exec(ctx, db, Query{SQL: "INSERT INTO items(a, pid) VALUES (7, 1)"})
	if err != nil || res.RowsAffected != 1 {
		t.Fatalf("after %q: insert: %v %+v", after, err, res)
	}
	if _, err := e.Exec(ctx, db, Query{SQL: "INSERT INTO items(a, pid) VALUES (-1, 1)"}); err == nil {
		t.Errorf("after %q: CHECK constraint not enforced", after)
	}
	if _, err := e.Exec(ctx, db, Query{SQL: "INSERT INTO items(a, pid) VALUES (1, 999)"}); err == nil {
		t.Errorf("after %q: foreign key not enforced", after)
	}
	// a recursive trigger would loop if recursive_triggers had been set
	exec(t, e, db, "CREATE TRIGGER IF NOT EXISTS lg AFTER INSERT ON log WHEN (SELECT count(*) FROM log) < 5 BEGIN INSERT INTO log VALUES ('again'); END")
	exec(t, e, db, "INSERT INTO log VALUES ('first')")
	if res := exec(t, e, db, "SELECT count(*) FROM log"); res.Rows[0][0] != int64(2) {
		t.Errorf("after %q: recursive triggers are on: %v rows in log", after, res.Rows[0][0])
	}
	want := "[[7 1]]"
	if got := fmt.Sprint(exec(t, e, db, "SELECT a, pid FROM main.items").Rows); got != want {
		t.Fatalf("after %q: main.items = %s, want %s", after, got, want)
	}
	if got := fmt.Sprint(exec(t, e, db, "SELECT a, pid FROM items").Rows); got != want {
		t.Fatalf("after %q: items = %s, want %s", after, got, want)
	}
	var dump bytes.Buffer
	if _, err := e.DumpSQL(ctx, db, &dump); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dump.String(), `INSERT INTO "items"`) || !strings.Contains(dump.String(), "(1,7,1)") {
		t.Fatalf("after %q: the export lacks the row:\n%s", after, dump.String())
	}
	if _, err := e.Prune(ctx, db); err != nil {
		t.Fatal(err)
	}
	spawn(t, e, db)
	if got := fmt.Sprint(exec(t, e, db, "SELECT a, pid FROM items").Rows); got != want {
		t.Fatalf("after %q and a restart: items = %s, want %s", after, got, want)
	}
}

// TestScriptCannotChangeState runs the attacks inside an SQL import: the
// script is refused as a whole and leaves the writer as it was.
func TestScriptCannotChangeState(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	for i, attack := range stateAttacks {
		db := fmt.Sprintf("s%d", i)
		spawn(t, e, db)
		if _, err := e.ImportSQL(ctx, db, connStateSchema); err != nil {
			t.Fatal(err)
		}
		_, err := e.ImportSQL(ctx, db, "INSERT INTO log VALUES ('x');\n"+attack+";\n")
		var se *ScriptError
		if strings.Contains(attack, "foreign_keys") {
			// foreign_keys does nothing inside the script's transaction and
			// defer_foreign_keys ends with it: both are allowed there
			if err != nil {
				t.Errorf("script with %q: %v", attack, err)
			}
			exec(t, e, db, "DELETE FROM log")
		} else if !errors.As(err, &se) {
			t.Errorf("script with %q: err = %v, want a refusal", attack, err)
		}
		checkCleanWriter(t, e, db, "script with "+attack)
	}
}

// TestStatePragmasRefusedToReaders: a read-only caller cannot set them
// either, and the pooled readers keep their setting.
func TestStatePragmasRefusedToReaders(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "r")
	exec(t, e, "r", "CREATE TABLE items(a)")
	for _, attack := range stateAttacks {
		if _, err := e.Exec(context.Background(), "r", Query{SQL: attack, ReadOnly: true}); err == nil {
			t.Errorf("%q as read-only: no error", attack)
		}
	}
	for range 8 {
		res := exec(t, e, "r", "SELECT (SELECT foreign_keys FROM pragma_foreign_keys), (SELECT count(*) FROM temp.sqlite_master), (SELECT cache_size FROM pragma_cache_size)")
		if fmt.Sprint(res.Rows) != "[[1 0 -2000]]" {
			t.Fatalf("a reader was changed: %v", res.Rows)
		}
	}
}

// TestHarmlessPragmasStillWork: the pragmas schema views, tools and
// maintenance use keep working for writing callers and, where they only
// read, for read-only ones.
func TestHarmlessPragmasStillWork(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	spawn(t, e, "p")
	if _, err := e.ImportSQL(ctx, "p", connStateSchema+"\nCREATE INDEX items_a ON items(a);"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"PRAGMA table_info(items)", "PRAGMA table_xinfo(items)", "PRAGMA index_list(items)",
		"PRAGMA index_info(items_a)", "PRAGMA foreign_key_list(items)", "PRAGMA foreign_key_check",
		"PRAGMA integrity_check", "PRAGMA quick_check(10)", "PRAGMA table_list", "PRAGMA foreign_keys",
		"PRAGMA user_version", "PRAGMA page_count", "PRAGMA journal_mode", "PRAGMA compile_options",
		"SELECT * FROM pragma_table_info('items')", "SELECT name FROM pragma_index_list('items')",
	} {
		for _, ro := range []bool{true, false} {
			if _, err := e.Exec(ctx, "p", Query{SQL: s, ReadOnly: ro}); err != nil {
				t.Errorf("%q (read-only %v): %v", s, ro, err)
			}
		}
	}
	for _, s := range []string{
		"PRAGMA user_version=3", "PRAGMA application_id=42", "PRAGMA wal_checkpoint(TRUNCATE)",
		"PRAGMA optimize", "PRAGMA incremental_vacuum", "PRAGMA shrink_memory",
	} {
		if _, err := e.Exec(ctx, "p", Query{SQL: s}); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	if res := exec(t, e, "p", "PRAGMA user_version"); res.Rows[0][0] != int64(3) {
		t.Fatalf("user_version = %v", res.Rows)
	}
	if _, err := e.Schema(ctx, "p", ""); err != nil {
		t.Fatalf("schema: %v", err)
	}
}

// TestDatabaseListHidden: no caller learns where the file lives on the host.
func TestDatabaseListHidden(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "h")
	for _, s := range []string{
		"PRAGMA database_list", "pragma main.database_list", "SELECT * FROM pragma_database_list",
		"SELECT file FROM pragma_database_list()", "WITH x AS (SELECT * FROM pragma_database_list) SELECT * FROM x",
	} {
		for _, ro := range []bool{true, false} {
			res, err := e.Exec(context.Background(), "h", Query{SQL: s, ReadOnly: ro})
			if err == nil && strings.Contains(fmt.Sprint(res.Rows), e.cfg.DataDir) {
				t.Errorf("%q (read-only %v) shows the path: %v", s, ro, res.Rows)
			}
		}
	}
}
