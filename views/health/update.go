package health

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Update scrolls the read-out when it is taller than the pane.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.focused {
		return m, nil
	}
	switch {
	case key.Matches(km, m.keys.Up):
		m.scroll = max(m.scroll-1, 0)
	case key.Matches(km, m.keys.Down):
		m.scroll++
	case key.Matches(km, m.keys.Top):
		m.scroll = 0
	}
	return m, nil
}
