package editor

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/views/action"
)

// doc is one tab's buffer with everything that belongs to it. The active
// tab lives in the Model's own fields; the others wait here.
type doc struct {
	buf         buffer
	cur, anchor pos
	sel         bool
	goalX       int
	top, left   int
	undo, redo  []snapshot
	typing      bool
	dirty       bool
	path        string
	histPos     int
	draft       string
}

// stash takes the active tab out of the Model's fields.
func (m *Model) stash() doc {
	return doc{buf: m.buf, cur: m.cur, anchor: m.anchor, sel: m.sel, goalX: m.goalX, top: m.top, left: m.left,
		undo: m.undo, redo: m.redo, typing: m.typing, dirty: m.dirty, path: m.path, histPos: m.histPos, draft: m.draft}
}

// load makes d the active tab.
func (m *Model) load(d doc) {
	m.buf, m.cur, m.anchor, m.sel, m.goalX, m.top, m.left = d.buf, d.cur, d.anchor, d.sel, d.goalX, d.top, d.left
	m.undo, m.redo, m.typing, m.dirty, m.path, m.histPos, m.draft = d.undo, d.redo, d.typing, d.dirty, d.path, d.histPos, d.draft
	m.comp = completion{}
	m.hl = nil
	m.rehighlight()
	m.scrollToCursor()
}

func emptyDoc(histPos int) doc { return doc{buf: newBuffer(""), histPos: histPos} }

// Tabs is the number of open tabs; Active is the index of the shown one.
func (m Model) Tabs() int   { return len(m.docs) }
func (m Model) Active() int { return m.active }

// switchTab shows tab i.
func (m *Model) switchTab(i int) {
	if i == m.active || i < 0 || i >= len(m.docs) {
		return
	}
	m.docs[m.active] = m.stash()
	m.active = i
	m.load(m.docs[i])
	m.edits++
}

// newTab opens an empty tab after the current one and shows it.
func (m *Model) newTab() {
	m.docs[m.active] = m.stash()
	m.docs = append(m.docs[:m.active+1], append([]doc{emptyDoc(len(m.history))}, m.docs[m.active+1:]...)...)
	m.active++
	m.load(m.docs[m.active])
	m.edits++
}

// CloseTabMsg closes the shown tab once the user agreed to lose its text.
type CloseTabMsg struct{ Tab int }

// closeTab closes the shown tab, after asking when it holds text that
// exists nowhere else (a modified file, or unsaved text).
func (m *Model) closeTab() tea.Cmd {
	if m.dirty && (m.path != "" || m.buf.text() != "") {
		what := "its text is not saved in a file"
		if m.path != "" {
			what = m.path + " has unsaved changes"
		}
		return action.Emit(action.Confirm{
			Prompt: "Close this tab?",
			Detail: fmt.Sprintf("Tab %d: %s.", m.active+1, what),
			OnYes:  CloseTabMsg{Tab: m.active},
		})
	}
	m.dropTab(m.active)
	return nil
}

// dropTab removes tab i; the last tab is emptied instead of removed.
func (m *Model) dropTab(i int) {
	if i != m.active || i >= len(m.docs) {
		return
	}
	if len(m.docs) == 1 {
		m.load(emptyDoc(len(m.history)))
		m.docs[0] = m.stash()
		m.edits++
		return
	}
	m.docs = append(m.docs[:i], m.docs[i+1:]...)
	m.active = min(i, len(m.docs)-1)
	m.load(m.docs[m.active])
	m.edits++
}

// Session is what a restart brings back: every tab's text, file and
// cursor, and which tab was shown.
type Session struct {
	Active int          `json:"active"`
	Tabs   []SessionTab `json:"tabs"`
}

// SessionTab is one tab of a Session. Line and Col are 0-based, Col in
// bytes of the line.
type SessionTab struct {
	Text     string `json:"text"`
	Path     string `json:"path,omitempty"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Modified bool   `json:"modified,omitempty"`
}

// Empty reports whether s holds no text and no file.
func (s Session) Empty() bool {
	for _, t := range s.Tabs {
		if t.Text != "" || t.Path != "" {
			return false
		}
	}
	return true
}

// Session returns every tab as a restart should bring it back.
func (m Model) Session() Session {
	docs := append([]doc(nil), m.docs...)
	docs[m.active] = m.stash()
	s := Session{Active: m.active, Tabs: make([]SessionTab, len(docs))}
	for i, d := range docs {
		s.Tabs[i] = SessionTab{Text: d.buf.text(), Path: d.path, Line: d.cur.row, Col: d.cur.col, Modified: d.dirty && d.path != ""}
	}
	return s
}

// Restore brings a session back. When the editor already holds text (typed
// before the session arrived) the session's tabs are added after it, so
// nothing is lost.
func (m *Model) Restore(s Session) {
	var docs []doc
	for _, t := range s.Tabs {
		d := emptyDoc(len(m.history))
		d.buf = newBuffer(t.Text)
		d.cur = d.buf.clamp(pos{t.Line, t.Col})
		d.cur.col = snapToBoundary(d.buf.lines[d.cur.row], d.cur.col)
		d.goalX = displayCol(d.buf.lines[d.cur.row], d.cur.col)
		d.path, d.dirty = t.Path, t.Modified
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return
	}
	active := min(max(s.Active, 0), len(docs)-1)
	if !m.Pristine() {
		m.docs[m.active] = m.stash()
		active += len(m.docs)
		docs = append(m.docs, docs...)
	}
	m.docs, m.active = docs, active
	m.load(m.docs[m.active])
	m.edits++
}

// Reset empties the editor to one blank tab (another database's session
// is about to be restored).
func (m *Model) Reset() {
	m.docs, m.active = []doc{emptyDoc(len(m.history))}, 0
	m.load(m.docs[0])
	m.edits++
}

// Pristine reports whether the editor is one empty tab without a file.
func (m Model) Pristine() bool {
	return len(m.docs) == 1 && m.path == "" && len(m.buf.lines) == 1 && m.buf.lines[0] == ""
}

// Edits counts changes to what a Session holds (text, tabs, cursor moves
// are left out), so the root knows when a draft needs writing.
func (m Model) Edits() int { return m.edits }

// DirtyFiles lists the tabs whose file has changes not saved to it.
func (m Model) DirtyFiles() []string {
	var out []string
	for i, d := range m.docs {
		if i == m.active {
			d = m.stash()
		}
		if d.dirty && d.path != "" {
			out = append(out, d.path)
		}
	}
	return out
}

// snapToBoundary moves col back to the start of the cell it falls in.
func snapToBoundary(line string, col int) int {
	for i := 0; i < len(line); {
		next := i + nextCell(line, i, 0).size
		if col < next {
			return i
		}
		i = next
	}
	return len(line)
}
