package engine

import (
	"bufio"
	"fmt"
	"io"

	"github.com/dbforge/dbforge/internal/csvio"
)

// The rules of the SQLite transfers that other backends apply too, exported
// so that every backend reads CSV, names columns and writes JSON rows the
// same way.

// CSVSampleRows is how many data rows a CSV import reads to infer the
// column types of a new table.
const CSVSampleRows = csvSampleRows

// CheckTableName validates the table name of an export or import.
func CheckTableName(table string) error { return checkTable(table) }

// CSVReader reads the records of a CSV import; its errors name the line
// (*BadInputError) or are a *ReadError for a body that broke off.
type CSVReader struct{ src *csvSource }

// NewCSVReader checks opt's delimiter and null marker as ImportCSV does and
// reads CSV from r.
func NewCSVReader(r io.Reader, opt CSVOptions) (*CSVReader, error) {
	comma := opt.Delimiter
	if comma == 0 {
		comma = ','
	}
	if !validDelimiter(comma) {
		return nil, &BadInputError{Msg: fmt.Sprintf("Invalid delimiter %q: use one character other than a quote, a line break or U+FFFD.", comma)}
	}
	if err := csvio.ValidNull(opt.Null, comma); err != nil {
		return nil, &BadInputError{Msg: "Invalid null string: " + err.Error() + "."}
	}
	src, err := newCSVSource(r, comma, opt.Null)
	if err != nil {
		return nil, &BadInputError{Msg: err.Error()}
	}
	return &CSVReader{src: src}, nil
}

// Next returns the next record, io.EOF after the last.
func (c *CSVReader) Next() (csvio.Record, error) { return c.src.next() }

// Sample reads up to n records.
func (c *CSVReader) Sample(n int) ([]csvio.Record, error) { return c.src.sample(n) }

// CSVHeaderNames validates a header row as column names (trimmed, a BOM
// dropped, no duplicates ignoring case).
func CSVHeaderNames(fields []string) ([]string, error) { return headerNames(fields) }

// CSVColumnType infers the type of column i of a new table from sampled
// records: "INTEGER", "REAL" or "TEXT".
func CSVColumnType(sample []csvio.Record, i int) string { return inferType(sample, i) }

// StatementSnippet is the start of a statement, on one line and safe to
// show, as a *ScriptError quotes it.
func StatementSnippet(text string) string { return snippet(text) }

// JSONRowWriter writes rows as a JSON array of objects or as NDJSON, the
// encoding of the table and query exports.
type JSONRowWriter struct{ j *jsonRows }

// NewJSONRowWriter starts the output (the '[' of an array).
func NewJSONRowWriter(w *bufio.Writer, names []string, ndjson bool) *JSONRowWriter {
	return &JSONRowWriter{j: newJSONRows(w, names, ndjson)}
}

// Row writes one row of values (see jsonvalue.AppendValue).
func (w *JSONRowWriter) Row(vals []any) error { return w.j.row(vals) }

// End closes the array and flushes.
func (w *JSONRowWriter) End() error { return w.j.end() }
