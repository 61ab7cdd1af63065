package ui

import "github.com/dbforge/dbforge/theme"

// setTheme is the one path a theme change takes (as crush's refreshStyles):
// every pane points at the same Theme, so swapping it in place reaches what
// they draw on each View, and each pane, tab and open prompt then rebuilds
// the styles it derived from the old one (editor colours, text inputs). The
// frame caches are dropped because they hold the old colours.
func (m *Model) setTheme(th theme.Theme) {
	*m.c.Theme = th
	m.bar, m.frames = drawCache[barKey]{}, [paneCount]drawCache[frameKey]{}
	for _, s := range m.slots {
		s.refreshStyles()
	}
	m.dialog.RefreshStyles()
	// the help and history overlays draw from the theme on every View
}
