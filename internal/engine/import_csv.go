package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dbforge/dbforge/internal/csvio"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// csvSampleRows is how many data rows are buffered to infer column types
// before the rest of the body is streamed.
const csvSampleRows = 1000

// CSVOptions shape a CSV import.
type CSVOptions struct {
	Header    bool   // the first record names the columns
	Create    bool   // create the table when it does not exist
	Delimiter rune   // field separator; 0 means ','
	Null      string // an unquoted field equal to it is NULL; "" by default
}

// ImportResult reports a CSV import.
type ImportResult struct {
	Table   string
	Rows    int64
	Created bool
	Columns []Column // the columns filled, with their declared types
}

// ReadError is a request body that could not be read to its end (the
// client went away, or the body limit was reached: Err is then an
// *http.MaxBytesError). Nothing of the import is kept.
type ReadError struct {
	Line int // last CSV line read completely
	Err  error
}

func (e *ReadError) Error() string {
	return fmt.Sprintf("reading the body after line %d: %v", e.Line, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// ImportCSV streams CSV from r into a table in one transaction on the
// writer: every row or none is kept, and a malformed row (wrong number of
// fields, a bad quote, invalid UTF-8) aborts the import with its line in
// the error. It returns what was imported.
//
// Without Header the columns are c1, c2, … for a new table, and the
// table's own columns in order for an existing one. With Header, an
// existing table may be filled in part: header names match its columns
// case-insensitively.
//
// A new table (Create) gets one column per field, typed from the first
// csvSampleRows rows: INTEGER when every non-empty value is a decimal
// int64 without leading zeros, REAL when every one is a decimal number,
// TEXT otherwise (so "007" and 20-digit ids stay text). Values are bound as
// text and SQLite's column affinity converts them; a later row that does
// not fit the inferred type is stored as text, as SQLite stores it.
//
// NULL follows PostgreSQL's COPY: an unquoted field equal to Null (by
// default an unquoted empty field) is NULL, a quoted one ("") is text, so
// what ExportCSV writes reads back as it was.
//
// The sample is read before the writer is taken; the rest is streamed with
// the writer held, bounded by TransferTimeout.
func (e *Engine) ImportCSV(ctx context.Context, db, table string, r io.Reader, opt CSVOptions) (ImportResult, error) {
	if res, ok, err := backendTransfer(e, ctx, db, func(ctx context.Context, d Database) (ImportResult, error) { return d.ImportCSV(ctx, table, r, opt) }); ok {
		return res, err
	}
	inst, c, err := e.running(db)
	if err != nil {
		return ImportResult{}, err
	}
	defer c.release()
	if err := checkTable(table); err != nil {
		return ImportResult{}, err
	}
	comma := opt.Delimiter
	if comma == 0 {
		comma = ','
	}
	if !validDelimiter(comma) {
		return ImportResult{}, &BadInputError{Msg: fmt.Sprintf("Invalid delimiter %q: use one character other than a quote, a line break or U+FFFD.", comma)}
	}
	if err := csvio.ValidNull(opt.Null, comma); err != nil {
		return ImportResult{}, &BadInputError{Msg: "Invalid null string: " + err.Error() + "."}
	}
	start := time.Now()
	inst.touch(start)
	ctx, cancel := context.WithTimeout(ctx, e.cfg.TransferTimeout)
	defer cancel()
	src, err := newCSVSource(r, comma, opt.Null)
	if err != nil {
		return ImportResult{}, &BadInputError{Msg: err.Error()}
	}
	var header []string
	if opt.Header {
		rec, err := src.next()
		if errors.Is(err, io.EOF) {
			return ImportResult{}, &BadInputError{Msg: "The CSV is empty: a header row was expected."}
		}
		if err != nil {
			return ImportResult{}, err
		}
		if header, err = headerNames(rec.Fields); err != nil {
			return ImportResult{}, err
		}
	}
	sample, err := src.sample(csvSampleRows)
	if err != nil {
		return ImportResult{}, err
	}
	if header == nil && len(sample) == 0 {
		return ImportResult{}, &BadInputError{Msg: "The CSV is empty: no rows to import."}
	}
	var res ImportResult
	var changed int64
	var p *producer
	err = c.inTx(ctx, func(tx *sql.Tx) error {
		plan, err := planImport(ctx, tx, table, header, sample, opt.Create)
		if err != nil {
			return err
		}
		res = ImportResult{Table: table, Created: plan.created, Columns: plan.columns}
		ins, err := newInserter(ctx, tx, table, plan)
		if err != nil {
			return err
		}
		defer ins.close()
		// records are parsed and turned into statements on another
		// goroutine while SQLite runs the previous batch
		p = startProducer(src, sample, newBatcher(ins.head))
		sample = nil // the producer owns it now
		for b := range p.out {
			if b.err != nil {
				return b.err
			}
			if err := ins.exec(b); err != nil {
				return err
			}
			p.recycle(b)
		}
		res.Rows = ins.rows
		return nil
	}, &changed)
	if p != nil {
		p.stop() // after the rollback: the writer is free while a slow body drains
	}
	var re *ReadError
	if !errors.As(err, &re) {
		err = mapErr(ctx, err)
	}
	if err != nil {
		res = ImportResult{}
	}
	inst.stats.record(time.Since(start), &Result{RowsAffected: res.Rows}, err)
	return res, err
}

func validDelimiter(r rune) bool {
	return r != '"' && r != '\r' && r != '\n' && r != utf8.RuneError && utf8.ValidRune(r)
}

// csvSource reads records and turns every failure into an error that
// names the line.
type csvSource struct {
	cr   *csvio.Reader
	line int // line where the last record started
}

func newCSVSource(r io.Reader, comma rune, null string) (*csvSource, error) {
	cr, err := csvio.NewReader(r, comma, null)
	if err != nil {
		return nil, err
	}
	return &csvSource{cr: cr}, nil
}

// next returns the next record, io.EOF at the end.
func (s *csvSource) next() (csvio.Record, error) {
	rec, err := s.cr.Read()
	if err == nil {
		s.line = rec.Line
		return rec, nil
	}
	var fc *csvio.FieldCountError
	var pe *csvio.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return rec, io.EOF
	case errors.As(err, &fc):
		hint := ""
		if fc.Want == 1 {
			hint = fmt.Sprintf(" The first row has a single field: is %q the right delimiter?", s.cr.Comma())
		}
		return rec, &BadInputError{Msg: fmt.Sprintf("CSV line %d: wrong number of fields: %d, expected %d like the first row.%s",
			fc.Line, fc.Got, fc.Want, hint)}
	case errors.As(err, &pe):
		return rec, &BadInputError{Msg: fmt.Sprintf("CSV line %d, column %d: %v.", pe.Line, pe.Column, pe.Err)}
	}
	return rec, &ReadError{Line: s.cr.Line(), Err: err}
}

// sample buffers up to n records.
func (s *csvSource) sample(n int) ([]csvio.Record, error) {
	var out []csvio.Record
	for len(out) < n {
		rec, err := s.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// headerNames validates the header row as column names, trimmed of
// surrounding spaces. A UTF-8 byte order mark before the first name
// (spreadsheet exports) is dropped.
func headerNames(rec []string) ([]string, error) {
	names := make([]string, len(rec))
	seen := map[string]bool{}
	for i, n := range rec {
		if i == 0 {
			n = strings.TrimPrefix(n, "\uFEFF")
		}
		n = strings.TrimSpace(n)
		if !ValidIdentifier(n) {
			return nil, fmt.Errorf("%w: CSV header, column %d: %q is not a valid column name", ErrInvalidIdentifier, i+1, n)
		}
		if seen[strings.ToLower(n)] {
			return nil, &BadInputError{Msg: fmt.Sprintf("CSV header: duplicate column name '%s'.", n)}
		}
		seen[strings.ToLower(n)] = true
		names[i] = n
	}
	return names, nil
}

// importPlan is where the fields of each record go.
type importPlan struct {
	created   bool
	columns   []Column
	createSQL string
}

// planImport maps the CSV's fields onto the table, creating it when absent
// and allowed.
func planImport(ctx context.Context, tx *sql.Tx, table string, header []string, sample []csvio.Record, create bool) (*importPlan, error) {
	width := len(header)
	if header == nil {
		width = len(sample[0].Fields)
	}
	cols, err := tableColumns(ctx, tx, table)
	var se *SQLError
	if errors.As(err, &se) && len(cols) == 0 {
		if !create {
			return nil, &BadInputError{Msg: fmt.Sprintf("No such table: %s (pass create=true to create it).", table)}
		}
		return newTablePlan(ctx, tx, table, header, sample, width)
	}
	if err != nil {
		return nil, err
	}
	var target []tableCol
	for _, c := range cols {
		if c.hidden == colNormal {
			target = append(target, c)
		}
	}
	p := &importPlan{}
	if header == nil {
		if len(target) != width {
			return nil, &BadInputError{Msg: fmt.Sprintf("The CSV has %d fields per row but table '%s' has %d columns; send a header row to fill some of them.", width, table, len(target))}
		}
		for _, c := range target {
			p.add(c.name, c.decl)
		}
		return p, nil
	}
	byName := map[string]tableCol{}
	for _, c := range target {
		byName[strings.ToLower(c.name)] = c
	}
	for _, h := range header {
		c, ok := byName[strings.ToLower(h)]
		if !ok {
			return nil, &BadInputError{Msg: fmt.Sprintf("CSV header: table '%s' has no column '%s'.", table, h)}
		}
		p.add(c.name, c.decl)
	}
	return p, nil
}

func (p *importPlan) add(name, decl string) {
	p.columns = append(p.columns, Column{Name: name, Type: decl})
}

// newTablePlan creates the table with inferred types, inside the import's
// transaction so a failed import leaves no table behind.
func newTablePlan(ctx context.Context, tx *sql.Tx, table string, header []string, sample []csvio.Record, width int) (*importPlan, error) {
	p := &importPlan{created: true}
	defs := make([]string, width)
	for i := range width {
		name := "c" + strconv.Itoa(i+1)
		if header != nil {
			name = header[i]
		}
		typ := inferType(sample, i)
		p.add(name, typ)
		defs[i] = sqltext.QuoteIdent(name) + " " + typ
	}
	p.createSQL = "CREATE TABLE " + sqltext.QuoteIdent(table) + " (" + strings.Join(defs, ", ") + ")"
	if _, err := tx.ExecContext(ctx, p.createSQL); err != nil {
		return nil, err
	}
	return p, nil
}

// inferType types column i from the sampled rows; NULLs and empty
// strings say nothing about the type.
func inferType(sample []csvio.Record, i int) string {
	seen, isInt, isReal := false, true, true
	for _, rec := range sample {
		v := rec.Fields[i]
		if v == "" {
			continue
		}
		seen = true
		if isInt && !intLiteral(v) {
			isInt = false
		}
		if !isInt && !realLiteral(v) && !intLiteral(v) {
			isReal = false
			break
		}
	}
	switch {
	case !seen:
		return "TEXT"
	case isInt:
		return "INTEGER"
	case isReal:
		return "REAL"
	}
	return "TEXT"
}

// intLiteral: an optional minus, then digits without a leading zero,
// within int64.
func intLiteral(s string) bool {
	d := strings.TrimPrefix(s, "-")
	if d == "" || (len(d) > 1 && d[0] == '0') {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// realLiteral: a decimal number with a '.' or an exponent (digits alone
// that overflow int64 are not: they would lose precision as REAL).
func realLiteral(s string) bool {
	d := strings.TrimPrefix(s, "-")
	mant, exp, hasExp := strings.Cut(strings.ToLower(d), "e")
	intPart, frac, hasDot := strings.Cut(mant, ".")
	if !hasDot && !hasExp {
		return false
	}
	if intPart == "" && frac == "" || !digits(intPart) || !digits(frac) || (len(intPart) > 1 && intPart[0] == '0') {
		return false
	}
	if hasExp {
		exp = strings.TrimLeft(exp, "+-")
		if exp == "" || !digits(exp) || len(exp) > 4 {
			return false
		}
	}
	return true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// inserter runs batches of records, each under a savepoint; when one
// fails, its rows are replayed one by one through a prepared statement to
// name the failing line.
type inserter struct {
	ctx    context.Context
	tx     *sql.Tx
	single *sql.Stmt // one row, for the replay of a failed batch
	plan   *importPlan
	ncols  int
	head   string // "INSERT INTO t (…) VALUES "
	rows   int64
}

func newInserter(ctx context.Context, tx *sql.Tx, table string, plan *importPlan) (*inserter, error) {
	names := make([]string, len(plan.columns))
	for i, c := range plan.columns {
		names[i] = sqltext.QuoteIdent(c.Name)
	}
	head := fmt.Sprintf("INSERT INTO %s (%s) VALUES ", sqltext.QuoteIdent(table), strings.Join(names, ", "))
	single, err := tx.PrepareContext(ctx, head+"("+strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")+")")
	if err != nil {
		return nil, err
	}
	return &inserter{ctx: ctx, tx: tx, single: single, plan: plan, ncols: len(names), head: head}, nil
}

// exec inserts one batch under a savepoint.
func (in *inserter) exec(b *csvBatch) error {
	if len(b.lines) == 0 {
		return nil
	}
	if _, err := in.tx.ExecContext(in.ctx, "SAVEPOINT csv_batch"); err != nil {
		return err
	}
	if _, err := in.tx.ExecContext(in.ctx, string(b.text)); err != nil {
		return in.pinpoint(b, err)
	}
	if _, err := in.tx.ExecContext(in.ctx, "RELEASE csv_batch"); err != nil {
		return err
	}
	in.rows += int64(len(b.lines))
	return nil
}

// pinpoint undoes a failed batch and replays its rows one by one to find
// the line at fault. The import fails either way and is rolled back: if
// SQLite already ended the transaction (ON CONFLICT ROLLBACK), a new
// savepoint opens one, so no replayed row is ever committed.
func (in *inserter) pinpoint(b *csvBatch, batchErr error) error {
	if _, err := in.tx.ExecContext(in.ctx, "ROLLBACK TO csv_batch"); err != nil {
		if _, err := in.tx.ExecContext(in.ctx, "SAVEPOINT csv_replay"); err != nil {
			return batchErr
		}
	}
	args := make([]any, in.ncols)
	for r, line := range b.lines {
		for i := range args {
			if k := r*in.ncols + i; b.nulls[k] {
				args[i] = nil
			} else {
				args[i] = b.vals[k]
			}
		}
		if _, err := in.single.ExecContext(in.ctx, args...); err != nil {
			return lineError(in.ctx, err, line)
		}
	}
	err := mapErr(in.ctx, batchErr)
	var se *SQLError
	if errors.As(err, &se) {
		return &SQLError{Msg: fmt.Sprintf("%s (CSV lines %d-%d)", se.Msg, b.lines[0], b.lines[len(b.lines)-1])}
	}
	return err
}

// lineError names the CSV line of a row SQLite refused.
func lineError(ctx context.Context, err error, line int) error {
	err = mapErr(ctx, err)
	var se *SQLError
	if errors.As(err, &se) {
		return &SQLError{Msg: fmt.Sprintf("%s (CSV line %d)", se.Msg, line)}
	}
	return err
}

func (in *inserter) close() { in.single.Close() }
