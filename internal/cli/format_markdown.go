package cli

import (
	"bytes"
	"strings"
)

// writeMarkdown writes a GitHub-flavoured Markdown table: pipes and
// backslashes in values escaped, numeric columns right-aligned, NULL in
// italics so it differs from the text "NULL".
func writeMarkdown(b *bytes.Buffer, g grid) {
	if len(g.cols) == 0 {
		b.WriteString("(no columns)\n")
		return
	}
	numeric := g.numericColumns()
	b.WriteString("|")
	for _, c := range g.cols {
		b.WriteString(" " + mdEscape(displayText(c)) + " |")
	}
	b.WriteString("\n|")
	for i := range g.cols {
		if numeric[i] {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, row := range g.rows {
		b.WriteString("|")
		for c := range g.cols {
			var v any
			if c < len(row) {
				v = row[c]
			}
			cell := mdEscape(displayText(v))
			if v == nil {
				cell = "*NULL*"
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
}

var mdReplacer = strings.NewReplacer(`\`, `\\`, `|`, `\|`, `*`, `\*`, "`", "\\`")

// mdEscape escapes what would break the table or turn text into markup.
func mdEscape(s string) string { return mdReplacer.Replace(s) }
