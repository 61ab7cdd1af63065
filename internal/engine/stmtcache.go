package engine

import (
	"container/list"
	"context"
	"database/sql"
	"sync/atomic"
)

// stmtCacheSize bounds the prepared statements kept per reader connection.
const stmtCacheSize = 64

// stmtCache keeps one reader connection's prepared statements, most recent
// first, so a statement repeated by an agent or a paging UI skips SQLite's
// parser. Only the goroutine holding the connection uses its cache, so it
// needs no lock. Statements stay valid across schema changes: SQLite
// prepares them again (and asks the authorizer again) when it must.
type stmtCache struct {
	conn *sql.Conn
	max  int
	// schemaGen, when set, changes whenever the schema may have: result
	// widths learnt before are learnt again.
	schemaGen *atomic.Int64
	seen      int64 // the generation this connection's schema was last read in
	byKey     map[string]*list.Element
	order     *list.List // of *cachedStmt, most recently used at the front
}

type cachedStmt struct {
	text string
	stmt *sql.Stmt
	cols int   // result columns (rowlimit.go)
	gen  int64 // schemaGen when cols was learnt
}

func newStmtCache(conn *sql.Conn, max int) *stmtCache {
	return &stmtCache{conn: conn, max: max, byKey: map[string]*list.Element{}, order: list.New()}
}

// query runs text with args through a cached prepared statement.
func (sc *stmtCache) query(ctx context.Context, text string, args []any) (*sql.Rows, error) {
	cs, err := sc.get(ctx, text)
	if err != nil {
		return nil, err
	}
	return cs.stmt.QueryContext(ctx, args...)
}

// columns returns how many columns text's result has, preparing and
// caching it when it is new.
func (sc *stmtCache) columns(ctx context.Context, text string) (int, error) {
	cs, err := sc.get(ctx, text)
	if err != nil {
		return 0, err
	}
	return cs.cols, nil
}

// get returns the cached statement for text, prepared when new.
func (sc *stmtCache) get(ctx context.Context, text string) (*cachedStmt, error) {
	gen := sc.gen()
	if gen != sc.seen {
		// SQLite describes a statement by the schema the connection
		// last read; a statement that reads the database reads it again
		if _, err := sc.conn.ExecContext(ctx, "SELECT count(*) FROM sqlite_schema"); err != nil {
			return nil, err
		}
		sc.seen = gen
	}
	if e, ok := sc.byKey[text]; ok {
		sc.order.MoveToFront(e)
		cs := e.Value.(*cachedStmt)
		if cs.gen != gen {
			cols, err := columnCount(sc.conn, text)
			if err != nil {
				return nil, err
			}
			cs.cols, cs.gen = cols, gen
		}
		return cs, nil
	}
	cols, err := columnCount(sc.conn, text)
	if err != nil {
		return nil, err
	}
	stmt, err := sc.conn.PrepareContext(ctx, text)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{text: text, stmt: stmt, cols: cols, gen: gen}
	sc.byKey[text] = sc.order.PushFront(cs)
	if sc.order.Len() > sc.max {
		oldest := sc.order.Remove(sc.order.Back()).(*cachedStmt)
		delete(sc.byKey, oldest.text)
		oldest.stmt.Close()
	}
	return cs, nil
}

func (sc *stmtCache) gen() int64 {
	if sc.schemaGen == nil {
		return 0
	}
	return sc.schemaGen.Load()
}

// close closes every cached statement.
func (sc *stmtCache) close() {
	for e := sc.order.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).stmt.Close()
	}
	sc.byKey = map[string]*list.Element{}
	sc.order.Init()
}
