package engine

import (
	"context"
	"testing"
	"time"
)

// A restarted engine opens a running database only on its
// first call: the others stay closed (no connections, no WAL checkpoint at
// Close) yet are listed as running, and prune and spawn work on them.
func TestLazyOpenOpensOnlyTheDatabaseUsed(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	e, err := Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{"used", "idle", "pruned"} {
		spawn(t, e, db)
		exec(t, e, db, "CREATE TABLE t (x)")
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}

	e, err = Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	opened := func(db string) bool {
		inst, err := e.lookup(db)
		if err != nil {
			t.Fatal(err)
		}
		return inst.conns.Load() != nil
	}
	for _, db := range []string{"used", "idle", "pruned"} {
		if opened(db) {
			t.Fatalf("%s opened at Open", db)
		}
	}
	list, err := e.List(ctx, false)
	if err != nil || len(list) != 3 {
		t.Fatalf("running list: %v %+v", err, list)
	}

	if st, err := e.Stats(ctx, "idle"); err != nil || st.Status != StatusRunning {
		t.Fatalf("stats of an unopened database: %v %+v", err, st.Status)
	}
	exec(t, e, "used", "INSERT INTO t VALUES (1)")
	if !opened("used") || opened("idle") {
		t.Fatalf("after one call: used %v, idle %v", opened("used"), opened("idle"))
	}

	// Pruning a database never opened stops it; a second prune says not found.
	if _, err := e.Prune(ctx, "pruned"); err != nil {
		t.Fatal(err)
	}
	_, err = e.Exec(ctx, "pruned", Query{SQL: "SELECT 1"})
	wantErr(t, err, ErrStopped)
	_, err = e.Prune(ctx, "pruned")
	wantErr(t, err, ErrNotFound)
	if _, _, err := e.Spawn(ctx, "pruned", ""); err != nil {
		t.Fatalf("spawn of a pruned database: %v", err)
	}
	exec(t, e, "pruned", "INSERT INTO t VALUES (2)")

	// Spawning a running database that was never opened is "already running".
	if _, created, err := e.Spawn(ctx, "idle", ""); err != nil || created {
		t.Fatalf("spawn of an unopened running database: %v %v", created, err)
	}
	if got := exec(t, e, "idle", "SELECT count(*) FROM t"); len(got.Rows) != 1 {
		t.Fatalf("idle: %+v", got)
	}
}
