package results

import (
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/views/action"
)

// Fetch returns the command asking for every page the viewport needs that
// is neither cached nor already being fetched (nil when none). The root
// calls it after SetSize; the setters and Update already return it.
func (m *Model) Fetch() tea.Cmd {
	if m.mode != modeGrid {
		return nil
	}
	lo, hi := m.wantedRows()
	var cmds []tea.Cmd
	for p := lo / m.pageSize; p*m.pageSize < hi; p++ {
		if m.cache.want(p) {
			cmds = append(cmds, action.Emit(action.FetchPage{QueryID: m.queryID, Offset: p * m.pageSize, Limit: m.pageSize}))
		}
	}
	switch len(cmds) {
	case 0:
		return nil
	case 1:
		return cmds[0]
	}
	return tea.Batch(cmds...)
}

// wantedRows is the row range [lo, hi) to keep cached: the screen plus one
// screen either side, so scrolling rarely waits, limited to rows that exist
// (or, while the total is unknown, to the next page past the known rows).
func (m Model) wantedRows() (lo, hi int) {
	body := max(m.bodyHeight(), 1)
	lo = max(m.top-body, 0)
	hi = m.top + 2*body
	limit := m.rowCount()
	if m.total < 0 && m.hasMore {
		limit = m.known + 1 // the row after the known ones starts the next page
	}
	return lo, min(hi, limit)
}

// touchVisible marks the pages on screen as recently used so eviction
// never drops what is being looked at.
func (m *Model) touchVisible() {
	if m.mode != modeGrid {
		return
	}
	body := m.bodyHeight()
	for p := m.top / m.pageSize; p*m.pageSize < m.top+body; p++ {
		m.cache.get(p)
	}
	m.cache.get(m.row / m.pageSize)
}

// cell returns the value at (row, col) and whether its page is cached.
func (m Model) cell(row, col int) (any, bool) {
	r, ok := m.rowAt(row)
	if !ok {
		return nil, false
	}
	if col < 0 || col >= len(r) {
		return nil, true
	}
	return r[col], true
}

// rowAt returns a cached row without touching recency.
func (m Model) rowAt(row int) ([]any, bool) {
	if row < 0 {
		return nil, false
	}
	rows, ok := m.cache.peek(row / m.pageSize)
	i := row % m.pageSize
	if !ok || i >= len(rows) {
		return nil, false
	}
	return rows[i], true
}
