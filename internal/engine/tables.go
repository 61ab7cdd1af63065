package engine

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// typeName is what a column type must look like: words, optionally with
// one or two size arguments ("VARCHAR(20)", "DECIMAL(10, 2)").
var typeName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$`)

// CreateTable creates a table from column definitions (identifiers validated
// and quoted, defaults written as safely built literals).
func (e *Engine) CreateTable(ctx context.Context, db, table string, cols []ColumnDef) error {
	if ok, err := e.backendCreateTable(ctx, db, table, cols); ok {
		return err
	}
	inst, c, err := e.running(db)
	if err != nil {
		return err
	}
	defer c.release()
	ddl, err := createTableSQL(table, cols)
	if err != nil {
		return err
	}
	_, err = e.do(ctx, inst, c, sqltext.Statement{Text: ddl}, nil, window{limit: 1}, false)
	return err
}

// createTableSQL builds the CREATE TABLE statement. Several primary key
// columns become one table constraint.
func createTableSQL(table string, cols []ColumnDef) (string, error) {
	if !ValidIdentifier(table) {
		return "", fmt.Errorf("%w: table name %q", ErrInvalidIdentifier, table)
	}
	if len(cols) == 0 {
		return "", &BadInputError{Msg: "At least one column is required."}
	}
	var pks []string
	for _, col := range cols {
		if col.PrimaryKey {
			pks = append(pks, sqltext.QuoteIdent(col.Name))
		}
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE " + sqltext.QuoteIdent(table) + " (")
	seen := map[string]bool{}
	for i, col := range cols {
		if !ValidIdentifier(col.Name) {
			return "", fmt.Errorf("%w: column name %q", ErrInvalidIdentifier, col.Name)
		}
		if seen[strings.ToLower(col.Name)] {
			return "", &BadInputError{Msg: fmt.Sprintf("Duplicate column name '%s'.", col.Name)}
		}
		seen[strings.ToLower(col.Name)] = true
		typ := strings.TrimSpace(col.Type)
		if typ != "" && !typeName.MatchString(typ) {
			return "", &BadInputError{Msg: fmt.Sprintf("Invalid type %q for column '%s'.", col.Type, col.Name)}
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(sqltext.QuoteIdent(col.Name))
		if typ != "" {
			b.WriteString(" " + typ)
		}
		if col.PrimaryKey && len(pks) == 1 {
			b.WriteString(" PRIMARY KEY")
		}
		if col.NotNull {
			b.WriteString(" NOT NULL")
		}
		if col.HasDefault || col.Default != nil {
			lit, err := sqlLiteral(col.Default)
			if err != nil {
				return "", &BadInputError{Msg: fmt.Sprintf("Invalid default for column '%s': %v.", col.Name, err)}
			}
			b.WriteString(" DEFAULT " + lit)
		}
	}
	if len(pks) > 1 {
		b.WriteString(", PRIMARY KEY (" + strings.Join(pks, ", ") + ")")
	}
	b.WriteString(")")
	return b.String(), nil
}

// sqlLiteral writes a default value as a SQL literal. The three time
// keywords keep their SQL meaning.
func sqlLiteral(v any) (string, error) {
	switch x := v.(type) {
	case string:
		switch strings.ToUpper(x) {
		case "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME":
			return strings.ToUpper(x), nil
		}
		return "'" + strings.ReplaceAll(x, "'", "''") + "'", nil
	case []byte:
		return fmt.Sprintf("X'%X'", x), nil
	}
	b, err := bindValue(v)
	if err != nil {
		return "", err
	}
	switch x := b.(type) {
	case nil:
		return "NULL", nil
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", fmt.Errorf("not a finite number")
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0" // keep it REAL
		}
		return s, nil
	}
	return "", fmt.Errorf("unsupported value %T", v)
}

// InsertRows inserts all rows in one transaction: all or nothing. Columns
// are the rows' keys, sorted; every row must have the same keys.
func (e *Engine) InsertRows(ctx context.Context, db, table string, rows []map[string]any) (int64, error) {
	if n, ok, err := e.backendInsertRows(ctx, db, table, rows); ok {
		return n, err
	}
	inst, c, err := e.running(db)
	if err != nil {
		return 0, err
	}
	defer c.release()
	keys, args, err := insertArgs(table, rows)
	if err != nil {
		return 0, err
	}
	stmt := "INSERT INTO " + sqltext.QuoteIdent(table) + " DEFAULT VALUES"
	if len(keys) > 0 {
		quoted := make([]string, len(keys))
		for i, k := range keys {
			quoted[i] = sqltext.QuoteIdent(k)
		}
		stmt = fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", sqltext.QuoteIdent(table), strings.Join(quoted, ", "),
			strings.TrimSuffix(strings.Repeat("?, ", len(keys)), ", "))
	}
	start := time.Now()
	inst.touch(start)
	ctx, cancel := context.WithTimeout(ctx, e.cfg.QueryTimeout)
	defer cancel()
	n, err := c.insertAll(ctx, stmt, args)
	err = mapErr(ctx, err)
	res := &Result{RowsAffected: n}
	inst.stats.record(time.Since(start), res, err)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// insertArgs checks the rows of an insert and returns their columns (the
// rows' keys, sorted) and values in that order.
func insertArgs(table string, rows []map[string]any) ([]string, [][]any, error) {
	var err error
	if !ValidIdentifier(table) {
		return nil, nil, fmt.Errorf("%w: table name %q", ErrInvalidIdentifier, table)
	}
	if len(rows) == 0 {
		return nil, nil, &BadInputError{Msg: "No rows provided for insertion."}
	}
	keys := make([]string, 0, len(rows[0]))
	for k := range rows[0] {
		if !ValidIdentifier(k) {
			return nil, nil, fmt.Errorf("%w: column name %q", ErrInvalidIdentifier, k)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	args := make([][]any, len(rows))
	for i, row := range rows {
		if len(row) != len(keys) {
			return nil, nil, &BadInputError{Msg: "All rows must have the same columns."}
		}
		args[i] = make([]any, len(keys))
		for j, k := range keys {
			v, ok := row[k]
			if !ok {
				return nil, nil, &BadInputError{Msg: "All rows must have the same columns."}
			}
			if args[i][j], err = bindValue(v); err != nil {
				return nil, nil, &BadInputError{Msg: fmt.Sprintf("Row %d, column '%s': %v.", i+1, k, err)}
			}
		}
	}
	return keys, args, nil
}

// insertAll runs stmt once per argument list in one transaction on the writer.
func (c *conns) insertAll(ctx context.Context, stmt string, args [][]any) (n int64, err error) {
	if err := c.acquireWriter(ctx, time.Time{}); err != nil {
		return 0, err
	}
	defer c.releaseWriter()
	defer func() {
		// keep total_changes in step whatever happened
		c.writer.QueryRowContext(context.Background(), "SELECT total_changes()").Scan(&c.total)
	}()
	tx, err := beginTx(ctx, c.writer)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	ps, err := tx.PrepareContext(ctx, stmt)
	if err != nil {
		return 0, err
	}
	defer ps.Close()
	for _, a := range args {
		r, err := ps.ExecContext(ctx, a...)
		if err != nil {
			return 0, err
		}
		k, _ := r.RowsAffected()
		n += k
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return n, nil
}

// SelectRows reads a table with equality filters on its columns. Filter
// keys must be columns of the table; values are bound as parameters.
func (e *Engine) SelectRows(ctx context.Context, db, table string, filters map[string]string, limit, offset int) (*Result, error) {
	return e.selectRows(ctx, db, table, filters, limit, offset, false)
}

// SelectRowsHeld is SelectRows for a caller that encodes the result: a
// large result keeps its memory slot until Result.Release, as with
// Query.HoldMemory.
func (e *Engine) SelectRowsHeld(ctx context.Context, db, table string, filters map[string]string, limit, offset int) (*Result, error) {
	return e.selectRows(ctx, db, table, filters, limit, offset, true)
}

func (e *Engine) selectRows(ctx context.Context, db, table string, filters map[string]string, limit, offset int, holdMemory bool) (*Result, error) {
	if res, ok, err := e.backendSelectRows(ctx, db, table, filters, limit, offset); ok {
		return res, err
	}
	inst, c, err := e.running(db)
	if err != nil {
		return nil, err
	}
	defer c.release()
	if !ValidIdentifier(table) {
		return nil, fmt.Errorf("%w: table name %q", ErrInvalidIdentifier, table)
	}
	win, err := e.window(limit, offset)
	if err != nil {
		return nil, err
	}
	// built in one buffer: this route is as hot as /query
	var b strings.Builder
	b.Grow(64 + len(table) + 24*len(filters))
	b.WriteString("SELECT * FROM ")
	sqltext.WriteIdent(&b, table)
	var args []any
	if len(filters) > 0 {
		cols, err := e.columnNames(ctx, c, table)
		if err != nil {
			return nil, err
		}
		if args, err = FilterWhere(&b, filters, cols, func(b *strings.Builder, _ int) { b.WriteString(" = ?") }); err != nil {
			return nil, err
		}
	}
	var num [20]byte
	b.WriteString(" LIMIT ")
	b.Write(strconv.AppendInt(num[:0], int64(win.limit+1), 10))
	b.WriteString(" OFFSET ")
	b.Write(strconv.AppendInt(num[:0], int64(win.offset), 10))
	return e.do(ctx, inst, c, sqltext.Statement{Text: b.String()}, args, window{limit: win.limit, holdMemory: holdMemory}, true)
}

// FilterWhere writes the WHERE clause of a row filter to b and returns its
// arguments: the one rule both backends filter rows by. filters maps a
// column to the value it must equal, one condition per column in name
// order: the quoted column, then what cond writes for its argument's index
// (from 0). A column cols does not hold is a *BadInputError (b is then
// half written); an empty cols (no such table) gives no clause and no
// arguments, so that the database reports the table itself.
func FilterWhere(b *strings.Builder, filters map[string]string, cols map[string]bool, cond func(b *strings.Builder, i int)) ([]any, error) {
	if len(cols) == 0 {
		return nil, nil
	}
	var small [8]string // most filters name one column or two
	keys := small[:0]
	for k := range filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	args := make([]any, len(keys))
	for i, k := range keys {
		if !cols[k] {
			return nil, &BadInputError{Msg: fmt.Sprintf("Unknown column '%s' in filter.", k)}
		}
		if i == 0 {
			b.WriteString(" WHERE ")
		} else {
			b.WriteString(" AND ")
		}
		sqltext.WriteIdent(b, k)
		cond(b, i)
		args[i] = filters[k]
	}
	return args, nil
}

// maxTableColumns bounds the tables whose column names one database keeps.
const maxTableColumns = 256

// columnNameCache caches column names per table for the MK1 rows route. The
// names are learnt once per schema generation (conns.schemaGen moves on
// every statement that may change the schema, and again when it ends), so
// a table created, altered or dropped is read afresh.
type columnNameCache struct {
	mu  sync.Mutex
	gen int64
	m   map[string]map[string]bool // table → its column names; read-only once stored
}

func (tc *columnNameCache) get(table string, gen int64) (map[string]bool, bool) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.gen != gen {
		tc.m, tc.gen = nil, gen
	}
	cols, ok := tc.m[table]
	return cols, ok
}

func (tc *columnNameCache) put(table string, gen int64, cols map[string]bool) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.gen != gen {
		return // the schema moved while they were read
	}
	if tc.m == nil || len(tc.m) >= maxTableColumns {
		tc.m = map[string]map[string]bool{}
	}
	tc.m[table] = cols
}

// columnNames returns the columns of a table or view; empty when it does
// not exist. The caller must not change the map.
func (e *Engine) columnNames(ctx context.Context, c *conns, table string) (map[string]bool, error) {
	gen := c.schemaGen.Load()
	if cols, ok := c.tableCols.get(table, gen); ok {
		return cols, nil
	}
	cols, err := e.readColumnNames(ctx, c, table)
	if err != nil {
		return nil, err
	}
	c.tableCols.put(table, gen, cols)
	return cols, nil
}

// readColumnNames asks SQLite for the columns of a table or view.
func (e *Engine) readColumnNames(ctx context.Context, c *conns, table string) (map[string]bool, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.QueryTimeout)
	defer cancel()
	rc, err := c.acquireFullReader(ctx)
	if err != nil {
		return nil, mapErr(ctx, err)
	}
	defer c.releaseReader(rc)
	rows, err := rc.QueryContext(ctx, "SELECT name FROM pragma_table_xinfo(?)", table)
	if err != nil {
		return nil, mapErr(ctx, err)
	}
	defer rows.Close()
	cols := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, mapErr(ctx, err)
		}
		cols[name] = true
	}
	return cols, mapErr(ctx, rows.Err())
}
