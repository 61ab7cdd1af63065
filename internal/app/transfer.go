package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dbforge/dbforge/client"
)

// Export is what to export.
type Export struct {
	DB     string
	Table  string // the table or view whose rows are written (csv, json, ndjson)
	Query  string // instead of Table: every row of this read-only statement
	Params any    // the Query's parameters
	Format string // CSV, JSON, NDJSON, or SQL for the whole database
	Null   string // a table's CSV: the text written for NULL ("" an unquoted empty field)
}

// ErrQueryNull refuses a null string on a query's export: the gateway's
// query export always writes NULL as an unquoted empty field, and a
// marker silently dropped would mislead whoever reads the file.
var ErrQueryNull = errors.New("--null applies to a table's CSV export: a --query export writes NULL as an unquoted empty field")

// Check refuses an export whose options do not go together.
func (x Export) Check() error {
	if x.Query != "" && x.Null != "" {
		return ErrQueryNull
	}
	return nil
}

// ExportTo streams the export into w and returns the bytes written,
// reporting progress after every chunk.
func ExportTo(ctx context.Context, c Transfers, w io.Writer, x Export, progress func(Progress)) (int64, error) {
	if err := x.Check(); err != nil {
		return 0, err
	}
	cw := &exportCounter{w: w, progress: progress}
	switch {
	case x.Query != "":
		return c.ExportQuery(ctx, x.DB, client.ExportQueryRequest{SQL: x.Query, Params: x.Params, Format: x.Format}, cw)
	case x.Format == CSV:
		return c.ExportCSV(ctx, x.DB, x.Table, cw, client.WithCSVNull(x.Null))
	case x.Format == JSON, x.Format == NDJSON:
		return c.ExportJSON(ctx, x.DB, x.Table, x.Format == NDJSON, cw)
	case x.Format == SQL:
		return c.ExportSQL(ctx, x.DB, cw)
	}
	return 0, fmt.Errorf("unknown export format %q", x.Format)
}

// ExportFile writes the export to the file at path through WriteFile.
func ExportFile(ctx context.Context, c Transfers, path string, replace Replace, x Export, progress func(Progress)) (int64, error) {
	if err := x.Check(); err != nil {
		return 0, err // before the file is touched
	}
	return WriteFile(path, replace, func(w io.Writer) (int64, error) {
		return ExportTo(ctx, c, w, x, progress)
	})
}

// exportCounter counts the bytes and line ends on their way to w and
// reports them. The client writes from one goroutine, so it needs no lock.
type exportCounter struct {
	w        io.Writer
	progress func(Progress)
	p        Progress
}

func (e *exportCounter) Write(b []byte) (int, error) {
	n, err := e.w.Write(b)
	if n > 0 {
		e.p.Bytes += int64(n)
		e.p.Lines += int64(bytes.Count(b[:n], []byte{'\n'}))
		report(e.progress, e.p)
	}
	return n, err
}

// Import is what to import: a CSV file into a table, or a SQL script.
type Import struct {
	DB     string
	Format string // CSV or SQL
	CSV    client.ImportCSVOptions
}

// Imported is what an import did: CSV for a CSV import, Script for a SQL
// script.
type Imported struct {
	CSV    *client.ImportResult
	Script *client.ScriptResult
}

// ImportFrom sends r (size bytes, 0 when unknown) to the import x asks
// for, reporting the bytes sent.
func ImportFrom(ctx context.Context, c Transfers, r io.Reader, size int64, x Import, progress func(Progress)) (Imported, error) {
	var opts []client.TransferOption
	if progress != nil {
		opts = append(opts, client.WithProgress(func(n int64) { progress(Progress{Bytes: n, Total: size}) }))
	}
	switch x.Format {
	case SQL:
		res, err := c.ImportSQL(ctx, x.DB, r, opts...)
		if err == nil && res == nil {
			err = errEmptyAnswer
		}
		return Imported{Script: res}, err
	case CSV:
		res, err := c.ImportCSV(ctx, x.DB, r, x.CSV, opts...)
		if err == nil && res == nil {
			err = errEmptyAnswer
		}
		return Imported{CSV: res}, err
	}
	return Imported{}, fmt.Errorf("unknown import format %q", x.Format)
}

// ImportFile imports the file at path. A CSV import without a delimiter
// takes the one the file's name implies (a tab for .tsv).
func ImportFile(ctx context.Context, c Transfers, path string, x Import, progress func(Progress)) (Imported, error) {
	f, size, err := OpenInput(path)
	if err != nil {
		return Imported{}, err
	}
	defer f.Close()
	if x.Format == CSV && x.CSV.Delimiter == 0 {
		x.CSV.Delimiter = DelimiterFor(path)
	}
	report(progress, Progress{Total: size})
	return ImportFrom(ctx, c, f, size, x, progress)
}

// errEmptyAnswer guards against a client answering neither a result nor
// an error.
var errEmptyAnswer = errors.New("empty answer")

// Backup takes a snapshot of db.
func Backup(ctx context.Context, c Transfers, db string) (*client.BackupResult, error) {
	r, err := c.Backup(ctx, db)
	if err == nil && r == nil {
		err = errEmptyAnswer
	}
	return r, err
}

// Restore replaces db's content with its backup name.
func Restore(ctx context.Context, c Transfers, db, name string) (*client.BackupResult, error) {
	r, err := c.Restore(ctx, db, name)
	if err == nil && r == nil {
		err = errEmptyAnswer
	}
	return r, err
}

// Forker is the client surface of Fork.
type Forker interface {
	Fork(ctx context.Context, db, to, backup string) (*client.ForkResult, error)
}

// Fork copies database db as the new database to: a consistent snapshot of
// the live database, or its backup when backup is set.
func Fork(ctx context.Context, c Forker, db, to, backup string) (*client.ForkResult, error) {
	r, err := c.Fork(ctx, db, to, backup)
	if err == nil && r == nil {
		err = errEmptyAnswer
	}
	return r, err
}
