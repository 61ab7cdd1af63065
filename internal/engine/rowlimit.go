package engine

import (
	"database/sql"
	"errors"
	"sync"

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
func columnCount(conn *sql.Conn, text string) (n int, err error) {
	err = conn.Raw(func(dc any) error {
		ci, ok := dc.(interface {
			ColumnInfo(query string) ([]sqlite.ColumnInfo, error)
		})
		if !ok {
			return errors.New("engine: the SQLite driver cannot describe a statement")
		}
		info, err := ci.ColumnInfo(text)
		n = len(info)
		return err
	})
	return n, err
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
	mu sync.Mutex
	m  map[string]int
}

// columns returns text's result width on conn, describing it once.
func (cc *columnCache) columns(conn *sql.Conn, text string) (int, error) {
	cc.mu.Lock()
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
