package engine

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/dbname"
)

// TestLongestNameFiles runs a database with the longest valid name
// through everything that derives a file name from it — the database and
// its -wal/-shm files, the backups directory, a backup, a restore (whose
// temporary ".<name>.restore-*" file must be creatable), prune, spawn and
// delete — on a real filesystem, and checks every name stays under 255 bytes.
func TestLongestNameFiles(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	name := strings.Repeat("n", dbname.MaxLen-4) + ".v-1"
	if len(name) != dbname.MaxLen || !ValidName(name) {
		t.Fatalf("test name: %d bytes, valid %v", len(name), ValidName(name))
	}
	spawn(t, e, name)
	exec(t, e, name, "CREATE TABLE t (x)")
	exec(t, e, name, "INSERT INTO t VALUES (1)")
	bk, err := e.Backup(ctx, name)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	exec(t, e, name, "INSERT INTO t VALUES (2)")

	// with the instance open in WAL mode, the -wal and -shm files exist
	dir := e.cfg.DataDir
	for _, p := range []string{
		filepath.Join(dir, "databases", name+".db"),
		filepath.Join(dir, "databases", name+".db-wal"),
		filepath.Join(dir, "databases", name+".db-shm"),
		filepath.Join(dir, "backups", name, bk.Name),
	} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("expected file: %v", err)
		}
	}
	checkNameLengths(t, dir)

	if _, err := e.Restore(ctx, name, bk.Name); err != nil {
		t.Fatalf("restore (temp file .%s.restore-*): %v", name, err)
	}
	if res := exec(t, e, name, "SELECT count(*) FROM t"); res.Rows[0][0] != int64(1) {
		t.Fatalf("after restore: %v rows", res.Rows[0][0])
	}
	checkNameLengths(t, dir)
	if _, err := e.Prune(ctx, name); err != nil {
		t.Fatal(err)
	}
	spawn(t, e, name)
	if err := e.Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "databases", name+".db")); !os.IsNotExist(err) {
		t.Fatalf("file left after delete: %v", err)
	}
	if ValidName(name + "x") {
		t.Fatal("a name one byte longer is accepted")
	}
	if _, _, err := e.Spawn(ctx, name+"x", ""); err != ErrInvalidName {
		t.Fatalf("spawn of %d bytes: %v", len(name)+1, err)
	}
}

// checkNameLengths fails for any entry under dir whose name, or the longest
// name derived from it (the restore temp file), reaches 255 bytes.
func checkNameLengths(t *testing.T, dir string) {
	t.Helper()
	const tempExtra = len(".") + len(".restore-") + 10 // CreateTemp adds up to 10 digits
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if n := len(d.Name()); n > 255 {
			t.Errorf("%d-byte name: %s", n, d.Name())
		}
		if base, ok := strings.CutSuffix(d.Name(), ".db"); ok && len(base)+tempExtra > 255 {
			t.Errorf("restore temp name of %s would be %d bytes", d.Name(), len(base)+tempExtra)
		}
		return nil
	})
}
