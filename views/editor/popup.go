package editor

import (
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/sanitize"
)

// popup is where the completion list is drawn: x in text-area columns, y in
// screen rows.
type popup struct {
	x, y, w, h int
	ok         bool
}

func (p popup) covers(y int) bool { return p.ok && y >= p.y && y < p.y+p.h }

// popupLayout places the list under the word being completed, or above it
// when there is no room below, inside the text area.
func (m Model) popupLayout() popup {
	tw := m.textWidth()
	if !m.comp.open() || !m.focused || tw < 6 || m.height < 2 {
		return popup{}
	}
	n := min(len(m.comp.items), popupRows)
	cy := m.cur.row - m.top
	y, h := cy+1, n
	if y+h > m.height {
		if cy >= n {
			y = cy - n
		} else if m.height-y >= cy {
			h = m.height - y
		} else {
			y, h = 0, cy
		}
	}
	if h <= 0 {
		return popup{}
	}
	w := 0
	for _, it := range m.comp.items {
		w = max(w, ansi.StringWidth(sanitize.Line(it.text))+len(it.kind))
	}
	w = min(w+3, tw)
	x := displayCol(m.buf.lines[m.cur.row], m.comp.start) - m.left
	x = min(max(x, 0), tw-w)
	return popup{x: x, y: y, w: w, h: h, ok: true}
}

// popupRow draws the candidate shown on screen row y: name on the left,
// kind on the right, exactly p.w cells.
func (m Model) popupRow(p popup, y int) string {
	i := m.comp.top + y - p.y
	if i < 0 || i >= len(m.comp.items) {
		return spaces(p.w)
	}
	it := m.comp.items[i]
	name := ansi.Truncate(sanitize.Line(it.text), max(p.w-2, 0), "…")
	kind := it.kind
	gap := p.w - 2 - ansi.StringWidth(name) - len(kind)
	if gap < 1 {
		kind, gap = "", p.w-2-ansi.StringWidth(name)
	}
	s := " " + name + spaces(gap) + kind + " "
	st := m.th.EditorPopup()
	if i == m.comp.sel {
		st = m.th.Selected
	}
	return st.Render(s)
}
