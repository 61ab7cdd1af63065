package ui

import (
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
)

// schemaMsg answers a schema request.
type schemaMsg struct {
	id     int
	db     string
	schema *client.Schema
	err    error
}

// loadSchema reloads the current database's schema for the schema pane and
// the editor's completion.
func (m *Model) loadSchema() tea.Cmd {
	if m.current == "" {
		return nil
	}
	id, ctx := m.request(reqSchema, m.opts.Timeout)
	api, db := m.api, m.current
	return func() tea.Msg {
		s, err := safeCall(func() (*client.Schema, error) { return api.Schema(ctx, db, "") })
		return schemaMsg{id: id, db: db, schema: s, err: err}
	}
}

func (m *Model) onSchema(msg schemaMsg) tea.Cmd {
	if !m.fresh(reqSchema, msg.id) || msg.db != m.current {
		return nil
	}
	if msg.err != nil {
		m.tree.model().SetError(msg.err)
		if !isUnsupported(msg.err) {
			m.setStatus("loading the schema: "+sqlError(msg.err), true)
		}
		return nil
	}
	if msg.schema == nil {
		msg.schema = &client.Schema{}
	}
	m.tree.model().SetSchema(msg.schema)
	m.editor.model().SetSchema(msg.schema)
	return nil
}

// planUnavailable is what the plan pane shows when the gateway (MK1) has
// no explain.
const planUnavailable = "query plans are not available on this gateway (MK1 has no explain)"

// explainMsg answers an Explain.
type explainMsg struct {
	id   int
	sql  string
	plan *client.Plan
	err  error
}

// explain asks for the plan of a statement and shows the Plan tab.
func (m *Model) explain(a action.Explain) tea.Cmd {
	if cmd, ok := m.needDatabase(); !ok {
		return cmd
	}
	id, ctx := m.request(reqExplain, m.opts.Timeout)
	api, db := m.api, m.current
	m.showResults(tabPlan, m.focus != paneEditor)
	m.setStatus("explaining…", false)
	return func() tea.Msg {
		p, err := safeCall(func() (*client.Plan, error) {
			return api.Explain(ctx, db, client.QueryRequest{SQL: a.SQL})
		})
		return explainMsg{id: id, sql: a.SQL, plan: p, err: err}
	}
}

func (m *Model) onExplain(msg explainMsg) tea.Cmd {
	if !m.fresh(reqExplain, msg.id) {
		return nil
	}
	pp := m.plan.model()
	if isUnsupported(msg.err) {
		// an MK1 gateway has no explain: say so, not "no full scans"
		pp.SetError(errors.New(planUnavailable))
		m.setStatus("explain: not available on this gateway", false)
		return nil
	}
	if msg.err != nil {
		pp.SetError(msg.err)
		m.setStatus("explain: "+sqlError(msg.err), true)
		return nil
	}
	var nodes []client.PlanNode
	if msg.plan != nil {
		nodes = msg.plan.Plan
	}
	pp.SetPlan(msg.sql, nodes)
	switch n := pp.FullScans(); n {
	case 0:
		m.setStatus("plan ready", false)
	case 1:
		m.setStatus("plan ready · 1 full table scan", false)
	default:
		m.setStatus(fmt.Sprintf("plan ready · %d full table scans", n), false)
	}
	return nil
}

// insertSQL drops text into the editor and focuses it.
func (m *Model) insertSQL(a action.InsertSQL) tea.Cmd {
	ep := m.editor.model()
	if a.Replace {
		ep.SetText(a.Text)
	} else {
		ep.InsertText(a.Text)
	}
	m.setStatus("inserted into the editor: "+sanitize.Line(firstLine(a.Text)), false)
	return m.focusPane(paneEditor)
}
