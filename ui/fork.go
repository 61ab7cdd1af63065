package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
)

// forkDatabase copies a.Source into the new database a.To; the answer
// comes back as a lifecycle result, so the list refreshes and the fork is
// shown.
func (m *Model) forkDatabase(a action.ForkDatabase) tea.Cmd {
	if m.c.ReadOnly {
		m.setStatus("read-only: fork is not allowed", true)
		return nil
	}
	api := m.api
	m.setStatus("forking "+sanitize.Line(a.Source)+" into "+sanitize.Line(a.To)+"…", false)
	id, ctx := m.request(reqOp, m.opts.Timeout)
	return func() tea.Msg {
		msg, err := safeCall(func() (string, error) {
			r, err := app.Fork(ctx, api, a.Source, a.To, "")
			if err != nil {
				return "", err
			}
			return r.Message, nil
		})
		return opMsg{id: id, verb: "fork", name: a.To, message: msg, err: err}
	}
}
