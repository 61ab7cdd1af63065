package results

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dustin/go-humanize"
)

// maxCopyCells bounds a range copy: OSC 52 payloads past a few megabytes
// are dropped by most terminals.
const maxCopyCells = 200_000

// selection is a rectangle of cells: from its anchor to the cursor.
type selection struct {
	row, col int // the anchor
}

// bounds is the selected rectangle, rows [r0, r1] and columns [c0, c1].
func (m Model) bounds() (r0, r1, c0, c1 int) {
	s := m.sel
	return min(s.row, m.row), max(s.row, m.row), min(s.col, m.col), max(s.col, m.col)
}

// selected reports whether cell (r, c) is in the selection.
func (m Model) selected(r, c int) bool {
	if m.sel == nil {
		return false
	}
	r0, r1, c0, c1 := m.bounds()
	return r >= r0 && r <= r1 && c >= c0 && c <= c1
}

// updateSelect handles the selection keys; ok is false for other keys.
// v starts a selection at the cursor (or ends one); shift+arrows start one
// and grow it; while one is open the plain moves grow it too; esc ends it.
func (m *Model) updateSelect(km tea.KeyPressMsg) (handled bool) {
	k := m.keys
	grow := func(dr, dc int) {
		if m.sel == nil {
			m.sel = &selection{row: m.row, col: m.col}
		}
		m.row += dr
		m.col += dc
	}
	switch {
	case key.Matches(km, k.Select):
		if m.sel != nil {
			m.sel = nil
		} else {
			m.sel = &selection{row: m.row, col: m.col}
		}
	case key.Matches(km, k.SelectUp):
		grow(-1, 0)
	case key.Matches(km, k.SelectDown):
		grow(1, 0)
	case key.Matches(km, k.SelectLeft):
		grow(0, -1)
	case key.Matches(km, k.SelectRight):
		grow(0, 1)
	case m.sel != nil && km.Code == tea.KeyEscape:
		m.sel = nil
	default:
		return false
	}
	return true
}

// copySelection puts the selected rectangle on the clipboard as TSV, one
// line per row; every row must be loaded (the grid keeps the pages around
// the screen).
func (m Model) copySelection() tea.Cmd {
	r0, r1, c0, c1 := m.bounds()
	rows, cols := r1-r0+1, c1-c0+1
	if rows*cols > maxCopyCells {
		return action.Emit(action.Status{Text: fmt.Sprintf("selection of %s cells is too big to copy (at most %s)",
			humanize.Comma(int64(rows*cols)), humanize.Comma(maxCopyCells)), Error: true})
	}
	var b strings.Builder
	cells := make([]any, cols)
	for r := r0; r <= r1; r++ {
		row, ok := m.rowAt(r)
		if !ok {
			return action.Emit(action.Status{Text: fmt.Sprintf("row %s of the selection is not loaded: select fewer rows", humanize.Comma(int64(r+1))), Error: true})
		}
		for c := c0; c <= c1; c++ {
			cells[c-c0] = nil
			if c < len(row) {
				cells[c-c0] = row[c]
			}
		}
		if r > r0 {
			b.WriteByte('\n')
		}
		b.WriteString(rowTSV(cells))
	}
	return action.Emit(action.Copy{Text: b.String(), What: fmt.Sprintf("%d×%d cells (TSV)", rows, cols)})
}

// selectionFooter says what is selected and how to copy it.
func (m Model) selectionFooter() string {
	r0, r1, c0, c1 := m.bounds()
	rows, cols := r1-r0+1, c1-c0+1
	return fmt.Sprintf("selected %s × %d (%s cells) · y copies as TSV · v/esc ends the selection",
		humanize.Comma(int64(rows)), cols, humanize.Comma(int64(rows*cols)))
}
