package engine

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// reopenWith makes n databases in a fresh data directory, closes the
// engine and opens it again: the catalog then holds n rows no one has
// named since Open.
func reopenWith(t *testing.T, n int, mod func(*Config)) *Engine {
	t.Helper()
	dir := t.TempDir()
	cfg := Config{DataDir: dir, SampleInterval: time.Hour}
	if mod != nil {
		mod(&cfg)
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		spawn(t, e, fmt.Sprintf("d%03d", i))
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if e, err = Open(cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func (e *Engine) instancesRead() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.insts)
}

// A command that names one database reads that one row of the catalog,
// however many there are; a list reads the rest once.
func TestOpenReadsOnlyTheInstancesNamed(t *testing.T) {
	e := reopenWith(t, 50, nil)
	ctx := context.Background()
	if n := e.instancesRead(); n != 0 {
		t.Fatalf("Open read %d instances", n)
	}
	exec(t, e, "d007", "CREATE TABLE t (x)")
	if _, err := e.Get(ctx, "nope"); err == nil {
		t.Fatal("an unknown name was found")
	}
	if n := e.instancesRead(); n != 1 {
		t.Fatalf("after one call and one unknown name: %d instances read, want 1", n)
	}
	running, stopped, err := e.Counts(ctx)
	if err != nil || running != 50 || stopped != 0 {
		t.Fatalf("Counts = %d, %d, %v", running, stopped, err)
	}
	list, err := e.List(ctx, true)
	if err != nil || len(list) != 50 || list[7].Name != "d007" {
		t.Fatalf("List: %v, %d", err, len(list))
	}
	// the instance read first is the one listed: its call's state is kept
	inst, err := e.lookup("d007")
	if err != nil || inst.conns.Load() == nil {
		t.Fatalf("d007 after the list: %v, opened %v", err, err == nil && inst.conns.Load() != nil)
	}
}

// MaxDatabases counts the catalog, not what has been read of it.
func TestMaxDatabasesCountsRowsNotRead(t *testing.T) {
	e := reopenWith(t, 5, func(c *Config) { c.MaxDatabases = 5 })
	_, _, err := e.Spawn(context.Background(), "one_more", "")
	wantErr(t, err, ErrTooManyDatabases)
}

// Many calls naming a database not read yet, at once, all get the one
// instance (one writer per file); a delete racing with them never leaves
// it behind, in the engine or in the catalog.
func TestFirstCallsShareOneInstanceAndDeleteWins(t *testing.T) {
	for round := range 20 {
		e := reopenWith(t, 2, nil)
		ctx := context.Background()
		var wg sync.WaitGroup
		got := make([]*instance, 16)
		for i := range got {
			wg.Go(func() { got[i], _ = e.lookup("d000") })
		}
		wg.Wait()
		for i, inst := range got {
			if inst == nil || inst != got[0] {
				t.Fatalf("round %d: call %d got instance %p, call 0 %p", round, i, inst, got[0])
			}
		}

		// d001 not read yet: delete it while calls name it
		wg.Go(func() {
			if err := e.Delete(ctx, "d001"); err != nil {
				t.Errorf("Delete: %v", err)
			}
		})
		for range 8 {
			wg.Go(func() { e.lookup("d001") })
		}
		wg.Wait()
		if _, err := e.lookup("d001"); err == nil {
			t.Fatalf("round %d: d001 found after its delete", round)
		}
		if list, err := e.List(ctx, true); err != nil || len(list) != 1 || list[0].Name != "d000" {
			t.Fatalf("round %d: list after the delete: %v %+v", round, err, list)
		}
	}
}

// A spawn racing with calls that name the new database leaves one
// instance, the spawned one.
func TestSpawnRacingWithItsFirstCalls(t *testing.T) {
	e := reopenWith(t, 1, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { e.lookup("fresh") })
	}
	wg.Go(func() { spawn(t, e, "fresh") })
	wg.Wait()
	exec(t, e, "fresh", "CREATE TABLE t (x)")
	exec(t, e, "fresh", "INSERT INTO t VALUES (1)")
	inst, err := e.lookup("fresh")
	if err != nil || inst.conns.Load() == nil {
		t.Fatalf("fresh: %v", err)
	}
	res := exec(t, e, "fresh", "SELECT count(*) FROM t")
	if fmt.Sprint(res.Rows) != "[[1]]" {
		t.Fatalf("rows %v", res.Rows)
	}
	if list, err := e.List(ctx, false); err != nil || len(list) != 2 {
		t.Fatalf("list: %v %+v", err, list)
	}
}

// Close while first calls read the catalog: every call ends with an
// instance or an error, none after Close finds one.
func TestCloseWhileReadingTheCatalog(t *testing.T) {
	e := reopenWith(t, 30, nil)
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() { e.lookup(fmt.Sprintf("d%03d", i)) })
	}
	wg.Go(func() { e.Close() })
	wg.Wait()
	if _, err := e.lookup("d000"); err != ErrClosed {
		t.Fatalf("after Close: %v", err)
	}
	if err := e.LoadAll(context.Background()); err != ErrClosed {
		t.Fatalf("LoadAll after Close: %v", err)
	}
}
