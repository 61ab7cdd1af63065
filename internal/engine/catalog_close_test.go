package engine

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCatalogCloseKeepsSmallWAL: a short session (an audit entry, an
// access time) leaves the catalog file untouched at close, its writes in
// the kept WAL, where the next open reads them; once the WAL has grown
// past catalogWALKept a close checkpoints it into the catalog again.
func TestCatalogCloseKeepsSmallWAL(t *testing.T) {
	dir := t.TempDir()
	cat := filepath.Join(dir, "catalog.db")
	session := func(fn func(e *Engine)) {
		t.Helper()
		e, err := Open(Config{DataDir: dir, SampleInterval: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		fn(e)
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
	}
	session(func(e *Engine) {
		spawn(t, e, "db")
		exec(t, e, "db", "CREATE TABLE t(x)")
	})
	before, err := os.ReadFile(cat)
	if err != nil {
		t.Fatal(err)
	}

	session(func(e *Engine) {
		exec(t, e, "db", "INSERT INTO t VALUES (42)")
		e.Audit(AuditEntry{Route: "POST /api/db/{db}/query", Database: "db", Status: 200, Count: 1})
	})
	after, _ := os.ReadFile(cat)
	if !bytes.Equal(before, after) {
		t.Fatal("a short session checkpointed the catalog at close")
	}
	if st, err := os.Stat(cat + "-wal"); err != nil || st.Size() == 0 {
		t.Fatalf("catalog WAL not kept: %v", err)
	}

	// the kept WAL is read back: the entry, the access time and the
	// database's own write are all there
	session(func(e *Engine) {
		got, err := e.AuditLog(context.Background(), AuditFilter{Database: "db"})
		if err != nil || len(got) != 1 || got[0].Status != 200 {
			t.Fatalf("audit after reopen: %+v, %v", got, err)
		}
		if res := exec(t, e, "db", "SELECT x FROM t"); len(res.Rows) != 1 {
			t.Fatalf("the write is lost: %+v", res.Rows)
		}
	})

	// grow the WAL past the bound: the close checkpoints and truncates it
	session(func(e *Engine) {
		for i := 0; ; i++ {
			if st, err := os.Stat(cat + "-wal"); err == nil && st.Size() > catalogWALKept {
				break
			}
			if i > 100000 {
				t.Fatal("the WAL does not grow")
			}
			e.Audit(AuditEntry{Route: "POST /api/db/{db}/query", Database: "db", Status: 200, Count: 1})
			if i%200 == 0 {
				time.Sleep(5 * time.Millisecond) // let the audit writer commit
			}
		}
	})
	if st, err := os.Stat(cat + "-wal"); err == nil && st.Size() > 0 {
		t.Fatalf("a WAL of %d bytes left after a close past the bound", st.Size())
	}
	if final, _ := os.ReadFile(cat); bytes.Equal(before, final) {
		t.Fatal("the catalog was never checkpointed")
	}
}
