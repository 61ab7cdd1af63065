package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"strings"

	"github.com/dbforge/dbforge/internal/sanitize"
)

// writeCSV writes a header and one record per row (RFC 4180 via
// encoding/csv): NULL is an empty field, BLOBs are base64.
func writeCSV(b *bytes.Buffer, g grid) error {
	w := csv.NewWriter(b)
	header := make([]string, len(g.cols))
	for i, c := range g.cols {
		header[i] = csvText(c)
	}
	if err := w.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(g.cols))
	for _, row := range g.rows {
		for c := range rec {
			rec[c] = ""
			if c < len(row) {
				rec[c] = csvField(row[c])
			}
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

func csvField(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case string:
		return csvText(x)
	}
	return scalarText(v)
}

// csvText keeps the line breaks and tabs CSV can carry in a quoted field
// and shows every other control character visibly, so a CSV printed to a
// terminal cannot drive it.
func csvText(s string) string {
	if sanitize.IsClean(s) {
		return s
	}
	var b strings.Builder
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\n' || c == '\r' || c == '\t' {
			b.WriteString(sanitize.Line(s[start:i]))
			b.WriteByte(c)
			start = i + 1
		}
	}
	b.WriteString(sanitize.Line(s[start:]))
	return b.String()
}
