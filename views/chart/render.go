package chart

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/views/textfit"
)

// listMinWidth is the pane width from which the column list is shown.
const listMinWidth = 50

// Title is the border title: the kind and what is plotted.
func (m Model) Title() string {
	if len(m.cols) == 0 {
		return "Chart"
	}
	if len(m.picked) == 0 {
		return "Chart · nothing picked"
	}
	names := make([]string, 0, len(m.picked))
	for _, c := range m.picked {
		names = append(names, m.name(c))
	}
	if m.kind == Bar {
		return "Chart · bar · " + names[0] + " by " + m.xName()
	}
	return "Chart · line · " + strings.Join(names, ", ")
}

// View draws exactly height lines of width cells: the column list on the
// left (when wide enough) and the chart.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return strings.Repeat("\n", max(m.height-1, 0))
	}
	listW := m.listWidth()
	chartW := m.width
	if listW > 0 {
		chartW -= listW + 1
	}
	body := m.body(chartW, m.height)
	list := m.list(listW)
	sep := m.th.Subtle.Render("│")
	out := make([]string, m.height)
	for i := range out {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		line = textfit.Cut(line, chartW)
		if listW > 0 {
			l := ""
			if i < len(list) {
				l = list[i]
			}
			line = textfit.Cut(l, listW) + sep + line
		}
		out[i] = line
	}
	return strings.Join(out, "\n")
}

// body is the chart, or why there is none; a refusal notice takes the
// last line.
func (m Model) body(w, h int) []string {
	var lines []string
	switch {
	case len(m.cols) == 0:
		lines = []string{m.th.Muted.Render("No result to chart: run a query, then come back here.")}
	case len(m.rows) == 0:
		lines = []string{m.th.Muted.Render("The result has no rows to chart.")}
	case !hasNumeric(m.numeric):
		lines = m.wrap("This result has no numeric column, so there is nothing to plot. A chart needs a column of numbers, e.g. SELECT day, count(*) FROM t GROUP BY day.", w)
	case len(m.picked) == 0:
		lines = m.wrap("Pick a numeric column with space (or c) to plot it; x picks the label column.", w)
	case m.kind == Bar:
		lines = m.barChart(w, h-boolInt(m.notice != ""))
	default:
		lines = m.lineChart(w, h-boolInt(m.notice != ""))
	}
	if m.notice != "" {
		lines = append(lines[:min(len(lines), max(h-1, 0))], m.th.Warn.Render(m.notice))
	}
	return lines
}

func (m Model) wrap(s string, w int) []string {
	var out []string
	for _, l := range strings.Split(ansi.Wrap(s, max(w, 1), " "), "\n") {
		out = append(out, m.th.Muted.Render(l))
	}
	return out
}

// listWidth is the width of the column list, 0 when the pane is too
// narrow for it.
func (m Model) listWidth() int {
	if m.width < listMinWidth || len(m.cols) == 0 {
		return 0
	}
	w := 8
	for c := range m.cols {
		w = max(w, ansi.StringWidth(m.name(c))+3)
	}
	return min(w, 22, m.width/3)
}

// list shows every column with its role: ■ plotted (in its series colour),
// x the label column, □ numeric but not plotted, blank for text.
func (m Model) list(w int) []string {
	if w <= 0 {
		return nil
	}
	lines := []string{m.th.Label().Render("columns")}
	rows := m.height - 1
	start := 0
	if m.cursor >= rows {
		start = m.cursor - rows + 1
	}
	for c := start; c < len(m.cols) && len(lines) < m.height; c++ {
		marker, style := "  ", m.th.Muted
		if m.numeric[c] {
			marker, style = "□ ", m.th.Text
		}
		if i := indexOf(m.picked, c); i >= 0 {
			marker = m.th.Series(i).Render("■") + " "
		}
		if c == m.xcol {
			marker = m.th.Accent.Render("x") + " "
		}
		name := ansi.Truncate(m.name(c), w-2, "…")
		if c == m.cursor && m.focused {
			name = m.th.Selected.Render(name)
		} else if c == m.cursor {
			name = style.Underline(true).Render(name)
		} else {
			name = style.Render(name)
		}
		lines = append(lines, marker+name)
	}
	return lines
}

func hasNumeric(numeric []bool) bool {
	for _, n := range numeric {
		if n {
			return true
		}
	}
	return false
}

func indexOf(s []int, v int) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
