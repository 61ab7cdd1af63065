// Package schema is the schema browser pane: tables and views as a tree of
// columns (type, primary key, NOT NULL, default), indexes, foreign keys and
// triggers, with row counts, a filter, DDL on demand, and keys that preview
// a table or drop a SELECT for it into the editor.
package schema

import (
	"maps"
	"strings"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/listfilter"
)

// rowKind says what a line of the tree shows.
type rowKind uint8

const (
	rowTable rowKind = iota
	rowColumn
	rowIndex
	rowForeignKey
	rowTrigger
)

// row is one visible line of the tree: the table it belongs to and, for
// children, which child.
type row struct {
	kind  rowKind
	table int // index into schema.Tables
	item  int // index into the table's columns, indexes, foreign keys or triggers
}

// Model is the schema pane.
type Model struct {
	th   *theme.Theme
	keys keymap.Schema

	schema *client.Schema
	err    error
	none   bool // no database selected
	// estimated: row counts are the server's estimates (PostgreSQL's
	// reltuples, 0 until the table is analyzed), drawn as ~N
	estimated bool
	expanded  map[string]bool // by table name; replaced, never changed in place
	rows      []row

	filter listfilter.Filter

	ddl       []string // lines of the DDL overlay; nil when closed
	ddlTitle  string
	ddlOffset int

	cursor, offset int
	width, height  int
	focused        bool
}

// New returns an empty schema pane.
func New(th *theme.Theme, keys keymap.Schema) Model {
	return Model{th: th, keys: keys, filter: listfilter.New(th, "filter tables and columns")}
}

// SetSchema replaces the schema; expanded tables stay expanded and the
// cursor stays on the same table when it is still there.
func (m *Model) SetSchema(s *client.Schema) {
	keep := m.SelectedTable()
	m.schema, m.err, m.none = s, nil, false
	m.rebuild(keep)
}

// SetEstimatedCounts says whether the schema's row counts are estimates
// (a PostgreSQL database) rather than exact counts (SQLite).
func (m *Model) SetEstimatedCounts(estimated bool) { m.estimated = estimated }

// SetNoDatabase says there is no database to show the schema of (none
// selected, or the current one was pruned or deleted).
func (m *Model) SetNoDatabase() { m.schema, m.err, m.none = nil, nil, true; m.rebuild("") }

// SetError shows why the schema could not be loaded; the last one stays.
func (m *Model) SetError(err error) { m.err = err }

// Schema returns the schema last set.
func (m Model) Schema() *client.Schema { return m.schema }

// SetSize sets the inner size the pane draws in.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
	m.filter.Input.SetWidth(max(m.width-2, 1))
	m.scroll()
}

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away (and leaves the filter prompt).
func (m *Model) Blur() {
	m.focused = false
	m.filter.Close()
}

// Focused reports whether the pane has the keyboard.
func (m Model) Focused() bool { return m.focused }

// InTextInput is true while the filter prompt takes keys.
func (m Model) InTextInput() bool { return m.focused && m.filter.Typing }

// SelectedTable is the table under the cursor (or owning the child under
// it), or "".
func (m Model) SelectedTable() string {
	if t := m.table(); t != nil {
		return t.Name
	}
	return ""
}

func (m Model) table() *client.TableSchema {
	if m.schema == nil || m.cursor < 0 || m.cursor >= len(m.rows) {
		return nil
	}
	return &m.schema.Tables[m.rows[m.cursor].table]
}

// triggersOf lists the indexes into schema.Triggers of a table's triggers.
func (m Model) triggersOf(name string) []int {
	var out []int
	if m.schema == nil {
		return nil
	}
	for i, tr := range m.schema.Triggers {
		if tr.Table == name {
			out = append(out, i)
		}
	}
	return out
}

// matches reports whether a table passes the filter: its name or one of
// its columns contains the text, case-insensitively.
func matches(t client.TableSchema, f string) bool {
	if f == "" {
		return true
	}
	f = strings.ToLower(f)
	if strings.Contains(strings.ToLower(t.Name), f) {
		return true
	}
	for _, c := range t.Columns {
		if strings.Contains(strings.ToLower(c.Name), f) {
			return true
		}
	}
	return false
}

// rebuild flattens the tree into rows and puts the cursor on keep.
func (m *Model) rebuild(keep string) {
	m.rows = m.rows[:0:0]
	if m.schema == nil {
		m.cursor, m.offset = 0, 0
		return
	}
	f := m.filter.Value()
	cursor := -1
	for ti, t := range m.schema.Tables {
		if !matches(t, f) {
			continue
		}
		if t.Name == keep && cursor < 0 {
			cursor = len(m.rows)
		}
		m.rows = append(m.rows, row{kind: rowTable, table: ti})
		if !m.expanded[t.Name] {
			continue
		}
		for i := range t.Columns {
			m.rows = append(m.rows, row{kind: rowColumn, table: ti, item: i})
		}
		for i := range t.Indexes {
			m.rows = append(m.rows, row{kind: rowIndex, table: ti, item: i})
		}
		for i := range t.ForeignKeys {
			m.rows = append(m.rows, row{kind: rowForeignKey, table: ti, item: i})
		}
		for _, i := range m.triggersOf(t.Name) {
			m.rows = append(m.rows, row{kind: rowTrigger, table: ti, item: i})
		}
	}
	if cursor >= 0 {
		m.cursor = cursor
	}
	m.cursor = min(max(m.cursor, 0), max(len(m.rows)-1, 0))
	m.scroll()
}

// setExpanded opens or closes a table, copying the map so earlier model
// values keep their own state.
func (m *Model) setExpanded(name string, open bool) {
	next := maps.Clone(m.expanded)
	if next == nil {
		next = map[string]bool{}
	}
	if open {
		next[name] = true
	} else {
		delete(next, name)
	}
	m.expanded = next
	m.rebuild(name)
}

// listHeight is the number of tree lines that fit above the footer.
func (m Model) listHeight() int { return max(m.height-m.footerLines(), 0) }

func (m Model) footerLines() int {
	return min(m.filter.FooterLines(m.err), max(m.height-1, 0))
}

// scroll keeps the cursor inside the visible window.
func (m *Model) scroll() {
	h := m.listHeight()
	if h <= 0 {
		return
	}
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(min(m.offset, len(m.rows)-h), 0)
}

// RefreshStyles rebuilds the styles derived from the theme after it changed.
func (m *Model) RefreshStyles() { m.filter.Input.SetStyles(m.th.TextInput()) }
