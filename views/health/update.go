package health

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/views/action"
)

// Update scrolls the read-out (or the activity list) when it is taller
// than the pane, and switches between the two.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.focused {
		return m, nil
	}
	scroll := &m.scroll
	if m.act.shown {
		scroll = &m.act.scroll
	}
	switch {
	case key.Matches(km, m.keys.Activity):
		m.act.shown = !m.act.shown
		m.act.scroll = 0
		return m, action.Emit(action.ActivityShown{Shown: m.act.shown})
	case key.Matches(km, m.keys.Up):
		*scroll = max(*scroll-1, 0)
	case key.Matches(km, m.keys.Down):
		*scroll = min(*scroll+1, m.maxScroll())
	case key.Matches(km, m.keys.Top):
		*scroll = 0
	}
	return m, nil
}
