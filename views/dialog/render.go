package dialog

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/dbforge/dbforge/internal/sanitize"
)

// View draws the dialog box, at most maxWidth cells wide (border included).
func (m Model) View(maxWidth int) string {
	inner := min(56, max(maxWidth-4, 10))
	yes, no, submit, back := m.keys.Yes.Help().Key, m.keys.No.Help().Key, m.keys.Submit.Help().Key, m.back.Help().Key
	wrap := lipgloss.NewStyle().Width(inner)
	var parts []string
	parts = append(parts, m.th.Title.Render(sanitize.Line(m.title)))
	if m.detail != "" {
		parts = append(parts, wrap.Render(m.th.Muted.Render(sanitize.Text(m.detail))))
	}
	parts = append(parts, "")
	switch m.kind {
	case KindConfirm:
		parts = append(parts, m.th.Accent.Render(yes)+m.th.Text.Render(" yes   ")+
			m.th.Accent.Render(no+"/"+back)+m.th.Text.Render(" no"))
	default:
		in := m.input
		in.SetWidth(max(inner-3, 1))
		parts = append(parts, in.View())
		if hint := m.input.Hint(inner); hint != "" {
			parts = append(parts, hint)
		}
		if m.choice != nil {
			parts = append(parts, m.choiceLine())
		}
		switch {
		case m.err != nil:
			parts = append(parts, m.th.Bad.Render("✖ "+sanitize.Line(m.err.Error())))
		case m.kind == KindConfirmName:
			parts = append(parts, m.th.Muted.Render("type "+sanitize.Line(m.expect)+" · "+submit+" confirms · "+back+" cancels"))
		case m.path:
			parts = append(parts, m.th.Muted.Render(m.keys.Complete.Help().Key+" completes · "+submit+" confirms · "+back+" cancels"))
		case m.choice != nil:
			parts = append(parts, m.th.Muted.Render("tab "+strings.ToLower(sanitize.Line(m.choice.Label))+" · "+submit+" confirms · "+back+" cancels"))
		default:
			parts = append(parts, m.th.Muted.Render(submit+" confirms · "+back+" cancels"))
		}
	}
	return m.th.Overlay.Render(wrap.Render(strings.Join(parts, "\n")))
}

// choiceLine draws the picker as radio buttons, so the choice reads
// without colour too.
func (m Model) choiceLine() string {
	line := m.th.Text.Render(sanitize.Line(m.choice.Label) + " ")
	for i, o := range m.choice.Options {
		if i == m.chosen {
			line += m.th.Accent.Render(" ● " + sanitize.Line(o))
		} else {
			line += m.th.Muted.Render(" ○ " + sanitize.Line(o))
		}
	}
	return line
}
