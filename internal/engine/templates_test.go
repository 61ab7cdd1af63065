package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSpawnScript(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	in, res, err := e.SpawnScript(ctx, "app", "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT UNIQUE);\nINSERT INTO users(email) VALUES ('a@x'), ('b@x');")
	if err != nil || in.Name != "app" || in.Status != StatusRunning || res.Statements != 2 || res.RowsAffected != 2 {
		t.Fatalf("SpawnScript = %+v, %+v, %v", in, res, err)
	}
	if n := exec(t, e, "app", "SELECT count(*) FROM users").Rows[0][0]; n != int64(2) {
		t.Fatalf("rows %v", n)
	}
	exec(t, e, "app", "INSERT INTO users(email) VALUES ('c@x')") // a normal database afterwards
	_, _, err = e.SpawnScript(ctx, "app", "CREATE TABLE t(x)")
	wantErr(t, err, ErrExists)
	if _, err := e.Prune(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.SpawnScript(ctx, "app", "CREATE TABLE t(x)")
	wantErr(t, err, ErrExists) // a pruned database is not replaced either
}

// TestSpawnScriptFailureLeavesNothing: a script failing at any statement,
// or refused before it runs, leaves no database and no file behind.
func TestSpawnScriptFailureLeavesNothing(t *testing.T) {
	e := openTest(t, func(c *Config) { c.MaxDBSizeBytes = 256 << 10 })
	ctx := context.Background()
	var se *ScriptError
	_, _, err := e.SpawnScript(ctx, "bad", "CREATE TABLE t(x);\nINSERT INTO t VALUES (1);\nINSERT INTO nope VALUES (2);")
	if !errors.As(err, &se) || se.Index != 3 || se.Line != 3 {
		t.Fatalf("err = %v, want a ScriptError at statement 3", err)
	}
	for _, script := range []string{
		"ATTACH DATABASE '/tmp/x.db' AS x",
		"CREATE TABLE t(x); PRAGMA writable_schema = 1;",
		"CREATE TABLE t(x); VACUUM;",
		"CREATE TABLE t(x); ROLLBACK;",
		"",
		// past the size quota
		"CREATE TABLE t(b); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < 100) INSERT INTO t SELECT randomblob(10000) FROM s;",
	} {
		if _, _, err := e.SpawnScript(ctx, "bad", script); err == nil {
			t.Fatalf("script %q was accepted", script)
		}
	}
	_, _, err = e.SpawnScript(ctx, "bad", "CREATE TABLE t(b); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < 100) INSERT INTO t SELECT randomblob(10000) FROM s;")
	wantErr(t, err, ErrQuotaExceeded)
	if _, err := e.Get(ctx, "bad"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a failed template left database bad: %v", err)
	}
	ents, _ := os.ReadDir(filepath.Join(e.cfg.DataDir, "databases"))
	for _, ent := range ents {
		if strings.Contains(ent.Name(), "bad") {
			t.Fatalf("left behind: %s", ent.Name())
		}
	}
}
