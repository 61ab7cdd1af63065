package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestForkUnderWrites forks a database while a writer keeps committing
// transactions that update two tables together: every fork passes
// integrity_check and holds the invariant (a whole number of transactions),
// and the fork and its source are independent afterwards.
func TestForkUnderWrites(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	spawn(t, e, "src")
	exec(t, e, "src", "CREATE TABLE counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
	exec(t, e, "src", "CREATE TABLE ledger(id INTEGER PRIMARY KEY, pad TEXT)")
	exec(t, e, "src", "INSERT INTO counter VALUES (1, 0)")

	var stop atomic.Bool
	var wrote atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			_, err := e.ImportSQL(ctx, "src", "INSERT INTO ledger(pad) VALUES (randomblob(200)); UPDATE counter SET n = n + 1 WHERE id = 1;")
			if err != nil {
				errc <- err
				return
			}
			wrote.Add(1)
		}
	}()
	for wrote.Load() < 20 {
		select {
		case err := <-errc:
			t.Fatal(err)
		default:
		}
	}
	var forks []string
	for i := range 5 {
		name := fmt.Sprintf("fork%d", i)
		f, err := e.Fork(ctx, "src", name, "")
		if err != nil {
			t.Fatalf("Fork: %v", err)
		}
		if f.Name != name || f.Source != "src" || f.Status != StatusRunning {
			t.Fatalf("fork info = %+v", f)
		}
		forks = append(forks, name)
	}
	stop.Store(true)
	wg.Wait()
	select {
	case err := <-errc:
		t.Fatalf("writer failed during forks: %v", err)
	default:
	}
	var prev int64 = -1
	for _, name := range forks {
		if res := exec(t, e, name, "PRAGMA integrity_check").Rows[0][0]; res != "ok" {
			t.Fatalf("%s integrity_check = %v", name, res)
		}
		n := exec(t, e, name, "SELECT n FROM counter").Rows[0][0].(int64)
		rows := exec(t, e, name, "SELECT count(*) FROM ledger").Rows[0][0].(int64)
		if n != rows {
			t.Fatalf("%s: counter %d but %d ledger rows: not a transaction-consistent snapshot", name, n, rows)
		}
		if n < 20 || n < prev {
			t.Fatalf("%s: counter %d after %d (forks are taken in order)", name, n, prev)
		}
		prev = n
	}
	// independent: writes to either side do not show in the other
	before := exec(t, e, "src", "SELECT n FROM counter").Rows[0][0].(int64)
	forkN := exec(t, e, "fork0", "SELECT n FROM counter").Rows[0][0].(int64)
	exec(t, e, "fork0", "UPDATE counter SET n = -1")
	exec(t, e, "src", "UPDATE counter SET n = n + 1000")
	if got := exec(t, e, "src", "SELECT n FROM counter").Rows[0][0].(int64); got != before+1000 {
		t.Fatalf("source counter = %d, want %d", got, before+1000)
	}
	if got := exec(t, e, "fork0", "SELECT n FROM counter").Rows[0][0].(int64); got != -1 || forkN == -1 {
		t.Fatalf("fork counter = %d", got)
	}
	// a fork survives a restart as a database of its own
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e2, err := Open(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	if got := exec(t, e2, "fork0", "SELECT n FROM counter").Rows[0][0].(int64); got != -1 {
		t.Fatalf("after reopen fork counter = %d", got)
	}
}

func TestForkFromBackup(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	spawn(t, e, "src")
	exec(t, e, "src", "CREATE TABLE t(x)")
	exec(t, e, "src", "INSERT INTO t VALUES (1)")
	b := backup(t, e, "src")
	exec(t, e, "src", "INSERT INTO t VALUES (2)")
	f, err := e.Fork(ctx, "src", "old", b.Name)
	if err != nil || f.Backup != b.Name {
		t.Fatalf("Fork from backup = %+v, %v", f, err)
	}
	if n := count(t, e, "old"); n != 1 {
		t.Fatalf("fork of the backup has %d rows, want 1", n)
	}
	if n := count(t, e, "src"); n != 2 {
		t.Fatalf("source has %d rows, want 2", n)
	}
	// a pruned database forks too, and stays pruned
	if _, err := e.Prune(ctx, "src"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Fork(ctx, "src", "fromstopped", ""); err != nil {
		t.Fatalf("fork of a pruned database: %v", err)
	}
	if n := count(t, e, "fromstopped"); n != 2 {
		t.Fatalf("fork of the pruned database has %d rows, want 2", n)
	}
	if in, _ := e.Get(ctx, "src"); in.Status != StatusStopped {
		t.Fatalf("source status %s after the fork", in.Status)
	}
	_, err = e.Fork(ctx, "src", "x", "20200101T000000.000Z-00000000.db")
	wantErr(t, err, ErrBackupNotFound)
	var bad *BadInputError
	if _, err := e.Fork(ctx, "src", "x", "../../catalog.db"); !errors.As(err, &bad) {
		t.Fatalf("a path as backup name: err = %v, want BadInputError", err)
	}
	if _, err := e.Get(ctx, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("failed forks left database x: %v", err)
	}
}

func TestForkRefusals(t *testing.T) {
	e := openTest(t, func(c *Config) { c.MaxDatabases = 2 })
	ctx := context.Background()
	spawn(t, e, "src")
	spawn(t, e, "other")
	exec(t, e, "other", "CREATE TABLE keep(x)")
	_, err := e.Fork(ctx, "src", "other", "")
	wantErr(t, err, ErrExists)
	if _, err := e.Exec(ctx, "other", Query{SQL: "SELECT * FROM keep"}); err != nil {
		t.Fatalf("the existing target was touched: %v", err)
	}
	_, err = e.Fork(ctx, "src", "third", "")
	wantErr(t, err, ErrTooManyDatabases)
	_, err = e.Fork(ctx, "missing", "y", "")
	wantErr(t, err, ErrNotFound)
	for _, bad := range []string{"../x", ".hidden", "", strings.Repeat("a", 201), "a/b"} {
		_, err = e.Fork(ctx, "src", bad, "")
		wantErr(t, err, ErrInvalidName)
	}
	// nothing staged is left in the databases directory
	ents, _ := os.ReadDir(filepath.Join(e.cfg.DataDir, "databases"))
	for _, ent := range ents {
		if strings.HasPrefix(ent.Name(), ".") {
			t.Fatalf("left behind: %s", ent.Name())
		}
	}
}

func TestForkSizeQuota(t *testing.T) {
	dir := t.TempDir()
	e := openTest(t, func(c *Config) { c.DataDir = dir })
	spawn(t, e, "big")
	exec(t, e, "big", "CREATE TABLE t(b BLOB)")
	exec(t, e, "big", "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 50) INSERT INTO t SELECT randomblob(10000) FROM s")
	e.Close()
	// the operator lowers the quota below the size of the existing database
	e2 := openTest(t, func(c *Config) { c.DataDir = dir; c.MaxDBSizeBytes = 64 << 10 })
	_, err := e2.Fork(context.Background(), "big", "copy", "")
	wantErr(t, err, ErrQuotaExceeded)
	if _, err := e2.Get(context.Background(), "copy"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an oversize fork was kept: %v", err)
	}
}
