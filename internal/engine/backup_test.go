package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func backup(t *testing.T, e *Engine, db string) BackupInfo {
	t.Helper()
	b, err := e.Backup(context.Background(), db)
	if err != nil {
		t.Fatalf("Backup(%s): %v", db, err)
	}
	return b
}

func count(t *testing.T, e *Engine, db string) int64 {
	t.Helper()
	return exec(t, e, db, "SELECT count(*) FROM t").Rows[0][0].(int64)
}

func TestBackupListRestore(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	runScript(t, e, "d", richSchema)
	exec(t, e, "d", "CREATE TABLE t(x)")
	exec(t, e, "d", "INSERT INTO t VALUES (1), (2)")
	snap := dump(t, e, "d")
	b := backup(t, e, "d")
	if _, ok := parseBackupName(b.Name); !ok || b.SizeBytes <= 0 || time.Since(b.CreatedAt) > time.Minute {
		t.Fatalf("backup info = %+v", b)
	}
	if _, err := os.Stat(filepath.Join(e.cfg.DataDir, "backups", "d", b.Name)); err != nil {
		t.Fatal(err)
	}
	// changes after the backup, some still in the WAL
	exec(t, e, "d", "INSERT INTO t VALUES (3)")
	exec(t, e, "d", "DROP TABLE norowid")
	list, err := e.ListBackups(context.Background(), "d")
	if err != nil || len(list) != 1 || list[0] != b {
		t.Fatalf("ListBackups = %+v, %v; want [%+v]", list, err, b)
	}
	got, err := e.Restore(context.Background(), "d", b.Name)
	if err != nil || got != b {
		t.Fatalf("Restore = %+v, %v", got, err)
	}
	if after := dump(t, e, "d"); after != snap {
		t.Fatal("restored database differs from the one backed up")
	}
	// the instance works on the restored file, reads and writes
	exec(t, e, "d", "INSERT INTO t VALUES (4)")
	if n := count(t, e, "d"); n != 3 {
		t.Fatalf("count = %d, want 3", n)
	}
	// and the restore survives a restart
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e2, err := Open(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	if n := count(t, e2, "d"); n != 3 {
		t.Fatalf("after reopen count = %d, want 3", n)
	}
}

// TestBackupWhileWriting takes backups while a writer keeps inserting: the
// writes never fail and every backup is a sound snapshot.
func TestBackupWhileWriting(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(id INTEGER PRIMARY KEY, pad TEXT)")
	exec(t, e, "d", `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 20000)
		INSERT INTO t(pad) SELECT printf('%0100d', i) FROM c`)
	var stop atomic.Bool
	var wg sync.WaitGroup
	var writes atomic.Int64
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			if _, err := e.Exec(context.Background(), "d", Query{SQL: "INSERT INTO t(pad) VALUES ('w')"}); err != nil {
				werr = err
				return
			}
			writes.Add(1)
		}
	}()
	var infos []BackupInfo
	for range 3 {
		infos = append(infos, backup(t, e, "d"))
	}
	stop.Store(true)
	wg.Wait()
	if werr != nil {
		t.Fatalf("write during backup: %v", werr)
	}
	if writes.Load() == 0 {
		t.Fatal("no write ran during the backups")
	}
	final := count(t, e, "d")
	for _, b := range infos {
		path := filepath.Join(e.cfg.DataDir, "backups", "d", b.Name)
		if err := quickCheck(context.Background(), path); err != nil {
			t.Fatalf("backup %s: %v", b.Name, err)
		}
		db, conn, err := openOne(context.Background(), plainDriver(), dsn(path, "mode=ro"))
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		err = conn.QueryRowContext(context.Background(), "SELECT count(*) FROM t").Scan(&n)
		conn.Close()
		db.Close()
		if err != nil || n < 20000 || n > final {
			t.Fatalf("backup %s holds %d rows (%v), want 20000..%d", b.Name, n, err, final)
		}
	}

	// The acceptance check: a snapshot taken under writes restores to a
	// database that passes a full integrity_check and holds what it held.
	want := backupRows(t, e, infos[1].Name)
	if _, err := e.Restore(context.Background(), "d", infos[1].Name); err != nil {
		t.Fatal(err)
	}
	if got := exec(t, e, "d", "PRAGMA integrity_check").Rows; len(got) != 1 || got[0][0] != "ok" {
		t.Fatalf("integrity_check after restore = %v", got)
	}
	if got := count(t, e, "d"); got != want {
		t.Fatalf("restored %d rows, the backup held %d", got, want)
	}
}

// backupRows counts t's rows in a backup file, read directly.
func backupRows(t *testing.T, e *Engine, name string) int64 {
	t.Helper()
	db, conn, err := openOne(context.Background(), plainDriver(), dsn(filepath.Join(e.cfg.DataDir, "backups", "d", name), "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer conn.Close()
	var n int64
	if err := conn.QueryRowContext(context.Background(), "SELECT count(*) FROM t").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBackupRetention(t *testing.T) {
	e := openTest(t, func(c *Config) { c.BackupRetention = 3 })
	spawn(t, e, "d")
	var names []string
	for range 5 {
		names = append(names, backup(t, e, "d").Name)
	}
	list, err := e.ListBackups(context.Background(), "d")
	if err != nil || len(list) != 3 {
		t.Fatalf("ListBackups = %v, %v", list, err)
	}
	for i, b := range list { // newest first
		if b.Name != names[4-i] {
			t.Fatalf("list[%d] = %s, want %s", i, b.Name, names[4-i])
		}
	}
	for _, old := range names[:2] {
		if _, err := os.Stat(filepath.Join(e.cfg.DataDir, "backups", "d", old)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("old backup %s still there: %v", old, err)
		}
	}
}

func TestRestoreRefusesBadNames(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	spawn(t, e, "other")
	b := backup(t, e, "other")
	// a stray file in the backup directory that is not a backup name
	dir := filepath.Join(e.cfg.DataDir, "backups", "d")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "evil.db"), []byte("x"), 0o644)
	for _, name := range []string{"", "evil.db", "../other/" + b.Name, "../../databases/d.db", b.Name + "/", "/etc/passwd"} {
		_, err := e.Restore(context.Background(), "d", name)
		var be *BadInputError
		if !errors.As(err, &be) {
			t.Fatalf("Restore(%q) = %v, want BadInputError", name, err)
		}
	}
	// a well-formed name of another database's backup is not this one's
	_, err := e.Restore(context.Background(), "d", b.Name)
	wantErr(t, err, ErrBackupNotFound)
	_, err = e.Restore(context.Background(), "nope", b.Name)
	wantErr(t, err, ErrNotFound)
	_, err = e.Backup(context.Background(), "nope")
	wantErr(t, err, ErrNotFound)
	_, err = e.ListBackups(context.Background(), "../d")
	wantErr(t, err, ErrInvalidName)
}

func TestRestoreRefusesDamagedBackup(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(x)")
	b := backup(t, e, "d")
	path := filepath.Join(e.cfg.DataDir, "backups", "d", b.Name)
	if err := os.WriteFile(path, []byte("not a database at all, just text"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := e.Restore(context.Background(), "d", b.Name)
	wantBadInput(t, err, "The backup is not a SQLite database.")
	// untouched and running
	exec(t, e, "d", "INSERT INTO t VALUES (1)")
	entries, _ := os.ReadDir(filepath.Join(e.cfg.DataDir, "databases"))
	for _, ent := range entries {
		if ent.Name() != "d.db" && ent.Name() != "d.db-wal" && ent.Name() != "d.db-shm" {
			t.Fatalf("left behind: %s", ent.Name())
		}
	}
}

func TestRestoreStoppedDatabase(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(x)")
	b := backup(t, e, "d")
	exec(t, e, "d", "INSERT INTO t VALUES (1)")
	if _, err := e.Prune(context.Background(), "d"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Restore(context.Background(), "d", b.Name); err != nil {
		t.Fatal(err)
	}
	if in, _ := e.Get(context.Background(), "d"); in.Status != StatusStopped {
		t.Fatalf("status = %s, want stopped", in.Status)
	}
	_, err := e.Backup(context.Background(), "d")
	wantErr(t, err, ErrStopped)
	spawn(t, e, "d")
	if n := count(t, e, "d"); n != 0 {
		t.Fatalf("count = %d, want 0", n)
	}
}

func TestRestoringInstanceIsLocked(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	inst, _ := e.lookup("d")
	inst.restoring.Store(true)
	_, err := e.Exec(context.Background(), "d", Query{SQL: "SELECT 1"})
	wantErr(t, err, ErrLocked)
	inst.restoring.Store(false)
	exec(t, e, "d", "SELECT 1")
}

func TestDeleteRemovesBackups(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	backup(t, e, "d")
	if err := e.Delete(context.Background(), "d"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(e.cfg.DataDir, "backups", "d")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("backup directory still there: %v", err)
	}
	// a new database of the same name starts with no backups
	spawn(t, e, "d")
	if list, err := e.ListBackups(context.Background(), "d"); err != nil || len(list) != 0 {
		t.Fatalf("ListBackups = %v, %v", list, err)
	}
}

func TestBackupNames(t *testing.T) {
	now := time.Date(2025, 11, 21, 23, 5, 12, 345e6, time.UTC)
	n := newBackupName(now)
	got, ok := parseBackupName(n)
	if !ok || !got.Equal(now) || len(n) != backupNameLen {
		t.Fatalf("%s parses to %v, %v", n, got, ok)
	}
	if n == newBackupName(now) {
		t.Fatal("two backups in the same millisecond share a name")
	}
	for _, bad := range []string{"20251121T230512.345Z-0123abcd.db.partial", "20251121T230512.345Z-0123ABCD.db", "20251321T230512.345Z-0123abcd.db", "x/1121T230512.345Z-0123abcd.db"} {
		if _, ok := parseBackupName(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
