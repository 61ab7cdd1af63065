package resultfile

import (
	"io"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/csvio"
)

// WriteCSV writes a header of column names and then every row in the
// project's one CSV dialect (internal/csvio), the bytes `dbforge export`
// writes for the same rows: NULL is an unquoted empty field, the empty
// string "", BLOBs base64, REALs with a fraction or exponent, CRLF line
// ends. It returns the number of rows written.
func WriteCSV(w io.Writer, cols []client.Column, pages Pages) (int, error) {
	cw, err := csvio.NewWriter(w, "")
	if err != nil {
		return 0, err
	}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	if err := cw.WriteHeader(header); err != nil {
		return 0, err
	}
	record := make([]any, len(cols))
	n, err := each(pages, DefaultPageSize, func(row []any) error {
		for i := range record {
			record[i] = nil
			if i < len(row) {
				record[i] = row[i]
			}
		}
		return cw.WriteRow(record)
	})
	if err != nil {
		return n, err
	}
	return n, cw.Flush()
}
