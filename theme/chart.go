package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// SeriesColors are the colours of chart series in order; nil entries (under
// NO_COLOR) mean the terminal's default, and series then differ by glyph.
func (t Theme) SeriesColors() []color.Color {
	return []color.Color{t.P.Accent, t.P.Accent2, t.P.Good, t.P.Warn, t.P.Number, t.P.Keyword}
}

// Series is the style of the i-th chart series (legend markers, bars).
func (t Theme) Series(i int) lipgloss.Style {
	cs := t.SeriesColors()
	return lipgloss.NewStyle().Foreground(cs[((i%len(cs))+len(cs))%len(cs)])
}

// ChartAxis is the style of chart axes, ticks and labels.
func (t Theme) ChartAxis() lipgloss.Style { return lipgloss.NewStyle().Foreground(t.P.Muted) }
