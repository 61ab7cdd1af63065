package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/csvio"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/units"
)

// Formats of export and import.
const (
	xfCSV    = "csv"
	xfJSON   = "json"
	xfNDJSON = "ndjson"
	xfSQL    = "sql"
)

var exportFormats = []string{xfCSV, xfJSON, xfNDJSON, xfSQL}

type exportFlags struct {
	table  string
	query  string // one read-only statement whose rows are exported instead of a table
	format string
	output string
	null   string
}

// exportResult is the summary printed after an export to a file.
type exportResult struct {
	DBName string `json:"db_name"`
	Table  string `json:"table,omitempty"`
	Query  string `json:"query,omitempty"`
	Format string `json:"format"`
	File   string `json:"file"`
	Bytes  int64  `json:"bytes"`
}

func newExportCmd() *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export DB",
		Short: "Export a table or a query's rows as CSV, JSON or NDJSON, or the whole database as SQL",
		Long: `Export table --table of database DB as CSV (with a header line), a JSON array
of objects or NDJSON (one object per line), or dump the whole database (schema
and data) as SQL that "dbforge import" rebuilds identically. --query exports
every row of one statement instead of a table (no row limit; the gateway runs
it on a read-only connection, so it never writes).

The export streams: memory stays small whatever the size. It goes to stdout,
or to --output FILE, written under a temporary name and renamed when complete,
so a failed export never leaves a partial file. The format comes from --format,
else from the file's extension (.csv, .tsv, .json, .ndjson, .jsonl, .sql), else
csv with --table and sql without.`,
		Example: `  dbforge export shop --table orders -o orders.csv
  dbforge export shop --table orders --format ndjson | jq .total
  dbforge export shop -o shop.sql
  dbforge export shop --query "SELECT * FROM orders WHERE total > 100 ORDER BY total DESC" -o big.csv`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.table, "table", "t", "", "table or view to export (csv, json, ndjson)")
	fl.StringVarP(&f.query, "query", "q", "", "export the rows of this statement instead of a table (csv, json, ndjson)")
	fl.StringVar(&f.format, "format", "", "csv, json, ndjson or sql (default from the file extension)")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of stdout (- for stdout)")
	fl.StringVar(&f.null, "null", "", `CSV: the string written for NULL (default: an unquoted empty field; "" is the empty string)`)
	return cmd
}

// exportFormat settles the format from the flag, the file name and
// whether a table was named.
func exportFormat(f exportFlags) (string, error) {
	format := f.format
	if format == "" && f.output != "" && f.output != "-" {
		if strings.EqualFold(filepath.Ext(f.output), ".tsv") {
			return "", usagef("exports are comma-separated: name the file .csv")
		}
		format = client.FormatFromPath(f.output)
	}
	if f.query != "" && f.table != "" {
		return "", usagef("--query and --table name two different exports: give one")
	}
	if format == "" {
		format = xfSQL
		if f.table != "" || f.query != "" {
			format = xfCSV
		}
	}
	if !slices.Contains(exportFormats, format) {
		return "", usagef("--format must be csv, json, ndjson or sql, not %q", format)
	}
	if format == xfSQL && (f.table != "" || f.query != "") {
		return "", usagef("a SQL export dumps the whole database: drop --table and --query, or choose csv, json or ndjson")
	}
	if format != xfSQL && f.table == "" && f.query == "" {
		return "", usagef("a %s export needs --table or --query", format)
	}
	if err := checkNullFlag(f.null, format, ','); err != nil {
		return "", err
	}
	return format, nil
}

func runExport(cmd *cobra.Command, db string, f exportFlags) error {
	format, err := exportFormat(f)
	if err != nil {
		return err
	}
	return withSession(cmd, func(s *Session) error {
		ctx, stop := commandContext(cmd)
		defer stop()
		if f.output == "" || f.output == "-" {
			out := cmd.OutOrStdout()
			if !isTerminal(out) {
				_, err := exportTo(ctx, s.Client, out, db, f, format, nil)
				return onDB(db, err)
			}
			sw := &safeWriter{w: out}
			if _, err := exportTo(ctx, s.Client, sw, db, f, format, nil); err != nil {
				return onDB(db, err)
			}
			return sw.flush()
		}
		label := "exporting " + sanitize.Line(filepath.Base(f.output))
		bar := newProgress(cmd, label, 0)
		n, err := exportFile(ctx, s.Client, f.output, db, f, format, bar.callback())
		bar.done()
		if err != nil {
			return onDB(db, err)
		}
		p, err := newPrinter(cmd, s.Config, "")
		if err != nil {
			return err
		}
		r := exportResult{DBName: db, Table: f.table, Query: f.query, Format: format, File: f.output, Bytes: n}
		what := displayText(db)
		switch {
		case f.table != "":
			what += "." + displayText(f.table)
		case f.query != "":
			what = "the query's rows of " + what
		}
		text := fmt.Sprintf("exported %s as %s to %s (%s)\n", what, format, displayText(f.output), units.Bytes(n))
		var b bytes.Buffer
		if err := p.doc(&b, r, text, fieldGrid("db_name", db, "table", orNull(f.table), "format", format, "file", f.output, "bytes", n)); err != nil {
			return err
		}
		return p.flush(&b)
	})
}

// exportTo streams the export into w.
func exportTo(ctx context.Context, c *client.Client, w io.Writer, db string, f exportFlags, format string, progress func(int64)) (int64, error) {
	var opts []client.TransferOption
	if progress != nil {
		opts = append(opts, client.WithProgress(progress))
	}
	switch {
	case f.query != "":
		return c.ExportQuery(ctx, db, client.ExportQueryRequest{SQL: f.query, Format: format}, w, opts...)
	case format == xfCSV:
		return c.ExportCSV(ctx, db, f.table, w, append(opts, client.WithCSVNull(f.null))...)
	case format == xfJSON, format == xfNDJSON:
		return c.ExportJSON(ctx, db, f.table, format == xfNDJSON, w, opts...)
	}
	return c.ExportSQL(ctx, db, w, opts...)
}

// exportFile writes the export to a temporary file next to path and
// renames it over path once complete.
func exportFile(ctx context.Context, c *client.Client, path, db string, f exportFlags, format string, progress func(int64)) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return 0, fmt.Errorf("creating %s: %w", path, unwrapPathError(err))
	}
	// the mode a shell redirection would give, not CreateTemp's 0600
	err = tmp.Chmod(0o644)
	var n int64
	if err == nil {
		n, err = exportTo(ctx, c, tmp, db, f, format, progress)
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing %s: %w", path, cerr)
	}
	if err == nil {
		if err = os.Rename(tmp.Name(), path); err != nil {
			err = fmt.Errorf("writing %s: %w", path, unwrapPathError(err))
		}
	}
	if err != nil {
		os.Remove(tmp.Name())
		return n, err
	}
	return n, nil
}

// checkNullFlag refuses --null outside CSV and a marker CSV could not
// carry, before any work is done.
func checkNullFlag(null, format string, comma rune) error {
	if null == "" {
		return nil
	}
	if format != xfCSV {
		return usagef("--null applies to CSV only, not %s", format)
	}
	if err := csvio.ValidNull(null, comma); err != nil {
		return usageError{err}
	}
	return nil
}

// unwrapPathError keeps the cause of a file error ("permission denied"),
// the caller names the file itself.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
