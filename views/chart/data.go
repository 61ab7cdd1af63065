package chart

import (
	"math"
	"strconv"
	"strings"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dustin/go-humanize"
)

// numericColumns marks columns whose non-NULL values are all numbers, with
// at least one number. PostgreSQL numeric values arrive as exact decimal
// strings: in a column declared numeric or decimal they count as numbers.
func numericColumns(cols []client.Column, rows [][]any) []bool {
	out := make([]bool, len(cols))
	bad := make([]bool, len(cols))
	for _, r := range rows {
		for i := range cols {
			if i >= len(r) {
				continue
			}
			switch x := r[i].(type) {
			case int64, float64:
				out[i] = true
			case nil:
			case string:
				if _, err := strconv.ParseFloat(x, 64); err == nil && isDecimal(cols[i].Type) {
					out[i] = true
				} else {
					bad[i] = true
				}
			default:
				bad[i] = true
			}
		}
	}
	for i := range out {
		out[i] = out[i] && !bad[i]
	}
	return out
}

// isDecimal reports a declared exact-decimal type (PostgreSQL's numeric,
// numeric(p,s), decimal).
func isDecimal(typ string) bool {
	t := strings.ToLower(typ)
	return strings.HasPrefix(t, "numeric") || strings.HasPrefix(t, "decimal")
}

// idLike reports names of key columns, which rarely make a useful series.
func idLike(name string) bool {
	n := strings.ToLower(name)
	return n == "id" || n == "rowid" || strings.HasSuffix(n, "_id")
}

// value returns a cell as a float; NULL and non-numbers are NaN. A
// string is a decimal's text (only decimal columns are plotted).
func value(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return f
		}
	}
	return math.NaN()
}

// series returns column c as floats, non-finite values as NaN (gaps), and
// how many values were not plottable.
func (m Model) series(c int) ([]float64, int) {
	out := make([]float64, len(m.rows))
	skipped := 0
	for i, r := range m.rows {
		v := math.NaN()
		if c < len(r) {
			v = value(r[c])
		}
		if math.IsInf(v, 0) {
			v = math.NaN()
		}
		if math.IsNaN(v) {
			skipped++
		}
		out[i] = v
	}
	return out, skipped
}

// label returns row i's label: the x column's value or the row number.
func (m Model) label(i int) string {
	if m.xcol < 0 || i >= len(m.rows) || m.xcol >= len(m.rows[i]) {
		return strconv.Itoa(i + 1)
	}
	switch v := m.rows[i][m.xcol].(type) {
	case nil:
		return "NULL"
	case []byte:
		return "<blob>"
	case string:
		return sanitize.Line(v)
	default:
		return formatNum(value(v))
	}
}

// name returns column c's name, sanitized.
func (m Model) name(c int) string { return sanitize.Line(m.cols[c].Name) }

// formatNum prints a number compactly: integers with thousands separators
// up to 1e15, others with at most 4 significant digits.
func formatNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return humanize.Comma(int64(v))
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
