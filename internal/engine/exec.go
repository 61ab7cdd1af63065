package engine

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dbforge/dbforge/internal/jsonvalue"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// window is the slice of result rows a call asks for.
type window struct {
	limit, offset int
	maxBytes      int64 // result budget (resultSize); 0 = Config.MaxResultBytes
	// holdMemory keeps a large result's slot until Result.Release.
	holdMemory bool
}

// window applies the defaults and the hard cap to a request's limit/offset.
func (e *Engine) window(limit, offset int) (window, error) {
	if limit < 0 || offset < 0 {
		return window{}, &BadInputError{Msg: "limit and offset must not be negative."}
	}
	if limit == 0 {
		limit = e.cfg.DefaultLimit
	}
	if limit > e.cfg.MaxRows {
		limit = e.cfg.MaxRows
	}
	return window{limit: limit, offset: offset, maxBytes: e.cfg.MaxResultBytes}, nil
}

// oneStatement returns the single statement of src.
func oneStatement(src string) (sqltext.Statement, error) {
	st := sqltext.Split(src)
	switch {
	case len(st) == 0:
		return sqltext.Statement{}, ErrEmptyStatement
	case len(st) > 1:
		return sqltext.Statement{}, ErrMultipleStatements
	}
	return st[0], nil
}

// runningStatement is running(db) with the one statement src holds, the
// start of every call that runs or compiles a single statement; on success
// the caller releases c.
func (e *Engine) runningStatement(db, src string) (*instance, *conns, sqltext.Statement, error) {
	inst, c, err := e.running(db)
	if err != nil {
		return nil, nil, sqltext.Statement{}, err
	}
	st, err := e.splits.one(db, src)
	if err != nil {
		c.release()
		return nil, nil, sqltext.Statement{}, err
	}
	return inst, c, st, nil
}

// Exec runs exactly one statement. It is tried on a read-only connection
// first; when SQLite refuses it there because it writes, it runs on the
// writer (or fails with ErrReadOnly when q.ReadOnly).
func (e *Engine) Exec(ctx context.Context, db string, q Query) (*Result, error) {
	if res, ok, err := e.backendExec(ctx, db, q); ok {
		return res, err
	}
	inst, c, st, err := e.runningStatement(db, q.SQL)
	if err != nil {
		return nil, err
	}
	defer c.release()
	// each call runs on a pooled connection of its own, so a transaction
	// cannot span calls (and must not stay open on a shared connection)
	kw := st.Keyword()
	if sqltext.IsTxControlKeyword(kw) {
		return nil, &BadInputError{Msg: "Transaction statements are not supported: each call runs on its own; send a script to the SQL import to run several statements in one transaction."}
	}
	args, err := bindArgs(q.Params, q.Named)
	if err != nil {
		return nil, err
	}
	win, err := e.window(q.Limit, q.Offset)
	if err != nil {
		return nil, err
	}
	if kw == "VACUUM" {
		return e.vacuum(ctx, inst, c, st, q.ReadOnly)
	}
	win.holdMemory = q.HoldMemory
	return e.do(ctx, inst, c, st, args, win, q.ReadOnly)
}

// vacuum runs VACUUM on the writer. SQLite implements it with an internal
// ATTACH, so the attach limit is lifted for that one statement; VACUUM INTO
// (which writes a file anywhere) stays refused.
func (e *Engine) vacuum(ctx context.Context, inst *instance, c *conns, st sqltext.Statement, readOnly bool) (*Result, error) {
	if readOnly {
		return nil, ErrReadOnly
	}
	// the writer's authorizer refuses the file VACUUM INTO would attach;
	// this check only gives the refusal a clear message
	if sqltext.HasWord(st.Text, "INTO") {
		return nil, &BadInputError{Msg: "VACUUM INTO is not supported; use the backup route for a copy."}
	}
	start := time.Now()
	inst.touch(start)
	ctx, cancel := context.WithTimeout(ctx, e.cfg.QueryTimeout)
	defer cancel()
	err := c.acquireWriter(ctx, time.Time{})
	if err == nil {
		err = setAttachLimit(c.writer, 1)
		if err == nil {
			_, err = c.writer.ExecContext(ctx, st.Text)
			if lerr := noAttach(c.writer); err == nil {
				err = lerr
			}
		}
		c.releaseWriter()
	}
	err = c.full(mapErr(ctx, err))
	res := &Result{Elapsed: time.Since(start), Kind: KindWrite}
	inst.stats.record(res.Elapsed, res, err)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// do runs one statement under the query timeout and counts it. The
// timeout is a deadline the connection's interrupter keeps (interrupt.go)
// and waits for a connection honour; ctx stays the caller's.
func (e *Engine) do(ctx context.Context, inst *instance, c *conns, st sqltext.Statement, args []any, win window, readOnly bool) (*Result, error) {
	start := time.Now()
	inst.touch(start)
	deadline := start.Add(e.cfg.QueryTimeout)
	if win.maxBytes <= 0 {
		win.maxBytes = e.cfg.MaxResultBytes
	}
	return countedCall(inst, start, func() (*Result, error) { return e.run(ctx, deadline, inst, c, st, args, win, readOnly) })
}

func (e *Engine) run(ctx context.Context, deadline time.Time, inst *instance, c *conns, st sqltext.Statement, args []any, win window, readOnly bool) (*Result, error) {
	if kw, ok := inst.writes.get(st.Text); ok && !readOnly {
		return runWriter(ctx, deadline, c, st, kw, args, win)
	}
	res, err := e.runRead(ctx, deadline, c, st, args, win, readOnly)
	if err == nil {
		res.Kind = KindRead // SQLite ran it on a read-only connection
	}
	if err == nil || !isReadOnly(err) {
		return res, mapErr(ctx, err)
	}
	if readOnly {
		return nil, ErrReadOnly
	}
	kw := st.Keyword()
	inst.writes.put(st.Text, kw)
	return runWriter(ctx, deadline, c, st, kw, args, win)
}

// runRead runs a reader statement with the small budget first and, when
// that is not enough, again with the full budget in a large-result slot
// (resultmem.go). Errors of the statement come back unmapped so the caller
// can tell a refused write.
func (e *Engine) runRead(ctx context.Context, deadline time.Time, c *conns, st sqltext.Statement, args []any, win window, readOnly bool) (*Result, error) {
	small := win
	small.maxBytes = min(win.maxBytes, smallResultBytes)
	smallValues := min(c.valueLimit, smallResultBytes)
	if !readOnly {
		// a bound value must fit the per-value limit for the statement to
		// be refused as a write and go to the writer, without a slot; a
		// call that may not write has no need of it
		smallValues = min(c.valueLimit, max(smallResultBytes, longestArg(args)))
	}
	res, err := runReader(ctx, deadline, c, st, args, small, smallValues)
	if small.maxBytes == win.maxBytes || !needsFullBudget(res, mapErr(ctx, err)) {
		return res, err
	}
	slot, err := e.slots.acquire(ctx, deadline)
	if err != nil {
		return nil, err
	}
	res, err = runReader(ctx, deadline, c, st, args, win, c.valueLimit)
	if err != nil || !win.holdMemory {
		slot.release()
		return res, err
	}
	res.slot = slot
	return res, nil
}

// runReader runs the statement on a pooled read-only connection with the
// given per-value limit (SQLITE_LIMIT_LENGTH, shared among the result's
// columns). Errors come back unmapped so the caller can tell a refused
// write. The statement runs under a context that cannot be cancelled;
// the reader's interrupter ends it at deadline or when ctx ends.
func runReader(ctx context.Context, deadline time.Time, c *conns, st sqltext.Statement, args []any, win window, valueLimit int64) (*Result, error) {
	rc, err := c.acquireReader(ctx, deadline)
	if err != nil {
		return nil, err
	}
	defer c.releaseReader(rc)
	rs := c.reader(rc)
	ctx = rs.intr.arm(ctx, deadline)
	defer rs.intr.disarm()
	sc := rs.stmts
	cs, err := sc.get(ctx, st.Text)
	if err != nil {
		return nil, err
	}
	// the per-value limit is shared among the result's columns; it stays
	// set for the next call, which sets its own
	if err := rs.setValueLimit(rc, valueShare(valueLimit, cs.cols)); err != nil {
		return nil, err
	}
	if cs.exact != nil {
		return readExact(ctx, sc, cs, args, win)
	}
	res, err := readWindow(ctx, rc, sc, st, args, win)
	if err != nil || !res.timeParsed || cs.timed {
		return res, err
	}
	// The driver parsed a time value from a statement not known to have a
	// time column: its description is stale, so it is learnt again.
	if err := sc.describe(cs, cs.gen); err != nil || cs.exact == nil {
		return res, nil
	}
	return readExact(ctx, sc, cs, args, win)
}

// readExact reads the window of a statement with a DATE, DATETIME or
// TIMESTAMP column through its wrapper (stmtcache.go), so stored text
// comes back as stored in one read; the result keeps the statement's
// declared column types.
func readExact(ctx context.Context, sc *stmtCache, cs *cachedStmt, args []any, win window) (*Result, error) {
	stmt, err := sc.exactStmt(ctx, cs, win)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res, err := collectOf(rows, win, 0, &cs.exact.columns, 0) // a new description makes a new wrapper
	if err != nil {
		return nil, err
	}
	for i, d := range cs.exact.decl {
		if d != "" && i < len(res.Columns) {
			res.Columns[i].Type = d
		}
	}
	return res, nil
}

// readWindow reads the result window, paged inside SQLite when it can be.
func readWindow(ctx context.Context, rc *sql.Conn, sc *stmtCache, st sqltext.Statement, args []any, win window) (*Result, error) {
	if win.offset > 0 {
		if res, ok := runWrapped(ctx, rc, st, args, win, "*"); ok {
			return res, nil
		}
	}
	cs, err := sc.get(ctx, st.Text)
	if err != nil {
		return nil, err
	}
	rows, err := cs.stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return collectOf(rows, win, win.offset, &cs.columns, cs.gen)
}

// columnMemo remembers the result columns of a prepared statement: the
// same statement in the same schema has the same columns.
type columnMemo struct {
	cols []Column // nil until learnt
	gen  int64    // the schema generation they were learnt in
}

// resultColumns are the names and declared types of rows' columns: from
// memo when it learnt them in generation gen (the names are checked), else
// from the driver, which database/sql asks five questions per column.
func resultColumns(rows *sql.Rows, memo *columnMemo, gen int64) ([]Column, error) {
	if memo != nil && memo.cols != nil && memo.gen == gen {
		if names, err := rows.Columns(); err == nil && sameNames(names, memo.cols) {
			return slices.Clone(memo.cols), nil
		}
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	cols := make([]Column, len(types))
	for i, t := range types {
		cols[i] = Column{Name: t.Name(), Type: t.DatabaseTypeName()}
	}
	if memo != nil {
		*memo = columnMemo{slices.Clone(cols), gen}
	}
	return cols, nil
}

func sameNames(names []string, cols []Column) bool {
	if len(names) != len(cols) {
		return false
	}
	for i, n := range names {
		if cols[i].Name != n {
			return false
		}
	}
	return true
}

// hasDuplicateNames reports whether a name would be ambiguous when the
// statement is read as a subquery.
func hasDuplicateNames(cols []Column) bool {
	seen := make(map[string]bool, len(cols))
	for _, c := range cols {
		k := strings.ToLower(c.Name)
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}

// plainSelectList is `+"a" AS "a", +"b" AS "b"` for the given columns.
func plainSelectList(cols []Column) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		q := sqltext.QuoteIdent(c.Name)
		parts[i] = "+" + q + " AS " + q
	}
	return strings.Join(parts, ", ")
}

// runWrapped pages a plain query inside SQLite: SELECT * FROM (q) LIMIT …
// OFFSET … steps over skipped rows without handing them to Go. ok is false
// when the statement does not lend itself to wrapping; the caller then
// skips rows itself.
func runWrapped(ctx context.Context, rc *sql.Conn, st sqltext.Statement, args []any, win window, selectList string) (*Result, bool) {
	if !st.IsQuery() {
		return nil, false
	}
	wrapped := fmt.Sprintf("SELECT %s FROM (%s\n) LIMIT %d OFFSET %d", selectList, st.Text, win.limit+1, win.offset)
	rows, err := rc.QueryContext(ctx, wrapped, args...)
	if err != nil {
		return nil, false
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, false
	}
	for _, n := range names {
		// SQLite renames duplicate columns of a subquery ("id:1"); the
		// unwrapped statement keeps the names the caller wrote.
		if strings.Contains(n, ":") {
			return nil, false
		}
	}
	res, err := collect(rows, win, 0)
	if err != nil {
		return nil, false
	}
	return res, true
}

// runWriter runs the statement, whose first word is kw, on the writer and
// reports what it changed.
// Its statements run under sctx, which cannot be cancelled; the writer's
// interrupter ends them at deadline or when ctx ends.
func runWriter(ctx context.Context, deadline time.Time, c *conns, st sqltext.Statement, kw string, args []any, win window) (*Result, error) {
	text := st.Text
	if err := c.acquireWriter(ctx, deadline); err != nil {
		return nil, err
	}
	defer c.releaseWriter()
	sctx := c.wintr.arm(ctx, deadline)
	defer c.wintr.disarm()
	gen := c.schemaGen.Load()
	defer c.settleSchema(gen)
	cols, err := c.wcols.columns(c.writer, text, &c.schemaGen)
	if err != nil {
		return nil, c.full(mapErr(ctx, err))
	}
	if cols > 1 {
		if err := shareValueLimit(c.writer, c.valueLimit, cols); err != nil {
			return nil, mapErr(ctx, err)
		}
		defer shareValueLimit(c.writer, c.valueLimit, 1)
	}
	if cachedOnWriter(kw) {
		res, err := c.runCachedWrite(sctx, text, cols, args, win)
		if err != nil {
			return nil, c.full(mapErr(ctx, err))
		}
		res.Kind = KindWrite // DDL is never cached: it is prepared (and authorized) every run
		return res, nil
	}
	before, err := c.syncedTotal(sctx)
	if err != nil {
		return nil, c.full(mapErr(ctx, err))
	}
	res, err := queryCollect(sctx, c.writer, text, args, win)
	if err != nil {
		return nil, c.full(mapErr(ctx, err))
	}
	if err := c.readChanges(sctx, res, before); err != nil {
		return nil, c.full(mapErr(ctx, err))
	}
	res.Kind = KindWrite
	if c.schemaGen.Load() != gen {
		res.Kind = KindDDL // the authorizer saw it create, drop or alter an object
	}
	return res, nil
}

// cachedOnWriter tells the statements the writer keeps prepared: those
// that change rows or read, never the schema. DDL and pragmas are prepared
// on every call, so the authorizer sees each run (it moves schemaGen, and
// some pragmas are allowed only inside a script).
func cachedOnWriter(keyword string) bool {
	switch keyword {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "SELECT", "VALUES", "WITH":
		return true
	}
	return false
}

// changesQuery reads what a RETURNING statement changed; kept prepared.
const changesQuery = "SELECT changes(), last_insert_rowid()"

// runCachedWrite runs a row-changing statement through the writer's
// statement cache. For such a statement changes() is its own count, so
// the driver's exec result (or, for RETURNING, one cached query) gives
// RowsAffected and LastInsertID; total_changes() is left to be read again
// by the next call that needs it (syncedTotal).
func (c *conns) runCachedWrite(ctx context.Context, text string, cols int, args []any, win window) (*Result, error) {
	cs, err := c.wstmts.get(ctx, text)
	if err != nil {
		return nil, err
	}
	c.totalStale = true
	if cols == 0 {
		r, err := cs.stmt.ExecContext(ctx, args...)
		if err != nil {
			return nil, err
		}
		res := &Result{}
		res.RowsAffected, _ = r.RowsAffected() // the driver's result never fails
		res.LastInsertID, _ = r.LastInsertId()
		return res, nil
	}
	rows, err := cs.stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	res, err := collect(rows, win, win.offset)
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	ch, err := c.wstmts.get(ctx, changesQuery)
	if err != nil {
		return nil, err
	}
	if err := ch.stmt.QueryRowContext(ctx).Scan(&res.RowsAffected, &res.LastInsertID); err != nil {
		return nil, err
	}
	return res, nil
}

// syncedTotal returns total_changes() as it stood after the last write;
// the caller holds the writer.
func (c *conns) syncedTotal(ctx context.Context) (int64, error) {
	if c.totalStale {
		if err := c.writer.QueryRowContext(ctx, "SELECT total_changes()").Scan(&c.total); err != nil {
			return 0, err
		}
		c.totalStale = false
	}
	return c.total, nil
}

func queryCollect(ctx context.Context, conn *sql.Conn, text string, args []any, win window) (*Result, error) {
	rows, err := conn.QueryContext(ctx, text, args...)
	if err != nil {
		return nil, err
	}
	res, err := collect(rows, win, win.offset)
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return res, err
}

// readChanges fills RowsAffected and LastInsertID after a statement on the
// writer; the caller holds the writer. changes() keeps its value across
// statements that change nothing (DDL), so total_changes() against before
// (its value when the statement began) decides whether this statement
// changed rows at all.
func (c *conns) readChanges(ctx context.Context, res *Result, before int64) error {
	var changes, lastID, total int64
	if err := c.writer.QueryRowContext(ctx, "SELECT changes(), last_insert_rowid(), total_changes()").Scan(&changes, &lastID, &total); err != nil {
		return err
	}
	if total != before {
		res.RowsAffected = changes
	}
	c.total = total
	res.LastInsertID = lastID
	return nil
}

// collect reads the result window from rows: skip rows are passed over,
// then up to win.limit rows kept and one more looked for (HasMore). Rows
// stop at win.maxBytes too (HasMore); a first row past it is an error, as
// no part of the result would fit.
func collect(rows *sql.Rows, win window, skip int) (*Result, error) {
	return collectOf(rows, win, skip, nil, 0)
}

// collectOf is collect of rows of a prepared statement whose columns memo
// remembers (nil: none) as of schema generation gen.
func collectOf(rows *sql.Rows, win window, skip int, memo *columnMemo, gen int64) (*Result, error) {
	cols, err := resultColumns(rows, memo, gen)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	if len(cols) == 0 {
		// Not a returning statement: step it to the end.
		for rows.Next() {
		}
		return res, rows.Err()
	}
	res.Returning = true
	// Type stays the declared type until fillTypes, after the rows
	res.Columns = cols
	// one allocation for the scan targets and the pointers to them
	scan := make([]any, 2*len(cols))
	vals, ptrs := scan[:len(cols)], scan[len(cols):]
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	res.Rows = [][]any{}
	var size int64
	for rows.Next() {
		if skip > 0 {
			skip--
			continue
		}
		if len(res.Rows) == win.limit {
			res.HasMore = true
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]any, len(vals))
		for i, v := range vals {
			if _, ok := v.(time.Time); ok {
				res.timeParsed = true
			}
			row[i] = normValue(v, res.Columns[i].Type)
		}
		size += rowSize(res.Columns, row)
		if win.maxBytes > 0 && size > win.maxBytes {
			if len(res.Rows) == 0 {
				return nil, &TooLargeError{Limit: win.maxBytes}
			}
			res.HasMore, res.cutByBytes = true, true
			break
		}
		res.Rows = append(res.Rows, row)
		res.size = size
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	fillTypes(res)
	return res, nil
}

// rowSize estimates what a row costs once encoded as a JSON object: each
// column's name and value, blobs in base64, plus punctuation. The result
// budget counts it, so memory follows what is sent.
func rowSize(cols []Column, row []any) int64 {
	n := int64(2)
	for i, v := range row {
		n += int64(len(cols[i].Name)) + 4
		switch x := v.(type) {
		case string:
			n += int64(len(x)) + 2
		case []byte:
			n += int64(len(x))*4/3 + 16
		default:
			n += 24
		}
	}
	return n
}

// fillTypes names the storage class of the first non-null value for
// columns without a declared type.
func fillTypes(res *Result) {
	for i := range res.Columns {
		if res.Columns[i].Type != "" {
			continue
		}
		for _, row := range res.Rows {
			if t := jsonvalue.StorageClass(row[i]); t != "" {
				res.Columns[i].Type = t
				break
			}
		}
	}
}

// normValue keeps row values to int64, float64, string, []byte and nil.
// The driver turns TEXT in DATE/DATETIME/TIMESTAMP columns into time.Time;
// it is written back in SQLite's own format.
func normValue(v any, decl string) any {
	switch x := v.(type) {
	case time.Time:
		return formatTime(x, decl)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

func formatTime(t time.Time, decl string) string {
	if decl == "DATE" && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	if _, off := t.Zone(); off == 0 && t.Location() == time.UTC {
		return t.Format("2006-01-02 15:04:05.999999999")
	}
	return t.Format("2006-01-02 15:04:05.999999999-07:00")
}
