package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// historyMsg carries a database's query history, oldest first.
type historyMsg struct {
	id   int // 0 for the answer of an append
	db   string
	list []string
	err  error
}

// sessionHistoryMax bounds the in-memory history kept without a directory.
const sessionHistoryMax = 500

// loadHistory reads the current database's history for the editor.
func (m *Model) loadHistory() tea.Cmd {
	db := m.current
	if db == "" {
		return nil
	}
	if m.opts.HistoryDir == "" {
		m.editor.model().SetHistory(slices.Clone(m.memHist[db]))
		return nil
	}
	id, _ := m.request(reqHistory, m.opts.Timeout)
	store := m.history
	return func() tea.Msg {
		list, err := store.Load(db)
		return historyMsg{id: id, db: db, list: list, err: err}
	}
}

// appendHistory files a statement run from the editor under db.
func (m *Model) appendHistory(db, sql string) tea.Cmd {
	sql = strings.TrimSpace(sql)
	if db == "" || sql == "" {
		return nil
	}
	if m.opts.HistoryDir == "" {
		list := m.memHist[db]
		if len(list) == 0 || list[len(list)-1] != sql {
			list = append(list, sql)
		}
		if len(list) > sessionHistoryMax {
			list = list[len(list)-sessionHistoryMax:]
		}
		m.memHist[db] = list
		if db == m.current {
			m.editor.model().SetHistory(slices.Clone(list))
		}
		return nil
	}
	store := m.history
	return func() tea.Msg {
		list, err := store.Append(db, sql)
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
		m.editor.model().SetHistory(msg.list)
	}
	return nil
}
