//go:build linux

package engine

import (
	"context"
	"errors"
	"syscall"
	"testing"
)

// smallDisk mounts a tmpfs of the given size on a temp dir: a real file
// system that fills up. It needs the right to mount (root in a container);
// the test is skipped without it.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skip("cannot mount a small file system:", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fill inserts 256 KiB rows until a write fails and returns that error.
func fill(t *testing.T, e *Engine, db string) error {
	t.Helper()
	exec(t, e, db, "CREATE TABLE t(b)")
	for range 200 {
		if _, err := e.Exec(context.Background(), db, Query{SQL: "INSERT INTO t VALUES (zeroblob(262144))"}); err != nil {
			return err
		}
	}
	t.Fatal("200 rows of 256 KiB fit on the small disk")
	return nil
}

// TestFullDiskIsNotAQuota: a write that fails because the disk is full
// says so (ErrStorageFull), with or without a quota; a quota that is
// reached while the disk has room stays ErrQuotaExceeded.
func TestFullDiskIsNotAQuota(t *testing.T) {
	for _, c := range []struct {
		name  string
		quota int64
		want  error
	}{
		{"no quota", 0, ErrStorageFull},
		{"quota larger than the disk", 1 << 30, ErrStorageFull},
		{"quota reached first", 1 << 20, ErrQuotaExceeded},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := smallDisk(t, "16m")
			e := openTest(t, func(cfg *Config) { cfg.DataDir = dir; cfg.MaxDBSizeBytes = c.quota })
			spawn(t, e, "d")
			err := fill(t, e, "d")
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			other := ErrQuotaExceeded
			if c.want == ErrQuotaExceeded {
				other = ErrStorageFull
			}
			if errors.Is(err, other) {
				t.Fatalf("err = %v is also %v", err, other)
			}
			// what was stored before stays readable
			if res := exec(t, e, "d", "SELECT count(*) > 0 FROM t"); res.Rows[0][0] != int64(1) {
				t.Fatalf("rows: %v", res.Rows)
			}
		})
	}
}
