package engine

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/dbforge/dbforge/internal/csvio"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// exportBufferSize is the write buffer of an export: big enough that the
// writer below sees few, large writes.
const exportBufferSize = 64 << 10

// pragma_table_xinfo's "hidden" values that the engine tells apart
// (generated columns are 2 and 3).
const (
	colNormal = 0
	colHidden = 1 // hidden column of a virtual table
)

// tableCol is one column of a table or view as exports see it.
type tableCol struct {
	name   string
	decl   string
	hidden int
	pk     int
}

// readSnapshot runs fn on a pooled reader inside one read transaction, so
// everything fn reads comes from one consistent snapshot. Exports run under
// TransferTimeout rather than the query timeout and count as one call.
func (e *Engine) readSnapshot(ctx context.Context, db string, fn func(ctx context.Context, tx *sql.Tx) (int64, error)) (int64, error) {
	inst, c, err := e.running(db)
	if err != nil {
		return 0, err
	}
	defer c.release()
	start := time.Now()
	inst.touch(start)
	ctx, cancel := context.WithTimeout(ctx, e.cfg.TransferTimeout)
	defer cancel()
	rc, err := c.acquireFullReader(ctx)
	if err != nil {
		return 0, mapErr(ctx, err)
	}
	defer c.releaseReader(rc)
	n, err := func() (int64, error) {
		tx, err := beginTx(ctx, rc)
		if err != nil {
			return 0, err
		}
		defer tx.Rollback() // read-only: nothing to commit
		return fn(ctx, tx)
	}()
	err = mapErr(ctx, err)
	inst.stats.record(time.Since(start), &Result{}, err)
	if err == nil {
		inst.stats.rowsRead.Add(n) // streamed, so not in a Result
	}
	return n, err
}

// tableColumns lists the columns of a table or view in declaration order.
// A name that is neither gives "no such table", before anything is written.
func tableColumns(ctx context.Context, q querier, table string) ([]tableCol, error) {
	rows, err := q.QueryContext(ctx, "SELECT name, type, hidden, pk FROM pragma_table_xinfo(?)", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []tableCol
	for rows.Next() {
		var c tableCol
		if err := rows.Scan(&c.name, &c.decl, &c.hidden, &c.pk); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, &SQLError{Msg: "no such table: " + table}
	}
	return cols, nil
}

// querier is what *sql.Tx and *sql.Conn share.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// visible drops the hidden columns of virtual tables, which SELECT * leaves
// out too.
func visible(cols []tableCol) []tableCol {
	out := cols[:0:0]
	for _, c := range cols {
		if c.hidden != colHidden {
			out = append(out, c)
		}
	}
	return out
}

// selectList is "+"a", +"b"": the unary plus hides each column's declared
// type from the driver, which would otherwise turn text in DATE/DATETIME
// columns into time values; exports carry the stored value unchanged.
func selectList(cols []tableCol) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = "+" + sqltext.QuoteIdent(c.name)
	}
	return strings.Join(parts, ", ")
}

// exportSelect returns the names of a table's exported (visible) columns
// and the SELECT that reads them in that order, as a table export needs.
func exportSelect(ctx context.Context, tx *sql.Tx, table string) ([]string, string, error) {
	cols, err := tableColumns(ctx, tx, table)
	if err != nil {
		return nil, "", err
	}
	cols = visible(cols)
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return names, "SELECT " + selectList(cols) + " FROM " + sqltext.QuoteIdent(table), nil
}

// scanRows runs query and calls fn with each row's values (int64, float64,
// string, []byte or nil). The slice is reused between calls.
func scanRows(ctx context.Context, q querier, query string, ncols int, fn func(vals []any) error) (int64, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n, err := eachRow(rows, ncols, fn)
	if err != nil {
		return n, err
	}
	return n, rows.Err()
}

// eachRow scans each of rows into one reused slice of ncols values and
// calls fn with it; it counts the rows fn took. The caller checks rows.Err.
func eachRow(rows *sql.Rows, ncols int, fn func(vals []any) error) (int64, error) {
	vals := make([]any, ncols)
	ptrs := make([]any, ncols)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		if err := fn(vals); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// checkTable validates an export's table name.
func checkTable(table string) error {
	if !ValidIdentifier(table) {
		return fmt.Errorf("%w: table name %q", ErrInvalidIdentifier, table)
	}
	return nil
}

// ExportCSV streams a table or view as CSV in the project's one dialect
// (internal/csvio: RFC 4180, CRLF line ends, a header row of column names,
// field bytes exactly as stored) with NULL as an unquoted empty field and
// the empty string as "". It returns the number of data rows.
func (e *Engine) ExportCSV(ctx context.Context, db, table string, w io.Writer) (int64, error) {
	return e.ExportCSVWith(ctx, db, table, w, CSVExportOptions{})
}

// CSVExportOptions shape a CSV export.
type CSVExportOptions struct {
	Null string // written unquoted for NULL; a value equal to it is quoted
}

// ExportCSVWith is ExportCSV with options. Memory stays constant whatever
// the table size. REAL is written with a fraction or exponent, BLOB as
// standard base64. An unknown table or a bad null marker fails before
// anything is written.
func (e *Engine) ExportCSVWith(ctx context.Context, db, table string, w io.Writer, opt CSVExportOptions) (int64, error) {
	if err := checkTable(table); err != nil {
		return 0, err
	}
	if err := csvio.ValidNull(opt.Null, ','); err != nil {
		return 0, &BadInputError{Msg: "Invalid null string: " + err.Error() + "."}
	}
	if n, ok, err := backendTransfer(e, ctx, db, func(ctx context.Context, d Database) (int64, error) { return d.ExportCSV(ctx, table, w, opt) }); ok {
		return n, err
	}
	return e.readSnapshot(ctx, db, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		names, query, err := exportSelect(ctx, tx, table)
		if err != nil {
			return 0, err
		}
		cw, err := csvio.NewWriter(w, opt.Null)
		if err != nil {
			return 0, err
		}
		if err := cw.WriteHeader(names); err != nil {
			return 0, err
		}
		n, err := scanRows(ctx, tx, query, len(names), cw.WriteRow)
		if err != nil {
			return n, err
		}
		return n, cw.Flush()
	})
}

// appendReal writes a REAL as an SQL dump needs it: as csvio writes it
// (reads back as the same float64 and as a REAL; ±Inf as ±1e999), and NaN,
// which SQLite stores as NULL and so never reads back, as NULL.
func appendReal(b []byte, f float64) []byte {
	if math.IsNaN(f) {
		return append(b, "NULL"...)
	}
	return csvio.AppendReal(b, f)
}

// ExportJSON streams a table or view as a JSON array of objects whose keys
// keep column order, or as NDJSON (one object per line) when ndjson is set.
// Values are encoded as query results are: INTEGER exact, REAL always with
// a fraction or exponent, BLOB as {"$blob": base64}, NULL as null. An
// unknown table fails with a *SQLError before anything is written.
func (e *Engine) ExportJSON(ctx context.Context, db, table string, ndjson bool, w io.Writer) (int64, error) {
	if err := checkTable(table); err != nil {
		return 0, err
	}
	if n, ok, err := backendTransfer(e, ctx, db, func(ctx context.Context, d Database) (int64, error) { return d.ExportJSON(ctx, table, ndjson, w) }); ok {
		return n, err
	}
	return e.readSnapshot(ctx, db, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		names, query, err := exportSelect(ctx, tx, table)
		if err != nil {
			return 0, err
		}
		jw := newJSONRows(bufio.NewWriterSize(w, exportBufferSize), names, ndjson)
		n, err := scanRows(ctx, tx, query, len(names), jw.row)
		if err != nil {
			return n, err
		}
		return n, jw.end()
	})
}
