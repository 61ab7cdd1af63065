package schema

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/sqltext"
	"github.com/dbforge/dbforge/views/action"
)

// Update handles keys (delivered only while focused) and the filter's own
// messages.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, m.filter.Forward(msg)
	}
	switch {
	case m.filter.Typing:
		return m.filterKey(km)
	case m.ddl != nil:
		m.ddlKey(km)
		return m, nil
	}
	return m.treeKey(km)
}

func (m Model) filterKey(km tea.KeyPressMsg) (Model, tea.Cmd) {
	keep := m.SelectedTable()
	switch {
	case m.filter.Leave(km):
		m.rebuild(keep)
		return m, nil
	case km.Code == tea.KeyUp: // arrows move in the list; k and j are typed
		m.move(-1)
		return m, nil
	case km.Code == tea.KeyDown:
		m.move(1)
		return m, nil
	}
	cmd := m.filter.Type(km)
	m.rebuild(keep)
	return m, cmd
}

func (m *Model) ddlKey(km tea.KeyPressMsg) {
	page := max(m.height-1, 1)
	switch {
	case km.Code == tea.KeyEscape, key.Matches(km, m.keys.DDL), key.Matches(km, m.keys.Collapse):
		m.ddl = nil
	case key.Matches(km, m.keys.Up):
		m.ddlOffset--
	case key.Matches(km, m.keys.Down):
		m.ddlOffset++
	case key.Matches(km, m.keys.Top):
		m.ddlOffset = 0
	case key.Matches(km, m.keys.Bottom):
		m.ddlOffset = len(m.ddl)
	case km.Code == tea.KeyPgDown:
		m.ddlOffset += page
	case km.Code == tea.KeyPgUp:
		m.ddlOffset -= page
	}
	m.ddlOffset = max(min(m.ddlOffset, len(m.ddl)-page), 0)
}

func (m Model) treeKey(km tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(km, k.Up):
		m.move(-1)
	case key.Matches(km, k.Down):
		m.move(1)
	case key.Matches(km, k.Top):
		m.move(-len(m.rows))
	case key.Matches(km, k.Bottom):
		m.move(len(m.rows))
	case key.Matches(km, k.Filter):
		return m, m.filter.Open()
	case key.Matches(km, k.ClearInput), km.Code == tea.KeyEscape && m.filter.Value() != "":
		keep := m.SelectedTable()
		m.filter.Input.SetValue("")
		m.rebuild(keep)
	}
	t := m.table()
	if t == nil {
		return m, nil
	}
	onTable := m.rows[m.cursor].kind == rowTable
	switch {
	case key.Matches(km, k.Expand):
		if onTable {
			m.setExpanded(t.Name, true)
		}
	case key.Matches(km, k.Collapse):
		m.setExpanded(t.Name, false) // from a child: back to its table
	case key.Matches(km, k.Toggle):
		m.setExpanded(t.Name, onTable && !m.expanded[t.Name])
	case key.Matches(km, k.Preview):
		return m, action.Emit(action.PreviewTable{Table: t.Name})
	case key.Matches(km, k.Insert):
		return m, action.Emit(action.InsertSQL{Text: SelectSQL(t.Name)})
	case key.Matches(km, k.DDL):
		m.openDDL()
	}
	return m, nil
}

func (m *Model) move(d int) {
	m.cursor = min(max(m.cursor+d, 0), max(len(m.rows)-1, 0))
	m.scroll()
}

// openDDL shows the CREATE statements of the table under the cursor: the
// table's own, its indexes' and its triggers'.
func (m *Model) openDDL() {
	t := m.table()
	parts := []string{strings.TrimSpace(t.SQL)}
	for _, ix := range t.Indexes {
		if ix.SQL != "" {
			parts = append(parts, strings.TrimSpace(ix.SQL))
		}
	}
	for _, i := range m.triggersOf(t.Name) {
		parts = append(parts, strings.TrimSpace(m.schema.Triggers[i].SQL))
	}
	text := strings.Join(parts, ";\n\n")
	if strings.TrimSpace(text) == "" {
		text = "-- no DDL recorded for this " + t.Type
	} else {
		text += ";"
	}
	m.ddl = strings.Split(sanitize.Text(text), "\n")
	m.ddlTitle = sanitize.Line(t.Name)
	m.ddlOffset = 0
}

// SelectSQL is the statement the insert key drops into the editor, with the
// table name always double-quoted (inner quotes doubled).
func SelectSQL(table string) string {
	return "SELECT * FROM " + sqltext.QuoteIdent(table) + " LIMIT 100;"
}
