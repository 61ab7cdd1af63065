// Package listfooter is the footer the list panes (databases, schema) draw
// under their list, defined once: the last error, then the filter — its
// prompt while it is typed, or "/text" once applied.
package listfooter

import (
	"charm.land/bubbles/v2/textinput"

	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/theme"
)

// Lines is the footer for err and the filter (typing: its prompt is open).
func Lines(th *theme.Theme, err error, typing bool, filter textinput.Model) []string {
	var lines []string
	if err != nil {
		lines = append(lines, th.Bad.Render("✖ "+sanitize.Line(err.Error())))
	}
	if typing {
		lines = append(lines, filter.View())
	} else if v := filter.Value(); v != "" {
		lines = append(lines, th.Accent.Render("/"+sanitize.Line(v)))
	}
	return lines
}

// Count is how many lines Lines draws, without drawing them.
func Count(err error, typing bool, filter textinput.Model) int {
	n := 0
	if err != nil {
		n++
	}
	if typing || filter.Value() != "" {
		n++
	}
	return n
}
