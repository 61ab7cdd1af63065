package engine

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// wantPrivate fails unless nothing under dir (dir included) is readable by
// group or others: directories 0700, files 0600.
func wantPrivate(t *testing.T, dir string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, err := os.Lstat(path)
		if err != nil {
			return err
		}
		n++
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v", path, st.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d entries under %s: the test saw too little", n, dir)
	}
}

// TestDataDirIsPrivate: the catalog (key hashes), databases and backups
// are created for the owner only, WAL and shared-memory files included,
// and an engine opened over a directory made readable by others tightens it.
func TestDataDirIsPrivate(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	spawn(t, e, "shop")
	exec(t, e, "shop", "CREATE TABLE t(a)")
	exec(t, e, "shop", "INSERT INTO t VALUES (1)")
	if _, err := e.Backup(context.Background(), "shop"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"catalog.db-wal", "databases/shop.db-wal", "databases/shop.db-shm"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Fatalf("%s: %v (the test wants it to exist)", p, err)
		}
	}
	wantPrivate(t, dir)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	// an older version left everything readable
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return os.Chmod(path, 0o755)
		}
		return os.Chmod(path, 0o644)
	})
	e, err = Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	// databases open on their first call: shop's files are checked once open
	if res := exec(t, e, "shop", "SELECT a FROM t"); res.Rows[0][0] != int64(1) {
		t.Fatalf("data after reopening: %v", res.Rows)
	}
	wantPrivate(t, dir)
}

// TestCrashLeftoversCleaned: files the engine leaves behind when it dies
// mid-way are removed at the next open; everything else stays.
func TestCrashLeftoversCleaned(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	spawn(t, e, "shop")
	exec(t, e, "shop", "CREATE TABLE t(a)")
	info, err := e.Backup(context.Background(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	write := func(rel string) string {
		p := filepath.Join(dir, rel)
		if err := os.WriteFile(p, []byte("left over"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	leftovers := []string{
		write("databases/.shop.restore-123456"),
		write("databases/.shop.fork-123456"),
		write("databases/.shop.template-123456-wal"),
		write("databases/gone.db-wal"),
		write("databases/gone.db-shm"),
		write("databases/gone.db-journal"),
		write("backups/shop/" + info.Name + "x.partial"),
		write(".health-42"),
		write(".admin_key-42"),
	}
	kept := []string{
		write("databases/lost.db"), // a database without a catalog entry is adopted, never deleted
		write("databases/lost.db-wal"),
		write("databases/notes.txt"),
		write("backups/shop/notes.partial.txt"),
		write("stray.restore-1"),
		filepath.Join(dir, "backups", "shop", info.Name),
		filepath.Join(dir, "databases", "shop.db"),
	}
	e, err = Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, p := range leftovers {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("leftover %s is still there", p)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	exec(t, e, "shop", "SELECT count(*) FROM t")
}
