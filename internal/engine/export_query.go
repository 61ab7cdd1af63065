package engine

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dbforge/dbforge/internal/csvio"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// Export formats of ExportQuery.
const (
	ExportCSV    = "csv"
	ExportJSON   = "json"
	ExportNDJSON = "ndjson"
)

// ExportQuery streams every row of one statement (its parameters bound) as
// CSV, a JSON array or NDJSON, encoded exactly as the table exports encode
// values (REAL with a fraction or exponent, BLOB as base64, NULL empty or
// null), and returns the number of rows. No row limit applies and memory
// stays constant. It always runs on a reader inside one read transaction:
// a statement that writes is refused with ErrReadOnly, whatever the key, so
// an export never changes data. A statement that returns no columns, or an
// SQL error, fails before anything is written.
func (e *Engine) ExportQuery(ctx context.Context, db string, q Query, format string, w io.Writer) (int64, error) {
	switch format {
	case ExportCSV, ExportJSON, ExportNDJSON:
	default:
		return 0, &BadInputError{Msg: fmt.Sprintf("Unknown export format %q: use csv, json or ndjson.", format)}
	}
	if n, ok, err := backendTransfer(e, ctx, db, func(ctx context.Context, d Database) (int64, error) { return d.ExportQuery(ctx, q, format, w) }); ok {
		return n, err
	}
	st, err := oneStatement(q.SQL)
	if err != nil {
		return 0, err
	}
	if sqltext.IsTxControl(st.Text) {
		return 0, &BadInputError{Msg: "Transaction statements cannot be exported."}
	}
	args, err := bindArgs(q.Params, q.Named)
	if err != nil {
		return 0, err
	}
	return e.readSnapshot(ctx, db, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		rows, names, err := openExportRows(ctx, tx, st, args)
		if err != nil {
			if isReadOnly(err) {
				return 0, ErrReadOnly
			}
			return 0, err
		}
		defer rows.Close()
		types, err := rows.ColumnTypes()
		if err != nil {
			return 0, err
		}
		decl := make([]string, len(types))
		for i, t := range types {
			decl[i] = t.DatabaseTypeName()
		}
		bw := bufio.NewWriterSize(w, exportBufferSize)
		var n int64
		if format == ExportCSV {
			n, err = writeCSVRows(rows, names, decl, bw)
		} else {
			n, err = writeJSONRows(rows, names, decl, format == ExportNDJSON, bw)
		}
		if err == nil {
			err = rows.Err()
		}
		if err != nil {
			if isReadOnly(err) {
				err = ErrReadOnly
			}
			return n, err
		}
		return n, bw.Flush()
	})
}

// openExportRows runs the statement. A SELECT, WITH or VALUES is read as
// +"a" AS "a", … FROM (…): the unary plus hides each column's declared type
// from the driver, which would otherwise turn text in DATE/DATETIME columns
// into time values, so the stored text is exported byte for byte. Other
// statements (PRAGMA, …), and results whose column names clash, run as
// they are.
func openExportRows(ctx context.Context, tx *sql.Tx, st sqltext.Statement, args []any) (*sql.Rows, []string, error) {
	if names, ok := subqueryNames(ctx, tx, st, args); ok {
		rows, err := tx.QueryContext(ctx, "SELECT "+plainSelectList(colsOf(names))+" FROM (\n"+st.Text+"\n)", args...)
		if err == nil {
			return rows, names, nil
		}
	}
	rows, err := tx.QueryContext(ctx, st.Text, args...)
	if err != nil {
		return nil, nil, err
	}
	names, err := rows.Columns()
	if err == nil && len(names) == 0 {
		err = &BadInputError{Msg: "The statement returns no rows to export."}
	}
	if err != nil {
		rows.Close()
		return nil, nil, err
	}
	return rows, names, nil
}

// subqueryNames reads the column names of st as a subquery without running
// it (LIMIT 0); ok is false when st cannot be a subquery or SQLite had to
// rename clashing names ("id:1").
func subqueryNames(ctx context.Context, tx *sql.Tx, st sqltext.Statement, args []any) ([]string, bool) {
	if !st.IsQuery() {
		return nil, false
	}
	rows, err := tx.QueryContext(ctx, "SELECT * FROM (\n"+st.Text+"\n) LIMIT 0", args...)
	if err != nil {
		return nil, false
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil || len(names) == 0 || hasDuplicateNames(colsOf(names)) {
		return nil, false
	}
	for _, n := range names {
		if strings.Contains(n, ":") {
			return nil, false
		}
	}
	return names, true
}

func colsOf(names []string) []Column {
	cols := make([]Column, len(names))
	for i, n := range names {
		cols[i] = Column{Name: n}
	}
	return cols
}

// scanEach calls fn with each row's values (int64, float64, string, []byte
// or nil; the slice is reused).
func scanEach(rows *sql.Rows, decl []string, fn func(vals []any) error) (int64, error) {
	return eachRow(rows, len(decl), func(vals []any) error {
		for i, v := range vals {
			if t, ok := v.(time.Time); ok { // a statement that could not be wrapped
				vals[i] = formatTime(t, strings.ToUpper(decl[i]))
			}
		}
		return fn(vals)
	})
}

func writeCSVRows(rows *sql.Rows, names, decl []string, w io.Writer) (int64, error) {
	cw, err := csvio.NewWriter(w, "")
	if err != nil {
		return 0, err
	}
	if err := cw.WriteHeader(names); err != nil {
		return 0, err
	}
	n, err := scanEach(rows, decl, cw.WriteRow)
	if err != nil {
		return n, err
	}
	return n, cw.Flush()
}

func writeJSONRows(rows *sql.Rows, names, decl []string, ndjson bool, w *bufio.Writer) (int64, error) {
	jw := newJSONRows(w, names, ndjson)
	n, err := scanEach(rows, decl, jw.row)
	if err != nil {
		return n, err
	}
	return n, jw.end()
}
