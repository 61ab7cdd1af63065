package editor

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/sqltext"
	"github.com/dbforge/dbforge/views/action"
)

// indent is what tab inserts when there is nothing to complete.
const indent = "  "

// Update handles keys (only delivered while focused) and pastes.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		if m.focused {
			m.capturing = true
			m.comp = completion{}
			m.insert(msg.Content, false)
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case CloseTabMsg:
		if msg.Tab == m.active {
			m.dropTab(msg.Tab)
		}
	}
	return m, nil
}

func (m Model) onKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	if !m.capturing {
		if k.Code == tea.KeyEscape {
			return m, nil
		}
		m.capturing = true // any other key resumes editing
	}
	if m.comp.open() {
		if done, cmd := m.popupKey(k); done {
			return m, cmd
		}
	}
	if cmd, ok := m.commandKey(k); ok {
		return m, cmd
	}
	if m.editKey(k) || m.moveKey(k) {
		return m, nil
	}
	if text, ok := typed(k); ok {
		reopen := m.comp.open()
		m.comp = completion{}
		m.insert(text, true)
		if reopen && isIdentText(text) {
			m.complete()
		}
	}
	return m, nil
}

// typed returns the text a key types, if it types any.
func typed(k tea.KeyPressMsg) (string, bool) {
	if k.Text == "" || k.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModSuper|tea.ModMeta) != 0 {
		return "", false
	}
	return k.Text, true
}

func isIdentText(s string) bool {
	for i := range len(s) {
		if !sqltext.IsNameByte(s[i]) && s[i] < 0x80 {
			return false
		}
	}
	return s != ""
}

// popupKey handles the keys of the open completion list; done is false
// when the key should also do its usual job (typing, moving away).
func (m *Model) popupKey(k tea.KeyPressMsg) (bool, tea.Cmd) {
	switch {
	case k.Code == tea.KeyEscape:
		m.comp = completion{}
	case k.Code == tea.KeyTab, key.Matches(k, m.keys.Newline), key.Matches(k, m.keys.Complete):
		m.accept()
	case key.Matches(k, m.keys.Up):
		m.moveSel(-1)
	case key.Matches(k, m.keys.Down):
		m.moveSel(1)
	case key.Matches(k, m.keys.Backspace):
		m.comp = completion{}
		m.deleteTo(m.left1())
		if m.cur.col > 0 {
			m.complete()
		}
	default:
		if _, ok := typed(k); !ok {
			m.comp = completion{}
		}
		return false, nil
	}
	return true, nil
}

// commandKey handles keys that do more than edit: run, explain, history,
// completion, files, undo and the two global keys the editor borrows.
func (m *Model) commandKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case k.Code == tea.KeyEscape:
		if m.sel {
			m.sel = false
		} else {
			m.capturing = false
		}
	case k.Code == tea.KeyTab && k.Mod == 0, key.Matches(k, m.keys.Complete):
		if !m.complete() && k.Code == tea.KeyTab && m.atIndent() {
			m.insert(indent, true)
		}
	case key.Matches(k, m.keys.Run):
		return m.run(m.target()), true
	case key.Matches(k, m.keys.RunAll):
		return m.run(m.all()), true
	case key.Matches(k, m.keys.Explain):
		return m.explain(), true
	case key.Matches(k, m.keys.HistoryPrev):
		return m.walk(-1), true
	case key.Matches(k, m.keys.HistoryNext):
		return m.walk(1), true
	case key.Matches(k, m.keys.Open):
		return m.openPrompt(), true
	case key.Matches(k, m.keys.Save):
		return m.savePrompt(), true
	case key.Matches(k, m.keys.Undo):
		m.popUndo()
	case key.Matches(k, m.keys.Redo):
		m.popRedo()
	case key.Matches(k, m.keys.NewTab):
		m.newTab()
	case key.Matches(k, m.keys.CloseTab):
		return m.closeTab(), true
	case key.Matches(k, m.keys.NextTab):
		m.switchTab((m.active + 1) % len(m.docs))
	case key.Matches(k, m.keys.PrevTab):
		m.switchTab((m.active + len(m.docs) - 1) % len(m.docs))
	case key.Matches(k, m.keys.SelectAll):
		last := len(m.buf.lines) - 1
		m.move(pos{0, 0}, false, false)
		m.move(pos{last, len(m.buf.lines[last])}, true, false)
	default:
		return nil, false
	}
	return nil, true
}

// editKey handles keys that change the text.
func (m *Model) editKey(k tea.KeyPressMsg) bool {
	switch {
	case key.Matches(k, m.keys.Newline):
		m.insert("\n"+leadingSpace(m.buf.lines[m.cur.row]), false)
	case key.Matches(k, m.keys.Backspace):
		m.deleteTo(m.left1())
	case key.Matches(k, m.keys.Delete):
		m.deleteTo(m.right1())
	case key.Matches(k, m.keys.DeleteWord):
		m.cut(m.wordLeft())
	case key.Matches(k, m.keys.KillLine):
		end := pos{m.cur.row, len(m.buf.lines[m.cur.row])}
		if m.cur == end {
			end = m.right1()
		}
		m.sel = false
		m.cut(end)
	case key.Matches(k, m.keys.KillToStart):
		m.sel = false
		m.cut(pos{m.cur.row, 0})
	case key.Matches(k, m.keys.Yank):
		if m.kill != "" {
			m.insert(m.kill, false)
		}
	default:
		return false
	}
	return true
}

// moveKey handles cursor moves, with and without selection.
func (m *Model) moveKey(k tea.KeyPressMsg) bool {
	line := m.buf.lines[m.cur.row]
	last := len(m.buf.lines) - 1
	type mv struct {
		b         key.Binding
		to        func() pos
		sel, vert bool
	}
	page := max(m.height-1, 1)
	for _, x := range []mv{
		{m.keys.Up, func() pos { return m.vert(-1) }, false, true},
		{m.keys.Down, func() pos { return m.vert(1) }, false, true},
		{m.keys.Left, m.left1, false, false},
		{m.keys.Right, m.right1, false, false},
		{m.keys.WordLeft, m.wordLeft, false, false},
		{m.keys.WordRight, m.wordRight, false, false},
		{m.keys.Home, func() pos { return pos{m.cur.row, homeCol(line, m.cur.col)} }, false, false},
		{m.keys.End, func() pos { return pos{m.cur.row, len(line)} }, false, false},
		{m.keys.LineStart, func() pos { return pos{m.cur.row, 0} }, false, false},
		{m.keys.LineEnd, func() pos { return pos{m.cur.row, len(line)} }, false, false},
		{m.keys.PageUp, func() pos { return m.vert(-page) }, false, true},
		{m.keys.PageDown, func() pos { return m.vert(page) }, false, true},
		{m.keys.DocStart, func() pos { return pos{0, 0} }, false, false},
		{m.keys.DocEnd, func() pos { return pos{last, len(m.buf.lines[last])} }, false, false},
		{m.keys.SelUp, func() pos { return m.vert(-1) }, true, true},
		{m.keys.SelDown, func() pos { return m.vert(1) }, true, true},
		{m.keys.SelLeft, m.left1, true, false},
		{m.keys.SelRight, m.right1, true, false},
		{m.keys.SelHome, func() pos { return pos{m.cur.row, homeCol(line, m.cur.col)} }, true, false},
		{m.keys.SelEnd, func() pos { return pos{m.cur.row, len(line)} }, true, false},
		{m.keys.SelWordLeft, m.wordLeft, true, false},
		{m.keys.SelWordRight, m.wordRight, true, false},
	} {
		if key.Matches(k, x.b) {
			// a plain left/right with a selection collapses it to that side
			if !x.sel && m.sel && (key.Matches(k, m.keys.Left) || key.Matches(k, m.keys.Right)) {
				a, b, _ := m.selection()
				p := a
				if key.Matches(k, m.keys.Right) {
					p = b
				}
				m.move(p, false, false)
				return true
			}
			m.move(x.to(), x.sel, x.vert)
			return true
		}
	}
	return false
}

// atIndent reports whether only blanks precede the cursor on its line, where
// tab indents instead of completing.
func (m Model) atIndent() bool {
	return trimSpace(m.buf.lines[m.cur.row][:m.cur.col]) == ""
}

// homeCol goes to the first non-blank character, or to column 0 when
// already there (the usual "smart home").
func homeCol(line string, col int) int {
	ind := len(leadingSpace(line))
	if col == ind {
		return 0
	}
	return ind
}

func leadingSpace(line string) string {
	return line[:len(line)-len(strings.TrimLeft(line, " \t"))]
}

// walk moves through the history: -1 older, +1 newer; past the newest entry
// the text typed before the walk comes back.
func (m *Model) walk(d int) tea.Cmd {
	if len(m.history) == 0 {
		return action.Emit(action.Status{Text: "no history for this database yet"})
	}
	p := m.histPos + d
	if p < 0 || p > len(m.history) {
		return nil
	}
	if m.histPos == len(m.history) {
		m.draft = m.buf.text()
	}
	text := m.draft
	if p < len(m.history) {
		text = m.history[p]
	}
	m.SetText(text)
	m.histPos = p
	m.sel = false
	return nil
}

func (m Model) openPrompt() tea.Cmd {
	return action.Emit(action.Prompt{
		Title:       "Open SQL file",
		Label:       "Path",
		Placeholder: "queries.sql",
		Path:        true,
		Validate:    nonEmpty,
		OnSubmit:    func(p string) tea.Msg { return action.OpenFile{Path: strings.TrimSpace(p)} },
	})
}

// savePrompt asks where to save; an empty answer reuses the current path.
func (m Model) savePrompt() tea.Cmd {
	cur, text := m.path, m.buf.text()
	validate := nonEmpty
	if cur != "" {
		validate = nil
	}
	return action.Emit(action.Prompt{
		Title:       "Save SQL file",
		Label:       "Path",
		Placeholder: cur,
		Path:        true,
		Validate:    validate,
		OnSubmit: func(p string) tea.Msg {
			if p = strings.TrimSpace(p); p == "" {
				p = cur
			}
			return action.SaveFile{Path: p, Text: text}
		},
	})
}

func nonEmpty(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("enter a file path")
	}
	return nil
}
