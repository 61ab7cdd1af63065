package engine

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
	"time"
)

func TestSpawnCreatesAndReturnsExisting(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	inst, created, err := e.Spawn(ctx, "alpha", "")
	if err != nil || !created {
		t.Fatalf("Spawn = %v, %v", created, err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(inst.ID) {
		t.Errorf("id %q is not 12 hex digits", inst.ID)
	}
	if inst.Status != StatusRunning || inst.Backend != BackendSQLite || inst.CreatedAt.IsZero() {
		t.Errorf("unexpected instance %+v", inst)
	}
	again, created, err := e.Spawn(ctx, "alpha", "sqlite")
	if err != nil || created || again.ID != inst.ID {
		t.Fatalf("second Spawn = %+v, %v, %v", again, created, err)
	}
	if _, err := os.Stat(filepath.Join(e.cfg.DataDir, "databases", "alpha.db")); err != nil {
		t.Errorf("database file missing: %v", err)
	}
	for _, d := range []string{"backups"} {
		if st, err := os.Stat(filepath.Join(e.cfg.DataDir, d)); err != nil || !st.IsDir() {
			t.Errorf("%s dir missing: %v", d, err)
		}
	}
}

func TestSpawnRejects(t *testing.T) {
	e := openTest(t, func(c *Config) { c.MaxDatabases = 1 })
	ctx := context.Background()
	for _, bad := range []string{"", ".", "..", "../x", "a/b", "-a", "_a", "a b", string(make([]byte, 65))} {
		_, _, err := e.Spawn(ctx, bad, "")
		wantErr(t, err, ErrInvalidName)
	}
	_, _, err := e.Spawn(ctx, "ok", "postgres")
	wantBadInput(t, err, "")
	spawn(t, e, "one")
	_, _, err = e.Spawn(ctx, "two", "")
	wantErr(t, err, ErrTooManyDatabases)
	// the existing one still answers
	if _, created, err := e.Spawn(ctx, "one", ""); err != nil || created {
		t.Fatalf("respawn of existing under the limit: %v %v", created, err)
	}
}

func TestPruneKeepsDataAndRespawnRestores(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	spawn(t, e, "db1")
	exec(t, e, "db1", "CREATE TABLE t(x)")
	exec(t, e, "db1", "INSERT INTO t VALUES (42)")
	inst, err := e.Prune(ctx, "db1")
	if err != nil || inst.Status != StatusStopped {
		t.Fatalf("Prune = %+v, %v", inst, err)
	}
	_, err = e.Prune(ctx, "db1")
	wantErr(t, err, ErrNotFound)
	_, err = e.Exec(ctx, "db1", Query{SQL: "SELECT 1"})
	wantErr(t, err, ErrStopped)
	if _, err := os.Stat(e.dbPath("db1") + "-wal"); err == nil {
		if fi, _ := os.Stat(e.dbPath("db1") + "-wal"); fi.Size() != 0 {
			t.Errorf("WAL not checkpointed: %d bytes", fi.Size())
		}
	}
	list, _ := e.List(ctx, false)
	if len(list) != 0 {
		t.Errorf("List(running) = %v, want none", list)
	}
	all, _ := e.List(ctx, true)
	if len(all) != 1 || all[0].Status != StatusStopped || all[0].SizeBytes == 0 {
		t.Errorf("List(all) = %+v", all)
	}
	if got, _ := e.Get(ctx, "db1"); got.Status != StatusStopped {
		t.Errorf("Get = %+v", got)
	}
	_, created, err := e.Spawn(ctx, "db1", "")
	if err != nil || created {
		t.Fatalf("respawn: %v %v", created, err)
	}
	res := exec(t, e, "db1", "SELECT x FROM t")
	if len(res.Rows) != 1 || res.Rows[0][0] != int64(42) {
		t.Fatalf("data after respawn = %v", res.Rows)
	}
}

func TestRestartPersistence(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	e, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := e.Spawn(ctx, "a", "")
	spawn(t, e, "b")
	exec(t, e, "a", "CREATE TABLE t(x)")
	exec(t, e, "a", "INSERT INTO t VALUES ('kept')")
	if _, err := e.Prune(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_, err = e.Exec(ctx, "a", Query{SQL: "SELECT 1"})
	wantErr(t, err, ErrClosed)

	e2, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	got, err := e2.Get(ctx, "a")
	if err != nil || got.ID != a.ID || got.Status != StatusRunning || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("after restart a = %+v, %v (was %+v)", got, err, a)
	}
	res := exec(t, e2, "a", "SELECT x FROM t")
	if len(res.Rows) != 1 || res.Rows[0][0] != "kept" {
		t.Fatalf("rows after restart = %v", res.Rows)
	}
	b, _ := e2.Get(ctx, "b")
	if b.Status != StatusStopped {
		t.Fatalf("b after restart = %+v", b)
	}
	running, stopped, err := e2.Counts(ctx)
	if err != nil || running != 1 || stopped != 1 {
		t.Fatalf("Counts = %d, %d, %v", running, stopped, err)
	}
}

func TestDeleteRemovesFiles(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	spawn(t, e, "gone")
	exec(t, e, "gone", "CREATE TABLE t(x)")
	path := e.dbPath("gone")
	if err := e.Delete(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still exists (%v)", p, err)
		}
	}
	_, err := e.Get(ctx, "gone")
	wantErr(t, err, ErrNotFound)
	wantErr(t, e.Delete(ctx, "gone"), ErrNotFound)
	wantErr(t, e.Delete(ctx, "../x"), ErrInvalidName)
	// the name is free again, with a fresh id and no data
	inst, created, err := e.Spawn(ctx, "gone", "")
	if err != nil || !created {
		t.Fatalf("Spawn after delete: %v %v", created, err)
	}
	_ = inst
	_, err = e.Exec(ctx, "gone", Query{SQL: "SELECT * FROM t"})
	wantSQLError(t, err, "no such table: t")
}

func TestUnknownDatabase(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	_, err := e.Exec(ctx, "nope", Query{SQL: "SELECT 1"})
	wantErr(t, err, ErrNotFound)
	_, err = e.Prune(ctx, "nope")
	wantErr(t, err, ErrNotFound)
	_, err = e.Stats(ctx, "nope")
	wantErr(t, err, ErrNotFound)
	_, err = e.Exec(ctx, "bad/name", Query{SQL: "SELECT 1"})
	wantErr(t, err, ErrInvalidName)
}

func TestCheckDataDir(t *testing.T) {
	e := openTest(t, nil)
	if err := e.CheckDataDir(); err != nil {
		t.Fatalf("CheckDataDir: %v", err)
	}
	if err := os.RemoveAll(e.cfg.DataDir); err != nil {
		t.Fatal(err)
	}
	if err := e.CheckDataDir(); err == nil {
		t.Fatal("CheckDataDir on a removed directory reported no error")
	}
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	e, err := Open(Config{DataDir: t.TempDir(), SampleInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	spawn(t, e, "g1")
	spawn(t, e, "g2")
	exec(t, e, "g1", "SELECT 1")
	if _, err := e.Prune(context.Background(), "g2"); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
