// Package resultfile encodes a query result as CSV or JSON. Rows are
// pulled page by page and written as they come, so exporting a large result
// needs memory for one page, not for the whole result. The file itself is
// written by internal/app (app.WriteResultFile), the one atomic writer of
// user files.
package resultfile

import (
	"errors"
	"fmt"
)

// DefaultPageSize is the number of rows asked for per page.
const DefaultPageSize = 1000

// Pages returns rows [offset, offset+limit) of a result and whether more
// follow. An empty page also ends the result.
type Pages func(offset, limit int) (rows [][]any, more bool, err error)

// FromRows serves rows already in memory as Pages.
func FromRows(rows [][]any) Pages {
	return func(offset, limit int) ([][]any, bool, error) {
		if offset >= len(rows) || limit <= 0 {
			return nil, false, nil
		}
		end := min(offset+limit, len(rows))
		return rows[offset:end], end < len(rows), nil
	}
}

// each walks every row of pages in order.
func each(pages Pages, pageSize int, fn func(row []any) error) (int, error) {
	if pages == nil {
		return 0, errors.New("resultfile: no rows source")
	}
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	n := 0
	for {
		rows, more, err := pages(n, pageSize)
		if err != nil {
			return n, fmt.Errorf("reading rows %d-%d: %w", n+1, n+pageSize, err)
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return n, err
			}
			n++
		}
		if !more || len(rows) == 0 {
			return n, nil
		}
	}
}
