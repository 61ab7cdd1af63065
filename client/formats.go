package client

import "strings"

// Transfer formats: what an export writes or an import reads, named as the
// export routes and FormatFromPath name them.
const (
	ExportCSV    = "csv"
	ExportJSON   = "json"
	ExportNDJSON = "ndjson"
	ExportSQL    = "sql" // the whole database as a SQL script (export/sql, import/sql)
)

// TransferFormat is one row of the table of transfer formats.
type TransferFormat struct {
	Name        string   // ExportCSV, ExportJSON, ExportNDJSON or ExportSQL
	Extensions  []string // file name extensions that mean it, the usual one first
	ContentType string   // the Content-Type the gateway's exports send it with
}

// TransferFormats is the one table of transfer formats: the gateway's
// exports take their Content-Type and file name from it, FormatFromPath
// its extensions.
func TransferFormats() []TransferFormat {
	return []TransferFormat{
		{ExportCSV, []string{"csv", "tsv"}, "text/csv; charset=utf-8; header=present"},
		{ExportJSON, []string{"json"}, "application/json"},
		{ExportNDJSON, []string{"ndjson", "jsonl"}, "application/x-ndjson"},
		{ExportSQL, []string{"sql"}, "application/sql; charset=utf-8"},
	}
}

// LookupFormat finds a transfer format by its name.
func LookupFormat(name string) (TransferFormat, bool) {
	for _, f := range TransferFormats() {
		if f.Name == name {
			return f, true
		}
	}
	return TransferFormat{}, false
}

// FormatFromPath guesses a transfer format from a file name's extension:
// "csv", "json", "ndjson" or "sql" ("" when it cannot tell). .tsv counts
// as CSV and .jsonl as NDJSON.
func FormatFromPath(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 || strings.ContainsAny(name[i:], `/\`) {
		return ""
	}
	ext := strings.ToLower(name[i+1:])
	for _, f := range TransferFormats() {
		for _, e := range f.Extensions {
			if e == ext {
				return f.Name
			}
		}
	}
	return ""
}
