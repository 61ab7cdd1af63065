package cli

import (
	"bytes"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/ansi"
)

// maxCellWidth keeps one long value from pushing every other column off
// screen; the full value is one --format json away.
const maxCellWidth = 80

// writeTable draws g as a table: a rule under the header, columns
// separated by thin lines, numbers right-aligned, NULL set apart. Plain
// (no ANSI at all) unless the printer is styled.
func (p *printer) writeTable(b *bytes.Buffer, g grid) {
	if len(g.cols) == 0 {
		b.WriteString("(no columns)\n")
		return
	}
	headers := make([]string, len(g.cols))
	for i, c := range g.cols {
		headers[i] = ansi.Truncate(displayText(c), maxCellWidth, "…")
	}
	cells := make([][]string, len(g.rows))
	kinds := make([][]cellKind, len(g.rows))
	for r, row := range g.rows {
		cells[r] = make([]string, len(g.cols))
		kinds[r] = make([]cellKind, len(g.cols))
		for c := range g.cols {
			var v any
			if c < len(row) {
				v = row[c]
			}
			cells[r][c] = ansi.Truncate(displayText(v), maxCellWidth, "…")
			kinds[r][c] = kindOf(v)
		}
	}
	numeric := g.numericColumns()
	base := lipgloss.NewStyle().Padding(0, 1)
	t := table.New().
		Border(lipgloss.NormalBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderHeader(true).BorderColumn(true).
		Headers(headers...).
		Rows(cells...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := base
			if row == table.HeaderRow {
				if numeric[col] {
					s = s.Align(lipgloss.Right)
				}
				if p.styled {
					s = s.Inherit(p.th.GridHeader())
				}
				return s
			}
			switch kinds[row][col] {
			case kindNumber:
				s = s.Align(lipgloss.Right)
				if p.styled {
					s = s.Inherit(p.th.NumberCell())
				}
			case kindNull:
				if numeric[col] {
					s = s.Align(lipgloss.Right)
				}
				if p.styled {
					s = s.Inherit(p.th.NullCell())
				}
			case kindBlob:
				if p.styled {
					s = s.Inherit(p.th.Muted)
				}
			}
			return s
		})
	if p.styled {
		t = t.BorderStyle(p.th.GridRule())
	}
	out := t.Render()
	if !p.styled {
		// The last column's padding would leave trailing blanks on every line.
		lines := strings.Split(out, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		out = strings.Join(lines, "\n")
	}
	b.WriteString(out)
	b.WriteString("\n")
}
