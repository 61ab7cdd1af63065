package results

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/jsonvalue"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/units"
	"github.com/dustin/go-humanize"
)

// kind is how a cell is drawn.
type kind int

const (
	kindText kind = iota
	kindNumber
	kindNull
	kindBlob
)

// display returns a cell's one-line text (sanitized) and its kind.
func display(v any) (string, kind) {
	switch x := v.(type) {
	case nil:
		return "NULL", kindNull
	case int64:
		return strconv.FormatInt(x, 10), kindNumber
	case float64:
		return formatReal(x), kindNumber
	case string:
		return sanitize.Line(x), kindText
	case []byte:
		return fmt.Sprintf("<blob %s>", units.Bytes(int64(len(x)))), kindBlob
	case bool:
		return strconv.FormatBool(x), kindText
	default:
		return sanitize.Line(otherText(x)), kindText
	}
}

// otherText writes a value of none of the scalar kinds: JSON objects and
// arrays (PostgreSQL's json, jsonb and array columns) as compact JSON, as
// the gateway sent them, not as Go's map[k:v] form.
func otherText(v any) string {
	if s, ok := jsonvalue.CompositeText(v); ok {
		return s
	}
	return fmt.Sprint(v)
}

// copyText is a cell as put on the clipboard: the value itself, NULL as
// an empty string and BLOBs as hex.
func copyText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return formatReal(x)
	case string:
		return x
	case []byte:
		return hex.EncodeToString(x)
	default:
		return otherText(x)
	}
}

// tsvEscaper keeps a row on one line with one tab per column: backslash,
// tab, newline and carriage return are escaped as \\, \t, \n, \r.
var tsvEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

// rowTSV is a row as tab-separated values.
func rowTSV(row []any) string {
	parts := make([]string, len(row))
	for i, v := range row {
		parts[i] = tsvEscaper.Replace(copyText(v))
	}
	return strings.Join(parts, "\t")
}

// measure picks each column's width from the header and a sample of rows,
// bounded by MinColWidth and MaxColWidth, and marks columns whose sampled
// non-NULL values are all numbers.
func measure(cols []client.Column, sample [][]any) (widths []int, numeric []bool) {
	widths = make([]int, len(cols))
	numeric = make([]bool, len(cols))
	seen := make([]bool, len(cols))
	for i, c := range cols {
		widths[i] = ansi.StringWidth(sanitize.Line(c.Name))
		numeric[i] = true
	}
	for _, r := range sample {
		for i := range cols {
			if i >= len(r) {
				continue
			}
			s, k := display(r[i])
			widths[i] = max(widths[i], min(ansi.StringWidth(s), MaxColWidth))
			switch k {
			case kindNumber:
				seen[i] = true
			case kindNull:
			default:
				numeric[i] = false
			}
		}
	}
	for i := range widths {
		widths[i] = min(max(widths[i], MinColWidth), MaxColWidth)
		numeric[i] = numeric[i] && seen[i]
	}
	return widths, numeric
}

// widen grows column widths to fit rows that arrived after the sample
// (wider numbers further down a result), never past MaxColWidth. Widths
// only grow, so columns do not jump back and forth while scrolling.
func widen(widths []int, rows [][]any) {
	for _, r := range rows {
		for i := range widths {
			if i >= len(r) || widths[i] >= MaxColWidth {
				continue
			}
			s, _ := display(r[i])
			widths[i] = max(widths[i], min(ansi.StringWidth(s), MaxColWidth))
		}
	}
}

// messageFor describes a statement that returned no rows.
func messageFor(r *client.QueryResult) string {
	noun := "rows"
	if r.RowsAffected == 1 {
		noun = "row"
	}
	s := fmt.Sprintf("%s %s affected", humanize.Comma(r.RowsAffected), noun)
	if r.LastInsertID != 0 {
		s += fmt.Sprintf(", last insert id %d", r.LastInsertID)
	}
	return s
}

// formatMS formats a duration in milliseconds for the title.
func formatMS(ms float64) string {
	switch {
	case ms <= 0:
		return ""
	case ms < 10:
		return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 0, 64) + " ms"
	default:
		return strconv.FormatFloat(ms/1000, 'f', 2, 64) + " s"
	}
}
