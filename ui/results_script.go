package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/results"
)

// Run all keeps what every statement gave (the first page of rows, the
// message or the error), so the results pane can list them and show any
// one, not only the last.

// newSteps lists a script's statements before any has run.
func newSteps(stmts []action.Statement) []results.Step {
	steps := make([]results.Step, len(stmts))
	for i, st := range stmts {
		steps[i] = results.Step{SQL: st.SQL, Line: st.Line}
	}
	return steps
}

// keepSteps hands a script's statements to the results pane, with the one
// it shows: the statement that failed, else the last one with rows, else
// none (the summary).
func (m *Model) keepSteps(msg queryMsg) {
	if !msg.script || len(msg.steps) == 0 {
		return
	}
	shown := -1
	switch {
	case msg.err != nil:
		shown = msg.ran
	case msg.res != nil && msg.res.Returning():
		shown = len(msg.steps) - 1
	}
	m.grid.model().SetSteps(msg.steps, shown)
}

// showStatement shows one statement of the last Run all; pages of its
// rows are read with its own SQL from then on.
func (m *Model) showStatement(a action.ShowStatement) tea.Cmd {
	old := m.query
	if old.ctx == nil {
		return nil
	}
	old.cancel()
	ctx, cancel := context.WithCancel(context.Background())
	m.nextID++
	m.query = queryState{id: m.nextID, sql: a.SQL, db: old.db, sqlIn: old.sqlIn, ctx: ctx, cancel: cancel}
	m.forget(reqCount)
	return m.grid.model().ShowStep(m.query.id, a.Index)
}
