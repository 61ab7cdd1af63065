package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/demo"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/sqltext"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/dialog"
	"github.com/dbforge/dbforge/views/histview"
)

// Update routes a message: keys to the overlay or the focused pane (after
// the global keys), answers to their owner, actions to client calls. When
// the editor changed, a draft save is scheduled.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.route(msg)
	if save := m.watchDraft(); save != nil {
		cmd = tea.Batch(cmd, save)
	}
	return m, cmd
}

func (m *Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		return m, tea.Batch(m.ensurePolling(), m.layout())
	case tea.BackgroundColorMsg:
		if m.opts.Theme == "" {
			m.setTheme(theme.MustNew("", msg.IsDark(), m.opts.NoColor))
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case tea.PasteMsg:
		if m.overlay == overlayDialog {
			return m, m.updateDialog(msg)
		}
		if m.overlay == overlayHistory {
			var cmd tea.Cmd
			m.histView, cmd = m.histView.Update(msg)
			return m, cmd
		}
		return m, m.slots[m.focus].update(msg)
	case tea.MouseClickMsg:
		return m, m.onClick(msg)
	case tea.MouseMsg:
		if m.overlay == overlayNone {
			return m, m.slots[m.focus].update(msg)
		}
		return m, nil
	case listMsg:
		return m, m.onList(msg)
	case opMsg:
		return m, m.onOp(msg)
	case seedMsg:
		return m, m.onSeed(msg)
	case pollMsg:
		return m, m.onPoll(msg)
	case pollTickMsg:
		return m, m.onPollTick(msg)
	case queryMsg:
		return m, m.onQuery(msg)
	case runTickMsg:
		return m, m.onRunTick(msg)
	case draftLoadedMsg:
		return m, m.onDraftLoaded(msg)
	case draftTickMsg:
		return m, m.onDraftTick(msg)
	case draftSavedMsg:
		return m, m.onDraftSaved(msg)
	case quitNowMsg:
		return m, m.quitNow()
	case histview.Chosen:
		return m, m.onHistoryChosen(msg)
	case pageMsg:
		return m, m.onPage(msg)
	case countMsg:
		return m, m.onCount(msg)
	case schemaMsg:
		return m, m.onSchema(msg)
	case explainMsg:
		return m, m.onExplain(msg)
	case historyMsg:
		return m, m.onHistory(msg)
	case fileMsg:
		return m, m.onFile(msg)
	case exportMsg:
		return m, m.onExport(msg)
	}
	if cmd, ok := m.onAction(msg); ok {
		return m, cmd
	}
	if cmd, ok := m.onTransfer(msg); ok {
		return m, cmd
	}
	if cmd, ok := m.onComplete(msg); ok {
		return m, cmd
	}
	if cmd, ok := m.onResultsAction(msg); ok {
		return m, cmd
	}
	return m, m.broadcast(msg)
}

// broadcast sends a message no one in particular owns (cursor blinks, a
// pane's own async messages) to every pane.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, paneCount+1)
	for _, s := range m.slots {
		cmds = append(cmds, s.update(msg))
	}
	if m.overlay == overlayDialog {
		cmds = append(cmds, m.updateDialog(msg))
	}
	return tea.Batch(cmds...)
}

// onAction handles the actions panes emit; ok is false for other messages.
func (m *Model) onAction(msg tea.Msg) (tea.Cmd, bool) {
	switch a := msg.(type) {
	case action.Status:
		m.setStatus(a.Text, a.Error)
	case action.Focus:
		if p, ok := paneByName(a.Pane); ok {
			resized := m.setFocus(p)
			if p == paneResults && a.Tab != "" {
				m.results.selectTab(a.Tab, true)
			}
			return tea.Batch(m.ensurePolling(), resized), true
		}
	case action.RunQuery:
		return m.runQuery(a), true
	case action.RunScript:
		return m.runScript(a), true
	case action.FetchPage:
		return m.fetchPage(a), true
	case action.CountRows:
		return m.countRows(a), true
	case action.Explain:
		return m.explain(a), true
	case action.PreviewTable:
		return m.previewTable(a), true
	case action.InsertSQL:
		return m.insertSQL(a), true
	case action.RefreshSchema:
		return m.loadSchema(), true
	case action.ExportResult:
		return m.checkTarget(a, a.Path), true
	case action.OpenFile:
		return m.openFile(a), true
	case action.SaveFile:
		return m.saveFile(a), true
	case action.SelectDatabase:
		// enter on a database: what comes next is SQL for it, so the
		// editor takes the keys that follow
		return tea.Batch(m.selectDatabase(a.Name), m.focusPane(paneEditor)), true
	case action.ActivityShown:
		return m.onActivityShown(a), true
	case action.RefreshDatabases:
		return m.loadDatabases(), true
	case action.SpawnDatabase:
		m.dbs.model().RememberBackend(a.Backend)
		return m.spawnDatabase(a), true
	case action.ForkDatabase:
		return m.forkDatabase(a), true
	case action.PruneDatabase:
		m.setStatus("pruning "+sanitize.Line(a.Name)+"…", false)
		return m.lifecycle("prune", a.Name), true
	case action.DeleteDatabase:
		m.setStatus("deleting "+sanitize.Line(a.Name)+"…", false)
		return m.lifecycle("delete", a.Name), true
	case action.Copy:
		m.setStatus("copied "+a.What, false)
		return tea.SetClipboard(a.Text), true
	case action.Confirm:
		m.dialog = dialog.NewConfirm(m.c.Theme, m.c.Keys.Dialog, m.c.Keys.Global.Back, a)
		m.overlay = overlayDialog
	case action.Prompt:
		var cmd tea.Cmd
		m.dialog, cmd = dialog.NewPrompt(m.c.Theme, m.c.Keys.Dialog, m.c.Keys.Global.Back, a)
		m.overlay = overlayDialog
		return cmd, true
	case action.ConfirmName:
		var cmd tea.Cmd
		m.dialog, cmd = dialog.NewConfirmName(m.c.Theme, m.c.Keys.Dialog, m.c.Keys.Global.Back, a)
		m.overlay = overlayDialog
		return cmd, true
	default:
		return nil, false
	}
	return nil, true
}

func (m *Model) updateDialog(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.dialog, cmd = m.dialog.Update(msg)
	if m.dialog.Closed() {
		m.overlay = overlayNone
		m.draft.asked = false // a later dialog is not the quit question
	}
	return cmd
}

// selectDatabase makes name current for every pane.
func (m *Model) selectDatabase(name string) tea.Cmd {
	if name == m.current {
		return m.ensurePolling()
	}
	m.current = name
	m.poll.noAudit = ""
	m.dbs.model().SetCurrent(name)
	m.health.model().SetDatabase(name)
	m.followBackend()
	m.clearData()
	m.setStatus("using "+sanitize.Line(name), false)
	return tea.Batch(m.restartPolling(), m.loadSchema(), m.loadHistory(), m.switchDrafts(name))
}

// followBackend points the editor at the SQL dialect of the current
// database's backend, as last listed (SQLite until the list says), and
// tells the schema pane whether its row counts are estimates.
func (m *Model) followBackend() {
	m.editor.model().SetDialect(m.dialect())
	m.tree.model().SetEstimatedCounts(m.dialect() == sqltext.Postgres)
}

// dialect is the SQL dialect of the current database's backend.
func (m *Model) dialect() sqltext.Dialect {
	return sqltext.DialectOf(m.dbs.model().Backend(m.current))
}

// clearData empties what belonged to the previous database: its schema,
// result, chart and plan; pending answers for it are dropped.
func (m *Model) clearData() {
	for _, k := range []reqKind{reqQuery, reqCount, reqSchema, reqExplain, reqHistory} {
		m.forget(k)
	}
	if m.query.cancel != nil {
		m.query.cancel()
	}
	m.query = queryState{}
	for p, s := range m.slots {
		s.reset(paneID(p) == m.focus)
	}
	m.editor.model().SetSchema(nil)
	m.setHistory(nil)
}

// showResults brings a tab of the results area forward. With focus it also
// takes the keyboard (a table preview from the schema, to scroll it at
// once); runs from the editor leave the keyboard in the editor so the next
// keystrokes keep editing, and alt+5 goes to the answer.
func (m *Model) showResults(tab string, focus bool) {
	m.results.selectTab(tab, m.focus == paneResults)
	if focus {
		m.setFocus(paneResults)
	}
}

// onList shows a database list answer; on the first one it picks the
// current database, or seeds the demo database on an empty first run.
func (m *Model) onList(msg listMsg) tea.Cmd {
	if !m.fresh(reqList, msg.id) {
		return nil
	}
	dp := m.dbs.model()
	if msg.err != nil {
		dp.SetError(msg.err)
		m.setStatus("listing databases: "+msg.err.Error(), true)
		if isWrongKey(msg.err) {
			m.conn = connBadKey
		}
		return nil
	}
	first := !m.listed
	m.listed = true
	m.now = m.opts.Now()
	dp.SetNow(m.now)
	dp.SetDatabases(msg.list)
	m.followBackend()
	if first && len(msg.list) == 0 && m.opts.SeedDemo && !m.seeding {
		m.seeding = true
		m.setStatus("first run: creating the demo database…", false)
		return m.seedDemo()
	}
	if first && m.current == "" { // later, no database stays a choice (after a prune of the current one)
		for _, d := range msg.list {
			if d.Status == "running" {
				return m.selectDatabase(d.Name)
			}
		}
	}
	return nil
}

func (m *Model) onOp(msg opMsg) tea.Cmd {
	if !m.fresh(reqOp, msg.id) {
		return nil
	}
	name := sanitize.Line(msg.name)
	if msg.err != nil {
		m.setStatus(fmt.Sprintf("%s %s: %s", msg.verb, name, sqlError(msg.err)), true)
		return m.loadDatabases()
	}
	text := msg.message
	if text == "" {
		text = msg.verb + " done"
	}
	cmds := []tea.Cmd{m.loadDatabases()}
	switch {
	case msg.verb == "spawn", msg.verb == "fork":
		m.dbs.model().Reveal(msg.name)
		cmds = append(cmds, m.selectDatabase(msg.name))
	case msg.name == m.current:
		// the current database went away: no pane may keep showing it
		cmds = append(cmds, m.selectDatabase(""))
		m.setStatus(fmt.Sprintf("%s: %s — no database selected now; pick one in Databases (%s)",
			name, text, m.c.Keys.Global.Pane[paneDatabases].Help().Key), false)
		return tea.Batch(cmds...)
	}
	m.setStatus(name+": "+text, false)
	return tea.Batch(cmds...)
}

func (m *Model) onSeed(msg seedMsg) tea.Cmd {
	if !m.fresh(reqSeed, msg.id) {
		return nil
	}
	m.seeding = false
	if msg.err != nil {
		m.setStatus("creating the demo database: "+msg.err.Error(), true)
		return m.loadDatabases()
	}
	cmd := m.selectDatabase(demo.Name)
	m.setStatus("created the demo database — enjoy exploring", false)
	return tea.Batch(m.loadDatabases(), cmd)
}
