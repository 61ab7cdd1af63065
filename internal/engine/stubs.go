package engine

// This file fixes the engine's method set so the gateway can be written
// against it. Each stub is replaced by its real implementation; delete this
// file once none remains.

import (
	"context"
	"errors"
)

var errTODO = errors.New("not implemented")

// Engine is the catalog plus the open SQLite databases.
type Engine struct{}

// Open opens (creating if needed) the data directory: <data>/catalog.db,
// <data>/databases/<name>.db, <data>/backups/<name>/.
func Open(cfg Config) (*Engine, error) { return nil, errTODO }

// Close checkpoints every WAL and closes every database. Idempotent.
func (e *Engine) Close() error { return errTODO }

// Spawn creates the instance (created=true), or starts a stopped one with its
// data, or returns the running one unchanged.
func (e *Engine) Spawn(ctx context.Context, name, backend string) (inst Instance, created bool, err error) {
	return Instance{}, false, errTODO
}

// Prune stops a running instance and keeps its files. ErrNotFound when
// unknown or already stopped.
func (e *Engine) Prune(ctx context.Context, name string) (Instance, error) {
	return Instance{}, errTODO
}

// Delete removes the instance and its files for good.
func (e *Engine) Delete(ctx context.Context, name string) error { return errTODO }

// List returns running instances (and stopped ones when includeStopped), by name.
func (e *Engine) List(ctx context.Context, includeStopped bool) ([]Instance, error) {
	return nil, errTODO
}

// Get returns one instance, running or stopped.
func (e *Engine) Get(ctx context.Context, name string) (Instance, error) { return Instance{}, errTODO }

// Details returns the instance with facts read from its file.
func (e *Engine) Details(ctx context.Context, name string) (Details, error) {
	return Details{}, errTODO
}

// Stats returns the instance's health counters and sample series.
func (e *Engine) Stats(ctx context.Context, name string) (Stats, error) { return Stats{}, errTODO }

// Exec runs exactly one statement.
func (e *Engine) Exec(ctx context.Context, db string, q Query) (*Result, error) { return nil, errTODO }

// CreateTable creates a table from column definitions (identifiers validated
// and quoted, defaults bound as literals).
func (e *Engine) CreateTable(ctx context.Context, db, table string, cols []ColumnDef) error {
	return errTODO
}

// InsertRows inserts all rows in one transaction: all or nothing.
func (e *Engine) InsertRows(ctx context.Context, db, table string, rows []map[string]any) (int64, error) {
	return 0, errTODO
}

// SelectRows reads a table with equality filters on its columns.
func (e *Engine) SelectRows(ctx context.Context, db, table string, filters map[string]string, limit, offset int) (*Result, error) {
	return nil, errTODO
}

// Schema introspects the database, or one table/view when table != "".
func (e *Engine) Schema(ctx context.Context, db, table string) (*Schema, error) { return nil, errTODO }

// Explain returns EXPLAIN QUERY PLAN for one statement.
func (e *Engine) Explain(ctx context.Context, db string, q Query) ([]PlanNode, error) {
	return nil, errTODO
}

// Counts returns how many instances are running and stopped (for /health).
func (e *Engine) Counts(ctx context.Context) (running, stopped int, err error) { return 0, 0, errTODO }

// CheckDataDir reports whether the data directory is writable (for /health).
func (e *Engine) CheckDataDir() error { return errTODO }
