package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// conns are the open connections of a running instance: one writer and a
// fixed pool of read-only readers. Readers are opened with mode=ro so no
// statement on them can write, whatever pragmas a caller runs; WAL mode lets
// them read while the writer writes.
type conns struct {
	started time.Time
	done    chan struct{} // closed when the instance stops
	doneErr error         // what waiters get once done is closed; set before close

	writerDB   *sql.DB
	writer     *sql.Conn
	wsem       chan struct{} // one slot: who holds it owns writer
	total      int64         // total_changes() after the last write; guarded by wsem
	totalStale bool          // total not read again since a cached write (exec.go); guarded by wsem
	wstmts     *stmtCache    // the writer's prepared statements; guarded by wsem
	wintr      *interrupter  // the writer's query timeout (interrupt.go)
	valueLimit int64         // SQLITE_LIMIT_LENGTH between statements (rowlimit.go)
	wcols      columnCache   // result widths of statements run on the writer
	// schemaGen counts statements on the writer that may have changed the
	// schema, so cached result widths are learnt again (rowlimit.go).
	schemaGen atomic.Int64
	tableCols columnNameCache // column names of tables, for the MK1 rows route (tables.go)
	dir       string          // the database's directory, for its free space
	quota     int64           // Config.MaxDBSizeBytes when opened; 0 = none

	// inScript is set while the engine runs a script in its own
	// transaction on the writer (authorizer.go); guarded by wsem.
	inScript atomic.Bool

	// refs counts the calls holding the database open; an eviction swaps
	// 0 for -1, after which nothing may hold it (openset.go).
	refs      atomic.Int64
	closeOnce sync.Once
	closeErr  error

	// Readers are opened on demand, up to nReaders, and closed when idle
	// (closeIdleReaders): readers holds those not in use, readerSlots one
	// token per reader that may still be opened.
	readerDB    *sql.DB
	readers     chan *sql.Conn
	readerSlots chan struct{}
	nReaders    int
	maxResult   int64 // Config.MaxResultBytes, for a reader's limits
	rmu         sync.RWMutex
	rstate      map[*sql.Conn]*readerState // guarded by rmu
}

// readerState is an opened reader's statement cache, its query timeout,
// its per-value limit and when it was last handed back.
type readerState struct {
	stmts *stmtCache
	intr  *interrupter
	// valueLimit is SQLITE_LIMIT_LENGTH as last set (-1: unknown); only
	// the call holding the reader reads or sets it (setValueLimit)
	valueLimit int
	idleSince  atomic.Int64 // unix ns
}

// dsn builds a SQLite URI for path with the given extra parameters.
func dsn(path string, params ...string) string {
	u := url.URL{Path: path}
	return "file:" + u.EscapedPath() + "?" + strings.Join(params, "&")
}

// openConns opens the writer (creating the file) and the readers. On
// failure whatever was opened is closed again; a file that is not a
// healthy SQLite database fails with ErrDamaged.
func openConns(ctx context.Context, path string, cfg *Config, drv *sqlite.Driver) (_ *conns, err error) {
	c := &conns{
		started:     time.Now(),
		done:        make(chan struct{}),
		doneErr:     ErrStopped,
		wsem:        make(chan struct{}, 1),
		readers:     make(chan *sql.Conn, cfg.ReaderPool),
		readerSlots: make(chan struct{}, cfg.ReaderPool),
		nReaders:    cfg.ReaderPool,
		maxResult:   cfg.MaxResultBytes,
		rstate:      make(map[*sql.Conn]*readerState, cfg.ReaderPool),
		valueLimit:  min(cfg.MaxResultBytes, maxValueBytes),
		dir:         filepath.Dir(path),
		quota:       cfg.MaxDBSizeBytes,
	}
	defer func() {
		if err != nil {
			c.closeAll()
			err = damaged(err)
		}
	}()
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	wparams := []string{
		"_pragma=busy_timeout(5000)",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(NORMAL)",
		"_pragma=foreign_keys(1)",
	}
	if cfg.MaxDBSizeBytes > 0 {
		// Pages are 4096 bytes unless a database was made otherwise; the
		// writer checks below and reopens with the right count.
		wparams = append(wparams, fmt.Sprintf("_pragma=max_page_count(%d)", maxPages(cfg.MaxDBSizeBytes, 4096)))
	}
	if c.writerDB, c.writer, err = openOne(ctx, drv, dsn(path, wparams...)); err != nil {
		return nil, err
	}
	if err := limitConn(c.writer, cfg.MaxResultBytes); err != nil {
		return nil, err
	}
	if cfg.MaxDBSizeBytes > 0 {
		var pageSize int64
		if err := c.writer.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
			return nil, err
		}
		if pageSize != 4096 {
			if _, err := c.writer.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count=%d", maxPages(cfg.MaxDBSizeBytes, pageSize))); err != nil {
				return nil, err
			}
		}
	}
	if err := c.writer.QueryRowContext(ctx, "SELECT total_changes()").Scan(&c.total); err != nil {
		return nil, err
	}
	c.wstmts = newStmtCache(c.writer, stmtCacheSize)
	c.wintr = newInterrupter(c.writer)
	c.wstmts.schemaGen = &c.schemaGen
	rparams := []string{"mode=ro", "_pragma=busy_timeout(5000)", "_pragma=foreign_keys(1)", "_pragma=query_only(1)"}
	c.readerDB = openDB(drv, dsn(path, rparams...))
	c.readerDB.SetMaxOpenConns(cfg.ReaderPool)
	c.readerDB.SetMaxIdleConns(0) // a reader closed by the engine closes its files
	for range cfg.ReaderPool {
		c.readerSlots <- struct{}{}
	}
	if err := c.guard(); err != nil {
		return nil, err
	}
	return c, nil
}

// lowDiskBytes is the free space under which a full database is taken to
// be a full disk rather than its quota: a write that fails on a full disk
// leaves next to nothing free.
const lowDiskBytes = 8 << 20

// full tells the two causes of SQLITE_FULL on the writer apart: with a
// size quota and room left on the disk, the quota (max_page_count) refused
// the write; otherwise the disk is full. A script's error keeps its place.
func (c *conns) full(err error) error {
	if !errors.Is(err, ErrStorageFull) && sqliteCode(err) != sqlite3.SQLITE_FULL || c.quota == 0 {
		return err
	}
	if free := diskFree(c.dir); free >= 0 && free < lowDiskBytes {
		return err
	}
	quota := fmt.Errorf("%w (database or disk is full)", ErrQuotaExceeded)
	var se *ScriptError
	if errors.As(err, &se) {
		cp := *se
		cp.Err = quota
		return &cp
	}
	return quota
}

// damaged marks an error that says the file is not a usable database.
func damaged(err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("%w (%s)", ErrDamaged, cleanMessage(err.Error()))
	}
	return err
}

func maxPages(bytes, pageSize int64) int64 {
	n := bytes / pageSize
	if n < 1 {
		n = 1
	}
	return n
}

// openOne opens a single-connection pool and pins its connection.
func openOne(ctx context.Context, drv *sqlite.Driver, dsn string) (*sql.DB, *sql.Conn, error) {
	db := openDB(drv, dsn)
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := noAttach(conn); err != nil {
		conn.Close()
		db.Close()
		return nil, nil, err
	}
	return db, conn, nil
}

// maxValueBytes is SQLite's own ceiling on one string or blob.
const maxValueBytes = 1_000_000_000

// limitConn sets the per-connection limits: no ATTACH, and no string or
// blob longer than the result budget, so a single zeroblob(), randomblob()
// or printf() cannot allocate gigabytes (SQLite fails it with TOOBIG).
func limitConn(c *sql.Conn, maxResultBytes int64) error {
	if err := noAttach(c); err != nil {
		return err
	}
	_, err := sqlite.Limit(c, sqlite3.SQLITE_LIMIT_LENGTH, int(min(maxResultBytes, maxValueBytes)))
	return err
}

// noAttach forbids ATTACH on the connection: it would let a statement read
// or create any SQLite file the process can reach, other tenants' included.
func noAttach(c *sql.Conn) error { return setAttachLimit(c, 0) }

func setAttachLimit(c *sql.Conn, n int) error {
	_, err := sqlite.Limit(c, sqlite3.SQLITE_LIMIT_ATTACHED, n)
	return err
}

// acquireReader takes a reader: an idle one, else a new one while fewer
// than nReaders are open, else the first handed back.
// A wait ends with ctx or at deadline (none when zero).
func (c *conns) acquireReader(ctx context.Context, deadline time.Time) (*sql.Conn, error) {
	select {
	case rc := <-c.readers:
		return rc, nil
	default:
	}
	select {
	case <-c.readerSlots:
		return c.openReader(ctx)
	default:
	}
	expired, stop := waitTimer(deadline)
	defer stop()
	select {
	case rc := <-c.readers:
		return rc, nil
	case <-c.readerSlots:
		return c.openReader(ctx)
	case <-c.done:
		return nil, c.doneErr
	case <-ctx.Done():
		return nil, waitErr(ctx.Err())
	case <-expired:
		return nil, waitErr(context.DeadlineExceeded)
	}
}

// openReader opens one more reader for a caller holding a reader slot; on
// failure the slot is given back.
func (c *conns) openReader(ctx context.Context) (_ *sql.Conn, err error) {
	select {
	case <-c.done:
		c.readerSlots <- struct{}{}
		return nil, c.doneErr
	default:
	}
	rc, err := c.readerDB.Conn(ctx)
	if err != nil {
		c.readerSlots <- struct{}{}
		return nil, openErr(err)
	}
	defer func() {
		if err != nil {
			rc.Close()
			c.readerSlots <- struct{}{}
		}
	}()
	if err := limitConn(rc, c.maxResult); err != nil {
		return nil, openErr(err)
	}
	if err := setAuthorizer(rc, readerAuthorizer); err != nil {
		return nil, err
	}
	sc := newStmtCache(rc, stmtCacheSize)
	sc.schemaGen = &c.schemaGen
	c.rmu.Lock()
	c.rstate[rc] = &readerState{stmts: sc, intr: newInterrupter(rc), valueLimit: valueShare(c.valueLimit, 1)}
	c.rmu.Unlock()
	return rc, nil
}

// acquireFullReader is acquireReader for a call that reads whole values
// (an export, the schema): the reader's per-value limit is the full one.
func (c *conns) acquireFullReader(ctx context.Context) (*sql.Conn, error) {
	rc, err := c.acquireReader(ctx, time.Time{})
	if err != nil {
		return nil, err
	}
	if err := c.reader(rc).setValueLimit(rc, valueShare(c.valueLimit, 1)); err != nil {
		c.releaseReader(rc)
		return nil, err
	}
	return rc, nil
}

// setValueLimit sets the reader's SQLITE_LIMIT_LENGTH to n unless it is
// already: a repeated query keeps its share without two driver calls.
func (rs *readerState) setValueLimit(rc *sql.Conn, n int) error {
	if rs.valueLimit == n {
		return nil
	}
	if _, err := sqlite.Limit(rc, sqlite3.SQLITE_LIMIT_LENGTH, n); err != nil {
		rs.valueLimit = -1
		return err
	}
	rs.valueLimit = n
	return nil
}

// reader is the state of an opened reader.
func (c *conns) reader(rc *sql.Conn) *readerState {
	c.rmu.RLock()
	defer c.rmu.RUnlock()
	return c.rstate[rc]
}

func (c *conns) releaseReader(rc *sql.Conn) {
	c.rmu.RLock()
	c.rstate[rc].idleSince.Store(time.Now().UnixNano())
	c.rmu.RUnlock()
	c.readers <- rc
}

// closeReader closes an opened reader that no call uses and gives its
// slot back.
func (c *conns) closeReader(rc *sql.Conn) {
	c.rmu.Lock()
	st := c.rstate[rc]
	delete(c.rstate, rc)
	c.rmu.Unlock()
	st.stmts.close()
	rc.Close()
	c.readerSlots <- struct{}{}
}

// closeIdleReaders closes the readers handed back before cutoff, so an
// idle database keeps only its writer's files open.
func (c *conns) closeIdleReaders(cutoff time.Time) {
	for range len(c.readers) {
		var rc *sql.Conn
		select {
		case rc = <-c.readers:
		default:
			return
		}
		c.rmu.RLock()
		idle := c.rstate[rc].idleSince.Load() < cutoff.UnixNano()
		c.rmu.RUnlock()
		if idle {
			c.closeReader(rc)
		} else {
			c.readers <- rc
		}
	}
}

// openReaders is how many readers are open now.
func (c *conns) openReaders() int {
	c.rmu.RLock()
	defer c.rmu.RUnlock()
	return len(c.rstate)
}

// hold keeps the database open for a call until release; false once it
// was evicted (the caller opens it again).
func (c *conns) hold() bool {
	for {
		n := c.refs.Load()
		if n < 0 {
			return false
		}
		if c.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// release ends a call's hold.
func (c *conns) release() { c.refs.Add(-1) }

// acquireWriter takes the writer slot; a wait ends with ctx or at
// deadline (none when zero).
func (c *conns) acquireWriter(ctx context.Context, deadline time.Time) error {
	select {
	case c.wsem <- struct{}{}:
		return nil
	default:
	}
	expired, stop := waitTimer(deadline)
	defer stop()
	select {
	case c.wsem <- struct{}{}:
		return nil
	case <-c.done:
		return c.doneErr
	case <-ctx.Done():
		return waitErr(ctx.Err())
	case <-expired:
		return waitErr(context.DeadlineExceeded)
	}
}

func (c *conns) releaseWriter() { <-c.wsem }

// waitTimer is what a wait for a connection or slot selects on, besides
// its context, to end at the call's deadline: a timer made only when the
// call has to wait (cheaper than a context with a deadline, which also
// registers with its parent), or a channel never ready when deadline is
// zero.
func waitTimer(deadline time.Time) (<-chan time.Time, func()) {
	if deadline.IsZero() {
		return nil, func() {}
	}
	t := time.NewTimer(time.Until(deadline))
	return t.C, func() { t.Stop() }
}

// waitErr maps the end of a wait for a connection: the context's error,
// or a deadline past the query timeout.
func waitErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: waited for a connection past the query timeout", ErrLocked)
	}
	return err
}

// close stops the instance: it waits for in-flight statements to hand their
// connection back, checkpoints the WAL into the main file and closes all.
// Only the first call does so; later ones return its result.
func (c *conns) close() error {
	c.closeOnce.Do(func() { c.closeErr = c.closeNow() })
	return c.closeErr
}

func (c *conns) closeNow() error {
	close(c.done)
	for range c.nReaders {
		select {
		case rc := <-c.readers:
			c.closeReader(rc)
			<-c.readerSlots
		case <-c.readerSlots:
		}
	}
	c.wsem <- struct{}{}
	var err error
	if c.wstmts != nil {
		c.wstmts.close() // before the checkpoint: a statement left open would hold a read
	}
	if c.writer != nil {
		_, err = c.writer.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
	}
	c.closeAll()
	return err
}

// closeAll closes whatever is open, for close and for a failed open.
func (c *conns) closeAll() {
	if c.wstmts != nil {
		c.wstmts.close()
	}
	if c.writer != nil {
		c.writer.Close()
	}
	if c.writerDB != nil {
		c.writerDB.Close()
	}
	c.rmu.Lock()
	for _, st := range c.rstate {
		st.stmts.close()
	}
	c.rmu.Unlock()
drain:
	for {
		select {
		case rc := <-c.readers:
			rc.Close()
		default:
			break drain
		}
	}
	if c.readerDB != nil {
		c.readerDB.Close()
	}
}
