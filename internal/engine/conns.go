package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
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

	readerDB *sql.DB
	readers  chan *sql.Conn
	nReaders int
	// stmts holds each reader's statement cache. Filled at open and never
	// changed after, so concurrent lookups of different readers are safe.
	stmts map[*sql.Conn]*stmtCache
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
		started:    time.Now(),
		done:       make(chan struct{}),
		doneErr:    ErrStopped,
		wsem:       make(chan struct{}, 1),
		readers:    make(chan *sql.Conn, cfg.ReaderPool),
		nReaders:   cfg.ReaderPool,
		stmts:      make(map[*sql.Conn]*stmtCache, cfg.ReaderPool),
		valueLimit: min(cfg.MaxResultBytes, maxValueBytes),
		dir:        filepath.Dir(path),
		quota:      cfg.MaxDBSizeBytes,
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
	c.wstmts.schemaGen = &c.schemaGen
	rparams := []string{"mode=ro", "_pragma=busy_timeout(5000)", "_pragma=foreign_keys(1)", "_pragma=query_only(1)"}
	c.readerDB = openDB(drv, dsn(path, rparams...))
	c.readerDB.SetMaxOpenConns(cfg.ReaderPool)
	c.readerDB.SetMaxIdleConns(cfg.ReaderPool)
	for range cfg.ReaderPool {
		rc, err := c.readerDB.Conn(ctx)
		if err != nil {
			return nil, err
		}
		if err := limitConn(rc, cfg.MaxResultBytes); err != nil {
			rc.Close()
			return nil, err
		}
		c.stmts[rc] = newStmtCache(rc, stmtCacheSize)
		c.stmts[rc].schemaGen = &c.schemaGen
		c.readers <- rc
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

// acquireReader takes a reader from the pool.
func (c *conns) acquireReader(ctx context.Context) (*sql.Conn, error) {
	select {
	case rc := <-c.readers:
		return rc, nil
	default:
	}
	select {
	case rc := <-c.readers:
		return rc, nil
	case <-c.done:
		return nil, c.doneErr
	case <-ctx.Done():
		return nil, waitErr(ctx)
	}
}

func (c *conns) releaseReader(rc *sql.Conn) { c.readers <- rc }

// acquireWriter takes the writer slot.
func (c *conns) acquireWriter(ctx context.Context) error {
	select {
	case c.wsem <- struct{}{}:
		return nil
	case <-c.done:
		return c.doneErr
	case <-ctx.Done():
		return waitErr(ctx)
	}
}

func (c *conns) releaseWriter() { <-c.wsem }

// waitErr maps a context that ended while waiting for a connection.
func waitErr(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: waited for a connection past the query timeout", ErrLocked)
	}
	return ctx.Err()
}

// close stops the instance: it waits for in-flight statements to hand their
// connection back, checkpoints the WAL into the main file and closes all.
func (c *conns) close() error {
	close(c.done)
	for range c.nReaders {
		rc := <-c.readers
		if sc := c.stmts[rc]; sc != nil {
			sc.close()
		}
		rc.Close()
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
	for _, sc := range c.stmts {
		sc.close()
	}
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
