package chart

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// eighths are the partial blocks that give bars 1/8-cell resolution.
var eighths = []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// barChart draws one bar per row: label, bar, value. Negative values grow
// left from a zero axis, positive ones right.
func (m Model) barChart(w, h int) []string {
	if len(m.rows) == 0 {
		return []string{m.th.Muted.Render("no rows to chart")}
	}
	if len(m.picked) == 0 {
		return nil
	}
	c := m.picked[0]
	vals, _ := m.series(c)
	showCaption := h >= 3
	n := len(m.rows)
	shown := min(n, h)
	if showCaption {
		shown = min(n, h-1)
	}
	labelW, valueW := 0, 0
	negMax, posMax := 0.0, 0.0
	for i := 0; i < shown; i++ {
		labelW = max(labelW, ansi.StringWidth(m.label(i)))
		valueW = max(valueW, len(m.valueText(i, c)))
		if v := vals[i]; !math.IsNaN(v) {
			negMax, posMax = math.Max(negMax, -v), math.Max(posMax, v)
		}
	}
	labelW = min(labelW, max(w/3, 4), 24)
	barW := w - labelW - valueW - 2
	if barW < 2 {
		return []string{m.th.Muted.Render("too narrow for a bar chart")}
	}
	// Fractions of the largest magnitude, so huge values never overflow.
	top := math.Max(negMax, posMax)
	negW := 0
	if top > 0 && negMax > 0 {
		nf, pf := negMax/top, posMax/top
		negW = int(math.Round(float64(barW) * nf / (nf + pf)))
		negW = min(max(negW, 1), barW-1) // both sides stay visible
	}
	posW := barW - negW
	style := m.th.Series(0)
	var lines []string
	for i := 0; i < shown; i++ {
		v := vals[i]
		label := ansi.Truncate(m.label(i), labelW, "…")
		label += strings.Repeat(" ", labelW-ansi.StringWidth(label))
		left, right := strings.Repeat(" ", negW), ""
		if !math.IsNaN(v) && top > 0 {
			if v < 0 {
				cells := int(math.Round(v / -negMax * float64(negW)))
				cells = min(max(cells, 1), negW)
				left = strings.Repeat(" ", negW-cells) + style.Render(strings.Repeat("█", cells))
			} else if posMax > 0 {
				right = style.Render(bar(v/posMax*float64(posW), posW))
			}
		}
		rightW := ansi.StringWidth(right)
		line := m.th.Text.Render(label) + " " + left + right + strings.Repeat(" ", max(posW-rightW, 0)) +
			" " + m.th.ChartAxis().Render(fmt.Sprintf("%*s", valueW, m.valueText(i, c)))
		lines = append(lines, line)
	}
	if showCaption {
		cap := fmt.Sprintf("%s by %s · %s", m.name(c), m.xName(), plural(n, "row"))
		if n > shown {
			cap += fmt.Sprintf(" · %d more below", n-shown)
		}
		if len(m.picked) > 1 {
			cap += " · bars show the first picked column"
		}
		lines = append(lines, m.th.Muted.Render(cap))
	}
	return lines
}

// bar is a run of full blocks plus one partial block for length cells
// (at most limit).
func bar(length float64, limit int) string {
	length = math.Min(math.Max(length, 0), float64(limit))
	full := int(length)
	frac := int((length - float64(full)) * 8)
	s := strings.Repeat("█", full)
	if full < limit {
		s += eighths[frac]
	}
	return s
}

// valueText is the value printed after row i's bar.
func (m Model) valueText(i, c int) string {
	if c >= len(m.rows[i]) || m.rows[i][c] == nil {
		return "NULL"
	}
	return formatNum(value(m.rows[i][c]))
}

func (m Model) xName() string {
	if m.xcol < 0 {
		return "row"
	}
	return m.name(m.xcol)
}
