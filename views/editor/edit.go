package editor

import "github.com/dbforge/dbforge/internal/sqltext"

// pushUndo saves the state before an edit. Consecutive typing is one undo
// step, like in most editors.
func (m *Model) pushUndo(typing bool) {
	if typing && m.typing {
		return
	}
	m.typing = typing
	m.redo = nil
	m.undo = append(m.undo, snapshot{buf: m.buf, cur: m.cur})
	if len(m.undo) > undoDepth {
		m.undo = append([]snapshot(nil), m.undo[len(m.undo)-undoDepth:]...)
	}
}

func (m *Model) popUndo() { m.restore(&m.undo, &m.redo) }

// popRedo goes forward again to the state the last undo left.
func (m *Model) popRedo() { m.restore(&m.redo, &m.undo) }

// restore goes back to the last state saved on from, saving the current
// one on to, so that the opposite step returns to it.
func (m *Model) restore(from, to *[]snapshot) {
	if len(*from) == 0 {
		return
	}
	n := len(*from) - 1
	s := (*from)[n]
	*from = (*from)[:n:n]
	*to = append(*to, snapshot{buf: m.buf, cur: m.cur})
	m.buf, m.cur, m.sel, m.typing = s.buf, s.cur, false, false
	m.afterEdit()
}

// afterEdit refreshes what depends on the text.
func (m *Model) afterEdit() {
	m.mark = errorMark{}
	m.dirty = true
	m.edits++
	m.histPos = len(m.history)
	m.rehighlight()
	m.goalX = displayCol(m.buf.lines[m.cur.row], m.cur.col)
	m.scrollToCursor()
}

func (m *Model) rehighlight() { m.hl = m.sty.highlight(m.buf.lines, m.hl, m.dialect) }

// insert replaces the selection (if any) with s at the cursor.
func (m *Model) insert(s string, typing bool) {
	m.pushUndo(typing)
	from := m.cur
	if m.sel {
		from = m.anchor
		m.sel = false
	}
	m.buf, m.cur = m.buf.replace(from, m.cur, s)
	m.afterEdit()
}

// deleteTo removes the text between the cursor and p, or the selection when
// there is one.
func (m *Model) deleteTo(p pos) {
	if m.sel {
		p = m.anchor
		m.sel = false
	}
	if p == m.cur {
		return
	}
	m.pushUndo(false)
	start, _ := order(p, m.cur)
	m.buf, _ = m.buf.replace(p, m.cur, "")
	m.cur = start
	m.afterEdit()
}

// cut deletes like deleteTo and keeps the text for yank (readline's kill).
func (m *Model) cut(p pos) {
	from := p
	if m.sel {
		from = m.anchor
	}
	if text := m.buf.slice(from, m.cur); text != "" {
		m.kill = text
	}
	m.deleteTo(p)
}

// selection returns the selected range in order, and whether it is
// non-empty.
func (m Model) selection() (pos, pos, bool) {
	if !m.sel || m.anchor == m.cur {
		return m.cur, m.cur, false
	}
	a, b := order(m.anchor, m.cur)
	return a, b, true
}

// move puts the cursor at p, extending the selection when selecting and
// dropping it otherwise. Horizontal moves reset the goal column.
func (m *Model) move(p pos, selecting, vertical bool) {
	if selecting && !m.sel {
		m.sel, m.anchor = true, m.cur
	}
	if !selecting {
		m.sel = false
	}
	m.cur = m.buf.clamp(p)
	if !vertical {
		m.goalX = displayCol(m.buf.lines[m.cur.row], m.cur.col)
	}
	m.typing = false
	m.scrollToCursor()
}

func (m Model) left1() pos {
	if m.cur.col > 0 {
		return pos{m.cur.row, prevBoundary(m.buf.lines[m.cur.row], m.cur.col)}
	}
	if m.cur.row > 0 {
		return pos{m.cur.row - 1, len(m.buf.lines[m.cur.row-1])}
	}
	return m.cur
}

func (m Model) right1() pos {
	if line := m.buf.lines[m.cur.row]; m.cur.col < len(line) {
		return pos{m.cur.row, nextBoundary(line, m.cur.col)}
	}
	if m.cur.row < len(m.buf.lines)-1 {
		return pos{m.cur.row + 1, 0}
	}
	return m.cur
}

// vert moves n lines keeping the goal column.
func (m Model) vert(n int) pos {
	row := min(max(m.cur.row+n, 0), len(m.buf.lines)-1)
	if row == m.cur.row && n < 0 {
		return pos{row, 0}
	}
	if row == m.cur.row && n > 0 {
		return pos{row, len(m.buf.lines[row])}
	}
	return pos{row, colAt(m.buf.lines[row], m.goalX)}
}

// wordLeft/wordRight jump over a run of spaces then a run of word or other
// characters, within the line or to the neighbouring one.
func (m Model) wordLeft() pos {
	line := m.buf.lines[m.cur.row]
	if m.cur.col == 0 {
		return m.left1()
	}
	i := m.cur.col
	for i > 0 && (line[i-1] == ' ' || line[i-1] == '\t') {
		i--
	}
	if i > 0 && sqltext.IsNameByte(line[i-1]) {
		for i > 0 && sqltext.IsNameByte(line[i-1]) {
			i--
		}
	} else if i > 0 {
		i = prevBoundary(line, i)
	}
	return pos{m.cur.row, i}
}

func (m Model) wordRight() pos {
	line := m.buf.lines[m.cur.row]
	if m.cur.col >= len(line) {
		return m.right1()
	}
	i := m.cur.col
	if sqltext.IsNameByte(line[i]) {
		for i < len(line) && sqltext.IsNameByte(line[i]) {
			i++
		}
	} else {
		i = nextBoundary(line, i)
	}
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return pos{m.cur.row, i}
}

// textWidth is the number of columns left for text after the gutter.
func (m Model) textWidth() int { return max(m.width-m.gutterWidth(), 0) }

// gutterWidth is the line-number gutter plus one space, or nothing when the
// pane is too narrow to afford it.
func (m Model) gutterWidth() int {
	n := len(m.buf.lines)
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	g := max(d, 2) + 1
	if m.width < g+8 {
		return 0
	}
	return g
}

// scrollToCursor keeps the cursor cell inside the visible window.
func (m *Model) scrollToCursor() {
	if m.cur.row < m.top {
		m.top = m.cur.row
	}
	if m.height > 0 && m.cur.row >= m.top+m.height {
		m.top = m.cur.row - m.height + 1
	}
	m.top = min(m.top, max(len(m.buf.lines)-1, 0))
	tw := m.textWidth()
	if tw <= 0 {
		return
	}
	line := m.buf.lines[m.cur.row]
	x := displayCol(line, m.cur.col)
	w := 1
	if m.cur.col < len(line) {
		w = nextCell(line, m.cur.col, x).width
	}
	switch {
	case x+w <= tw:
		m.left = 0 // the cursor fits in the first screen: never keep a stale offset
	case x < m.left:
		m.left = x
	case x+w > m.left+tw:
		m.left = x + w - tw
	}
	m.left = max(m.left, 0)
}
