package chart

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"
)

// noColorGlyphs tell series apart when there is no colour.
var noColorGlyphs = []string{"", "•", "×", "+", "∘", "#"}

// scale maps values into [0, h] for asciigraph and back for the axis
// labels. Working in halves keeps (hi - lo) finite even for ±1e308, so
// huge values never turn into Inf inside the plot.
type scale struct {
	lo, half float64 // half = hi/2 - lo/2
	h        float64
}

func newScale(lo, hi float64, h int) scale {
	half := hi/2 - lo/2
	if !(half > 0) || math.IsInf(half, 0) {
		// A flat series: give it a range around its value so it sits
		// mid-plot.
		d := math.Max(math.Abs(lo)*0.1, 1)
		lo, hi = lo-d, hi+d
		half = hi/2 - lo/2
	}
	return scale{lo: lo, half: half, h: float64(h)}
}

func (s scale) to(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	return (v/2 - s.lo/2) / s.half * s.h
}

func (s scale) from(y float64) float64 { return 2 * (s.lo/2 + y/s.h*s.half) }

// lineChart draws the picked columns as an asciigraph plot with an x-axis
// line, a legend and a caption, in exactly w×h cells or fewer lines.
func (m Model) lineChart(w, h int) []string {
	if len(m.rows) == 0 {
		return []string{m.th.Muted.Render("no rows to chart")}
	}
	var data [][]float64
	var names []string
	var slots []int // series index of each plotted column, for colours
	skipped := 0
	for i, c := range m.picked {
		s, n := m.series(c)
		if n == len(s) {
			skipped += n
			continue // nothing plottable in this column
		}
		skipped += n
		data = append(data, s)
		names = append(names, m.name(c))
		slots = append(slots, i)
	}
	if len(data) == 0 {
		return []string{m.th.Warn.Render("the picked columns hold no finite numbers")}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range data {
		for _, v := range s {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}

	extra := 0 // x labels, legend, caption, as the height allows
	showX, showLegend, showCaption := h >= 4, h >= 5, h >= 7
	for _, b := range []bool{showX, showLegend, showCaption} {
		if b {
			extra++
		}
	}
	plotLines := h - extra
	if plotLines < 2 || w < 8 {
		return []string{m.th.Muted.Render("too small for a chart")}
	}
	sc := newScale(lo, hi, plotLines-1)
	yfmt := axisFormat(sc.from(0), sc.from(float64(plotLines-1)), plotLines-1)
	labelW := 0
	for y := 0; y < plotLines; y++ {
		labelW = max(labelW, len(yfmt(sc.from(float64(y)))))
	}
	plotW := w - labelW - 2
	if plotW < 2 {
		return []string{m.th.Muted.Render("too narrow for a chart")}
	}
	for i := range data {
		for j, v := range data[i] {
			data[i][j] = sc.to(v)
		}
	}
	opts := []asciigraph.Option{
		// asciigraph never draws into the last data column, so ask for one more.
		asciigraph.Height(plotLines - 1), asciigraph.Width(plotW + 1), asciigraph.Offset(2),
		asciigraph.LowerBound(0), asciigraph.UpperBound(sc.h),
		asciigraph.YAxisValueFormatter(func(y float64) string { return yfmt(sc.from(y)) }),
	}
	if !m.th.NoColor {
		cs := make([]asciigraph.AnsiColor, len(slots))
		for i, s := range slots {
			cs[i] = ansiColor(m.th.SeriesColors()[s%len(m.th.SeriesColors())])
		}
		axis := ansiColor(m.th.P.Muted)
		opts = append(opts, asciigraph.SeriesColors(cs...), asciigraph.AxisColor(axis), asciigraph.LabelColor(axis))
	} else {
		sets := make([]asciigraph.CharSet, len(slots))
		for i, s := range slots {
			if g := noColorGlyphs[s%len(noColorGlyphs)]; g != "" {
				sets[i] = asciigraph.CreateCharSet(g)
			}
		}
		opts = append(opts, asciigraph.SeriesChars(sets...))
	}
	lines := strings.Split(asciigraph.PlotMany(data, opts...), "\n")
	pad := strings.Repeat(" ", labelW+2)
	if showX {
		lines = append(lines, m.th.ChartAxis().Render(pad+m.xLabels(plotW)))
	}
	if showLegend {
		lines = append(lines, pad+m.legend(names, slots))
	}
	if showCaption {
		lines = append(lines, m.th.Muted.Render(m.caption(skipped)))
	}
	return lines
}

// axisFormat returns one number format for every label of an axis from lo
// to hi in steps rows: as many decimals as the step needs, or 4 significant
// digits in exponent form for very large or very small magnitudes.
func axisFormat(lo, hi float64, steps int) func(float64) string {
	mag := math.Max(math.Abs(lo), math.Abs(hi))
	if mag >= 1e12 || (mag > 0 && mag < 1e-4) {
		return func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
	}
	decimals := 0
	if step := (hi/2 - lo/2) * 2 / float64(max(steps, 1)); step > 0 && step < 1 {
		decimals = min(int(math.Ceil(-math.Log10(step))), 6)
	}
	return func(v float64) string { return strconv.FormatFloat(v, 'f', decimals, 64) }
}

// xLabels spreads the first, middle and last x labels over the plot width.
func (m Model) xLabels(w int) string {
	n := len(m.rows)
	first, last := m.label(0), m.label(n-1)
	line := strings.Repeat(" ", w)
	put := func(s string, at int) {
		sw := ansi.StringWidth(s)
		at = min(max(at, 0), max(w-sw, 0))
		line = ansi.Truncate(line, at, "") + s + ansi.TruncateLeft(line, at+sw, "")
	}
	if n > 2 && w >= ansi.StringWidth(first)+ansi.StringWidth(last)+ansi.StringWidth(m.label(n/2))+4 {
		mid := m.label(n / 2)
		put(mid, w/2-ansi.StringWidth(mid)/2)
	}
	if n > 1 {
		put(ansi.Truncate(last, w/2, "…"), w-ansi.StringWidth(last))
	}
	put(ansi.Truncate(first, w/2, "…"), 0)
	return ansi.Truncate(line, w, "")
}

// legend names each series next to its marker: a coloured block, or the
// series' own glyph without colour.
func (m Model) legend(names []string, slots []int) string {
	parts := make([]string, len(names))
	for i, n := range names {
		marker := "■"
		if m.th.NoColor {
			if marker = noColorGlyphs[slots[i]%len(noColorGlyphs)]; marker == "" {
				marker = "─"
			}
		}
		parts[i] = m.th.Series(slots[i]).Render(marker) + " " + m.th.Text.Render(n)
	}
	return strings.Join(parts, "   ")
}

func (m Model) caption(skipped int) string {
	x := "row number"
	if m.xcol >= 0 {
		x = m.name(m.xcol)
	}
	s := fmt.Sprintf("x: %s · %s", x, plural(len(m.rows), "row"))
	if skipped > 0 {
		s += fmt.Sprintf(" · %s not plotted (NULL or not finite)", plural(skipped, "value"))
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return formatNum(float64(n)) + " " + noun + "s"
}

// ansiColor converts a theme colour for asciigraph, which speaks 256-colour
// indexes; the terminal renderer downsamples further when it must.
func ansiColor(c color.Color) asciigraph.AnsiColor {
	if c == nil {
		return asciigraph.Default
	}
	idx := asciigraph.AnsiColor(ansi.Convert256(c))
	if idx == 0 {
		return asciigraph.Black // asciigraph's 0 means "default"
	}
	return idx
}
