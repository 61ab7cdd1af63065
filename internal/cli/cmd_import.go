package cli

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
)

type importFlags struct {
	table     string
	format    string
	delimiter string
	noHeader  bool
	noCreate  bool
	null      string
}

// importResult is the summary printed after an import.
type importResult struct {
	DBName       string          `json:"db_name"`
	Format       string          `json:"format"`
	Message      string          `json:"message"`
	Table        string          `json:"table,omitempty"`
	RowsImported *int64          `json:"rows_imported,omitempty"`
	Created      *bool           `json:"created,omitempty"`
	Columns      []client.Column `json:"columns,omitempty"`
	Statements   *int            `json:"statements,omitempty"`
	RowsAffected *int64          `json:"rows_affected,omitempty"`
}

func newImportCmd() *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import DB FILE",
		Short: "Import a CSV file into a table, or run a SQL script",
		Long: `Import FILE ("-" for stdin) into database DB, streamed.

CSV goes into table --table (default: the file's name without extension),
created with inferred column types when it does not exist (--no-create refuses
instead). The first line names the columns unless --no-header. A bad row
aborts the whole import, naming its line; nothing is kept.

A SQL script (e.g. from "dbforge export DB -o dump.sql") runs in one
transaction: an error rolls everything back and names the failing statement.

The format comes from --format, else from the extension (.csv, .tsv, .sql).`,
		Example: `  dbforge import shop orders.csv
  dbforge import shop data.tsv --table orders --no-create
  dbforge export shop -o shop.sql && dbforge db spawn copy && dbforge import copy shop.sql
  cat rows.csv | dbforge import shop - --format csv --table staging --delimiter ';'`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd, args[0], args[1], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.table, "table", "t", "", "target table of a CSV import (default: the file name)")
	fl.StringVar(&f.format, "format", "", "csv or sql (default from the file extension)")
	fl.StringVar(&f.delimiter, "delimiter", "", `CSV field separator: one character, or "tab" (default ",", tab for .tsv)`)
	fl.BoolVar(&f.noHeader, "no-header", false, "the CSV's first line is data: columns are named c1, c2, …")
	fl.StringVar(&f.null, "null", "", `CSV: an unquoted field equal to STRING is NULL (default: an unquoted empty field; "" is the empty string)`)
	fl.BoolVar(&f.noCreate, "no-create", false, "fail when the table does not exist instead of creating it")
	return cmd
}

// importPlan settles format, table and delimiter before anything runs.
func importPlan(file string, f importFlags) (format, table string, delim rune, err error) {
	format = f.format
	if format == "" && file != "-" {
		format = app.ImportFormatFromPath(file)
	}
	switch {
	case app.CanImport(format):
	case format == "":
		return "", "", 0, usagef("cannot tell the format of %q: pass --format csv or sql", file)
	default:
		return "", "", 0, usagef("--format must be csv or sql, not %q", format)
	}
	if format == app.SQL {
		if f.table != "" || f.delimiter != "" || f.noHeader || f.noCreate || f.null != "" {
			return "", "", 0, usagef("--table, --delimiter, --no-header, --no-create and --null apply to CSV only")
		}
		return format, "", 0, nil
	}
	table = f.table
	if table == "" {
		if file == "-" {
			return "", "", 0, usagef("importing CSV from stdin needs --table")
		}
		base := filepath.Base(file)
		table = strings.TrimSuffix(base, filepath.Ext(base))
	}
	switch d := f.delimiter; {
	case d == "":
		delim = app.DelimiterFor(file)
	case d == "tab" || d == `\t`:
		delim = '\t'
	case utf8.RuneCountInString(d) == 1 && d != `"` && d != "\n" && d != "\r":
		delim, _ = utf8.DecodeRuneInString(d)
	default:
		return "", "", 0, usagef(`--delimiter must be one character (not a quote or newline), or "tab"`)
	}
	comma := delim
	if comma == 0 {
		comma = ','
	}
	if err := checkNullFlag(f.null, format, comma); err != nil {
		return "", "", 0, err
	}
	return format, table, delim, nil
}

func runImport(cmd *cobra.Command, db, file string, f importFlags) error {
	format, table, delim, err := importPlan(file, f)
	if err != nil {
		return err
	}
	return withSession(cmd, func(s *Session) error {
		if err := app.RefuseIf(s.Config.ReadOnly, app.ChangeImport, db); err != nil {
			return err
		}
		p, err := newPrinter(cmd, s.Config, "")
		if err != nil {
			return err
		}
		in, size, closeIn, err := openInput(cmd, file)
		if err != nil {
			return err
		}
		defer closeIn()
		ctx, stop := commandContext(cmd)
		defer stop()
		name := "stdin"
		if file != "-" {
			name = filepath.Base(file)
		}
		bar := newProgress(cmd, "importing "+sanitize.Line(name), size)
		x := app.Import{DB: db, Format: format,
			CSV: client.ImportCSVOptions{Table: table, NoHeader: f.noHeader, NoCreate: f.noCreate, Delimiter: delim, Null: f.null}}
		res, err := app.ImportFrom(ctx, s.Client, in, size, x, bar.callback())
		bar.done()
		if err != nil {
			return onDB(db, err)
		}
		r := importResult{DBName: db, Format: format}
		var text string
		if sr := res.Script; sr != nil {
			r.Message, r.Statements, r.RowsAffected = sr.Message, &sr.Statements, &sr.RowsAffected
			text = fmt.Sprintf("%s: %s (%d statement%s, %d row%s affected)\n", displayText(db), displayText(sr.Message),
				sr.Statements, plural(sr.Statements), sr.RowsAffected, plural(int(sr.RowsAffected)))
		} else {
			cr := res.CSV
			r.Message, r.Table, r.RowsImported, r.Created, r.Columns = cr.Message, cr.Table, &cr.RowsImported, &cr.Created, cr.Columns
			created := ""
			if cr.Created {
				created = " (table created)"
			}
			text = fmt.Sprintf("%s: imported %d row%s into %s%s\n", displayText(db), cr.RowsImported, plural(int(cr.RowsImported)), displayText(cr.Table), created)
		}
		var b bytes.Buffer
		if err := p.doc(&b, r, text, importGrid(r)); err != nil {
			return err
		}
		return p.flush(&b)
	})
}

func importGrid(r importResult) grid {
	kv := []any{"db_name", r.DBName, "format", r.Format, "message", r.Message}
	if r.RowsImported != nil {
		kv = append(kv, "table", r.Table, "rows_imported", *r.RowsImported, "created", *r.Created)
	}
	if r.Statements != nil {
		kv = append(kv, "statements", *r.Statements, "rows_affected", *r.RowsAffected)
	}
	return fieldGrid(kv...)
}

// openInput opens FILE, or stdin for "-", and its size when known (for
// the progress bar).
func openInput(cmd *cobra.Command, file string) (io.Reader, int64, func(), error) {
	if file == "-" {
		return cmd.InOrStdin(), 0, func() {}, nil
	}
	fh, size, err := app.OpenInput(file)
	if err != nil {
		return nil, 0, nil, err
	}
	return fh, size, func() { fh.Close() }, nil
}
