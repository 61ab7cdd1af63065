package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ForkInfo reports a fork: the new database and where its data came from.
type ForkInfo struct {
	Instance
	Source string
	Backup string // the backup forked from; "" for the live database
}

// Fork makes database to, a new and independent copy of db. With backup
// "" it copies the live database (running or stopped) with VACUUM INTO,
// the same online snapshot a backup takes: one read transaction, so the
// copy holds exactly the transactions committed before it began while
// writes go on. With a backup name it copies that backup, checked as a
// restore checks it. The copy is made next to the databases under a hidden
// name and becomes the new database only when complete, so a failed fork
// leaves nothing behind. The fork counts against MaxDatabases and must fit
// MaxDBSizeBytes.
//
// A database of another backend is forked by forkExternal.
func (e *Engine) Fork(ctx context.Context, db, to, backup string) (ForkInfo, error) {
	// a half-made copy is removed whatever the caller does meanwhile
	ctx = context.WithoutCancel(ctx)
	if !ValidName(to) {
		return ForkInfo{}, ErrInvalidName
	}
	inst, err := e.lookup(db)
	if err != nil {
		return ForkInfo{}, err
	}
	if err := e.canCreate(ctx, to); err != nil {
		return ForkInfo{}, err
	}
	if isExternal(inst.backend) {
		return e.forkExternal(ctx, inst, db, to, backup)
	}
	staged, err := e.stageFork(ctx, inst, db, to, backup)
	if err != nil {
		return ForkInfo{}, err
	}
	in, err := e.adoptStaged(ctx, to, staged)
	if err != nil {
		return ForkInfo{}, err
	}
	return ForkInfo{Instance: in, Source: db, Backup: backup}, nil
}

// stageFork copies the live database or one of its backups to a hidden
// file in the databases directory and returns its path.
func (e *Engine) stageFork(ctx context.Context, inst *instance, db, to, backup string) (string, error) {
	// a restore or delete of the source waits for the copy, and the copy for them
	inst.xfer.Lock()
	defer inst.xfer.Unlock()
	if cur, err := e.lookup(db); err != nil || cur != inst {
		return "", ErrNotFound // deleted while we waited
	}
	if inst.restoring.Load() {
		return "", errRestoring
	}
	ctx, cancel := context.WithTimeout(ctx, e.cfg.TransferTimeout)
	defer cancel()
	if backup != "" {
		if _, ok := parseBackupName(backup); !ok {
			return "", &BadInputError{Msg: fmt.Sprintf("Invalid backup name %q: use a name from the backup list.", backup)}
		}
		src := filepath.Join(e.backupDir(db), backup)
		if st, err := os.Stat(src); errors.Is(err, os.ErrNotExist) || (err == nil && !st.Mode().IsRegular()) {
			return "", ErrBackupNotFound
		} else if err != nil {
			return "", fmt.Errorf("fork %s: %w", db, err)
		}
		staged, err := stageCopy(ctx, src, e.dbDir, to)
		if err != nil {
			return "", fmt.Errorf("fork %s: %w", db, err)
		}
		return staged, e.checkStagedSize(staged)
	}
	staged, err := e.stagePath(to, "fork")
	if err != nil {
		return "", fmt.Errorf("fork %s: %w", db, err)
	}
	inst.touch(time.Now())
	if err := vacuumInto(ctx, inst.path, staged); err != nil {
		removeFiles(staged)
		return "", mapErr(ctx, err)
	}
	if err := syncFile(staged); err != nil {
		removeFiles(staged)
		return "", fmt.Errorf("fork %s: %w", db, err)
	}
	return staged, e.checkStagedSize(staged)
}

// checkStagedSize removes a staged file larger than the size quota.
func (e *Engine) checkStagedSize(staged string) error {
	if e.cfg.MaxDBSizeBytes <= 0 {
		return nil
	}
	st, err := os.Stat(staged)
	if err != nil {
		removeFiles(staged)
		return err
	}
	if st.Size() > e.cfg.MaxDBSizeBytes {
		removeFiles(staged)
		return fmt.Errorf("%w: the copy is %d bytes, the quota %d", ErrQuotaExceeded, st.Size(), e.cfg.MaxDBSizeBytes)
	}
	return nil
}

// stagePath returns an unused hidden path in the databases directory for a
// file being prepared as database name (the file itself does not exist).
func (e *Engine) stagePath(name, what string) (string, error) {
	f, err := os.CreateTemp(e.dbDir, "."+name+"."+what+"-*")
	if err != nil {
		return "", err
	}
	p := f.Name()
	f.Close()
	// VACUUM INTO refuses an existing non-empty file only; an empty one is fine,
	// but remove it so every writer starts from nothing
	return p, os.Remove(p)
}

// canCreate reports whether a database name could be created now: not in
// the catalog, no file of its own, room under MaxDatabases. adoptStaged
// checks again under the lifecycle lock; this only fails fast before a
// copy.
func (e *Engine) canCreate(ctx context.Context, name string) error {
	switch _, err := e.lookup(name); {
	case err == nil:
		return ErrExists
	case !errors.Is(err, ErrNotFound):
		return err
	}
	if _, err := os.Lstat(e.dbPath(name)); err == nil {
		// a file with no catalog entry belongs to someone: never overwrite it
		return ErrExists
	}
	return e.roomForDatabase(ctx)
}

// adoptStaged makes a complete staged database file the new database name:
// its WAL is folded in, it is renamed into place and registered as a
// running instance. On any failure the staged file and the renamed file are
// removed, so no database is left behind.
func (e *Engine) adoptStaged(ctx context.Context, name, staged string) (in Instance, err error) {
	placed := false
	defer func() {
		if err == nil {
			return
		}
		if placed {
			removeFiles(e.dbPath(name))
		} else {
			removeFiles(staged)
		}
	}()
	if err := settleWAL(ctx, staged); err != nil {
		return Instance{}, err
	}
	e.life.Lock()
	defer e.life.Unlock()
	if err := e.canCreate(ctx, name); err != nil {
		return Instance{}, err
	}
	if err := os.Rename(staged, e.dbPath(name)); err != nil {
		return Instance{}, fmt.Errorf("create %s: %w", name, err)
	}
	placed = true
	if err := syncDir(e.dbDir); err != nil {
		return Instance{}, fmt.Errorf("create %s: %w", name, err)
	}
	in, _, err = e.create(ctx, name)
	return in, err
}

// forkExternal forks a database of another backend (PostgreSQL): a new
// database of the same backend, filled by restoring a backup of the
// running source taken now (the backend's own, consistent, dump) or the
// named backup. A failed or oversized fork deletes the new database.
// CREATE DATABASE … TEMPLATE would copy faster but needs the source idle.
func (e *Engine) forkExternal(ctx context.Context, inst *instance, db, to, backup string) (ForkInfo, error) {
	src, cleanup, err := e.externalForkSource(ctx, inst, db, backup)
	if err != nil {
		return ForkInfo{}, err
	}
	defer cleanup()
	in, created, err := e.Spawn(ctx, to, inst.backend)
	if err != nil {
		return ForkInfo{}, err
	}
	if !created { // made by someone else meanwhile: never overwrite it
		return ForkInfo{}, ErrExists
	}
	fail := func(err error) (ForkInfo, error) {
		if derr := e.Delete(ctx, to); derr != nil {
			err = errors.Join(err, fmt.Errorf("fork %s: removing the partial copy: %w", to, derr))
		}
		return ForkInfo{}, err
	}
	target, err := e.lookup(to)
	if err != nil {
		return fail(err)
	}
	if err := e.restoreExternal(ctx, target, src); err != nil {
		return fail(err)
	}
	if limit := e.cfg.MaxDBSizeBytes; limit > 0 {
		if od := target.ext.Load(); od != nil {
			n, err := od.db.Size(ctx)
			if err != nil {
				return fail(err)
			}
			if n > limit {
				return fail(fmt.Errorf("%w: the copy is %d bytes, the quota %d", ErrQuotaExceeded, n, limit))
			}
		}
	}
	return ForkInfo{Instance: in, Source: db, Backup: backup}, nil
}

// externalForkSource is the file a fork of an external database restores:
// the named backup, or a backup of the live database written to a hidden
// file in the databases directory (removed by cleanup).
func (e *Engine) externalForkSource(ctx context.Context, inst *instance, db, backup string) (path string, cleanup func(), err error) {
	if backup != "" {
		if _, ok := parseBackupName(backup); !ok {
			return "", nil, &BadInputError{Msg: fmt.Sprintf("Invalid backup name %q: use a name from the backup list.", backup)}
		}
		src := filepath.Join(e.backupDir(db), backup)
		if st, err := os.Stat(src); errors.Is(err, os.ErrNotExist) || (err == nil && !st.Mode().IsRegular()) {
			return "", nil, ErrBackupNotFound
		} else if err != nil {
			return "", nil, fmt.Errorf("fork %s: %w", db, err)
		}
		return src, func() {}, nil
	}
	// a restore or delete of the source waits for the copy, and the copy for them
	inst.xfer.Lock()
	defer inst.xfer.Unlock()
	_, d, _, err := e.external(db)
	if err != nil {
		return "", nil, err
	}
	f, err := os.CreateTemp(e.dbDir, "."+inst.id+".fork-*")
	if err != nil {
		return "", nil, fmt.Errorf("fork %s: %w", db, err)
	}
	cleanup = func() { os.Remove(f.Name()) }
	tctx, cancel := context.WithTimeout(ctx, e.cfg.TransferTimeout)
	defer cancel()
	_, err = d.Backup(tctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		cleanup()
		return "", nil, err
	}
	return f.Name(), cleanup, nil
}
