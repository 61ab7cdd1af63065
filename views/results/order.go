package results

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dustin/go-humanize"
)

// order is the sort and filter the database applies to the result shown.
type order struct {
	col    int // sorted column, -1 for the statement's own order
	desc   bool
	filter string
}

func noOrder() order { return order{col: -1} }

// maxFilterShown bounds the filter text in the title.
const maxFilterShown = 24

func newFilterInput(th *theme.Theme) textinput.Model {
	ti := textinput.New()
	ti.SetStyles(th.TextInput())
	ti.Prompt = "filter: "
	ti.Placeholder = "text in any column (LIKE: % and _ are wildcards)"
	ti.CharLimit = 1024
	return ti
}

// nextSort cycles the column under the cursor: ascending, descending, off;
// another column starts ascending.
func (m Model) nextSort() order {
	o := m.order
	if m.reordering != "" {
		o = m.asked // keys pressed while waiting build on what was asked
	}
	switch {
	case o.col != m.col:
		o.col, o.desc = m.col, false
	case !o.desc:
		o.desc = true
	default:
		o.col, o.desc = -1, false
	}
	return o
}

// askReorder asks the root for the result in order o.
func (m *Model) askReorder(o order, verb string) tea.Cmd {
	names := make([]string, len(m.cols))
	for i, c := range m.cols {
		names[i] = c.Name
	}
	m.reorderSeq++
	a := action.Reorder{QueryID: m.queryID, Columns: names, Desc: o.desc, Filter: o.filter, Seq: m.reorderSeq}
	if o.col >= 0 && o.col < len(names) {
		a.Sort = names[o.col]
	}
	m.reordering, m.asked = verb, o
	return action.Emit(a)
}

// SetReordered shows queryID, the answer to a Reorder: the result again in
// the order a asks for. Columns, their widths and the cursor's column are
// kept; the cursor goes back to the first row. The returned command asks
// for the counts the title needs and any page still missing.
func (m *Model) SetReordered(queryID int, res *client.QueryResult, a action.Reorder) tea.Cmd {
	if m.mode != modeGrid || res == nil || !res.Returning() {
		m.reordering = ""
		return nil
	}
	keep := *m
	m.SetResult(queryID, keep.sql, res)
	m.sql = keep.sql
	m.cols, m.numeric = keep.cols, keep.numeric
	m.widths = append([]int(nil), keep.widths...)
	widen(m.widths, res.Rows)
	m.col, m.left = keep.col, keep.left
	m.group = keep.group
	m.fracs, m.ints = keep.fracs, keep.ints
	m.fitNumbers(res.Rows)
	m.order = order{col: -1, desc: a.Desc, filter: a.Filter}
	for i, c := range m.cols {
		if a.Sort != "" && c.Name == a.Sort {
			m.order.col = i
			// room for the arrow after the name
			m.widths[i] = min(max(m.widths[i], ansi.StringWidth(sanitize.Line(c.Name))+2), MaxColWidth)
		}
	}
	m.baseTotal = keep.baseTotal
	if keep.order.filter == "" && keep.total >= 0 {
		m.baseTotal = keep.total
	}
	var cmds []tea.Cmd
	switch {
	case a.Filter == "" && m.baseTotal >= 0:
		m.total, m.known, m.hasMore = m.baseTotal, m.baseTotal, false
	case a.Filter != "" && m.total < 0:
		m.counted = true
		cmds = append(cmds, action.Emit(action.CountRows{QueryID: queryID}))
	}
	if a.Filter != "" && m.baseTotal < 0 {
		cmds = append(cmds, action.Emit(action.CountBase{QueryID: queryID}))
	}
	m.clamp()
	cmds = append(cmds, m.shown(), m.Fetch())
	return tea.Batch(cmds...)
}

// ReorderFailed ends the wait for a Reorder of queryID; the result shown
// stays as it was (the root says why in the status bar).
func (m *Model) ReorderFailed(queryID int) {
	if queryID == m.queryID {
		m.reordering = ""
	}
}

// SetBaseTotal sets the row count of the statement before filtering (the
// M of "N of M rows").
func (m *Model) SetBaseTotal(queryID, n int) {
	if m.mode == modeGrid && queryID == m.queryID && n >= 0 {
		m.baseTotal = n
	}
}

// openFilter shows the filter prompt in the footer, holding the filter
// that applies now.
func (m *Model) openFilter() tea.Cmd {
	m.filtering = true
	m.filterInput.SetValue(m.order.filter)
	m.filterInput.SetWidth(max(m.width-len(m.filterInput.Prompt)-1, 1))
	m.filterInput.CursorEnd()
	return m.filterInput.Focus()
}

func (m *Model) closeFilter() {
	m.filtering = false
	m.filterInput.Blur()
}

// updateFilter handles the filter prompt: enter applies the text (empty
// shows every row again), esc leaves the filter as it was.
func (m Model) updateFilter(km tea.KeyPressMsg) (Model, tea.Cmd) {
	switch km.Code {
	case tea.KeyEscape:
		m.closeFilter()
		return m, nil
	case tea.KeyEnter:
		text := m.filterInput.Value()
		m.closeFilter()
		if text == m.order.filter {
			return m, nil
		}
		o := m.order
		if m.reordering != "" {
			o = m.asked
		}
		o.filter = text
		return m, m.askReorder(o, "filtering…")
	}
	var cmd tea.Cmd
	m.filterInput, cmd = m.filterInput.Update(km)
	return m, cmd
}

// rowsTitle is the row count part of the title: "1,234 rows", or with a
// filter "12 of 1,234 rows"; "+" while more rows may follow.
func (m Model) rowsTitle() string {
	var n string
	switch {
	case m.total >= 0:
		n = humanize.Comma(int64(m.total))
	default:
		n = humanize.Comma(int64(m.known)) + "+"
	}
	if m.order.filter != "" {
		of := "…"
		if m.baseTotal >= 0 {
			of = humanize.Comma(int64(m.baseTotal))
		}
		n += " of " + of
	}
	noun := " rows"
	if m.total == 1 && m.order.filter == "" {
		noun = " row"
	}
	switch {
	case m.total >= 0:
	case m.counted:
		noun += ", counting…"
	default:
		noun += ", more available"
	}
	return n + noun
}

// orderTitle says which sort and filter apply ("" when none).
func (m Model) orderTitle() []string {
	var parts []string
	if c := m.order.col; c >= 0 && c < len(m.cols) {
		parts = append(parts, "sorted by "+sanitize.Line(m.cols[c].Name)+" "+m.arrow())
	}
	if f := m.order.filter; f != "" {
		parts = append(parts, "filter “"+ansi.Truncate(sanitize.Line(f), maxFilterShown, "…")+"”")
	}
	if m.reordering != "" {
		parts = append(parts, m.reordering)
	}
	return parts
}

func (m Model) arrow() string {
	if m.order.desc {
		return "↓"
	}
	return "↑"
}

// headerName is a column's name in the header, with the sort arrow on the
// sorted column.
func (m Model) headerName(c int) string {
	name := sanitize.Line(m.cols[c].Name)
	if c == m.order.col {
		name += " " + m.arrow()
	}
	return strings.TrimSpace(name)
}
