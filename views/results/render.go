package results

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/textfit"
	"github.com/dustin/go-humanize"
)

// Title is the border title: row count (exact, or "N+" while more rows
// may follow), and the statement's time.
func (m Model) Title() string {
	parts := []string{"Results"}
	if t := m.stepTitle(); t != "" {
		parts = append(parts, t)
		if m.steps.open {
			return strings.Join(parts, " · ")
		}
	}
	switch m.mode {
	case modeRunning:
		parts = append(parts, "running…")
	case modeError:
		parts = append(parts, "error")
	case modeMessage:
		if t := formatMS(m.elapsed); t != "" {
			parts = append(parts, t)
		}
	case modeGrid:
		parts = append(parts, m.rowsTitle())
		parts = append(parts, m.orderTitle()...)
		if t := formatMS(m.elapsed); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " · ")
}

// View draws exactly height lines of width cells.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return strings.Repeat("\n", max(m.height-1, 0))
	}
	var lines []string
	switch {
	case m.steps.open:
		lines = m.stepLines()
	case m.viewer != nil:
		lines = m.viewer.view(m, m.width, m.height)
	case m.mode == modeGrid:
		lines = m.gridLines()
	default:
		lines = m.textLines()
	}
	out := make([]string, m.height)
	for i := range out {
		if i < len(lines) {
			out[i] = textfit.Cut(lines[i], m.width)
		} else {
			out[i] = strings.Repeat(" ", m.width)
		}
	}
	return strings.Join(out, "\n")
}

// textLines is everything but the grid: hints, messages, errors.
func (m Model) textLines() []string {
	var lines []string
	switch m.mode {
	case modeEmpty:
		lines = append(lines, m.th.Muted.Render("No result yet: run a statement from the editor."))
	case modeRunning:
		lines = append(lines, m.th.Muted.Render("running…"))
	case modeMessage:
		lines = append(lines, m.th.Good.Render("✓ ")+m.th.Text.Render(sanitize.Line(m.message)))
	case modeError:
		msg := sanitize.Text(m.err.Error())
		for i, l := range strings.Split(ansi.Wrap(msg, max(m.width-2, 1), " "), "\n") {
			prefix := "  "
			if i == 0 {
				prefix = "✖ "
			}
			lines = append(lines, m.th.Bad.Render(prefix+l))
		}
	}
	if m.sql != "" && len(lines) < m.height-1 {
		lines = append(lines, "", m.th.Subtle.Render(sanitize.Line(strings.Join(strings.Fields(m.sql), " "))))
	}
	return lines
}

// bodyHeight is the number of data rows on screen: the header always, the
// rule under it and the footer when there is room.
func (m Model) bodyHeight() int {
	h := m.height - 1
	if m.height >= 5 {
		h--
	}
	if m.height >= 4 {
		h--
	}
	return max(h, 0)
}

// gutterWidth is the width of the row-number column.
func (m Model) gutterWidth() int {
	n := m.rowCount()
	if m.total < 0 && m.hasMore {
		n = m.known + 1
	}
	return len(strconv.Itoa(max(n, 1)))
}

// span is a column on screen: where it starts and whether all of it shows.
type span struct {
	col, x int
	full   bool
}

// spans lists the columns drawn from left on: after the "123 │" gutter, a
// column takes " value │".
func (m Model) spans(left int) []span {
	var out []span
	x := m.gutterWidth() + 2
	for c := max(left, 0); c < len(m.widths) && x < m.width; c++ {
		out = append(out, span{col: c, x: x, full: x+m.widths[c]+2 <= m.width})
		x += m.widths[c] + 3
	}
	return out
}

func (m Model) gridLines() []string {
	lines := make([]string, 0, m.height)
	spans := m.spans(m.left)
	gw := m.gutterWidth()
	rule := m.th.GridRule()

	var hb strings.Builder
	hb.WriteString(strings.Repeat(" ", gw+1))
	hb.WriteString(rule.Render("│"))
	header := m.th.GridHeader()
	for _, s := range spans {
		name := m.headerName(s.col)
		align := lipgloss.Left
		if m.numeric[s.col] {
			align = lipgloss.Right
		}
		hb.WriteString(" " + header.Render(textfit.Align(name, m.widths[s.col], align == lipgloss.Right)) + " " + rule.Render("│"))
	}
	lines = append(lines, hb.String())
	if m.height >= 5 {
		var rb strings.Builder
		rb.WriteString(strings.Repeat("─", gw+1) + "┼")
		for _, s := range spans {
			rb.WriteString(strings.Repeat("─", m.widths[s.col]+2) + "┼")
		}
		lines = append(lines, rule.Render(ansi.Truncate(rb.String(), m.width, "")))
	}
	body := m.bodyHeight()
	count := m.rowCount()
	for i := 0; i < body; i++ {
		r := m.top + i
		if r >= count {
			if r == count && m.total < 0 && m.hasMore {
				lines = append(lines, m.th.Muted.Render(strings.Repeat(" ", gw+1)+"│ loading more rows…"))
			}
			continue
		}
		lines = append(lines, m.rowLine(r, spans, gw))
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	if m.height >= 4 || m.exporting || m.filtering {
		lines = append(lines[:m.height-1], m.footer())
		if m.exporting && m.height >= 2 {
			if m.exportErr != "" {
				lines[m.height-2] = m.th.Bad.Render("✖ " + m.exportErr)
			} else if hint := m.exportInput.Hint(m.width); hint != "" {
				lines[m.height-2] = hint
			} else {
				lines[m.height-2] = m.th.Muted.Render("tab completes the path · enter exports · esc cancels")
			}
		}
	}
	return lines
}

// rowLine draws row r: its number, then each visible cell.
func (m Model) rowLine(r int, spans []span, gw int) string {
	var b strings.Builder
	num := strconv.Itoa(r + 1)
	gutter := m.th.RowNumber()
	if r == m.row {
		gutter = m.th.Accent
	}
	b.WriteString(gutter.Render(strings.Repeat(" ", max(gw-len(num), 0)) + num + " "))
	sep := m.th.GridRule().Render("│")
	b.WriteString(sep)
	row, loaded := m.rowAt(r)
	for _, s := range spans {
		w := m.widths[s.col]
		var text string
		var k kind
		switch {
		case !loaded:
			text, k = "…", kindNull
		case s.col < len(row):
			text, k = display(row[s.col])
			if k == kindNumber {
				text = m.alignedNumber(m.numberText(text), s.col)
			}
		default:
			text, k = "", kindText
		}
		align := lipgloss.Left
		if k == kindNumber || (m.numeric[s.col] && k == kindNull && loaded) {
			align = lipgloss.Right
		}
		cellText := " " + textfit.Align(text, w, align == lipgloss.Right) + " "
		style := m.th.Text
		switch k {
		case kindNull:
			style = m.th.NullCell()
			if !loaded {
				style = m.th.Subtle
			}
		case kindNumber:
			style = m.th.NumberCell()
		case kindBlob:
			style = m.th.Muted
		}
		if m.selected(r, s.col) {
			style = m.th.EditorSelection() // the theme's one selection colour
		}
		if r == m.row && s.col == m.col {
			style = m.th.CursorCell(m.focused)
		}
		b.WriteString(style.Render(cellText))
		b.WriteString(sep)
	}
	return b.String()
}

// footer is the export prompt when open, else the cursor position and the
// current column's name and type.
func (m Model) footer() string {
	if m.exporting {
		return m.exportInput.View()
	}
	if m.filtering {
		return m.filterInput.View()
	}
	if m.export != nil {
		return m.exportLine()
	}
	if m.pageErr != "" {
		return m.th.Bad.Render("✖ " + sanitize.Line(m.pageErr))
	}
	if m.sel != nil {
		return m.th.Accent.Render(m.selectionFooter())
	}
	of := humanize.Comma(int64(m.rowCount()))
	if m.total < 0 {
		of += "+"
	}
	pos := fmt.Sprintf("row %s of %s · col %d of %d", humanize.Comma(int64(m.row+1)), of, m.col+1, len(m.cols))
	if m.col < len(m.cols) {
		c := m.cols[m.col]
		pos += " · " + sanitize.Line(c.Name)
		if c.Type != "" {
			pos += " " + sanitize.Line(c.Type)
		}
	}
	return m.th.Muted.Render(pos)
}
