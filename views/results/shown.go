package results

import (
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

// Shown is the grid's word on the rows it now holds: the columns and the
// rows of its first contiguous pages (what can be drawn without fetching).
// The grid sends one whenever they change; a pane drawing the same result
// (the chart) takes its data from it, so the root only routes it.
type Shown struct {
	QueryID int
	Seq     int // grows with every Shown of one grid: commands run concurrently, so a late one is recognised
	Columns []client.Column
	Rows    [][]any
}

// After reports whether s is newer than the Shown identified by (queryID, seq).
func (s Shown) After(queryID, seq int) bool {
	return s.QueryID > queryID || (s.QueryID == queryID && s.Seq > seq)
}

// shown announces the rows the grid holds now.
func (m *Model) shown() tea.Cmd { return m.announce(m.cache.leading()) }

// shownIfChanged announces the rows when a page changed how many lead.
func (m *Model) shownIfChanged() tea.Cmd {
	rows := m.cache.leading()
	if len(rows) == m.shownRows {
		return nil
	}
	return m.announce(rows)
}

func (m *Model) announce(rows [][]any) tea.Cmd {
	m.shownSeq++
	m.shownRows = len(rows)
	return action.Emit(Shown{QueryID: m.queryID, Seq: m.shownSeq, Columns: m.cols, Rows: rows})
}
