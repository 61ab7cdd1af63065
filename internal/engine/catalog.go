package engine

import (
	"context"
	"database/sql"
	"time"
)

// catalog persists the instance list in <data>/catalog.db.
type catalog struct {
	db *sql.DB
}

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
	return &catalog{db: db}, nil
}

func (c *catalog) load(ctx context.Context) ([]Instance, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT name, id, backend, status, created_at, last_accessed, read_only FROM instances ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Instance
	for rows.Next() {
		var in Instance
		var created, accessed int64
		var status string
		if err := rows.Scan(&in.Name, &in.ID, &in.Backend, &status, &created, &accessed, &in.ReadOnly); err != nil {
			return nil, err
		}
		in.Status = Status(status)
		in.CreatedAt = time.Unix(0, created).UTC()
		in.LastAccessed = time.Unix(0, accessed).UTC()
		out = append(out, in)
	}
	return out, rows.Err()
}

func (c *catalog) insert(ctx context.Context, in Instance) error {
	_, err := c.db.ExecContext(ctx, `INSERT INTO instances(name, id, backend, status, created_at, last_accessed, read_only) VALUES (?, ?, ?, ?, ?, ?, ?)`,
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

func (c *catalog) close() error {
	c.db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
	return c.db.Close()
}
