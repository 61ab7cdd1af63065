package plan

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/sanitize"
)

// Title is "Plan · N full scans" once a plan is shown.
func (m Model) Title() string {
	if !m.has {
		return "Plan"
	}
	return "Plan · " + m.summary()
}

func (m Model) summary() string {
	switch m.scans {
	case 0:
		return "no full scans"
	case 1:
		return "1 full scan"
	}
	return fmt.Sprintf("%d full scans", m.scans)
}

// View draws exactly height lines of width cells: the summary and the
// statement, then the tree.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return strings.Repeat("\n", max(m.height-1, 0))
	}
	var lines []string
	switch {
	case m.err != nil:
		lines = append(lines, m.th.Bad.Render("✖ "+sanitize.Line(m.err.Error())))
	case !m.has:
		lines = append(lines, m.th.Muted.Render("ctrl+e in the editor explains the statement under the cursor"))
	default:
		st := m.th.Good
		if m.scans > 0 {
			st = m.th.Warn
		}
		lines = append(lines, st.Bold(true).Render(m.summary())+m.th.Muted.Render("  "+m.sql))
		end := min(m.offset+m.treeHeight(), len(m.lines))
		for _, l := range m.lines[m.offset:end] {
			lines = append(lines, m.treeLine(l))
		}
		if len(m.lines) == 0 {
			lines = append(lines, m.th.Muted.Render("(empty plan)"))
		}
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	lines = lines[:m.height]
	for i, l := range lines {
		if ansi.StringWidth(l) > m.width {
			l = ansi.Truncate(l, m.width, "…")
		}
		lines[i] = l + strings.Repeat(" ", max(m.width-ansi.StringWidth(l), 0))
	}
	return strings.Join(lines, "\n")
}

// text is the line as drawn, before styling.
func (l line) text() string {
	if l.scan {
		return l.prefix + l.detail + "  ⚠ full scan"
	}
	return l.prefix + l.detail
}

// treeLine draws one node scrolled by m.left; full scans use the warning
// style and a marker that survives NO_COLOR.
func (m Model) treeLine(l line) string {
	text := ansi.Cut(l.text(), m.left, m.left+m.width)
	p := min(max(ansi.StringWidth(l.prefix)-m.left, 0), ansi.StringWidth(text))
	head, body := ansi.Cut(text, 0, p), ansi.Cut(text, p, ansi.StringWidth(text))
	st := m.th.Text
	if l.scan {
		st = m.th.Warn.Bold(true)
	}
	return m.th.Subtle.Render(head) + st.Render(body)
}
