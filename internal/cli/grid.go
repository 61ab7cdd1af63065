package cli

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dbforge/dbforge/internal/jsonvalue"
	"github.com/dbforge/dbforge/internal/sanitize"
)

// grid is a result in column order: the common input of every format.
// Values are nil, int64, int, float64, string, bool or []byte (a BLOB).
type grid struct {
	cols []string
	rows [][]any
}

// cellKind says how a value is drawn.
type cellKind int

const (
	kindText cellKind = iota
	kindNumber
	kindNull
	kindBlob
)

// kindOf classifies a value.
func kindOf(v any) cellKind {
	switch v.(type) {
	case nil:
		return kindNull
	case int64, int, float64:
		return kindNumber
	case []byte:
		return kindBlob
	}
	return kindText
}

// numericColumns marks columns whose non-NULL values are all numbers, so
// their headers line up with right-aligned values.
func (g grid) numericColumns() []bool {
	num := make([]bool, len(g.cols))
	for c := range g.cols {
		seen := false
		num[c] = true
		for _, row := range g.rows {
			if c >= len(row) || row[c] == nil {
				continue
			}
			seen = true
			if kindOf(row[c]) != kindNumber {
				num[c] = false
				break
			}
		}
		num[c] = num[c] && seen
	}
	return num
}

// displayText is a value as people read it in a table or markdown cell:
// one sanitized line, NULL as "NULL", BLOBs by size.
func displayText(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return fmt.Sprintf("<blob %d bytes>", len(x))
	case string:
		return sanitize.Line(x)
	}
	return sanitize.Line(scalarText(v))
}

// scalarText formats numbers and booleans the same way in every format.
func scalarText(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return formatFloat(x)
	case bool:
		return strconv.FormatBool(x)
	case string:
		return x
	}
	if s, ok := jsonvalue.CompositeText(v); ok {
		return s // a json/jsonb or array column, not Go's map[k:v]
	}
	return fmt.Sprint(v)
}

// formatFloat writes the shortest form that reads back to the same value,
// always with a fraction or exponent so a REAL never reads as an INTEGER
// (6363.0, not 6363), as the gateway does.
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// render writes g in the printer's format.
func (p *printer) render(b *bytes.Buffer, g grid) error {
	switch p.format {
	case fmtJSON:
		return writeJSONRows(b, g)
	case fmtCSV:
		return writeCSV(b, g)
	case fmtMarkdown:
		writeMarkdown(b, g)
	default:
		p.writeTable(b, g)
	}
	return nil
}
