package cli

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/csvio"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/units"
)

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
	fl.StringVar(&f.null, "null", "", `a table's CSV: the string written for NULL (default: an unquoted empty field; "" is the empty string)`)
	return cmd
}

// exportFormat settles the format from the flag, the file name and
// whether a table was named.
func exportFormat(f exportFlags) (string, error) {
	format := f.format
	if format == "" && f.output != "" && f.output != "-" {
		var err error
		if format, err = app.ExportFormatFromPath(f.output); err != nil {
			return "", usageError{err}
		}
	}
	if f.query != "" && f.table != "" {
		return "", usagef("--query and --table name two different exports: give one")
	}
	if format == "" {
		format = app.SQL
		if f.table != "" || f.query != "" {
			format = app.CSV
		}
	}
	if !app.CanExport(format) {
		return "", usagef("--format must be csv, json, ndjson or sql, not %q", format)
	}
	whole := app.WholeDatabase(format)
	if whole && (f.table != "" || f.query != "") {
		return "", usagef("a SQL export dumps the whole database: drop --table and --query, or choose csv, json or ndjson")
	}
	if !whole && f.table == "" && f.query == "" {
		return "", usagef("a %s export needs --table or --query", format)
	}
	if err := checkNullFlag(f.null, format, ','); err != nil {
		return "", err
	}
	if err := exportOf("", f, format).Check(); err != nil {
		return "", usageError{err}
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
				_, err := app.ExportTo(ctx, s.Client, out, exportOf(db, f, format), nil)
				return onDB(db, err)
			}
			sw := &safeWriter{w: out}
			if _, err := app.ExportTo(ctx, s.Client, sw, exportOf(db, f, format), nil); err != nil {
				return onDB(db, err)
			}
			return sw.flush()
		}
		label := "exporting " + sanitize.Line(filepath.Base(f.output))
		bar := newProgress(cmd, label, 0)
		// the command line named the file: it is replaced, as a shell's > would
		n, err := app.ExportFile(ctx, s.Client, f.output, app.ReplaceExisting, exportOf(db, f, format), bar.callback())
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

// exportOf is the app's export the flags ask for.
func exportOf(db string, f exportFlags, format string) app.Export {
	return app.Export{DB: db, Table: f.table, Query: f.query, Format: format, Null: f.null}
}

// checkNullFlag refuses --null outside CSV and a marker CSV could not
// carry, before any work is done.
func checkNullFlag(null, format string, comma rune) error {
	if null == "" {
		return nil
	}
	if format != app.CSV {
		return usagef("--null applies to CSV only, not %s", format)
	}
	if err := csvio.ValidNull(null, comma); err != nil {
		return usageError{err}
	}
	return nil
}
