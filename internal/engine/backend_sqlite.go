package engine

import (
	"context"
	"io"
)

// sqliteBackend presents the engine's built-in SQLite storage through the
// Backend seam. The engine's own code paths (conns, writer, readers,
// statement caches) stay what they were; this adapter only names them, so
// code written against Backend/Database works on SQLite databases too.
type sqliteBackend struct{ e *Engine }

func (sqliteBackend) Name() string { return BackendSQLite }

// Create opens (and so creates) the database file once.
func (b sqliteBackend) Create(ctx context.Context, inst Instance) error {
	c, err := openConns(ctx, b.e.dbPath(inst.Name), &b.e.cfg, b.e.drv)
	if err != nil {
		return err
	}
	return c.close()
}

// Drop removes the database file with its WAL and shared-memory files.
func (b sqliteBackend) Drop(ctx context.Context, inst Instance) error {
	return removeFiles(b.e.dbPath(inst.Name))
}

// Open returns the running database by name; the engine keeps its
// connections (Spawn opens them).
func (b sqliteBackend) Open(ctx context.Context, inst Instance, lim Limits) (Database, error) {
	_, c, err := b.e.running(inst.Name)
	if err != nil {
		return nil, err
	}
	c.release() // each call of the database holds it again
	return sqliteDatabase{e: b.e, name: inst.Name}, nil
}

// Stop has nothing to end: closing the connections (Prune) is all.
func (sqliteBackend) Stop(ctx context.Context, inst Instance) error { return nil }

// sqliteDatabase is one SQLite database by name; every method is the
// engine's own.
type sqliteDatabase struct {
	e    *Engine
	name string
}

func (d sqliteDatabase) Exec(ctx context.Context, q Query) (*Result, error) {
	return d.e.Exec(ctx, d.name, q)
}

func (d sqliteDatabase) Schema(ctx context.Context, table string) (*Schema, error) {
	return d.e.Schema(ctx, d.name, table)
}

func (d sqliteDatabase) Explain(ctx context.Context, q Query) ([]PlanNode, error) {
	return d.e.Explain(ctx, d.name, q)
}

func (d sqliteDatabase) CreateTable(ctx context.Context, table string, cols []ColumnDef) error {
	return d.e.CreateTable(ctx, d.name, table, cols)
}

func (d sqliteDatabase) InsertRows(ctx context.Context, table string, columns []string, rows [][]any) (int64, error) {
	maps := make([]map[string]any, len(rows))
	for i, row := range rows {
		maps[i] = make(map[string]any, len(columns))
		for j, c := range columns {
			maps[i][c] = row[j]
		}
	}
	return d.e.InsertRows(ctx, d.name, table, maps)
}

func (d sqliteDatabase) SelectRows(ctx context.Context, table string, filters map[string]string, limit, offset int) (*Result, error) {
	return d.e.SelectRows(ctx, d.name, table, filters, limit, offset)
}

func (d sqliteDatabase) ExportCSV(ctx context.Context, table string, w io.Writer, opt CSVExportOptions) (int64, error) {
	return d.e.ExportCSVWith(ctx, d.name, table, w, opt)
}

func (d sqliteDatabase) ExportJSON(ctx context.Context, table string, ndjson bool, w io.Writer) (int64, error) {
	return d.e.ExportJSON(ctx, d.name, table, ndjson, w)
}

func (d sqliteDatabase) ExportQuery(ctx context.Context, q Query, format string, w io.Writer) (int64, error) {
	return d.e.ExportQuery(ctx, d.name, q, format, w)
}

func (d sqliteDatabase) ImportCSV(ctx context.Context, table string, r io.Reader, opt CSVOptions) (ImportResult, error) {
	return d.e.ImportCSV(ctx, d.name, table, r, opt)
}

func (d sqliteDatabase) ImportSQL(ctx context.Context, script string) (ScriptResult, error) {
	return d.e.ImportSQL(ctx, d.name, script)
}

// Backup writes a plain SQL dump, which the SQL import restores.
func (d sqliteDatabase) Backup(ctx context.Context, w io.Writer) (int64, error) {
	return d.e.DumpSQL(ctx, d.name, w)
}

// DumpSQL is the engine's SQLite dump, as Backup.
func (d sqliteDatabase) DumpSQL(ctx context.Context, w io.Writer) (int64, error) {
	return d.e.DumpSQL(ctx, d.name, w)
}

// Restore runs a dump written by Backup as one script.
func (d sqliteDatabase) Restore(ctx context.Context, r io.Reader) error {
	script, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, err = d.e.ImportSQL(ctx, d.name, string(script))
	return err
}

func (d sqliteDatabase) Size(ctx context.Context) (int64, error) {
	st, err := d.e.Stats(ctx, d.name)
	return st.SizeBytes, err
}

func (d sqliteDatabase) Stats(ctx context.Context) (BackendStats, error) {
	st, err := d.e.Stats(ctx, d.name)
	return BackendStats{Connections: st.OpenConnections, SizeBytes: st.SizeBytes}, err
}

// Close leaves the connections to the engine, which owns them.
func (sqliteDatabase) Close() error { return nil }
