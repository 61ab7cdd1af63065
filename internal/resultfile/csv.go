package resultfile

import (
	"bufio"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/dbforge/dbforge/client"
)

// WriteCSV writes a header of column names and then every row. NULL is an
// empty field, BLOBs are base64, floats use the shortest form that reads
// back to the same value. It returns the number of rows written.
func WriteCSV(w io.Writer, cols []client.Column, pages Pages) (int, error) {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return 0, err
	}
	record := make([]string, len(cols))
	n, err := each(pages, DefaultPageSize, func(row []any) error {
		for i := range record {
			record[i] = ""
			if i < len(row) {
				record[i] = csvField(row[i])
			}
		}
		return cw.Write(record)
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

func csvField(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case bool:
		return strconv.FormatBool(x)
	default:
		return fmt.Sprint(x)
	}
}
