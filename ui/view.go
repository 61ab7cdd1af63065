package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/textfit"
)

// View draws the whole screen: panes, tab strip (narrow), status bar, and
// the open overlay composited on top.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "dbforge"
	if m.current != "" {
		v.WindowTitle = "dbforge — " + sanitize.Line(m.current)
	}
	return v
}

// Render is the screen as a string (what View puts in the tea.View); tests
// and benchmarks use it directly.
func (m *Model) Render() string {
	w, h := m.c.Width, m.c.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	var layers []*lipgloss.Layer
	if !m.wide() {
		layers = append(layers, lipgloss.NewLayer(m.tabStrip()))
	}
	for i, s := range m.slots {
		r := m.rects[i]
		if r.w == 0 || r.h == 0 {
			continue
		}
		content := m.frame(s.title(), s.view(), r.w, r.h, paneID(i) == m.focus)
		layers = append(layers, lipgloss.NewLayer(content).X(r.x).Y(r.y))
	}
	layers = append(layers, lipgloss.NewLayer(m.statusBar()).Y(h-1))
	if box := m.overlayBox(); box != "" {
		bw, bh := lipgloss.Width(box), lipgloss.Height(box)
		layers = append(layers, lipgloss.NewLayer(box).X(max((w-bw)/2, 0)).Y(max((h-bh)/3, 0)).Z(10))
	}
	canvas := lipgloss.NewCanvas(w, h)
	canvas.Compose(lipgloss.NewCompositor(layers...))
	return canvas.Render()
}

// tabStrip is the narrow layout's first line: every pane with its number.
func (m *Model) tabStrip() string {
	th := m.c.Theme
	parts := make([]string, 0, paneCount)
	for i, n := range paneNames {
		label := string(rune('1'+i)) + " " + n
		if paneID(i) == m.focus {
			parts = append(parts, th.TabActive.Render(label))
		} else {
			parts = append(parts, th.Tab.Render(label))
		}
	}
	return textfit.Ellipsis(strings.Join(parts, " "), m.c.Width)
}

// statusBar shows the mode, the current database, the last message and the
// focused pane's short help.
func (m *Model) statusBar() string {
	th := m.c.Theme
	bar := th.StatusBar
	sep := bar.Render(" │ ")
	db := m.current
	if db == "" {
		db = "no database"
	}
	// The connection state must show in every layout: the mode and the
	// database name give way to it when the bar is too narrow.
	label, bad := m.connectionLabel()
	mode, dbName := m.mode, sanitize.Line(db)
	fixed := lipgloss.Width(label) + 3*2 + 1 + 4 // two separators, the lead space, the gap
	if over := lipgloss.Width(mode) + lipgloss.Width(dbName) + fixed - m.c.Width; over > 0 {
		mode = ansi.Truncate(mode, max(lipgloss.Width(mode)-over, 8), "…")
	}
	if over := lipgloss.Width(mode) + lipgloss.Width(dbName) + fixed - m.c.Width; over > 0 {
		dbName = ansi.Truncate(dbName, max(lipgloss.Width(dbName)-over, 6), "…")
	}
	left := bar.Bold(true).Render(" "+mode) + sep + bar.Render(dbName)
	if bad {
		left += sep + bar.Foreground(th.P.Bad).Bold(true).Render(label)
	} else {
		left += sep + bar.Foreground(th.P.Good).Render(label)
	}
	if m.status != "" {
		st := bar
		if m.statusErr {
			st = bar.Foreground(th.P.Bad).Bold(true)
		}
		left += sep + st.Render(sanitize.Line(m.status))
	}
	room := m.c.Width - lipgloss.Width(left) - 4
	right := ""
	if room > 10 {
		hm := help.New()
		st := help.DefaultStyles(th.IsDark)
		st.ShortKey, st.ShortDesc, st.ShortSeparator = bar.Foreground(th.P.Accent), bar.Foreground(th.P.Muted), bar.Foreground(th.P.Subtle)
		st.Ellipsis = bar.Foreground(th.P.Muted)
		hm.Styles = st
		hm.SetWidth(room)
		bindings := append(m.slots[m.focus].keys().ShortHelp(), m.c.Keys.Global.ShortHelp()...)
		right = hm.ShortHelpView(bindings)
	}
	gap := max(m.c.Width-lipgloss.Width(left)-lipgloss.Width(right)-1, 3)
	line := left + bar.Render(strings.Repeat(" ", gap)) + right + bar.Render(" ")
	return textfit.Ellipsis(line, m.c.Width)
}

// overlayBox renders the open overlay, or "".
func (m *Model) overlayBox() string {
	switch m.overlay {
	case overlayHelp:
		sections := []help.KeyMap{m.c.Keys.Global}
		if k := m.slots[m.focus].keys(); k != nil && len(k.FullHelp()) > 0 {
			sections = append(sections, k)
		}
		return m.helpView.View("Keys · "+paneNames[m.focus], sections, min(m.c.Width-2, 100), m.c.Height-1)
	case overlayDialog:
		return m.dialog.View(m.c.Width)
	case overlayHistory:
		return m.histView.View(m.c.Width-2, m.c.Height-2)
	}
	return ""
}
