// Package editor is the SQL editor pane: a multi-line buffer drawn with
// chroma highlighting that stays aligned with the cursor (wide characters,
// tabs and horizontal scrolling included), a line-number gutter, selection,
// completion from the schema, history walking, and keys that run the
// statement under the cursor, the selection or the whole script.
package editor

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/sqltext"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

// undoDepth bounds the undo stack.
const undoDepth = 200

// snapshot is the state undo goes back to.
type snapshot struct {
	buf buffer
	cur pos
}

// Model is the editor pane.
type Model struct {
	th   *theme.Theme
	keys keymap.Editor
	sty  *styler

	buf    buffer
	hl     *highlighted
	cur    pos
	anchor pos  // other end of the selection
	sel    bool // a selection is active (anchor is meaningful)
	goalX  int  // display column kept by vertical moves
	top    int  // first visible line
	left   int  // first visible display column

	undo     []snapshot
	redo     []snapshot // states undo left, newest last; an edit clears it
	typing   bool       // last edit was typing, so undo groups it
	dirty    bool
	path     string
	readOnly bool

	schema  *client.Schema
	dialect sqltext.Dialect // the current database's: highlighting, completion, statement bounds
	comp    completion
	history []string
	histPos int    // index in history; len(history) is the draft
	draft   string // text before the walk started

	mark   errorMark // the token the last SQL error points at, until the next edit
	kill   string    // text of the last cut, for yank (shared by the tabs)
	docs   []doc     // every tab; docs[active] is stale while it is shown (the fields above hold it)
	active int
	edits  int // changes a draft would keep

	width, height int
	focused       bool
	capturing     bool
}

// New returns an empty editor.
func New(th *theme.Theme, keys keymap.Editor) Model {
	m := Model{th: th, keys: keys, sty: newStyler(th), buf: newBuffer("")}
	m.docs = []doc{emptyDoc(0)}
	m.rehighlight()
	return m
}

// SetSize sets the inner size the pane draws in.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
	m.scrollToCursor()
}

// Focus gives the editor the keyboard; it captures text right away.
func (m *Model) Focus() { m.focused, m.capturing = true, true }

// Blur takes the keyboard away.
func (m *Model) Blur() { m.focused = false; m.comp = completion{} }

// Focused reports whether the editor has the keyboard.
func (m Model) Focused() bool { return m.focused }

// InTextInput is true while the editor captures keys as text; esc turns it
// off so the global keys work, and any other key turns it back on.
func (m Model) InTextInput() bool { return m.focused && m.capturing }

// Text returns the whole buffer.
func (m Model) Text() string { return m.buf.text() }

// SetText replaces the buffer (a file opened, a history entry) and puts the
// cursor at its end. Undo can bring the old text back.
func (m *Model) SetText(s string) {
	m.pushUndo(false)
	m.buf = newBuffer(s)
	m.cur = m.buf.posAt(len(s))
	m.afterEdit()
	m.goalX = displayCol(m.buf.lines[m.cur.row], m.cur.col)
}

// InsertText drops s into the editor (schema pane, action.InsertSQL): at the
// cursor when its line is blank, otherwise on a new line after the last one,
// so it never lands in the middle of a statement. A statement before it
// that lacks its ";" gets one, so running the new statement runs only it.
func (m *Model) InsertText(s string) {
	m.pushUndo(false)
	m.sel = false
	if line := m.buf.lines[m.cur.row]; len(trimSpace(line)) != 0 {
		last := len(m.buf.lines) - 1
		m.cur = pos{last, len(m.buf.lines[last])}
		if trimSpace(m.buf.lines[last]) != "" {
			s = "\n" + s
		}
	}
	m.terminateBefore()
	m.buf, m.cur = m.buf.replace(m.cur, m.cur, s)
	m.afterEdit()
}

// terminateBefore ends the statement before the cursor with ";" when it
// has none (comments after it stay after the ";").
func (m *Model) terminateBefore() {
	text := m.buf.text()
	prefix := text[:m.buf.offset(m.cur)]
	stmts := m.dialect.Split(prefix)
	if len(stmts) == 0 {
		return
	}
	end := stmts[len(stmts)-1].End
	if strings.HasPrefix(strings.TrimLeft(prefix[end:], " \t\n"), ";") {
		return
	}
	p := m.buf.posAt(end)
	m.buf, _ = m.buf.replace(p, p, ";")
	if p.row == m.cur.row {
		m.cur.col++
	}
}

// SetDialect follows the current database's backend: highlighting,
// completion keywords and where statements end use its SQL rules.
func (m *Model) SetDialect(d sqltext.Dialect) {
	if d == m.dialect {
		return
	}
	m.dialect = d
	m.rehighlight()
}

// Dialect is the SQL dialect the editor follows.
func (m Model) Dialect() sqltext.Dialect { return m.dialect }

// SetSchema gives completion its table and column names.
func (m *Model) SetSchema(s *client.Schema) { m.schema = s }

// SetHistory sets the queries walked by the history keys, oldest first.
func (m *Model) SetHistory(list []string) {
	m.history = list
	m.histPos = len(list)
}

// SetReadOnly makes the editor refuse statements that write.
func (m *Model) SetReadOnly(ro bool) { m.readOnly = ro }

// SetPath records the file the buffer was opened from or saved to; it also
// marks the buffer as saved.
func (m *Model) SetPath(p string) { m.path, m.dirty = p, false; m.edits++ }

// Path is the file last opened or saved, or "".
func (m Model) Path() string { return m.path }

// Dirty reports whether the buffer changed since it was opened or saved.
func (m Model) Dirty() bool { return m.dirty }

// Cursor returns the cursor's line and column, both 0-based, the column in
// bytes.
func (m Model) Cursor() (line, col int) { return m.cur.row, m.cur.col }

// Title is "Editor · line:col", plus the file name and a modified mark.
func (m Model) Title() string {
	t := "Editor"
	if len(m.docs) > 1 {
		t += fmt.Sprintf(" · tab %d/%d", m.active+1, len(m.docs))
	}
	t += fmt.Sprintf(" · %d:%d", m.cur.row+1, displayCol(m.buf.lines[m.cur.row], m.cur.col)+1)
	if m.path != "" {
		t += " · " + sanitize.Line(filepath.Base(m.path))
		if m.dirty {
			t += "*"
		}
	}
	if m.readOnly {
		t += " · read-only"
	}
	return t
}

func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// RefreshStyles rebuilds the highlighting, cursor and selection colours from
// the theme after it changed (they are cached as escape sequences).
func (m *Model) RefreshStyles() { m.sty.refresh() }
