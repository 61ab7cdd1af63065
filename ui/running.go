package ui

import (
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
)

// runTick is how often the results title's elapsed time moves on.
const runTick = 100 * time.Millisecond

// runTickMsg refreshes the elapsed time of statement id while it runs.
type runTickMsg struct{ id int }

func tickRun(id int) tea.Cmd {
	return tea.Tick(runTick, func(time.Time) tea.Msg { return runTickMsg{id: id} })
}

// queryRunning reports whether a statement of the editor, a preview or a script
// is still waiting for its answer.
func (m *Model) queryRunning() bool {
	_, pending := m.cancels[reqQuery]
	return pending && m.query.busy
}

// elapsed is how long the running statement has taken so far.
func (m *Model) elapsed() time.Duration {
	return m.opts.Now().Sub(m.query.started).Truncate(100 * time.Millisecond)
}

// onRunTick moves the results title's clock on while the statement runs.
func (m *Model) onRunTick(msg runTickMsg) tea.Cmd {
	if msg.id != m.query.id || !m.queryRunning() {
		return nil
	}
	m.showElapsed()
	return tickRun(msg.id)
}

// showElapsed puts the running time and the cancel key in the results title.
func (m *Model) showElapsed() {
	m.results.note = fmt.Sprintf("%.1fs · %s cancels", m.elapsed().Seconds(), m.c.Keys.Global.ForceQuit.Help().Key)
}

// cancelQuery stops the running statement: its request context is
// cancelled, which aborts the call and makes the gateway interrupt SQLite;
// a late answer is dropped.
func (m *Model) cancelQuery() tea.Cmd {
	took := m.elapsed()
	record := m.recordRun(nil)
	m.forget(reqQuery)
	if m.query.cancel != nil {
		m.query.cancel()
	}
	m.query.busy = false
	m.results.note = ""
	text := fmt.Sprintf("cancelled after %.1fs", took.Seconds())
	shown := m.grid.model().SetError(errors.New(text))
	if m.query.script {
		text += " (statements before it stay run)"
	}
	m.setStatus("query "+text, false)
	return tea.Batch(record, shown)
}
