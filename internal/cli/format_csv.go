package cli

import (
	"bytes"

	"github.com/dbforge/dbforge/internal/csvio"
)

// writeCSV writes a header and one record per row in the project's one CSV
// dialect (internal/csvio), byte for byte what `dbforge export` writes for
// the same rows: NULL is an unquoted empty field, the empty string "",
// BLOBs base64, CRLF line ends. Nothing is sanitized here: the printer
// does that when, and only when, stdout is a terminal.
func writeCSV(b *bytes.Buffer, g grid) error {
	w, err := csvio.NewWriter(b, "")
	if err != nil {
		return err
	}
	if err := w.WriteHeader(g.cols); err != nil {
		return err
	}
	rec := make([]any, len(g.cols))
	for _, row := range g.rows {
		for c := range rec {
			rec[c] = nil
			if c < len(row) {
				rec[c] = row[c]
			}
		}
		if err := w.WriteRow(rec); err != nil {
			return err
		}
	}
	return w.Flush()
}
