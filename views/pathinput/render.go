package pathinput

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/sanitize"
)

// View draws the input line.
func (m Model) View() string { return m.Model.View() }

// Hint is the line under the input, at most width cells: the candidates
// that fit ("+N more" for the rest, the one a tab chose highlighted and
// always in view), or why nothing was completed; "" when there is nothing
// to say.
func (m Model) Hint(width int) string {
	if width <= 0 {
		return ""
	}
	if m.message != "" {
		return ansi.Truncate(m.th.Muted.Render(sanitize.Line(m.message)), width, "…")
	}
	if len(m.cands) < 2 || m.shown != m.Model.Value() {
		return ""
	}
	line, last := m.listFrom(0, width)
	if m.cycle > last {
		line, _ = m.listFrom(m.cycle, width)
	}
	return ansi.Truncate(line, width, "…")
}

// listFrom lists the candidates from index start that fit in width, and
// returns the index of the last one shown.
func (m Model) listFrom(start, width int) (string, int) {
	var b strings.Builder
	used, last := 0, start-1
	if start > 0 {
		b.WriteString(m.th.Muted.Render("… "))
		used = 2
	}
	for i := start; i < len(m.cands); i++ {
		cell := m.cell(i)
		w := lipgloss.Width(cell)
		if i > start {
			w += 2
		}
		room := width
		if rest := m.total - i - 1; rest > 0 {
			room -= len(fmt.Sprintf("  +%d more", rest))
		}
		if used+w > room && i > start {
			break
		}
		if i > start {
			b.WriteString("  ")
		}
		b.WriteString(cell)
		used += w
		last = i
	}
	if rest := m.total - last - 1; rest > 0 {
		b.WriteString(m.th.Muted.Render(fmt.Sprintf("  +%d more", rest)))
	}
	return b.String(), last
}

// cell draws candidate i: directories with their "/", names that cannot
// be typed dimmed, the one a tab chose highlighted.
func (m Model) cell(i int) string {
	e := m.cands[i]
	name := sanitize.Line(e.Name)
	style := m.th.Text
	if e.Dir {
		name += "/"
		style = m.th.Accent
	}
	if !Typable(e.Name) {
		style = m.th.Subtle
	}
	if i == m.cycle {
		style = m.th.Selected
	}
	return style.Render(name)
}
