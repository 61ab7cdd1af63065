package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// BackendPostgres names the PostgreSQL backend (internal/engine/postgres).
const BackendPostgres = "postgres"

// Backend creates, drops and opens the databases of one storage engine.
// SQLite is built in (backend_sqlite.go); others are handed to the engine
// in Config.Backends, so the engine imports none of them.
type Backend interface {
	Name() string                                    // "sqlite", "postgres"
	Create(ctx context.Context, inst Instance) error // new, empty database for a catalog entry
	Drop(ctx context.Context, inst Instance) error   // remove its data (and roles)
	Open(ctx context.Context, inst Instance, lim Limits) (Database, error)
	// Stop refuses new sessions to a database and ends the open ones (a
	// prune); Open accepts them again.
	Stop(ctx context.Context, inst Instance) error
}

// Database is one open database of a backend. Every data-plane call of the
// engine goes through it after the core has checked name, status, slots,
// identifiers and the row window (Query.Limit is already resolved).
type Database interface {
	Exec(ctx context.Context, q Query) (*Result, error)
	Schema(ctx context.Context, table string) (*Schema, error)
	Explain(ctx context.Context, q Query) ([]PlanNode, error)
	// CreateTable, InsertRows and SelectRows serve the MK1 table routes
	// with the backend's own types and quoting; the core has validated
	// the names and the column definitions.
	CreateTable(ctx context.Context, table string, cols []ColumnDef) error
	InsertRows(ctx context.Context, table string, columns []string, rows [][]any) (int64, error)
	SelectRows(ctx context.Context, table string, filters map[string]string, limit, offset int) (*Result, error)
	ExportCSV(ctx context.Context, table string, w io.Writer, opt CSVExportOptions) (int64, error)
	ExportJSON(ctx context.Context, table string, ndjson bool, w io.Writer) (int64, error)
	ExportQuery(ctx context.Context, q Query, format string, w io.Writer) (int64, error)
	ImportCSV(ctx context.Context, table string, r io.Reader, opt CSVOptions) (ImportResult, error)
	ImportSQL(ctx context.Context, script string) (ScriptResult, error)
	Backup(ctx context.Context, w io.Writer) (int64, error) // a restorable dump of the whole database
	// DumpSQL writes the whole database as a script of SQL statements in
	// the backend's own dialect, which ImportSQL restores into an empty
	// database of the same backend (GET /api/db/{db}/export/sql).
	DumpSQL(ctx context.Context, w io.Writer) (int64, error)
	Restore(ctx context.Context, r io.Reader) error
	Size(ctx context.Context) (int64, error)
	Stats(ctx context.Context) (BackendStats, error) // connections, transactions total; backend-specific
	Close() error
}

// Limits are the engine's limits as a backend applies them to one database.
type Limits struct {
	QueryTimeout    time.Duration // per statement
	TransferTimeout time.Duration // per import, export, backup or restore
	MaxRows         int           // hard cap on rows per call
	MaxResultBytes  int64         // result budget per call (rows past it are cut, HasMore)
	MaxDBSizeBytes  int64         // size quota; writes that grow the database past it fail with ErrQuotaExceeded; 0 = none
}

// BackendStats are the facts a backend reports for the health pane.
type BackendStats struct {
	Connections  int   // sessions open on the database
	Transactions int64 // commits + rollbacks since the server's statistics reset; 0 when unknown
	SizeBytes    int64
}

// openDatabase is an open database of a backend other than SQLite.
type openDatabase struct {
	db      Database
	started time.Time
	// size is the last size the backend reported (at open, and on each
	// stats or details call), for listings that must not query the server.
	size atomic.Int64
}

// newOpenDatabase keeps an opened database with its size at open.
func newOpenDatabase(ctx context.Context, d Database) *openDatabase {
	od := &openDatabase{db: d, started: time.Now()}
	if n, err := d.Size(ctx); err == nil {
		od.size.Store(n)
	}
	return od
}

func (e *Engine) limits() Limits {
	return Limits{
		QueryTimeout:    e.cfg.QueryTimeout,
		TransferTimeout: e.cfg.TransferTimeout,
		MaxRows:         e.cfg.MaxRows,
		MaxResultBytes:  e.cfg.MaxResultBytes,
		MaxDBSizeBytes:  e.cfg.MaxDBSizeBytes,
	}
}

// backendNamed returns the backend spawn asked for; "" is SQLite.
func (e *Engine) backendNamed(name string) (Backend, error) {
	if name == "" || name == BackendSQLite {
		return sqliteBackend{e: e}, nil
	}
	for _, b := range e.cfg.Backends {
		if b.Name() == name {
			return b, nil
		}
	}
	names := []string{BackendSQLite}
	for _, b := range e.cfg.Backends {
		names = append(names, b.Name())
	}
	slices.Sort(names)
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return nil, &BadInputError{Msg: fmt.Sprintf("Unsupported backend %q; available: %s.", name, strings.Join(quoted, ", "))}
}

// missingBackend is the error for a database whose backend this engine
// was not given: the database is stopped (errors.Is ErrStopped), and the
// message the gateway answers with (a BadInputError) says what it needs.
func missingBackend(backend string, cause error) error {
	msg := cause.Error() + " This database is a " + backend + " database; it stays stopped until the gateway has that backend"
	if backend == BackendPostgres {
		msg += ": give it the PostgreSQL server's admin DSN (dbforge serve --postgres DSN, or DBFORGE_POSTGRES or [serve] postgres, which embedded mode reads too)."
	} else {
		msg += "."
	}
	return errors.Join(&BadInputError{Msg: msg}, ErrStopped)
}

// isExternal tells an instance stored by a backend other than SQLite.
func isExternal(backend string) bool { return backend != "" && backend != BackendSQLite }

// errNotOnBackend is a route a backend does not serve.
func errNotOnBackend(backend, what string) error {
	return &BadInputError{Msg: fmt.Sprintf("%s is not supported on %s databases.", what, backend)}
}

// external returns an instance of a backend other than SQLite and its open
// database. handled is false for SQLite instances and for names that are
// not databases: the SQLite code path then answers as it always has.
func (e *Engine) external(name string) (inst *instance, d Database, handled bool, err error) {
	inst, err = e.lookup(name)
	if err != nil || !isExternal(inst.backend) {
		return nil, nil, false, nil
	}
	if inst.restoring.Load() {
		return inst, nil, true, errRestoring
	}
	od := inst.ext.Load()
	if od == nil {
		if _, err := e.backendNamed(inst.backend); err != nil {
			return inst, nil, true, missingBackend(inst.backend, err)
		}
		return inst, nil, true, ErrStopped
	}
	inst.touch(time.Now())
	return inst, od.db, true, nil
}

// externalCall runs a statement on an external database and counts it in
// the instance's stats, as the SQLite path counts its statements.
func externalCall(inst *instance, fn func() (*Result, error)) (*Result, error) {
	return countedCall(inst, time.Now(), fn)
}

// countedCall runs fn, records its time since start and its outcome in the
// instance's stats, and stamps a successful result with that time.
func countedCall(inst *instance, start time.Time, fn func() (*Result, error)) (*Result, error) {
	res, err := fn()
	elapsed := time.Since(start)
	inst.stats.record(elapsed, res, err)
	if err != nil {
		return nil, err
	}
	res.Elapsed = elapsed
	return res, nil
}

// backendExec is Exec for an external database.
func (e *Engine) backendExec(ctx context.Context, db string, q Query) (*Result, bool, error) {
	inst, d, ok, err := e.external(db)
	if !ok || err != nil {
		return nil, ok, err
	}
	st := sqltext.Split(q.SQL)
	if len(st) == 0 {
		return nil, true, ErrEmptyStatement
	}
	// PostgreSQL also spells them ABORT and START TRANSACTION
	if kw := st[0].Keyword(); sqltext.IsTxControl(st[0].Text) || kw == "ABORT" || kw == "START" {
		return nil, true, &BadInputError{Msg: "Transaction statements are not supported: each call runs in its own transaction; send a script to the SQL import to run several statements in one transaction."}
	}
	win, err := e.window(q.Limit, q.Offset)
	if err != nil {
		return nil, true, err
	}
	q.Limit = win.limit
	res, err := externalCall(inst, func() (*Result, error) { return d.Exec(ctx, q) })
	return res, true, err
}

func (e *Engine) backendSchema(ctx context.Context, db, table string) (*Schema, bool, error) {
	_, d, ok, err := e.external(db)
	if !ok || err != nil {
		return nil, ok, err
	}
	s, err := d.Schema(ctx, table)
	return s, true, err
}

func (e *Engine) backendExplain(ctx context.Context, db string, q Query) ([]PlanNode, bool, error) {
	_, d, ok, err := e.external(db)
	if !ok || err != nil {
		return nil, ok, err
	}
	st := sqltext.Split(q.SQL)
	if len(st) == 0 {
		return nil, true, ErrEmptyStatement
	}
	if strings.HasPrefix(st[0].Keyword(), "EXPLAIN") {
		return nil, true, &BadInputError{Msg: "The statement is already an EXPLAIN."}
	}
	plan, err := d.Explain(ctx, q)
	return plan, true, err
}

func (e *Engine) backendCreateTable(ctx context.Context, db, table string, cols []ColumnDef) (bool, error) {
	inst, d, ok, err := e.external(db)
	if !ok || err != nil {
		return ok, err
	}
	// the same rules as for SQLite; the backend writes its own DDL
	if _, err := createTableSQL(table, cols); err != nil {
		return true, err
	}
	_, err = externalCall(inst, func() (*Result, error) { return &Result{}, d.CreateTable(ctx, table, cols) })
	return true, err
}

func (e *Engine) backendInsertRows(ctx context.Context, db, table string, rows []map[string]any) (int64, bool, error) {
	inst, d, ok, err := e.external(db)
	if !ok || err != nil {
		return 0, ok, err
	}
	keys, args, err := insertArgs(table, rows)
	if err != nil {
		return 0, true, err
	}
	res, err := externalCall(inst, func() (*Result, error) {
		n, err := d.InsertRows(ctx, table, keys, args)
		return &Result{RowsAffected: n}, err
	})
	if err != nil {
		return 0, true, err
	}
	return res.RowsAffected, true, nil
}

func (e *Engine) backendSelectRows(ctx context.Context, db, table string, filters map[string]string, limit, offset int) (*Result, bool, error) {
	inst, d, ok, err := e.external(db)
	if !ok || err != nil {
		return nil, ok, err
	}
	if !ValidIdentifier(table) {
		return nil, true, fmt.Errorf("%w: table name %q", ErrInvalidIdentifier, table)
	}
	win, err := e.window(limit, offset)
	if err != nil {
		return nil, true, err
	}
	res, err := externalCall(inst, func() (*Result, error) { return d.SelectRows(ctx, table, filters, win.limit, win.offset) })
	return res, true, err
}

// backendTransfer runs an export or import on an external database under
// the transfer timeout.
func backendTransfer[T any](e *Engine, ctx context.Context, db string, fn func(ctx context.Context, d Database) (T, error)) (T, bool, error) {
	var zero T
	_, d, ok, err := e.external(db)
	if !ok || err != nil {
		return zero, ok, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.cfg.TransferTimeout)
	defer cancel()
	v, err := fn(ctx, d)
	return v, true, err
}

// backendStats fills the backend's facts into a database's health.
func (e *Engine) backendStats(ctx context.Context, inst *instance, st *Stats) {
	if !isExternal(inst.backend) {
		return
	}
	st.Backend = inst.backend
	od := inst.ext.Load()
	if od == nil {
		return
	}
	st.UptimeSeconds = time.Since(od.started).Seconds()
	bs, err := od.db.Stats(ctx)
	if err != nil {
		return
	}
	st.OpenConnections = bs.Connections
	st.TransactionsTotal = bs.Transactions
	st.SizeBytes = bs.SizeBytes
	od.size.Store(bs.SizeBytes)
	st.WALBytes = 0
}

// openExternal opens a running instance of another backend when the
// engine opens; one that cannot be opened (backend not configured, server
// down) stays stopped and says why when spawned.
func (e *Engine) openExternal(ctx context.Context, in Instance) *instance {
	inst := newInstance(in, "", e.cfg.SampleCount)
	if in.Status != StatusRunning {
		return inst
	}
	b, err := e.backendNamed(in.Backend)
	if err != nil {
		return inst
	}
	d, err := b.Open(ctx, in, e.limits())
	if err != nil {
		return inst
	}
	inst.ext.Store(newOpenDatabase(ctx, d))
	return inst
}

// createExternal makes a new instance on another backend; the caller
// holds e.life.
func (e *Engine) createExternal(ctx context.Context, name string, b Backend) (Instance, bool, error) {
	if err := e.roomForDatabase(ctx); err != nil {
		return Instance{}, false, err
	}
	now := time.Now().UTC()
	in := Instance{Name: name, ID: newID(), Backend: b.Name(), Status: StatusRunning, CreatedAt: now, LastAccessed: now}
	if err := b.Create(ctx, in); err != nil {
		return Instance{}, false, fmt.Errorf("create %s: %w", name, err)
	}
	d, err := b.Open(ctx, in, e.limits())
	if err != nil {
		b.Drop(ctx, in)
		return Instance{}, false, fmt.Errorf("create %s: %w", name, err)
	}
	inst := newInstance(in, "", e.cfg.SampleCount)
	inst.ext.Store(newOpenDatabase(ctx, d))
	if err := e.addInstance(ctx, in, inst); err != nil {
		d.Close()
		b.Drop(ctx, in)
		return Instance{}, false, err
	}
	return inst.info(), true, nil
}

// startExternal opens a stopped instance of another backend again; the
// caller holds e.life.
func (e *Engine) startExternal(ctx context.Context, inst *instance) (Instance, bool, error) {
	b, err := e.backendNamed(inst.backend)
	if err != nil {
		return Instance{}, false, missingBackend(inst.backend, err)
	}
	now := time.Now()
	in := inst.info()
	d, err := b.Open(ctx, in, e.limits())
	if err != nil {
		return Instance{}, false, fmt.Errorf("open %s: %w", inst.name, err)
	}
	if err := e.catalog.setStatus(ctx, inst.name, StatusRunning, now); err != nil {
		d.Close()
		return Instance{}, false, err
	}
	inst.accessed.Store(now.UnixNano())
	inst.persisted.Store(now.UnixNano())
	inst.ext.Store(newOpenDatabase(ctx, d))
	return inst.info(), false, nil
}

// pruneExternal stops an instance of another backend: its pool is closed
// and the server refuses and ends its sessions. The caller holds e.life.
func (e *Engine) pruneExternal(ctx context.Context, inst *instance) (Instance, error) {
	od := inst.ext.Swap(nil)
	if od == nil {
		return Instance{}, ErrNotFound
	}
	cerr := od.db.Close()
	if b, err := e.backendNamed(inst.backend); err == nil {
		cerr = errors.Join(cerr, b.Stop(ctx, inst.info()))
	}
	if err := e.catalog.setStatus(ctx, inst.name, StatusStopped, time.Unix(0, inst.accessed.Load())); err != nil {
		return Instance{}, err
	}
	inst.persisted.Store(inst.accessed.Load())
	if cerr != nil {
		return inst.info(), fmt.Errorf("prune %s: %w", inst.name, cerr)
	}
	return inst.info(), nil
}

// deleteExternal drops an instance of another backend with its data and
// roles; the caller holds e.life and inst.xfer.
func (e *Engine) deleteExternal(ctx context.Context, inst *instance) error {
	b, err := e.backendNamed(inst.backend)
	if err != nil {
		return fmt.Errorf("%w (database %s needs it to be dropped)", err, inst.name)
	}
	if od := inst.ext.Swap(nil); od != nil {
		od.db.Close()
	}
	if err := b.Drop(ctx, inst.info()); err != nil {
		return fmt.Errorf("delete %s: %w", inst.name, err)
	}
	return nil
}

// closeExternal closes the open database of an instance, if any.
func (i *instance) closeExternal() error {
	if od := i.ext.Swap(nil); od != nil {
		return od.db.Close()
	}
	return nil
}

// backupSource returns a running instance to back up, of any backend.
func (e *Engine) backupSource(db string) (*instance, func(), error) {
	inst, _, ok, err := e.external(db)
	if ok {
		return inst, func() {}, err
	}
	inst, c, err := e.running(db)
	if err != nil {
		return nil, nil, err
	}
	return inst, c.release, nil
}

// snapshotTo writes a backup of the instance to path: VACUUM INTO for
// SQLite, the backend's dump for others.
func (e *Engine) snapshotTo(ctx context.Context, inst *instance, path string) error {
	if !isExternal(inst.backend) {
		return vacuumInto(ctx, inst.path, path)
	}
	od := inst.ext.Load()
	if od == nil {
		return ErrStopped
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	_, err = od.db.Backup(ctx, f)
	return errors.Join(err, f.Close())
}

// restoreExternal replaces the data of a running instance of another
// backend with a backup; the caller holds e.life and inst.xfer.
func (e *Engine) restoreExternal(ctx context.Context, inst *instance, src string) error {
	od := inst.ext.Load()
	if od == nil {
		return ErrStopped
	}
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("restore %s: %w", inst.name, err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(ctx, e.cfg.TransferTimeout)
	defer cancel()
	inst.restoring.Store(true)
	defer inst.restoring.Store(false)
	return od.db.Restore(ctx, f)
}

// backendDetails fills the tables and indexes of a running instance of
// another backend from its schema (row counts are the server's estimates).
func (e *Engine) backendDetails(ctx context.Context, d Details) (Details, error) {
	if d.Status != StatusRunning {
		return d, nil
	}
	s, err := e.Schema(ctx, d.Name, "")
	if err != nil {
		return Details{}, err
	}
	for _, t := range s.Tables {
		if t.Type != "table" {
			continue
		}
		d.Tables = append(d.Tables, TableCount{Name: t.Name, RowCount: t.RowCount})
		for _, ix := range t.Indexes {
			d.Indexes = append(d.Indexes, IndexRef{Name: ix.Name, Table: t.Name})
		}
	}
	if od := e.openOf(d.Name); od != nil {
		if n, err := od.db.Size(ctx); err == nil {
			d.SizeBytes = n
			od.size.Store(n)
		}
	}
	return d, nil
}

func (e *Engine) openOf(name string) *openDatabase {
	inst, err := e.lookup(name)
	if err != nil {
		return nil
	}
	return inst.ext.Load()
}
