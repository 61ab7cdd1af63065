package results

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dustin/go-humanize"
)

// Update handles keys when focused. Any other message only lets the pane
// ask for pages it still lacks (e.g. after a resize).
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if m.exporting {
			var cmd tea.Cmd
			m.exportInput, cmd = m.exportInput.Update(msg)
			return m, cmd
		}
		if m.filtering {
			var cmd tea.Cmd
			m.filterInput, cmd = m.filterInput.Update(msg)
			return m, cmd
		}
		return m, m.Fetch()
	}
	if !m.focused {
		return m, nil
	}
	switch {
	case m.exporting:
		return m.updateExport(km)
	case m.filtering:
		return m.updateFilter(km)
	case m.steps.open:
		return m.updateSteps(km)
	case m.viewer != nil:
		return m.updateViewer(km)
	case key.Matches(km, m.keys.Statements) && m.openSteps():
		return m, nil
	case m.mode == modeGrid:
		return m.updateGrid(km)
	}
	return m, nil
}

func (m Model) updateGrid(km tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	body := max(m.bodyHeight(), 1)
	if m.updateSelect(km) {
		m.clamp()
		return m, m.Fetch()
	}
	var cmd tea.Cmd
	switch {
	case key.Matches(km, k.Up):
		m.row--
	case key.Matches(km, k.Down):
		m.row++
	case key.Matches(km, k.Left):
		m.col--
	case key.Matches(km, k.Right):
		m.col++
	case key.Matches(km, k.PageUp):
		m.row -= body
		m.top -= body
	case key.Matches(km, k.PageDown):
		m.row += body
		m.top += body
	case key.Matches(km, k.HalfUp):
		m.row -= max(body/2, 1)
		m.top -= max(body/2, 1)
	case key.Matches(km, k.HalfDown):
		m.row += max(body/2, 1)
		m.top += max(body/2, 1)
	case key.Matches(km, k.Top):
		m.row, m.toEnd = 0, false
	case key.Matches(km, k.Bottom):
		m.row = m.rowCount() - 1
		if m.total < 0 {
			m.toEnd = true
			if !m.counted {
				m.counted = true
				cmd = action.Emit(action.CountRows{QueryID: m.queryID})
			}
		}
	case key.Matches(km, k.FirstColumn):
		m.col = 0
	case key.Matches(km, k.LastColumn):
		m.col = len(m.cols) - 1
	case key.Matches(km, k.View):
		return m.openViewer()
	case key.Matches(km, k.CopyCell) && m.sel != nil:
		return m, m.copySelection()
	case key.Matches(km, k.CopyCell):
		return m, m.copyCell()
	case key.Matches(km, k.CopyRow):
		return m, m.copyRow()
	case key.Matches(km, k.Export):
		return m, m.openExport()
	case key.Matches(km, k.Sort):
		if len(m.cols) == 0 {
			return m, nil
		}
		return m, m.askReorder(m.nextSort(), "sorting…")
	case key.Matches(km, k.Filter):
		return m, m.openFilter()
	case key.Matches(km, k.Grouping):
		return m, m.toggleGrouping()
	default:
		return m, nil
	}
	m.cache.retry()
	m.pageErr = ""
	m.clamp()
	return m, batch(cmd, m.Fetch())
}

// clamp keeps the cursor on a row and column that exist and scrolls so the
// cursor's cell is on screen.
func (m *Model) clamp() {
	count := m.rowCount()
	body := max(m.bodyHeight(), 1)
	m.row = min(max(m.row, 0), max(count-1, 0))
	m.top = min(max(m.top, 0), max(count-body, 0))
	if m.row < m.top {
		m.top = m.row
	}
	if m.row >= m.top+body {
		m.top = m.row - body + 1
	}
	m.col = min(max(m.col, 0), max(len(m.cols)-1, 0))
	m.left = min(max(m.left, 0), m.col)
	for m.left < m.col && !m.visibleFull(m.col) {
		m.left++
	}
	m.touchVisible()
}

// visibleFull reports whether column c shows whole from the current left.
func (m Model) visibleFull(c int) bool {
	for _, s := range m.spans(m.left) {
		if s.col == c {
			return s.full
		}
	}
	return false
}

func (m Model) currentCell() (any, bool) { return m.cell(m.row, m.col) }

func (m Model) cellTitle() string {
	name := ""
	if m.col < len(m.cols) {
		name = sanitize.Line(m.cols[m.col].Name)
		if t := m.cols[m.col].Type; t != "" {
			name += " " + sanitize.Line(t)
		}
	}
	return fmt.Sprintf("%s · row %s", name, humanize.Comma(int64(m.row+1)))
}

func (m Model) copyCell() tea.Cmd {
	v, ok := m.currentCell()
	if !ok {
		return notLoaded()
	}
	return action.Emit(action.Copy{Text: copyText(v), What: "cell"})
}

func (m Model) copyRow() tea.Cmd {
	r, ok := m.rowAt(m.row)
	if !ok {
		return notLoaded()
	}
	return action.Emit(action.Copy{Text: rowTSV(r), What: "row"})
}

func (m Model) openViewer() (Model, tea.Cmd) {
	v, ok := m.currentCell()
	if !ok {
		return m, notLoaded()
	}
	m.viewer = newViewer(m.cellTitle(), v)
	m.viewer.layout(m.width, m.viewerHeight())
	return m, nil
}

func (m Model) updateViewer(km tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	page := max(m.viewerHeight(), 1)
	// The viewer is a copy-on-write pointer: a new one per change keeps
	// earlier Model values unchanged.
	v := *m.viewer
	switch {
	case km.Code == tea.KeyEscape, key.Matches(km, k.View):
		m.viewer = nil
		return m, nil
	case key.Matches(km, k.CopyCell):
		return m, action.Emit(action.Copy{Text: copyText(v.value), What: "cell"})
	case key.Matches(km, k.Up):
		v.scrollBy(-1)
	case key.Matches(km, k.Down):
		v.scrollBy(1)
	case key.Matches(km, k.PageUp), key.Matches(km, k.HalfUp):
		v.scrollBy(-page)
	case key.Matches(km, k.PageDown), key.Matches(km, k.HalfDown):
		v.scrollBy(page)
	case key.Matches(km, k.Top):
		v.scroll = 0
	case key.Matches(km, k.Bottom):
		v.scroll = len(v.lines)
		v.clamp()
	}
	m.viewer = &v
	return m, nil
}

func notLoaded() tea.Cmd {
	return action.Emit(action.Status{Text: "row not loaded yet", Error: true})
}

func batch(a, b tea.Cmd) tea.Cmd {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return tea.Batch(a, b)
}
