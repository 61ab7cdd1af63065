package editor

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// placeholder is shown in an empty editor; it names the keys as bound.
func (m Model) placeholder() string {
	return "-- SQL here · " + m.keys.Run.Help().Key + " run · " + m.keys.RunAll.Help().Key + " run all · " +
		m.keys.Explain.Help().Key + " explain · " + m.keys.Complete.Help().Key + " complete"
}

// sgrReset ends any style started by a styler SGR sequence.
const sgrReset = "\x1b[m"

// View draws exactly height lines of width cells.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return strings.TrimSuffix(strings.Repeat("\n", max(m.height, 0)), "\n")
	}
	pop := m.popupLayout()
	out := make([]string, m.height)
	gw, tw := m.gutterWidth(), m.textWidth()
	empty := len(m.buf.lines) == 1 && m.buf.lines[0] == ""
	for y := range out {
		row := m.top + y
		var sb strings.Builder
		if gw > 0 {
			sb.WriteString(m.gutter(row, gw))
		}
		switch {
		case pop.covers(y):
			sb.WriteString(m.renderLine(row, m.left, m.left+pop.x))
			sb.WriteString(m.popupRow(pop, y))
			sb.WriteString(m.renderLine(row, m.left+pop.x+pop.w, m.left+tw))
		case empty && row == 0:
			sb.WriteString(m.placeholderLine(tw))
		default:
			sb.WriteString(m.renderLine(row, m.left, m.left+tw))
		}
		out[y] = sb.String()
	}
	return strings.Join(out, "\n")
}

func (m Model) gutter(row, gw int) string {
	if row >= len(m.buf.lines) {
		return spaces(gw)
	}
	n := strconv.Itoa(row + 1)
	s := spaces(gw-1-len(n)) + n
	return m.th.EditorGutter(row == m.cur.row && m.focused).Render(s) + " "
}

func (m Model) placeholderLine(tw int) string {
	if tw <= 0 {
		return ""
	}
	text := m.placeholder()
	cur := string(text[0])
	rest := ansi.Truncate(text[1:], tw-1, "")
	if m.focused {
		cur = m.cursorSGR() + cur + sgrReset
	}
	pad := tw - 1 - ansi.StringWidth(rest)
	return cur + m.th.Muted.Render(rest) + spaces(pad)
}

func (m Model) cursorSGR() string {
	if m.capturing {
		return m.sty.cursor
	}
	return m.sty.blink
}

// renderLine draws display columns [from, to) of a buffer line: syntax
// colours, the selection and the cursor, exactly to-from cells wide. A wide
// character cut by either edge is drawn as spaces so columns never shift.
func (m Model) renderLine(row, from, to int) string {
	if to <= from {
		return ""
	}
	if row >= len(m.buf.lines) {
		return spaces(to - from)
	}
	line := m.buf.lines[row]
	spans := m.hl.lines[row]
	selA, selB, hasSel := m.selection()
	showCursor := m.focused && row == m.cur.row
	var w lineWriter
	w.sb.Grow((to - from) * 2)
	x, si := 0, 0
	for i := 0; i < len(line) && x < to; {
		c := nextCell(line, i, x)
		for si < len(spans) && spans[si].end <= i {
			si++
		}
		if x+c.width > from {
			sgr := ""
			if si < len(spans) {
				sgr = m.sty.sgr[spans[si].style]
			}
			p := pos{row, i}
			if m.mark.on && row == m.mark.row && i >= m.mark.from && i < m.mark.to {
				sgr = m.sty.mark
			}
			if hasSel && !p.before(selA) && p.before(selB) {
				sgr = m.sty.sel
			}
			if showCursor && i == m.cur.col {
				sgr = m.cursorSGR()
			}
			switch {
			case x < from: // wide cell cut by the left edge
				w.write(sgr, spaces(x+c.width-from))
			case x+c.width > to: // cut by the right edge
				w.write(sgr, spaces(to-x))
			default:
				w.write(sgr, c.draw)
			}
		}
		i += c.size
		x += c.width
	}
	drawn := max(min(x, to)-from, 0)
	if showCursor && m.cur.col == len(line) && x >= from && x < to {
		w.write(m.cursorSGR(), " ")
		drawn++
	}
	w.write("", spaces(to-from-drawn))
	w.flush()
	return w.sb.String()
}

// lineWriter joins text runs, switching SGR only when the style changes.
type lineWriter struct {
	sb  strings.Builder
	cur string
}

func (w *lineWriter) write(sgr, s string) {
	if s == "" {
		return
	}
	if sgr != w.cur {
		if w.cur != "" {
			w.sb.WriteString(sgrReset)
		}
		w.sb.WriteString(sgr)
		w.cur = sgr
	}
	w.sb.WriteString(s)
}

func (w *lineWriter) flush() {
	if w.cur != "" {
		w.sb.WriteString(sgrReset)
		w.cur = ""
	}
}
