package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/views/action"
)

// onKey applies the global keys in order of precedence and hands the rest to
// the open overlay or the focused pane.
func (m *Model) onKey(k tea.KeyPressMsg) tea.Cmd {
	g := m.c.Keys.Global
	if m.queryRunning() && key.Matches(k, g.ForceQuit, g.CancelTransfer) {
		return m.cancelQuery()
	}
	if key.Matches(k, g.ForceQuit) {
		return m.quit()
	}
	if len(m.running) > 0 && key.Matches(k, g.CancelTransfer) {
		m.cancelTransfers()
		return nil
	}
	switch m.overlay {
	case overlayDialog:
		return m.updateDialog(k)
	case overlayHelp:
		if key.Matches(k, g.Back, g.Help, g.Quit) {
			m.overlay = overlayNone
		}
		return nil
	case overlayHistory:
		if key.Matches(k, g.Back) {
			m.overlay = overlayNone
			return nil
		}
		var cmd tea.Cmd
		m.histView, cmd = m.histView.Update(k)
		return cmd
	}
	if p, ok := m.altPane(k); ok {
		return m.focusPane(p)
	}
	if m.focus == paneEditor && key.Matches(k, m.c.Keys.Editor.HistorySearch) {
		m.openHistory()
		return nil
	}
	pane := m.slots[m.focus]
	if pane.inTextInput() || m.paneOverlay() {
		return pane.update(k)
	}
	switch {
	case key.Matches(k, g.Quit):
		return m.quit()
	case key.Matches(k, g.Help):
		m.overlay = overlayHelp
		return nil
	case key.Matches(k, g.NextPane):
		return m.focusPane((m.focus + 1) % paneCount)
	case key.Matches(k, g.PrevPane):
		return m.focusPane((m.focus + paneCount - 1) % paneCount)
	case key.Matches(k, g.PrevTab), key.Matches(k, g.NextTab):
		d := 1
		if key.Matches(k, g.PrevTab) {
			d = -1
		}
		m.results.switchTab(d, m.focus == paneResults)
		return m.layout()
	case key.Matches(k, g.Refresh):
		return m.refresh()
	}
	if p, ok := m.numberPane(k); ok {
		return m.focusPane(p)
	}
	return pane.update(k)
}

// paneOverlay reports whether the focused pane has a view of its own open
// (the cell viewer) that takes every key until esc closes it.
func (m *Model) paneOverlay() bool {
	return m.focus == paneResults && m.results.activeName() == tabResults && m.grid.model().Overlay()
}

func (m *Model) altPane(k tea.KeyPressMsg) (paneID, bool) {
	g := m.c.Keys.Global
	for i, b := range g.AltPane {
		if key.Matches(k, b) {
			return paneID(i), true
		}
	}
	return 0, false
}

func (m *Model) numberPane(k tea.KeyPressMsg) (paneID, bool) {
	g := m.c.Keys.Global
	for i, b := range g.Pane {
		if key.Matches(k, b) {
			return paneID(i), true
		}
	}
	return 0, false
}

// refresh reloads what the focused pane shows.
func (m *Model) refresh() tea.Cmd {
	switch m.focus {
	case paneDatabases:
		return m.loadDatabases()
	case paneHealth:
		return m.restartPolling()
	case paneSchema:
		return action.Emit(action.RefreshSchema{})
	}
	return nil
}

// setFocus moves the keyboard to p and re-lays out (narrow mode shows only
// the focused pane); the command is the panes' answer to their new size.
func (m *Model) setFocus(p paneID) tea.Cmd {
	if p == m.focus {
		return nil
	}
	m.slots[m.focus].blur()
	m.focus = p
	m.slots[p].focus()
	return m.layout()
}

// focusPane focuses p and starts the health polling when it came on screen.
func (m *Model) focusPane(p paneID) tea.Cmd {
	resized := m.setFocus(p)
	return tea.Batch(m.ensurePolling(), resized)
}

// onClick focuses the pane under the pointer.
func (m *Model) onClick(msg tea.MouseClickMsg) tea.Cmd {
	if m.overlay != overlayNone {
		return nil
	}
	mouse := msg.Mouse()
	if !m.wide() && mouse.Y == 0 {
		return m.clickTab(mouse.X)
	}
	if p, ok := m.paneAt(mouse.X, mouse.Y); ok {
		return m.focusPane(p)
	}
	return nil
}

// clickTab focuses the tab strip entry at column x.
func (m *Model) clickTab(x int) tea.Cmd {
	th := m.c.Theme
	pos := 0
	for i := range paneCount {
		label := m.tabLabel(i)
		w := max(th.Tab.GetHorizontalFrameSize(), th.TabActive.GetHorizontalFrameSize()) + len(label)
		if x >= pos && x < pos+w {
			return m.focusPane(paneID(i))
		}
		pos += w + 1
	}
	return nil
}
