package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/dbforge/dbforge/client"
)

// Transfer formats: the client's names.
const (
	CSV    = client.ExportCSV
	JSON   = client.ExportJSON
	NDJSON = client.ExportNDJSON
	SQL    = client.ExportSQL
)

// format is one row of the format table: what a format can do.
type format struct {
	name    string
	export  bool // a table or query's rows (csv, json, ndjson) or the database (sql) can be written in it
	imports bool // a file in it can be loaded
	wholeDB bool // it holds the whole database, not one table's rows
	result  bool // a result on screen can be written in it (the results pane's export)
}

// formats is the one format table of exports and imports; the extensions
// that name each format are the client's (client.FormatFromPath).
func formats() []format {
	return []format{
		{name: CSV, export: true, imports: true, result: true},
		{name: JSON, export: true, result: true},
		{name: NDJSON, export: true},
		{name: SQL, export: true, imports: true, wholeDB: true},
	}
}

func lookup(name string) (format, bool) {
	for _, f := range formats() {
		if f.name == name {
			return f, true
		}
	}
	return format{}, false
}

// ExportFormats are the formats an export can write, in the table's order.
func ExportFormats() []string {
	var out []string
	for _, f := range formats() {
		if f.export {
			out = append(out, f.name)
		}
	}
	return out
}

// CanExport and CanImport say what a format name allows.
func CanExport(name string) bool { f, ok := lookup(name); return ok && f.export }
func CanImport(name string) bool { f, ok := lookup(name); return ok && f.imports }

// WholeDatabase says the format holds the whole database (a SQL dump), so
// it takes no table.
func WholeDatabase(name string) bool { f, ok := lookup(name); return ok && f.wholeDB }

// ErrTSVExport refuses to export into a .tsv file: exports write
// comma-separated CSV, and a .tsv full of commas would mislead.
var ErrTSVExport = errors.New("exports are comma-separated: name the file .csv")

// isTSV says the file's extension is .tsv (any case).
func isTSV(path string) bool { return strings.EqualFold(filepath.Ext(strings.TrimSpace(path)), ".tsv") }

// ExportFormatFromPath is the export format a file name asks for: "" when
// the extension names none, ErrTSVExport for .tsv.
func ExportFormatFromPath(path string) (string, error) {
	if isTSV(path) {
		return "", ErrTSVExport
	}
	f := client.FormatFromPath(strings.TrimSpace(path))
	if !CanExport(f) {
		return "", nil
	}
	return f, nil
}

// ImportFormatFromPath is the import format a file name asks for (csv for
// .csv and .tsv, sql for .sql), "" when it names none.
func ImportFormatFromPath(path string) string {
	if f := client.FormatFromPath(strings.TrimSpace(path)); CanImport(f) {
		return f
	}
	return ""
}

// DelimiterFor is the CSV field separator a file's name implies: a tab
// for .tsv, else 0 (the gateway's default, a comma).
func DelimiterFor(path string) rune {
	if isTSV(path) {
		return '\t'
	}
	return 0
}

// ResultFormatFromPath is the format a result on screen is written in, as
// the file name's extension says (.csv or .json, any case); the error says
// what to type instead.
func ResultFormatFromPath(path string) (string, error) {
	path = strings.TrimSpace(path)
	if isTSV(path) {
		return "", ErrTSVExport
	}
	usual := OrList(extensions(func(f format) bool { return f.result }, false))
	ext := filepath.Ext(path)
	if ext == "" {
		return "", fmt.Errorf("add %s to the file name to pick the format", usual)
	}
	if f, ok := lookup(client.FormatFromPath(path)); ok && f.result {
		return f.name, nil
	}
	return "", fmt.Errorf("unknown extension %q: use %s", ext, usual)
}

// ExportExtensions are the extensions an export's file name can end in,
// the usual one of each format ("the name must end in …" messages).
func ExportExtensions() []string { return extensions(func(f format) bool { return f.export }, false) }

// ImportExtensions are all the extensions a file to import can end in.
func ImportExtensions() []string { return extensions(func(f format) bool { return f.imports }, true) }

// extensions lists ".ext" for the formats keep selects, every extension of
// each or only its usual one, from the client's extension table. An
// export never takes .tsv (ErrTSVExport).
func extensions(keep func(format) bool, every bool) []string {
	var out []string
	for _, f := range formats() {
		tf, ok := client.LookupFormat(f.name)
		if !keep(f) || !ok {
			continue
		}
		exts := tf.Extensions
		if !every {
			exts = exts[:1]
		}
		for _, e := range exts {
			out = append(out, "."+e)
		}
	}
	return out
}

// OrList joins extensions for a message: ".csv, .json or .sql".
func OrList(exts []string) string {
	if len(exts) < 2 {
		return strings.Join(exts, "")
	}
	return strings.Join(exts[:len(exts)-1], ", ") + " or " + exts[len(exts)-1]
}
