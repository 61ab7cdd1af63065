package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/views/textfit"
)

// frame draws body inside a border of w×h cells with title set into the top
// edge. body must already be (w-2)×(h-2); frame pads and cuts anyway so a
// misbehaving pane cannot break the layout.
func (m *Model) frame(title, body string, w, h int, focused bool) string {
	if w < 2 || h < 2 {
		return blank(w, h)
	}
	th := m.c.Theme
	style := th.Pane
	if focused {
		style = th.PaneFocused
	}
	b := style.GetBorderStyle()
	edge := lipgloss.NewStyle().Foreground(style.GetBorderTopForeground())
	inner := w - 2

	titleStyle := th.Muted
	if focused {
		titleStyle = th.Title
	}
	t := ""
	if title != "" && inner > 4 {
		t = " " + ansi.Truncate(title, inner-3, "…") + " "
	}
	fill := max(inner-1-lipgloss.Width(t), 0)
	var sb strings.Builder
	sb.WriteString(edge.Render(b.TopLeft + b.Top))
	if t != "" {
		sb.WriteString(titleStyle.Render(t))
	}
	sb.WriteString(edge.Render(strings.Repeat(b.Top, max(fill, 0)) + b.TopRight))

	lines := strings.Split(body, "\n")
	left, right := edge.Render(b.Left), edge.Render(b.Right)
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		sb.WriteString("\n" + left + textfit.Ellipsis(line, inner) + right)
	}
	sb.WriteString("\n" + edge.Render(b.BottomLeft+strings.Repeat(b.Bottom, inner)+b.BottomRight))
	return sb.String()
}

// blank is w×h spaces.
func blank(w, h int) string {
	if w <= 0 || h <= 0 {
		return strings.Repeat("\n", max(h-1, 0))
	}
	line := strings.Repeat(" ", w)
	lines := make([]string, h)
	for i := range lines {
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}
