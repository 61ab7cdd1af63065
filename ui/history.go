package ui

import (
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/history"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/histview"
)

// historyMsg carries a database's query history, oldest first.
type historyMsg struct {
	id   int // 0 for the answer of an append
	db   string
	list []history.Entry
	err  error
}

// loadHistory reads the current database's history for the editor.
func (m *Model) loadHistory() tea.Cmd {
	db := m.current
	if db == "" {
		return nil
	}
	if m.opts.HistoryDir == "" {
		m.setHistory(slices.Clone(m.memHist[db]))
		return nil
	}
	id, _ := m.request(reqHistory, m.opts.Timeout)
	store := m.history
	return func() tea.Msg {
		list, err := store.Entries(db)
		return historyMsg{id: id, db: db, list: list, err: err}
	}
}

// setHistory gives the current database's history to the editor (for
// ctrl+↑/↓) and to the history view.
func (m *Model) setHistory(list []history.Entry) {
	m.hist = list
	texts := make([]string, len(list))
	for i, e := range list {
		texts[i] = e.SQL
	}
	m.editor.model().SetHistory(texts)
}

// recordHistory files a statement run from the editor under db, with when
// it ran and how long it took.
func (m *Model) recordHistory(db, sql string, took time.Duration) tea.Cmd {
	e := history.Entry{SQL: strings.TrimSpace(sql), At: m.opts.Now(), MS: float64(took.Microseconds()) / 1000}
	if db == "" || e.SQL == "" {
		return nil
	}
	if m.opts.HistoryDir == "" {
		list := history.Add(m.memHist[db], e, history.DefaultMax)
		m.memHist[db] = list
		if db == m.current {
			m.setHistory(slices.Clone(list))
		}
		return nil
	}
	store := m.history
	return func() tea.Msg {
		list, err := store.Record(db, e)
		return historyMsg{db: db, list: list, err: err}
	}
}

func (m *Model) onHistory(msg historyMsg) tea.Cmd {
	if msg.id != 0 && !m.fresh(reqHistory, msg.id) {
		return nil
	}
	if msg.err != nil {
		m.setStatus(msg.err.Error(), true)
		return nil
	}
	if msg.db == m.current {
		m.setHistory(msg.list)
	}
	return nil
}

// openHistory shows the searchable history of the current database.
func (m *Model) openHistory() {
	if m.current == "" {
		m.setStatus(m.noDatabaseHint(), true)
		return
	}
	m.histView = histview.New(m.c.Theme, m.c.Keys.History, m.c.Keys.Global.Back, m.current, m.hist, m.opts.Now())
	m.overlay = overlayHistory
}

// onHistoryChosen puts the chosen statement in the editor (undo brings the
// text it replaced back).
func (m *Model) onHistoryChosen(c histview.Chosen) tea.Cmd {
	m.overlay = overlayNone
	m.editor.model().SetText(c.SQL)
	m.setStatus("from the history: "+sanitize.Line(firstLine(c.SQL)), false)
	return m.focusPane(paneEditor)
}
