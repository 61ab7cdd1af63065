package engine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(ents)
}

// TestDamagedFileFailsCleanly: a database file of garbage bytes fails to
// open with ErrDamaged — no panic, no descriptor left open — and the
// engine keeps serving the others.
func TestDamagedFileFailsCleanly(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "good")
	path := filepath.Join(e.cfg.DataDir, "databases", "bad.db")
	if err := os.WriteFile(path, bytes.Repeat([]byte("garbage!"), 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	before := openFDs(t)
	for range 5 {
		_, _, err := e.Spawn(context.Background(), "bad", "")
		if !errors.Is(err, ErrDamaged) {
			t.Fatalf("spawn over a garbage file: err = %v, want ErrDamaged", err)
		}
	}
	if after := openFDs(t); after > before {
		t.Fatalf("%d file descriptors left open by failed opens", after-before)
	}
	if _, err := e.Exec(context.Background(), "bad", Query{SQL: "SELECT 1"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the damaged database was registered: %v", err)
	}
	exec(t, e, "good", "SELECT 1")
	// the garbage is the owner's: it is left as it was
	if b, _ := os.ReadFile(path); !bytes.HasPrefix(b, []byte("garbage!")) {
		t.Fatal("the damaged file was changed")
	}
}

// TestDamagedFileDoesNotStopTheEngine: a running database whose file was
// damaged while the engine was down stays stopped; the others open.
func TestDamagedFileDoesNotStopTheEngine(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	spawn(t, e, "good")
	spawn(t, e, "bad")
	exec(t, e, "good", "CREATE TABLE t(a)")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "databases", "bad.db")
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	if err := os.WriteFile(path, bytes.Repeat([]byte("garbage!"), 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err = Open(Config{DataDir: dir})
	if err != nil {
		t.Fatalf("one damaged database kept the engine from opening: %v", err)
	}
	defer e.Close()
	exec(t, e, "good", "SELECT count(*) FROM t")
	_, err = e.Exec(context.Background(), "bad", Query{SQL: "SELECT 1"})
	wantErr(t, err, ErrStopped)
	_, _, err = e.Spawn(context.Background(), "bad", "")
	wantErr(t, err, ErrDamaged)
}
