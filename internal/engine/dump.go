package engine

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// schemaObject is one row of sqlite_schema.
type schemaObject struct {
	typ, name, table, sql string
}

// tableKind is what pragma_table_list says of a table.
type tableKind struct {
	typ          string // "table", "view", "virtual" or "shadow"
	withoutRowid bool
}

// DumpSQL streams a full dump of the database: a script that, run on an
// empty database, rebuilds the same schema and content. It reads one
// consistent snapshot and returns the number of data rows written.
//
// Layout: PRAGMA foreign_keys=OFF, then BEGIN; tables; their rows (rowids
// kept, generated columns left to SQLite); sqlite_sequence and ANALYZE
// statistics; indexes; views; triggers; COMMIT. Virtual tables are created
// again and their rows inserted through them; their shadow tables are not
// dumped.
func (e *Engine) DumpSQL(ctx context.Context, db string, w io.Writer) (int64, error) {
	if n, ok, err := backendTransfer(e, ctx, db, func(ctx context.Context, d Database) (int64, error) { return d.DumpSQL(ctx, w) }); ok {
		return n, err
	}
	return e.readSnapshot(ctx, db, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		objs, kinds, userVersion, err := readDumpSchema(ctx, tx)
		if err != nil {
			return 0, err
		}
		d := &dumper{ctx: ctx, tx: tx, w: bufio.NewWriterSize(w, exportBufferSize), kinds: kinds}
		d.w.WriteString("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n")
		if userVersion != 0 {
			d.w.WriteString("PRAGMA user_version=" + strconv.FormatInt(userVersion, 10) + ";\n")
		}
		var tables, internal []schemaObject
		for _, o := range objs {
			if o.typ != "table" || kinds[o.name].typ == "shadow" {
				continue
			}
			if strings.HasPrefix(strings.ToLower(o.name), "sqlite_") {
				internal = append(internal, o)
				continue
			}
			tables = append(tables, o)
			d.statement(o.sql)
		}
		for _, o := range tables {
			if err := d.tableRows(o.name); err != nil {
				return d.rows, err
			}
		}
		if err := d.internalTables(internal); err != nil {
			return d.rows, err
		}
		for _, typ := range []string{"index", "view", "trigger"} {
			for _, o := range objs {
				if o.typ == typ && o.sql != "" {
					d.statement(o.sql)
				}
			}
		}
		d.w.WriteString("COMMIT;\n")
		return d.rows, d.w.Flush()
	})
}

// readDumpSchema reads sqlite_schema in creation order, the kind of every
// table and the user_version.
func readDumpSchema(ctx context.Context, tx *sql.Tx) ([]schemaObject, map[string]tableKind, int64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_schema ORDER BY rowid")
	if err != nil {
		return nil, nil, 0, err
	}
	var objs []schemaObject
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.typ, &o.name, &o.table, &o.sql); err != nil {
			rows.Close()
			return nil, nil, 0, err
		}
		objs = append(objs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, 0, err
	}
	kinds := map[string]tableKind{}
	rows, err = tx.QueryContext(ctx, "SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main'")
	if err != nil {
		return nil, nil, 0, err
	}
	for rows.Next() {
		var name string
		var k tableKind
		if err := rows.Scan(&name, &k.typ, &k.withoutRowid); err != nil {
			rows.Close()
			return nil, nil, 0, err
		}
		kinds[name] = k
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, 0, err
	}
	var uv int64
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&uv); err != nil {
		return nil, nil, 0, err
	}
	return objs, kinds, uv, nil
}

// dumper writes one dump.
type dumper struct {
	ctx   context.Context
	tx    *sql.Tx
	w     *bufio.Writer
	kinds map[string]tableKind
	rows  int64
	line  []byte
}

func (d *dumper) statement(text string) {
	d.w.WriteString(text)
	d.w.WriteString(";\n")
}

// tableRows writes one INSERT per row of a table.
func (d *dumper) tableRows(table string) error {
	cols, err := tableColumns(d.ctx, d.tx, table)
	if err != nil {
		return err
	}
	var ins []tableCol
	listed := false // whether INSERT needs a column list
	for _, c := range cols {
		if c.hidden == colNormal {
			ins = append(ins, c)
		} else {
			listed = true
		}
	}
	if len(ins) == 0 {
		return nil
	}
	names := make([]string, len(ins))
	for i, c := range ins {
		names[i] = sqltext.QuoteIdent(c.name)
	}
	sel := selectList(ins)
	k := d.kinds[table]
	if rowid := rowidName(cols); k.typ == "table" && !k.withoutRowid && rowid != "" && !hasRowidAlias(cols) {
		// keep rowids: content that refers to them (and rowid order) survives
		names = append([]string{rowid}, names...)
		sel = rowid + ", " + sel
		listed = true
	}
	prefix := "INSERT INTO " + sqltext.QuoteIdent(table)
	if listed {
		prefix += "(" + strings.Join(names, ",") + ")"
	}
	prefix += " VALUES("
	n, err := scanRows(d.ctx, d.tx, "SELECT "+sel+" FROM "+sqltext.QuoteIdent(table), len(names), func(vals []any) error {
		d.line = append(d.line[:0], prefix...)
		for i, v := range vals {
			if i > 0 {
				d.line = append(d.line, ',')
			}
			d.line = appendSQLValue(d.line, v)
		}
		d.line = append(d.line, ");\n"...)
		_, err := d.w.Write(d.line)
		return err
	})
	d.rows += n
	return err
}

// internalTables restores sqlite_sequence (AUTOINCREMENT counters) and the
// ANALYZE statistics of sqlite_stat1; SQLite creates those tables itself,
// so their rows replace what it put there. sqlite_stat4 samples are left
// out: builds without STAT4 could not load the dump, and ANALYZE rebuilds
// them.
func (d *dumper) internalTables(objs []schemaObject) error {
	analyzed := false
	for _, o := range objs {
		lower := strings.ToLower(o.name)
		switch {
		case lower == "sqlite_sequence":
		case lower == "sqlite_stat1":
			if !analyzed {
				d.statement("ANALYZE sqlite_schema")
				analyzed = true
			}
		default:
			continue
		}
		d.statement("DELETE FROM " + sqltext.QuoteIdent(o.name))
		if err := d.tableRows(o.name); err != nil {
			return err
		}
	}
	return nil
}

// rowidName returns a name that reaches the rowid of the table: the first
// of rowid, _rowid_ and oid that is not also a column; "" when all are.
func rowidName(cols []tableCol) string {
	for _, cand := range []string{"rowid", "_rowid_", "oid"} {
		taken := false
		for _, c := range cols {
			if strings.EqualFold(c.name, cand) {
				taken = true
				break
			}
		}
		if !taken {
			return cand
		}
	}
	return ""
}

// hasRowidAlias reports an INTEGER PRIMARY KEY column, which is the rowid
// under another name and is dumped as such.
func hasRowidAlias(cols []tableCol) bool {
	n, alias := 0, false
	for _, c := range cols {
		if c.pk > 0 {
			n++
			alias = strings.EqualFold(c.decl, "INTEGER")
		}
	}
	return n == 1 && alias
}

// appendSQLValue writes a value as a SQL literal that reads back as the
// same value and storage class. Text that is not valid UTF-8 or holds NUL
// goes through a blob cast so its bytes survive unchanged.
func appendSQLValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "NULL"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return appendReal(b, x)
	case string:
		if !utf8.ValidString(x) || strings.IndexByte(x, 0) >= 0 {
			b = append(b, "CAST(X'"...)
			b = hex.AppendEncode(b, []byte(x))
			return append(b, "' AS TEXT)"...)
		}
		b = append(b, '\'')
		for {
			i := strings.IndexByte(x, '\'')
			if i < 0 {
				break
			}
			b = append(b, x[:i+1]...)
			b = append(b, '\'')
			x = x[i+1:]
		}
		b = append(b, x...)
		return append(b, '\'')
	case []byte:
		b = append(b, "X'"...)
		b = hex.AppendEncode(b, x)
		return append(b, '\'')
	}
	return append(b, "NULL"...)
}
