package plan

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Update scrolls on keys; the pane has no other messages.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	page := max(m.treeHeight()-1, 1)
	switch k := m.keys; {
	case key.Matches(km, k.Up):
		m.offset--
	case key.Matches(km, k.Down):
		m.offset++
	case key.Matches(km, k.Top):
		m.offset = 0
	case key.Matches(km, k.Bottom):
		m.offset = len(m.lines)
	case key.Matches(km, k.PageUp):
		m.offset -= page
	case key.Matches(km, k.PageDown):
		m.offset += page
	case key.Matches(km, k.Left):
		m.left -= 3 // one tree level
	case key.Matches(km, k.Right):
		m.left += 3
	}
	m.clamp()
	return m, nil
}

// treeHeight is the number of lines under the summary.
func (m Model) treeHeight() int { return max(m.height-1, 0) }

func (m *Model) clamp() {
	m.offset = max(min(m.offset, len(m.lines)-m.treeHeight()), 0)
	widest := 0
	for _, l := range m.lines {
		widest = max(widest, ansi.StringWidth(l.text()))
	}
	m.left = max(min(m.left, widest-m.width), 0)
}
