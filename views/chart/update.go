package chart

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/views/results"
)

// Update takes the rows to draw from the grid's results.Shown (a late one,
// older than what it drew, is dropped) and handles keys when focused: walk
// the column list, pick series and the x column, switch between line and bar.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if s, ok := msg.(results.Shown); ok {
		if s.After(m.shownQuery, m.shownSeq) {
			m.shownQuery, m.shownSeq = s.QueryID, s.Seq
			m.SetData(s.Columns, s.Rows)
		}
		return m, nil
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.focused || len(m.cols) == 0 {
		return m, nil
	}
	k := m.keys
	m.notice = ""
	switch {
	case key.Matches(km, k.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(km, k.Down):
		m.cursor = min(m.cursor+1, len(m.cols)-1)
	case key.Matches(km, k.Toggle):
		m.toggle(m.cursor)
	case key.Matches(km, k.X):
		if m.xcol == m.cursor {
			m.xcol = -1
		} else {
			m.xcol = m.cursor
			m.picked = slices.DeleteFunc(slices.Clone(m.picked), func(c int) bool { return c == m.cursor })
		}
	case key.Matches(km, k.Bar):
		m.kind = Bar
	case key.Matches(km, k.Line):
		m.kind = Line
	}
	return m, nil
}

// toggle plots or unplots column c; a non-numeric column is refused with a
// notice saying why.
func (m *Model) toggle(c int) {
	if i := indexOf(m.picked, c); i >= 0 {
		m.picked = slices.Delete(slices.Clone(m.picked), i, i+1)
		return
	}
	switch {
	case !m.numeric[c]:
		m.notice = fmt.Sprintf("%q is not numeric: only columns of numbers can be plotted", m.name(c))
	case len(m.picked) >= maxSeries:
		m.notice = fmt.Sprintf("at most %d columns at once", maxSeries)
	default:
		if c == m.xcol {
			m.xcol = -1
		}
		m.picked = append(slices.Clone(m.picked), c)
	}
}
