// Package help draws the `?` overlay: the full key map of the global keys
// and the focused pane, in columns, with bubbles/help.
package help

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/theme"
)

// Model is the help overlay.
type Model struct {
	th    *theme.Theme
	h     help.Model
	close key.Binding // named in the footer
}

// New returns the overlay styled from th; close is the key that closes it.
func New(th *theme.Theme, close key.Binding) Model {
	h := help.New()
	h.ShowAll = true
	return Model{th: th, h: h, close: close}
}

// View draws the overlay box for the given sections (global first, then the
// focused pane), fitting within maxWidth × maxHeight.
func (m Model) View(title string, sections []help.KeyMap, maxWidth, maxHeight int) string {
	h := m.h
	st := help.DefaultStyles(m.th.IsDark)
	st.FullKey = m.th.Accent
	st.FullDesc = m.th.Text
	st.FullSeparator = m.th.Subtle
	st.Ellipsis = m.th.Muted
	h.Styles = st
	inner := max(maxWidth-4, 10)
	h.SetWidth(inner)
	// All sections side by side when they fit, else stacked (focused pane
	// first, it is what the user is looking at).
	var groups [][]key.Binding
	for _, s := range sections {
		groups = append(groups, s.FullHelp()...)
	}
	body := h.FullHelpView(groups)
	if strings.Contains(ansi.Strip(body), "…") && len(sections) > 1 {
		var parts []string
		for i := len(sections) - 1; i >= 0; i-- {
			parts = append(parts, h.FullHelpView(sections[i].FullHelp()))
		}
		body = strings.Join(parts, "\n\n")
	}
	footer := m.th.Muted.Render(m.close.Help().Key + " closes")
	out := lipgloss.JoinVertical(lipgloss.Left, m.th.Title.Render(title), "", body, "", footer)
	if lines := lipgloss.Height(out); lines > maxHeight-2 && maxHeight > 2 {
		out = lipgloss.NewStyle().MaxHeight(maxHeight - 2).Render(out)
	}
	return m.th.Overlay.MaxWidth(maxWidth).Render(out)
}
