package engine

import (
	"container/list"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/dbforge/dbforge/internal/sqltext"
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
	gen  int64 // schemaGen when cols, timed and exact were learnt
	// timed is set when a result column is declared DATE, DATETIME or
	// TIMESTAMP, so the driver would parse its text into time values.
	timed bool
	// exact is set when timed and the statement can be read through a
	// wrapper that returns the stored text instead.
	exact   *exactWrapper
	columns columnMemo // the result's names and declared types (collectOf)
}

// exactWrapper reads a statement as SELECT +"a" AS "a", … FROM (statement)
// LIMIT … OFFSET …: the unary plus hides each column's declared type from
// the driver, so stored text comes back byte for byte
// ("2024-01-02T10:00:00Z" keeps its T and Z). The wrapper is prepared once
// per window and kept until the window or the schema changes.
type exactWrapper struct {
	decl          []string // the statement's declared column types, as the driver reports them
	selectList    string
	stmt          *sql.Stmt // prepared for limit and offset
	limit, offset int
	columns       columnMemo // the wrapper's result columns, whatever its window
}

// isTimeDecl tells the declared types whose TEXT values the driver parses
// into time values (modernc.org/sqlite rows.Next).
func isTimeDecl(upper string) bool {
	switch upper {
	case "DATE", "DATETIME", "TIMESTAMP":
		return true
	}
	return false
}

func newStmtCache(conn *sql.Conn, max int) *stmtCache {
	return &stmtCache{conn: conn, max: max, byKey: map[string]*list.Element{}, order: list.New()}
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
			if err := sc.describe(cs, gen); err != nil {
				return nil, err
			}
		}
		return cs, nil
	}
	cs := &cachedStmt{text: text}
	if err := sc.describe(cs, gen); err != nil {
		return nil, err
	}
	stmt, err := sc.conn.PrepareContext(ctx, text)
	if err != nil {
		cs.close()
		return nil, err
	}
	cs.stmt = stmt
	sc.byKey[text] = sc.order.PushFront(cs)
	if sc.order.Len() > sc.max {
		oldest := sc.order.Remove(sc.order.Back()).(*cachedStmt)
		delete(sc.byKey, oldest.text)
		oldest.close()
	}
	return cs, nil
}

// describe learns cs's result width and whether it is read through an
// exact wrapper, as of schema generation gen.
func (sc *stmtCache) describe(cs *cachedStmt, gen int64) error {
	info, err := columnInfo(sc.conn, cs.text)
	if err != nil {
		return err
	}
	cs.closeWrapper()
	cs.cols, cs.gen, cs.exact = len(info), gen, nil
	decl := make([]string, len(info))
	names := make([]Column, len(info))
	timed := false
	for i, c := range info {
		decl[i], names[i] = strings.ToUpper(c.DeclType), Column{Name: c.Name}
		timed = timed || isTimeDecl(decl[i])
	}
	cs.timed = timed
	if !timed || !(sqltext.Statement{Text: cs.text}).IsQuery() || hasDuplicateNames(names) {
		return nil
	}
	w := &exactWrapper{decl: decl, selectList: plainSelectList(names)}
	// the wrapper must describe the same columns by the same names: SQLite
	// renames some columns of a subquery, and some statements cannot be one
	wrapped, err := columnInfo(sc.conn, w.text(cs.text, 0, 0))
	if err != nil || len(wrapped) != len(names) {
		return nil
	}
	for i, c := range wrapped {
		if c.Name != names[i].Name {
			return nil
		}
	}
	cs.exact = w
	return nil
}

// text is the wrapper's SQL for one window.
func (w *exactWrapper) text(inner string, limit, offset int) string {
	return fmt.Sprintf("SELECT %s FROM (%s\n) LIMIT %d OFFSET %d", w.selectList, inner, limit, offset)
}

// exactStmt returns cs's wrapper prepared for the window win (limit+1 rows,
// so HasMore can be told), preparing it when the window changed.
func (sc *stmtCache) exactStmt(ctx context.Context, cs *cachedStmt, win window) (*sql.Stmt, error) {
	w := cs.exact
	if w.stmt != nil && w.limit == win.limit && w.offset == win.offset {
		return w.stmt, nil
	}
	cs.closeWrapper()
	stmt, err := sc.conn.PrepareContext(ctx, w.text(cs.text, win.limit+1, win.offset))
	if err != nil {
		return nil, err
	}
	w.stmt, w.limit, w.offset = stmt, win.limit, win.offset
	return stmt, nil
}

func (cs *cachedStmt) closeWrapper() {
	if cs.exact != nil && cs.exact.stmt != nil {
		cs.exact.stmt.Close()
		cs.exact.stmt = nil
	}
}

func (cs *cachedStmt) close() {
	cs.closeWrapper()
	if cs.stmt != nil {
		cs.stmt.Close()
	}
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
		e.Value.(*cachedStmt).close()
	}
	sc.byKey = map[string]*list.Element{}
	sc.order.Init()
}
