package health

import (
	"math"
	"strconv"
	"strings"

	"github.com/guptarohit/asciigraph"
)

// plot draws series as an asciigraph line plot of exactly height lines of
// width cells. Empty series give nil (the caller says so in words); a single
// point is drawn as a flat line. NaN and infinities are treated as 0.
func plot(series []float64, width, height int) []string {
	if len(series) == 0 || width < 12 || height < 1 {
		return nil
	}
	data := make([]float64, len(series))
	for i, v := range series {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		data[i] = v
	}
	if len(data) == 1 {
		data = append(data, data[0])
	}
	lo, hi := bounds(data)
	labelW := max(len(label(lo)), len(label(hi)))
	plotW := max(width-labelW-3, 2)
	out := asciigraph.Plot(data,
		asciigraph.Height(max(height-1, 1)),
		asciigraph.Width(plotW),
		asciigraph.Precision(precision(hi)),
	)
	lines := strings.Split(out, "\n")
	if len(lines) > height {
		lines = lines[len(lines)-height:]
	}
	return lines
}

func bounds(v []float64) (lo, hi float64) {
	lo, hi = v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return min(lo, 0), hi
}

// precision keeps labels short: decimals only for small values.
func precision(hi float64) uint {
	switch {
	case hi >= 100:
		return 0
	case hi >= 10:
		return 1
	}
	return 2
}

func label(v float64) string { return strconv.FormatFloat(v, 'f', int(precision(v)), 64) }
