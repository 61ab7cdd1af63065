package engine

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"time"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// catalog persists the instance list in <data>/catalog.db.
type catalog struct {
	db   *sql.DB
	path string
}

// catalogWALKept is the size under which the catalog's WAL is left for the
// next open rather than checkpointed at close. A command writes its audit
// entry and access time there (a few pages); checkpointing them at every
// exit cost four fsyncs (the WAL before the copy, the catalog after, then
// the new WAL's header and its directory at the next write). Commits are
// no more durable either way (synchronous=NORMAL: in the WAL, the OS holds
// them), and the open that follows reads the WAL back whole, so it is kept
// small: past this size a close checkpoints and truncates it as before.
const catalogWALKept = 256 << 10

const catalogSchema = `CREATE TABLE IF NOT EXISTS instances (
	name          TEXT PRIMARY KEY,
	id            TEXT NOT NULL UNIQUE,
	backend       TEXT NOT NULL,
	status        TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	last_accessed INTEGER NOT NULL,
	read_only     INTEGER NOT NULL DEFAULT 0
)`

func openCatalog(ctx context.Context, path string) (*catalog, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path, "_pragma=busy_timeout(5000)", "_pragma=journal_mode(WAL)", "_pragma=synchronous(NORMAL)"))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, catalogSchema); err != nil {
		db.Close()
		return nil, err
	}
	return &catalog{db: db, path: path}, nil
}

// instanceColumns are the catalog's columns in the order insert writes
// them and scanInstance reads them.
const instanceColumns = `name, id, backend, status, created_at, last_accessed, read_only`

// load returns every instance, by name.
func (c *catalog) load(ctx context.Context) ([]Instance, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT `+instanceColumns+` FROM instances ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Instance
	for rows.Next() {
		in, err := scanInstance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// get returns the instance named; found is false when there is none.
func (c *catalog) get(ctx context.Context, name string) (in Instance, found bool, err error) {
	in, err = scanInstance(c.db.QueryRowContext(ctx, `SELECT `+instanceColumns+` FROM instances WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Instance{}, false, nil
	}
	return in, err == nil, err
}

func scanInstance(row interface{ Scan(...any) error }) (Instance, error) {
	var in Instance
	var created, accessed int64
	var status string
	if err := row.Scan(&in.Name, &in.ID, &in.Backend, &status, &created, &accessed, &in.ReadOnly); err != nil {
		return Instance{}, err
	}
	in.Status = Status(status)
	in.CreatedAt = time.Unix(0, created).UTC()
	in.LastAccessed = time.Unix(0, accessed).UTC()
	return in, nil
}

func (c *catalog) insert(ctx context.Context, in Instance) error {
	_, err := c.db.ExecContext(ctx, `INSERT INTO instances(`+instanceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		in.Name, in.ID, in.Backend, string(in.Status), in.CreatedAt.UnixNano(), in.LastAccessed.UnixNano(), in.ReadOnly)
	return err
}

func (c *catalog) setStatus(ctx context.Context, name string, s Status, accessed time.Time) error {
	_, err := c.db.ExecContext(ctx, `UPDATE instances SET status = ?, last_accessed = ? WHERE name = ?`, string(s), accessed.UnixNano(), name)
	return err
}

func (c *catalog) remove(ctx context.Context, name string) error {
	_, err := c.db.ExecContext(ctx, `DELETE FROM instances WHERE name = ?`, name)
	return err
}

// touch stores last_accessed times in one transaction.
func (c *catalog) touch(ctx context.Context, accessed map[string]int64) error {
	if len(accessed) == 0 {
		return nil
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for name, ns := range accessed {
		if _, err := tx.ExecContext(ctx, `UPDATE instances SET last_accessed = ? WHERE name = ?`, ns, name); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// close closes the catalog, checkpointing its WAL only once that has grown
// past catalogWALKept.
func (c *catalog) close() error {
	ctx := context.Background()
	if st, err := os.Stat(c.path + "-wal"); err == nil && st.Size() < catalogWALKept && c.keepWALAtClose(ctx) {
		return c.db.Close()
	}
	c.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return c.db.Close()
}

// keepWALAtClose sets SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE on the catalog's
// connection (there is one: SetMaxOpenConns(1)), so closing it leaves the
// WAL as it is. It reports whether that was set.
func (c *catalog) keepWALAtClose(ctx context.Context) bool {
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	set := false
	conn.Raw(func(dc any) error {
		set = noCheckpointOnClose(dc)
		return nil
	})
	return set
}

// noCheckpointOnClose sets SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE on a modernc
// connection (through driverHandle). It reports false when that could not
// be done: the catalog is then checkpointed at close as before.
func noCheckpointOnClose(dc any) bool {
	db, tls := driverHandle(dc)
	if db == 0 || tls == nil {
		return false
	}
	const vaSlot = 8 // libc.VaList's stride per argument on every target
	va := libc.Xmalloc(tls, 2*vaSlot)
	if va == 0 {
		return false
	}
	defer libc.Xfree(tls, va)
	rc := sqlite3.Xsqlite3_db_config(tls, db, sqlite3.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, libc.VaList(va, int32(1), uintptr(0)))
	return rc == sqlite3.SQLITE_OK
}
