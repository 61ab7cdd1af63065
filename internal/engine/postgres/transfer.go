package postgres

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dbforge/dbforge/internal/csvio"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// maxIdentLen is PostgreSQL's identifier limit (NAMEDATALEN-1 bytes). A
// longer name would be truncated silently and could address another table,
// so it is refused.
const maxIdentLen = 63

// exportBufferSize is the write buffer of an export.
const exportBufferSize = 64 << 10

// checkTable validates a table name: the engine's rule plus PostgreSQL's
// length limit.
func checkTable(table string) error {
	if err := engine.CheckTableName(table); err != nil {
		return err
	}
	if len(table) > maxIdentLen {
		return fmt.Errorf("%w: table name %q is longer than PostgreSQL's %d bytes", engine.ErrInvalidIdentifier, table, maxIdentLen)
	}
	return nil
}

// valueKind is how a column's values leave the database.
type valueKind int

const (
	kindText  valueKind = iota // text as PostgreSQL writes it (numeric, timestamps, uuid, …)
	kindInt                    // int2/int4/int8: an exact int64
	kindFloat                  // float4/float8
	kindBool
	kindBytes // bytea
	kindJSON  // json, jsonb, and arrays through to_json
	kindArray // an array: to_json in JSON exports
)

// typeKind classifies a type by its (base) name and category.
func typeKind(typname, category string) valueKind {
	switch typname {
	case "int2", "int4", "int8":
		return kindInt
	case "float4", "float8":
		return kindFloat
	case "bool":
		return kindBool
	case "bytea":
		return kindBytes
	case "json", "jsonb":
		return kindJSON
	}
	if category == "A" {
		return kindArray
	}
	return kindText
}

// column is one column of a table as transfers see it.
type column struct {
	name      string
	typ       string // format_type: what ImportResult reports
	kind      valueKind
	generated bool // GENERATED ALWAYS AS (…) STORED: never filled by an import
}

// csvExpr is the column in a COPY … TO export, written in the project's
// CSV dialect where COPY's own text differs: bytea as standard base64 (COPY
// writes \x hex; encode() breaks lines every 76 characters), and finite
// floats as csvio writes a REAL (csvio.AppendReal): the same shortest
// digits, always with a fraction or exponent (1.0, not 1), and in
// exponent form from 1e6 where PostgreSQL keeps fixed notation up to
// 1e15 (1.234567e+06, not 1234567). NaN and ±Infinity stay as PostgreSQL
// writes them, which it reads back.
func (c column) csvExpr() string {
	q := sqltext.QuoteIdent(c.name)
	switch c.kind {
	case kindBytes:
		return "translate(encode(" + q + ", 'base64'), E'\\n', '')"
	case kindFloat:
		text, abs := q+"::text", "abs("+q+")::text"
		digits := "rtrim(split_part(" + abs + ", '.', 1) || split_part(" + abs + ", '.', 2), '0')"
		exponent := "lpad((length(split_part(" + abs + ", '.', 1)) - 1)::text, 2, '0')"
		return "CASE WHEN abs(" + q + ") >= 1e6 AND abs(" + q + ") < 1e15 AND " + text + " !~ 'e' THEN " +
			"CASE WHEN " + q + " < 0 THEN '-' ELSE '' END || left(" + digits + ", 1) || " +
			"CASE WHEN length(" + digits + ") > 1 THEN '.' || substr(" + digits + ", 2) ELSE '' END || 'e+' || " + exponent +
			" WHEN " + text + " ~ '[.eIN]' THEN " + text + " ELSE " + text + " || '.0' END"
	}
	return q
}

// jsonExpr is the column in a JSON export's SELECT: arrays as JSON.
func (c column) jsonExpr() string {
	if c.kind == kindArray {
		return "to_json(" + sqltext.QuoteIdent(c.name) + ")"
	}
	return sqltext.QuoteIdent(c.name)
}

// jsonKind is the kind of what jsonExpr returns.
func (c column) jsonKind() valueKind {
	if c.kind == kindArray {
		return kindJSON
	}
	return c.kind
}

// relation is a table or view of the current schema.
type relation struct {
	schema, name string
	kind         string // pg_class.relkind
	cols         []column
}

func (r *relation) qualified() string {
	return sqltext.QuoteIdent(r.schema) + "." + sqltext.QuoteIdent(r.name)
}

// lookupRelation finds a table, view, materialized view or foreign table
// named exactly table in the current schema (the first of the search
// path), with its columns in order; nil when there is none.
func lookupRelation(ctx context.Context, tx pgx.Tx, table string) (*relation, error) {
	var oid uint32
	rel := &relation{name: table}
	err := tx.QueryRow(ctx, `SELECT c.oid, n.nspname, c.relkind::text
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname = $1 AND n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
		table).Scan(&oid, &rel.schema, &rel.kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
			COALESCE(b.typname, t.typname), COALESCE(b.typcategory, t.typcategory)::text, a.attgenerated <> ''
		FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_catalog.pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
		WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, oid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c column
		var typname, category string
		if err := rows.Scan(&c.name, &c.typ, &typname, &category, &c.generated); err != nil {
			return nil, err
		}
		c.kind = typeKind(typname, category)
		rel.cols = append(rel.cols, c)
	}
	return rel, rows.Err()
}

// noSuchTable is the error of an export of a table that is not there.
func noSuchTable(table string) error {
	return &engine.SQLError{Msg: "no such table: " + table}
}

// readTx runs fn in one read-only, repeatable-read transaction: one
// snapshot for everything fn reads, and nothing written.
func readTx(ctx context.Context, pool *pgxpool.Pool, fn func(tx pgx.Tx) error) error {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := pinFormats(ctx, tx); err != nil {
		return err
	}
	return fn(tx)
}

// readTable runs fn with table's relation inside readTx; a table or view
// that does not exist fails with noSuchTable before fn runs.
func readTable(ctx context.Context, pool *pgxpool.Pool, table string, fn func(tx pgx.Tx, rel *relation) error) error {
	return readTx(ctx, pool, func(tx pgx.Tx) error {
		rel, err := lookupRelation(ctx, tx, table)
		if err != nil {
			return err
		}
		if rel == nil {
			return noSuchTable(table)
		}
		return fn(tx, rel)
	})
}

// pinFormats fixes, for the transaction, the settings that shape values
// as text (which a database's own defaults could change): floats exact
// and shortest, bytea as hex, dates in ISO, intervals as PostgreSQL writes
// them. Transfers read and write that text.
func pinFormats(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Conn().PgConn().Exec(ctx, "SET LOCAL extra_float_digits = 3; SET LOCAL bytea_output = 'hex'; "+
		"SET LOCAL DateStyle = 'ISO, MDY'; SET LOCAL IntervalStyle = 'postgres'").ReadAll()
	return err
}

// exportCSV streams a table or view through COPY … TO STDOUT in the
// project's one CSV dialect (internal/csvio): a header row, CRLF after
// every record, NULL as opt.Null unquoted and a value equal to it quoted.
// It returns the number of data rows. An unknown table or a bad null
// marker fails before anything is written.
func exportCSV(ctx context.Context, pool *pgxpool.Pool, table string, w io.Writer, opt engine.CSVExportOptions) (int64, error) {
	if err := checkTable(table); err != nil {
		return 0, err
	}
	if err := csvio.ValidNull(opt.Null, ','); err != nil {
		return 0, &engine.BadInputError{Msg: "Invalid null string: " + err.Error() + "."}
	}
	var n int64
	err := readTable(ctx, pool, table, func(tx pgx.Tx, rel *relation) error {
		list := make([]string, len(rel.cols))
		for i, c := range rel.cols {
			list[i] = c.csvExpr() + " AS " + sqltext.QuoteIdent(c.name)
		}
		query := "COPY (SELECT " + strings.Join(list, ", ") + " FROM " + rel.qualified() +
			") TO STDOUT WITH (FORMAT csv, HEADER true, NULL " + sqltext.Postgres.QuoteLiteral(opt.Null) + ")"
		cw := &crlfWriter{bw: bufio.NewWriterSize(w, exportBufferSize)}
		tag, err := tx.Conn().PgConn().CopyTo(ctx, cw, query)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		return cw.bw.Flush()
	})
	return n, mapErr(ctx, err)
}

// crlfWriter turns the LF that ends each record of COPY's CSV into CRLF.
// COPY quotes every field holding a CR or LF, so an LF outside quotes
// always ends a record; line breaks inside quotes are data and pass as
// they are.
type crlfWriter struct {
	bw     *bufio.Writer
	quoted bool
}

func (c *crlfWriter) Write(p []byte) (int, error) {
	start := 0
	for i, b := range p {
		switch {
		case b == '"':
			c.quoted = !c.quoted // a doubled quote toggles twice
		case b == '\n' && !c.quoted:
			c.bw.Write(p[start:i])
			c.bw.WriteString("\r\n")
			start = i + 1
		}
	}
	if _, err := c.bw.Write(p[start:]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// exportJSON streams a table or view as a JSON array of objects (keys in
// column order) or NDJSON, values encoded as the contract says: integers
// exact, floats as numbers, numeric and timestamps as text, bytea as the
// blob object, json and arrays as JSON, NULL as null.
func exportJSON(ctx context.Context, pool *pgxpool.Pool, table string, ndjson bool, w io.Writer) (int64, error) {
	if err := checkTable(table); err != nil {
		return 0, err
	}
	var n int64
	err := readTable(ctx, pool, table, func(tx pgx.Tx, rel *relation) error {
		names := make([]string, len(rel.cols))
		list := make([]string, len(rel.cols))
		kinds := make([]valueKind, len(rel.cols))
		for i, c := range rel.cols {
			names[i], list[i], kinds[i] = c.name, c.jsonExpr(), c.jsonKind()
		}
		rows, err := tx.Query(ctx, "SELECT "+strings.Join(list, ", ")+" FROM "+rel.qualified(), pgx.QueryResultFormats{pgx.TextFormatCode})
		if err != nil {
			return err
		}
		n, err = writeRows(rows, names, kinds, engine.ExportJSON, ndjson, w)
		return err
	})
	return n, mapErr(ctx, err)
}

// exportQuery streams every row of one statement (args bound to $n) as
// CSV, a JSON array or NDJSON, values encoded as the table exports encode
// them. It runs in a read-only transaction: a statement that writes fails
// with engine.ErrReadOnly. A statement that returns no columns fails
// before anything is written.
func exportQuery(ctx context.Context, pool *pgxpool.Pool, sql string, args []any, format string, w io.Writer) (int64, error) {
	switch format {
	case engine.ExportCSV, engine.ExportJSON, engine.ExportNDJSON:
	default:
		return 0, &engine.BadInputError{Msg: fmt.Sprintf("Unknown export format %q: use csv, json or ndjson.", format)}
	}
	if strings.TrimSpace(sql) == "" {
		return 0, engine.ErrEmptyStatement
	}
	var n int64
	err := readTx(ctx, pool, func(tx pgx.Tx) error {
		sd, err := tx.Conn().Prepare(ctx, "", sql)
		if err != nil {
			return err
		}
		if len(sd.Fields) == 0 {
			return &engine.BadInputError{Msg: "The statement returns no rows to export."}
		}
		kinds, err := fieldKinds(ctx, tx, sd.Fields)
		if err != nil {
			return err
		}
		names := make([]string, len(sd.Fields))
		for i, f := range sd.Fields {
			names[i] = f.Name
		}
		query := sql
		if format != engine.ExportCSV && hasArrays(kinds) && startsWithQuery(sql) {
			query = arraysAsJSON(sql, kinds)
		}
		rows, err := tx.Query(ctx, query, append([]any{pgx.QueryResultFormats{pgx.TextFormatCode}}, args...)...)
		if err != nil {
			return err
		}
		n, err = writeRows(rows, names, kinds, format, format == engine.ExportNDJSON, w)
		return err
	})
	return n, mapErr(ctx, err)
}

// fieldKinds classifies the result columns of a prepared statement.
func fieldKinds(ctx context.Context, tx pgx.Tx, fields []pgconn.FieldDescription) ([]valueKind, error) {
	oids := make([]uint32, len(fields))
	for i, f := range fields {
		oids[i] = f.DataTypeOID
	}
	rows, err := tx.Query(ctx, `SELECT t.oid, COALESCE(b.typname, t.typname), COALESCE(b.typcategory, t.typcategory)::text
		FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
		WHERE t.oid = ANY($1)`, oids)
	if err != nil {
		return nil, err
	}
	byOID := map[uint32]valueKind{}
	for rows.Next() {
		var oid uint32
		var typname, category string
		if err := rows.Scan(&oid, &typname, &category); err != nil {
			return nil, err
		}
		byOID[oid] = typeKind(typname, category)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	kinds := make([]valueKind, len(fields))
	for i, oid := range oids {
		kinds[i] = byOID[oid]
	}
	return kinds, nil
}

func hasArrays(kinds []valueKind) bool {
	for _, k := range kinds {
		if k == kindArray {
			return true
		}
	}
	return false
}

// startsWithQuery: the statement can be a subquery (SELECT, WITH, VALUES,
// TABLE, or one of them in parentheses).
func startsWithQuery(sql string) bool {
	words := sqltext.Postgres.LeadingWords(sql, 1)
	if len(words) == 0 {
		return false
	}
	switch words[0] {
	case "SELECT", "WITH", "VALUES", "TABLE":
		return true
	}
	return false
}

// arraysAsJSON wraps a query so that its array columns come out as JSON;
// the other columns pass unchanged under their own names.
func arraysAsJSON(sql string, kinds []valueKind) string {
	aliases := make([]string, len(kinds))
	list := make([]string, len(kinds))
	for i, k := range kinds {
		aliases[i] = "c" + strconv.Itoa(i+1)
		list[i] = "q." + aliases[i]
		if k == kindArray {
			list[i] = "to_json(q." + aliases[i] + ")"
			kinds[i] = kindJSON
		}
	}
	return "SELECT " + strings.Join(list, ", ") + " FROM (\n" + sql + "\n) AS q(" + strings.Join(aliases, ", ") + ")"
}

// writeRows writes text-format rows as CSV, a JSON array or NDJSON.
func writeRows(rows pgx.Rows, names []string, kinds []valueKind, format string, ndjson bool, w io.Writer) (int64, error) {
	defer rows.Close()
	bw := bufio.NewWriterSize(w, exportBufferSize)
	vals := make([]any, len(names))
	var n int64
	var row func([]any) error
	var end func() error
	if format == engine.ExportCSV {
		cw, err := csvio.NewWriter(bw, "")
		if err != nil {
			return 0, err
		}
		if err := cw.WriteHeader(names); err != nil {
			return 0, err
		}
		row, end = cw.WriteRow, cw.Flush
	} else {
		jw := engine.NewJSONRowWriter(bw, names, ndjson)
		row, end = jw.Row, jw.End
	}
	for rows.Next() {
		for i, raw := range rows.RawValues() {
			vals[i] = fromText(kinds[i], raw, format != engine.ExportCSV)
		}
		if err := row(vals); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if err := end(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// fromText turns a value in PostgreSQL's text format into what the
// writers encode: int64, float64, bool, []byte, string, nil for NULL, and
// for JSON output json.RawMessage for json values. For CSV, floats and
// booleans keep the text the table export (COPY) writes, so a query's CSV
// and a table's have the same bytes.
func fromText(kind valueKind, raw []byte, jsonOut bool) any {
	if raw == nil {
		return nil
	}
	s := string(raw)
	switch kind {
	case kindInt:
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return v
		}
	case kindFloat:
		v, err := strconv.ParseFloat(s, 64)
		if err == nil && (jsonOut || !math.IsInf(v, 0) && !math.IsNaN(v)) {
			return v
		}
		if !jsonOut {
			return s // NaN, ±Infinity: as csvExpr leaves them
		}
	case kindBool:
		if !jsonOut {
			return s
		}
		return s == "t"
	case kindBytes:
		if h, ok := strings.CutPrefix(s, `\x`); ok {
			if b, err := hex.DecodeString(h); err == nil {
				return b
			}
		}
		return raw
	case kindJSON:
		if jsonOut && json.Valid(raw) {
			return json.RawMessage(raw)
		}
	}
	return s
}

// importGuard is what an import's transaction enforces besides the
// import's own rules: a statement_timeout, and a check run just before
// COMMIT that can refuse (roll back) the whole import. The zero value
// enforces nothing.
type importGuard struct {
	timeout      time.Duration
	beforeCommit func(ctx context.Context, tx pgx.Tx) error
}

// inImportTx runs fn in one transaction under the guard.
func inImportTx(ctx context.Context, pool *pgxpool.Pool, g importGuard, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if g.timeout > 0 {
			if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL statement_timeout = %d", max(g.timeout.Milliseconds(), 1))); err != nil {
				return err
			}
		}
		if err := fn(tx); err != nil {
			return err
		}
		if g.beforeCommit != nil {
			return g.beforeCommit(ctx, tx)
		}
		return nil
	})
}

// importCSV streams CSV from r into a table through COPY … FROM STDIN in
// one transaction: every row or none is kept. The CSV is read by the rules
// of the SQLite import (engine.NewCSVReader: delimiter, null marker, header
// names, line numbers in errors) and sent to COPY re-encoded (every value
// quoted, NULL unquoted and empty), so COPY's own CSV parser never decides
// what a field is. Records are streamed: memory stays bounded whatever
// the size. A new table (Create) is typed from the first rows as the
// SQLite import types it (bigint, double precision, text), in the same
// transaction, so a failed import leaves no table. Into a bytea column a
// field is read as standard base64 (what the exports write) or as \x hex.
func importCSV(ctx context.Context, pool *pgxpool.Pool, guard importGuard, table string, r io.Reader, opt engine.CSVOptions) (engine.ImportResult, error) {
	if err := checkTable(table); err != nil {
		return engine.ImportResult{}, err
	}
	src, err := engine.NewCSVReader(r, opt)
	if err != nil {
		return engine.ImportResult{}, err
	}
	var header []string
	if opt.Header {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return engine.ImportResult{}, &engine.BadInputError{Msg: "The CSV is empty: a header row was expected."}
		}
		if err != nil {
			return engine.ImportResult{}, err
		}
		if header, err = engine.CSVHeaderNames(rec.Fields); err != nil {
			return engine.ImportResult{}, err
		}
	}
	sample, err := src.Sample(engine.CSVSampleRows)
	if err != nil {
		return engine.ImportResult{}, err
	}
	if header == nil && len(sample) == 0 {
		return engine.ImportResult{}, &engine.BadInputError{Msg: "The CSV is empty: no rows to import."}
	}
	var res engine.ImportResult
	err = inImportTx(ctx, pool, guard, func(tx pgx.Tx) error {
		if err := pinFormats(ctx, tx); err != nil {
			return err
		}
		plan, err := planImport(ctx, tx, table, header, sample, opt.Create)
		if err != nil {
			return err
		}
		cs := &copySource{src: src, pending: sample, bytea: plan.bytea}
		sample = nil // the source owns it now
		tag, err := tx.Conn().PgConn().CopyFrom(ctx, cs, plan.copySQL)
		if cs.err != nil {
			return cs.err // the CSV's own error, not the server's "COPY from stdin failed"
		}
		if err != nil {
			return cs.lineError(err, plan.relname)
		}
		res = engine.ImportResult{Table: table, Rows: tag.RowsAffected(), Created: plan.created, Columns: plan.columns}
		return nil
	})
	if err != nil {
		return engine.ImportResult{}, mapErr(ctx, err)
	}
	return res, nil
}

// importPlan is where the fields of each record go.
type importPlan struct {
	relname string // as COPY names it in its error context
	copySQL string
	created bool
	columns []engine.Column
	bytea   []bool // per field: the column is bytea
}

// planImport maps the CSV's fields onto the table, creating it when
// absent and allowed. Header names match the table's columns exactly or,
// failing that, ignoring case, as the SQLite import matches them.
func planImport(ctx context.Context, tx pgx.Tx, table string, header []string, sample []csvio.Record, create bool) (*importPlan, error) {
	width := len(header)
	if header == nil {
		width = len(sample[0].Fields)
	}
	rel, err := lookupRelation(ctx, tx, table)
	if err != nil {
		return nil, err
	}
	if rel == nil {
		if !create {
			return nil, &engine.BadInputError{Msg: fmt.Sprintf("No such table: %s (pass create=true to create it).", table)}
		}
		if rel, err = createTable(ctx, tx, table, header, sample, width); err != nil {
			return nil, err
		}
	}
	var target []column
	for _, c := range rel.cols {
		if !c.generated {
			target = append(target, c)
		}
	}
	var cols []column
	if header == nil {
		if len(target) != width {
			return nil, &engine.BadInputError{Msg: fmt.Sprintf("The CSV has %d fields per row but table '%s' has %d columns; send a header row to fill some of them.", width, table, len(target))}
		}
		cols = target
	} else {
		for _, h := range header {
			c, ok := findColumn(target, h)
			if !ok {
				return nil, &engine.BadInputError{Msg: fmt.Sprintf("CSV header: table '%s' has no column '%s'.", table, h)}
			}
			cols = append(cols, c)
		}
	}
	p := &importPlan{relname: rel.name, created: rel.kind == "new"}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = sqltext.QuoteIdent(c.name)
		p.columns = append(p.columns, engine.Column{Name: c.name, Type: c.typ})
		p.bytea = append(p.bytea, c.kind == kindBytes)
	}
	p.copySQL = "COPY " + rel.qualified() + " (" + strings.Join(names, ", ") + ") FROM STDIN WITH (FORMAT csv)"
	return p, nil
}

func findColumn(cols []column, name string) (column, bool) {
	for _, c := range cols {
		if c.name == name {
			return c, true
		}
	}
	for _, c := range cols {
		if strings.EqualFold(c.name, name) {
			return c, true
		}
	}
	return column{}, false
}

// pgType maps a type the SQLite import infers to PostgreSQL's.
func pgType(inferred string) string {
	switch inferred {
	case "INTEGER":
		return "bigint"
	case "REAL":
		return "double precision"
	}
	return "text"
}

// createTable creates the table of a CSV import, one column per field
// (named by the header, else c1, c2, …) typed from the sample. Its kind
// is "new".
func createTable(ctx context.Context, tx pgx.Tx, table string, header []string, sample []csvio.Record, width int) (*relation, error) {
	var schema string
	if err := tx.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return nil, err
	}
	rel := &relation{schema: schema, name: table, kind: "new"}
	defs := make([]string, width)
	for i := range width {
		name := "c" + strconv.Itoa(i+1)
		if header != nil {
			name = header[i]
		}
		if len(name) > maxIdentLen {
			return nil, fmt.Errorf("%w: CSV header, column %d: %q is longer than PostgreSQL's %d bytes", engine.ErrInvalidIdentifier, i+1, name, maxIdentLen)
		}
		typ := pgType(engine.CSVColumnType(sample, i))
		defs[i] = sqltext.QuoteIdent(name) + " " + typ
		c := column{name: name, typ: typ, kind: kindText}
		switch typ {
		case "bigint":
			c.kind = kindInt
		case "double precision":
			c.kind = kindFloat
		}
		rel.cols = append(rel.cols, c)
	}
	if _, err := tx.Exec(ctx, "CREATE TABLE "+rel.qualified()+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return nil, err
	}
	return rel, nil
}

// copyChunk is how much re-encoded CSV a Read prepares at once.
const copyChunk = 32 << 10

// copySource is the io.Reader COPY … FROM STDIN reads: the sampled
// records, then the rest of the CSV as it arrives, each record on its
// own in COPY's CSV (values quoted, NULL empty). It remembers where each
// record started in the original CSV to name the line of an error COPY
// reports by record number.
type copySource struct {
	src     *engine.CSVReader
	pending []csvio.Record // the sample, sent first
	bytea   []bool
	buf     []byte
	off     int
	records int   // records encoded so far
	lines   []int // pairs (record number, its line - record number) where that offset changes
	lost    int   // first record whose line is not known (lines full), 0 if none
	err     error // the CSV's own error (malformed, the body broke off)
	done    bool
}

func (s *copySource) Read(p []byte) (int, error) {
	for s.off == len(s.buf) {
		switch {
		case s.err != nil:
			return 0, s.err
		case s.done:
			return 0, io.EOF
		}
		s.fill()
	}
	n := copy(p, s.buf[s.off:])
	s.off += n
	return n, nil
}

// fill encodes records until a chunk is ready or the CSV ends.
func (s *copySource) fill() {
	s.buf, s.off = s.buf[:0], 0
	for len(s.buf) < copyChunk {
		var rec csvio.Record
		if len(s.pending) > 0 {
			rec, s.pending = s.pending[0], s.pending[1:]
		} else {
			var err error
			if rec, err = s.src.Next(); err != nil {
				if errors.Is(err, io.EOF) {
					s.done = true
				} else {
					s.err = err
				}
				return
			}
		}
		s.encode(rec)
	}
}

func (s *copySource) encode(rec csvio.Record) {
	s.records++
	if offset := rec.Line - s.records; s.lost == 0 && (len(s.lines) == 0 || s.lines[len(s.lines)-1] != offset) {
		if len(s.lines) == maxLineMarks {
			s.lost = s.records // bounded memory: later errors name the record
		} else {
			s.lines = append(s.lines, s.records, offset)
		}
	}
	b := s.buf
	for i, f := range rec.Fields {
		if i > 0 {
			b = append(b, ',')
		}
		if rec.Null[i] {
			continue
		}
		b = append(b, '"')
		if s.bytea[i] {
			if raw, err := base64.StdEncoding.DecodeString(f); err == nil {
				b = append(b, `\x`...)
				b = hex.AppendEncode(b, raw)
				b = append(b, '"')
				continue
			}
		}
		for {
			j := strings.IndexByte(f, '"')
			if j < 0 {
				break
			}
			b = append(b, f[:j+1]...)
			b = append(b, '"')
			f = f[j+1:]
		}
		b = append(b, f...)
		b = append(b, '"')
	}
	s.buf = append(b, '\n')
}

// maxLineMarks bounds the line map of a CSV whose records span lines
// (2 MiB of marks); past it an error names the record instead.
const maxLineMarks = 1 << 18

// line is the CSV line where record number n (1-based) started, 0 when
// not known.
func (s *copySource) line(n int) int {
	if s.lost != 0 && n >= s.lost {
		return 0
	}
	offset := 0
	for i := 0; i+1 < len(s.lines) && s.lines[i] <= n; i += 2 {
		offset = s.lines[i+1]
	}
	return n + offset
}

// lineError names the CSV line of a row COPY refused; COPY counts records
// ("COPY t, line 3, column a: …").
func (s *copySource) lineError(err error, relname string) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	prefix := "COPY " + relname + ", line "
	for _, where := range strings.Split(pe.Where, "\n") {
		rest, ok := strings.CutPrefix(where, prefix)
		if !ok {
			continue
		}
		end := 0
		for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
			end++
		}
		if n, err := strconv.Atoi(rest[:end]); err == nil {
			msg := pe.Message
			if pe.Code == "23505" && pe.Detail != "" { // unique violation: which key
				msg += ": " + pe.Detail
			}
			if line := s.line(n); line > 0 {
				return &engine.SQLError{Msg: fmt.Sprintf("%s (CSV line %d)", msg, line)}
			}
			return &engine.SQLError{Msg: fmt.Sprintf("%s (CSV record %d)", msg, n)}
		}
	}
	return err
}

// importSQL runs a multi-statement script in one transaction: every
// statement or none is kept. As in the SQLite import, the script may hold
// its own BEGIN … COMMIT around its statements (folded into the one
// transaction) and any other transaction control is refused; COPY from
// STDIN or to STDOUT, which needs psql, is refused too. The server parses
// and runs the script as one simple query, so every PostgreSQL syntax
// (dollar quoting, BEGIN ATOMIC bodies, …) means what it means to
// PostgreSQL; DB-Forge only splits it to find transaction control and to
// name the statement of an error.
func importSQL(ctx context.Context, pool *pgxpool.Pool, guard importGuard, script string) (engine.ScriptResult, error) {
	stmts := splitScript(script)
	if len(stmts) == 0 {
		return engine.ScriptResult{}, engine.ErrEmptyStatement
	}
	run, err := checkScript(script, stmts)
	if err != nil {
		return engine.ScriptResult{}, err
	}
	var res engine.ScriptResult
	err = inImportTx(ctx, pool, guard, func(tx pgx.Tx) error {
		text := blankFolded(script, stmts, run)
		if strings.TrimSpace(text) == "" {
			return nil
		}
		// the server lexes the whole script before running any of it:
		// with the setting splitScript assumes, a backslash in '…' is
		// text to both, so no COMMIT can hide from checkScript in a
		// string that a database's own default would end early
		if _, err := tx.Exec(ctx, "SET LOCAL standard_conforming_strings = on"); err != nil {
			return err
		}
		mrr := tx.Conn().PgConn().Exec(ctx, text)
		for mrr.NextResult() {
			tag, err := mrr.ResultReader().Close()
			if err != nil {
				break // Close of mrr reports it
			}
			if tag.String() == "" {
				continue // only comments and semicolons left
			}
			res.Statements++
			if tag.Insert() || tag.Update() || tag.Delete() || strings.HasPrefix(tag.String(), "MERGE") {
				res.RowsAffected += tag.RowsAffected()
			}
		}
		if err := mrr.Close(); err != nil {
			return scriptError(ctx, err, script, stmts, run, res.Statements)
		}
		return nil
	})
	if err != nil {
		return engine.ScriptResult{}, mapErr(ctx, err)
	}
	return res, nil
}

// scriptStmt is one statement of a script: its bytes, the line it starts
// on and its first words (upper-cased).
type scriptStmt struct {
	start, end int
	line       int
	words      []string
}

// checkScript applies the transaction rules; run[i] says statement i is
// sent (false for the script's own BEGIN and final COMMIT).
func checkScript(script string, stmts []scriptStmt) ([]bool, error) {
	run := make([]bool, len(stmts))
	begun, ended := false, false
	for i, st := range stmts {
		where := func(msg string) error {
			return &engine.BadInputError{Msg: fmt.Sprintf("Statement %d (line %d: %s): %s", i+1, st.line,
				engine.StatementSnippet(script[st.start:st.end]), msg)}
		}
		if ended {
			return nil, where("nothing may follow the script's COMMIT; the whole script runs in one transaction.")
		}
		first, second := word(st.words, 0), word(st.words, 1)
		switch {
		case first == "BEGIN" || first == "START" && second == "TRANSACTION":
			if begun {
				return nil, where("a script may open one transaction only; it runs in one transaction as a whole.")
			}
			begun = true
			continue
		case (first == "COMMIT" || first == "END") && second != "PREPARED":
			if !begun {
				return nil, where("COMMIT without BEGIN.")
			}
			ended = true
			continue
		case first == "ROLLBACK" && second != "TO", first == "ABORT":
			return nil, where("ROLLBACK is not allowed in a script; a failing statement already rolls back everything. Use SAVEPOINT and ROLLBACK TO.")
		case first == "PREPARE" && second == "TRANSACTION", first == "COMMIT", first == "ROLLBACK" && second == "PREPARED":
			return nil, where("two-phase commit is not allowed in a script.")
		case first == "COPY" && copiesStdio(script[st.start:st.end]):
			return nil, where("COPY from STDIN or to STDOUT needs psql; import CSV through the CSV import instead.")
		}
		run[i] = true
	}
	if begun && !ended {
		return nil, &engine.BadInputError{Msg: "The script opens a transaction (BEGIN) but never commits it."}
	}
	return run, nil
}

func word(words []string, i int) string {
	if i < len(words) {
		return words[i]
	}
	return ""
}

// copiesStdio: a COPY statement naming STDIN or STDOUT as a word.
func copiesStdio(stmt string) bool {
	return sqltext.Postgres.HasWord(stmt, "STDIN") || sqltext.Postgres.HasWord(stmt, "STDOUT")
}

// blankFolded is the script with the statements that do not run replaced
// by spaces (line breaks kept), so the server's error positions still
// point into the script as sent.
func blankFolded(script string, stmts []scriptStmt, run []bool) string {
	b := []byte(script)
	for i, st := range stmts {
		if run[i] {
			continue
		}
		for j := st.start; j < st.end; j++ {
			if b[j] != '\n' {
				b[j] = ' '
			}
		}
	}
	return string(b)
}

// scriptError names the failing statement: the one holding the server's
// error position when it gives one, else the next one after those that
// completed.
func scriptError(ctx context.Context, err error, script string, stmts []scriptStmt, run []bool, done int) error {
	idx := -1
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Position > 0 {
		off := byteOffset(script, int(pe.Position)-1)
		for i, st := range stmts {
			if off < st.end || i == len(stmts)-1 {
				idx = i
				break
			}
		}
	}
	if idx < 0 {
		for i := range stmts {
			if run[i] {
				if done == 0 {
					idx = i
					break
				}
				done--
			}
		}
	}
	if idx < 0 {
		return err
	}
	st := stmts[idx]
	return &engine.ScriptError{Index: idx + 1, Line: st.line, Statement: engine.StatementSnippet(script[st.start:st.end]), Err: mapErr(ctx, err)}
}

// byteOffset converts a 0-based character offset (PostgreSQL counts
// characters) into a byte offset of s.
func byteOffset(s string, chars int) int {
	n := 0
	for i := range s {
		if n == chars {
			return i
		}
		n++
	}
	return len(s)
}

// splitScript splits a script into statements by sqltext's PostgreSQL
// rules: a semicolon inside quotes ('…', E'…', "…", $tag$…$tag$),
// comments, parentheses or a BEGIN ATOMIC … END body ends nothing.
func splitScript(s string) []scriptStmt {
	sts := sqltext.Postgres.Split(s)
	out := make([]scriptStmt, len(sts))
	for i, st := range sts {
		out[i] = scriptStmt{start: st.Start, end: st.End, line: st.Line, words: sqltext.Postgres.LeadingWords(st.Text, 2)}
	}
	return out
}
