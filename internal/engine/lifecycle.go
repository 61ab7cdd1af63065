package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// Spawn creates the instance (created=true), or starts a stopped one with its
// data, or returns the running one unchanged. backend "" means SQLite.
func (e *Engine) Spawn(ctx context.Context, name, backend string) (inst Instance, created bool, err error) {
	// a half-done lifecycle change is worse than a late one
	ctx = context.WithoutCancel(ctx)
	if !ValidName(name) {
		return Instance{}, false, ErrInvalidName
	}
	if backend == "" {
		backend = BackendSQLite
	}
	b, err := e.backendNamed(backend)
	if err != nil {
		return Instance{}, false, err
	}
	e.life.Lock()
	defer e.life.Unlock()
	existing, err := e.lookup(name)
	switch {
	case errors.Is(err, ErrNotFound) && isExternal(b.Name()):
		return e.createExternal(ctx, name, b)
	case errors.Is(err, ErrNotFound):
		return e.create(ctx, name)
	case err != nil:
		return Instance{}, false, err
	}
	now := time.Now()
	if existing.status() == StatusRunning {
		existing.touch(now)
		return existing.info(), false, nil
	}
	if isExternal(existing.backend) {
		return e.startExternal(ctx, existing)
	}
	c, err := e.startInstance(ctx, existing)
	if err != nil {
		return Instance{}, false, fmt.Errorf("open %s: %w", name, err)
	}
	if err := e.catalog.setStatus(ctx, name, StatusRunning, now); err != nil {
		existing.detach()
		c.close()
		return Instance{}, false, err
	}
	existing.accessed.Store(now.UnixNano())
	existing.persisted.Store(now.UnixNano())
	return existing.info(), false, nil
}

// roomForDatabase fails with ErrTooManyDatabases when one more database
// would pass MaxDatabases (0 is unlimited).
func (e *Engine) roomForDatabase(ctx context.Context) error {
	if e.cfg.MaxDatabases <= 0 {
		return nil
	}
	if err := e.LoadAll(ctx); err != nil {
		return err
	}
	e.mu.RLock()
	n := len(e.insts)
	e.mu.RUnlock()
	if n >= e.cfg.MaxDatabases {
		return ErrTooManyDatabases
	}
	return nil
}

// create makes a new instance; the caller holds e.life.
func (e *Engine) create(ctx context.Context, name string) (Instance, bool, error) {
	if err := e.roomForDatabase(ctx); err != nil {
		return Instance{}, false, err
	}
	now := time.Now().UTC()
	in := Instance{
		Name:         name,
		ID:           newID(),
		Backend:      BackendSQLite,
		Status:       StatusRunning,
		CreatedAt:    now,
		LastAccessed: now,
	}
	path := e.dbPath(name)
	// A file without a catalog entry (a lost catalog) is adopted, never
	// deleted: the data belongs to its owner.
	inst := newInstance(in, path, e.cfg.SampleCount)
	c, err := e.startInstance(ctx, inst)
	if err != nil {
		return Instance{}, false, fmt.Errorf("create %s: %w", name, err)
	}
	if err := e.addInstance(ctx, in, inst); err != nil {
		inst.detach()
		c.close()
		return Instance{}, false, err
	}
	return inst.info(), true, nil
}

// Prune stops a running instance and keeps its files. ErrNotFound when
// unknown or already stopped.
func (e *Engine) Prune(ctx context.Context, name string) (Instance, error) {
	// a half-done lifecycle change is worse than a late one
	ctx = context.WithoutCancel(ctx)
	e.life.Lock()
	defer e.life.Unlock()
	return e.pruneLocked(ctx, name)
}

// pruneLocked is Prune for a caller holding e.life.
func (e *Engine) pruneLocked(ctx context.Context, name string) (Instance, error) {
	inst, err := e.lookup(name)
	if err != nil {
		return Instance{}, err
	}
	if isExternal(inst.backend) {
		return e.pruneExternal(ctx, inst)
	}
	c, wasRunning := inst.detach()
	if !wasRunning {
		return Instance{}, ErrNotFound
	}
	var cerr error
	if c != nil {
		cerr = c.close()
	}
	if err := e.catalog.setStatus(ctx, name, StatusStopped, time.Unix(0, inst.accessed.Load())); err != nil {
		return Instance{}, err
	}
	inst.persisted.Store(inst.accessed.Load())
	if cerr != nil {
		return inst.info(), fmt.Errorf("prune %s: checkpoint: %w", name, cerr)
	}
	return inst.info(), nil
}

// Delete removes the instance and its files for good.
func (e *Engine) Delete(ctx context.Context, name string) error {
	// a half-done lifecycle change is worse than a late one
	ctx = context.WithoutCancel(ctx)
	e.life.Lock()
	defer e.life.Unlock()
	inst, err := e.lookup(name)
	if err != nil {
		return err
	}
	// wait for a backup in progress, so none lands in a removed directory
	inst.xfer.Lock()
	defer inst.xfer.Unlock()
	if isExternal(inst.backend) {
		if err := e.deleteExternal(ctx, inst); err != nil {
			return err
		}
	}
	if c, _ := inst.detach(); c != nil {
		c.close()
	}
	if err := e.removeInstance(ctx, name); err != nil {
		return err
	}
	if isExternal(inst.backend) {
		return os.RemoveAll(e.backupDir(name))
	}
	return errors.Join(removeFiles(inst.path), os.RemoveAll(e.backupDir(name)))
}

// removeFiles deletes a database file with its WAL and shared-memory files.
func removeFiles(path string) error {
	var errs []error
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// List returns running instances (and stopped ones when includeStopped), by name.
func (e *Engine) List(ctx context.Context, includeStopped bool) ([]Instance, error) {
	page, _, err := e.ListPage(ctx, ListFilter{Running: true, Stopped: includeStopped})
	return page, err
}

// Get returns one instance, running or stopped.
func (e *Engine) Get(ctx context.Context, name string) (Instance, error) {
	inst, err := e.lookup(name)
	if err != nil {
		return Instance{}, err
	}
	return inst.info(), nil
}
