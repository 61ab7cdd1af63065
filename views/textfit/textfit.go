// Package textfit fits one line of terminal text, styled or not, into an
// exact number of cells, so that panes draw exactly the size they are given.
package textfit

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Cut pads or truncates s to exactly w cells, cutting without a marker.
// It is "" when w <= 0.
func Cut(s string, w int) string { return fit(s, w, "") }

// Ellipsis pads or truncates s to exactly w cells, marking a cut with "…".
// It is "" when w <= 0.
func Ellipsis(s string, w int) string { return fit(s, w, "…") }

// Align is Ellipsis with the padding on the left when right is set, for
// right-aligned columns.
func Align(s string, w int, right bool) string {
	s, gap := cut(s, w, "…")
	if right {
		return gap + s
	}
	return s + gap
}

func fit(s string, w int, tail string) string {
	s, gap := cut(s, w, tail)
	return s + gap
}

// cut truncates s to at most w cells and returns the blanks that fill it
// to w; both are "" when w <= 0. Widths are measured once where nothing is
// cut, as grids call this for every cell.
func cut(s string, w int, tail string) (string, string) {
	if w <= 0 {
		return "", ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, tail)
		sw = ansi.StringWidth(s)
	}
	return s, strings.Repeat(" ", max(w-sw, 0))
}
