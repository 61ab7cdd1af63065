package dialog

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/dbforge/dbforge/internal/sanitize"
)

// View draws the dialog box, at most maxWidth cells wide (border included).
func (m Model) View(maxWidth int) string {
	inner := min(56, max(maxWidth-4, 10))
	wrap := lipgloss.NewStyle().Width(inner)
	var parts []string
	parts = append(parts, m.th.Title.Render(sanitize.Line(m.title)))
	if m.detail != "" {
		parts = append(parts, wrap.Render(m.th.Muted.Render(sanitize.Text(m.detail))))
	}
	parts = append(parts, "")
	switch m.kind {
	case KindConfirm:
		parts = append(parts, m.th.Accent.Render("y")+m.th.Text.Render(" yes   ")+
			m.th.Accent.Render("n/esc")+m.th.Text.Render(" no"))
	default:
		in := m.input
		in.SetWidth(max(inner-3, 1))
		parts = append(parts, in.View())
		if hint := m.input.Hint(inner); hint != "" {
			parts = append(parts, hint)
		}
		switch {
		case m.err != nil:
			parts = append(parts, m.th.Bad.Render("✖ "+sanitize.Line(m.err.Error())))
		case m.kind == KindConfirmName:
			parts = append(parts, m.th.Muted.Render("type "+sanitize.Line(m.expect)+" · enter confirms · esc cancels"))
		case m.path:
			parts = append(parts, m.th.Muted.Render("tab completes · enter confirms · esc cancels"))
		default:
			parts = append(parts, m.th.Muted.Render("enter confirms · esc cancels"))
		}
	}
	return m.th.Overlay.Render(wrap.Render(strings.Join(parts, "\n")))
}
