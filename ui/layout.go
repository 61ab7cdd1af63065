package ui

import tea "charm.land/bubbletea/v2"

// rect is a pane's outer box on screen (border included).
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return r.w > 0 && r.h > 0 && x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// layout computes where each pane goes for the current size and gives each
// pane its inner size. Panes off screen get a zero rect. The command is
// the panes' answer to their size.
func (m *Model) layout() tea.Cmd {
	w, h := max(m.c.Width, 0), max(m.c.Height, 0)
	var rs [paneCount]rect
	if m.wide() {
		body := h - 1 // status bar
		left := min(max(w*2/5, 32), 56)
		right := w - left
		dbH := max(body/4, 6)
		healthH := max(body*9/20, 10)
		schemaH := body - dbH - healthH
		rs[paneDatabases] = rect{0, 0, left, dbH}
		rs[paneSchema] = rect{0, dbH, left, schemaH}
		rs[paneHealth] = rect{0, dbH + schemaH, left, healthH}
		edH := max(body*2/5, 6)
		rs[paneEditor] = rect{left, 0, right, edH}
		rs[paneResults] = rect{left, edH, right, body - edH}
	} else {
		// tab strip on top, status bar at the bottom, one pane between
		rs[m.focus] = rect{0, 1, w, max(h-2, 0)}
	}
	m.rects = rs
	var cmds []tea.Cmd
	for i, s := range m.slots {
		r := rs[i]
		if r.w == 0 {
			continue
		}
		cmds = append(cmds, s.setSize(max(r.w-2, 0), max(r.h-2, 0)))
	}
	return tea.Batch(cmds...)
}

// paneAt is the pane drawn at (x, y), if any.
func (m *Model) paneAt(x, y int) (paneID, bool) {
	for i, r := range m.rects {
		if r.contains(x, y) {
			return paneID(i), true
		}
	}
	return 0, false
}
