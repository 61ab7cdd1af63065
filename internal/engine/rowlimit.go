package engine

import (
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite builds a whole result row before the engine can look at it, and
// SQLITE_LIMIT_LENGTH bounds each value, not the row: a row of n columns
// of zeroblob(64 MiB) would cost n × 64 MiB (three times over, with the
// driver's and database/sql's copies). So while a statement runs, its
// connection's per-value limit is the budget shared among its result
// columns, never less than minValueShare: a row then holds at most the
// budget (or n × minValueShare for very wide rows). Values stored in a
// table are bounded the same way when they are read back.

// minValueShare is the smallest per-value limit, so that tables with many
// columns stay readable: 2,000 columns (SQLite's maximum) × 32 KiB = 64 MiB.
const minValueShare = 32 << 10

// valueShare is the per-value limit for a result of cols columns.
func valueShare(valueLimit int64, cols int) int {
	share := valueLimit / int64(max(cols, 1))
	return int(max(share, min(valueLimit, minValueShare)))
}

// columnCount prepares text on conn and returns the number of columns of
// its result, without running it.
func columnCount(conn *sql.Conn, text string) (int, error) {
	info, err := columnInfo(conn, text)
	return len(info), err
}

// columnInfo prepares text on conn and describes the columns of its
// result, without running it.
func columnInfo(conn *sql.Conn, text string) (info []sqlite.ColumnInfo, err error) {
	err = conn.Raw(func(dc any) error {
		ci, ok := dc.(interface {
			ColumnInfo(query string) ([]sqlite.ColumnInfo, error)
		})
		if !ok {
			return errors.New("engine: the SQLite driver cannot describe a statement")
		}
		info, err = ci.ColumnInfo(text)
		return err
	})
	return info, err
}

// shareValueLimit sets conn's per-value limit for a statement of cols
// result columns; valueShare(valueLimit, 1) puts it back.
func shareValueLimit(conn *sql.Conn, valueLimit int64, cols int) error {
	_, err := sqlite.Limit(conn, sqlite3.SQLITE_LIMIT_LENGTH, valueShare(valueLimit, cols))
	return err
}

// maxColumnCache bounds how many statement texts columnCache remembers.
const maxColumnCache = 1024

// columnCache remembers the result width of statements run on the writer,
// which has no statement cache; reset when it fills up.
type columnCache struct {
	mu  sync.Mutex
	m   map[string]int
	gen int64 // the schema generation m was learnt in
}

// columns returns text's result width on conn, describing it once per
// schema generation.
func (cc *columnCache) columns(conn *sql.Conn, text string, gen *atomic.Int64) (int, error) {
	cc.mu.Lock()
	if g := gen.Load(); g != cc.gen {
		cc.m, cc.gen = nil, g
	}
	n, ok := cc.m[text]
	cc.mu.Unlock()
	if ok {
		return n, nil
	}
	n, err := columnCount(conn, text)
	if err != nil {
		return 0, err
	}
	cc.mu.Lock()
	if cc.m == nil || len(cc.m) >= maxColumnCache {
		cc.m = make(map[string]int)
	}
	cc.m[text] = n
	cc.mu.Unlock()
	return n, nil
}

// settleSchema is called when a writer statement that began at schema
// generation before has ended: if it may have changed the schema, the
// generation moves once more, so a width learnt by a reader while the
// change was not yet committed is learnt again.
func (c *conns) settleSchema(before int64) {
	if c.schemaGen.Load() != before {
		c.schemaGen.Add(1)
	}
}
