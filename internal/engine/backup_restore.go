package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// Restore replaces a database's content with one of its backups.
//
// The snapshot is copied next to the database file and checked first, so
// the instance is quiesced only for the swap: its calls then fail with
// ErrLocked, in-flight ones finish, its connections close (which
// checkpoints the WAL into the main file), the WAL and shared-memory files
// are removed, and the copy is renamed over the database file. A crash at
// any point leaves either the old database or the new one, never a mix: the
// WAL is removed only once empty, before the rename. A stopped database is
// restored and stays stopped.
func (e *Engine) Restore(ctx context.Context, db, backup string) (BackupInfo, error) {
	// a half-done lifecycle change is worse than a late one
	ctx = context.WithoutCancel(ctx)
	created, ok := parseBackupName(backup)
	if !ok {
		return BackupInfo{}, &BadInputError{Msg: fmt.Sprintf("Invalid backup name %q: use a name from the backup list.", backup)}
	}
	e.life.Lock()
	defer e.life.Unlock()
	inst, err := e.lookup(db)
	if err != nil {
		return BackupInfo{}, err
	}
	inst.xfer.Lock()
	defer inst.xfer.Unlock()
	src := filepath.Join(e.backupDir(db), backup)
	st, err := os.Stat(src)
	if errors.Is(err, os.ErrNotExist) || (err == nil && !st.Mode().IsRegular()) {
		return BackupInfo{}, ErrBackupNotFound
	}
	if err != nil {
		return BackupInfo{}, fmt.Errorf("restore %s: %w", db, err)
	}
	info := BackupInfo{Name: backup, CreatedAt: created, SizeBytes: st.Size()}
	if isExternal(inst.backend) {
		return info, e.restoreExternal(ctx, inst, src)
	}
	tmp, err := stageCopy(ctx, src, filepath.Dir(inst.path), db)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("restore %s: %w", db, err)
	}
	swapped := false
	defer func() {
		if !swapped {
			os.Remove(tmp)
		}
	}()

	inst.restoring.Store(true)
	defer inst.restoring.Store(false)
	old, wasRunning := inst.detach()
	reopen := func() error {
		if old == nil {
			inst.unopened.Store(wasRunning) // opened by its next call
			return nil
		}
		if _, err := e.startInstance(ctx, inst); err != nil {
			return fmt.Errorf("restore %s: reopen: %w", db, err)
		}
		return nil
	}
	if old != nil {
		old.doneErr = errRestoring // set before close ends the waits
		if err := old.close(); err != nil {
			return BackupInfo{}, errors.Join(fmt.Errorf("restore %s: checkpoint: %w", db, err), reopen())
		}
	}
	if err := settleWAL(ctx, inst.path); err != nil {
		return BackupInfo{}, errors.Join(fmt.Errorf("restore %s: %w", db, err), reopen())
	}
	if err := os.Rename(tmp, inst.path); err != nil {
		return BackupInfo{}, errors.Join(fmt.Errorf("restore %s: %w", db, err), reopen())
	}
	swapped = true
	if err := syncDir(filepath.Dir(inst.path)); err != nil {
		return BackupInfo{}, errors.Join(fmt.Errorf("restore %s: %w", db, err), reopen())
	}
	if err := reopen(); err != nil {
		return BackupInfo{}, err
	}
	return info, nil
}

// stageCopy copies the backup into a temporary file in dir, syncs it and
// checks that SQLite finds it sound.
func stageCopy(ctx context.Context, src, dir, db string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(in, head); err != nil || !bytes.Equal(head, sqliteHeader) {
		return "", &BadInputError{Msg: "The backup is not a SQLite database."}
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	out, err := os.CreateTemp(dir, "."+db+".restore-*")
	if err != nil {
		return "", err
	}
	tmp := out.Name()
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = quickCheck(ctx, tmp)
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// quickCheck runs PRAGMA quick_check on a database file, read-only.
func quickCheck(ctx context.Context, path string) error {
	db, conn, err := openOne(ctx, plainDriver(), dsn(path, "mode=ro"))
	if err != nil {
		return err
	}
	defer func() {
		conn.Close()
		db.Close()
		os.Remove(path + "-wal") // left by a snapshot in WAL mode; empty
		os.Remove(path + "-shm")
	}()
	var res string
	if err := conn.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return &BadInputError{Msg: "The backup is damaged: " + cleanMessage(err.Error())}
	}
	if res != "ok" {
		return &BadInputError{Msg: "The backup is damaged: " + res}
	}
	return nil
}

// settleWAL leaves the database file complete on its own: a WAL still
// holding frames is checkpointed first (they belong to the old file and
// must never meet the new one), then the WAL and shared-memory files go.
func settleWAL(ctx context.Context, path string) error {
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		db, conn, err := openOne(ctx, plainDriver(), dsn(path, "_pragma=busy_timeout(5000)"))
		if err != nil {
			return err
		}
		_, err = conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
		conn.Close()
		db.Close()
		if err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
			return errors.New("the WAL could not be checkpointed; try again")
		}
	}
	for _, p := range []string{path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}
