package editor

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/sanitize"
)

// tabWidth is the distance between tab stops when a tab is drawn.
const tabWidth = 4

// cell is one grapheme cluster of a line as it is drawn: its bytes in the
// buffer, what is written to the terminal and how many columns that takes.
// Every column computation (cursor, scrolling, selection, rendering) goes
// through nextCell, which is what keeps them aligned.
type cell struct {
	size  int    // bytes in the buffer
	draw  string // text written to the terminal
	width int    // columns it occupies
}

// nextCell returns the cell starting at byte i of line when drawn at display
// column x (tabs depend on x). Control and invisible characters are drawn as
// visible stand-ins so the buffer can never drive the terminal.
func nextCell(line string, i, x int) cell {
	b := line[i]
	switch {
	case b == '\t':
		w := tabWidth - x%tabWidth
		return cell{size: 1, draw: spaces(w), width: w}
	case b >= 0x20 && b < 0x7f && (i+1 == len(line) || line[i+1] < 0x80):
		return cell{size: 1, draw: line[i : i+1], width: 1}
	}
	g, w := ansi.FirstGraphemeCluster(line[i:], ansi.GraphemeWidth)
	if g == "" {
		g = line[i : i+1]
	}
	c := cell{size: len(g), draw: g, width: w}
	if !sanitize.IsClean(g) {
		c.draw = sanitize.Line(g)
		c.width = ansi.StringWidth(c.draw)
	}
	if c.width <= 0 {
		// A lone combining mark would leave the cursor nowhere to sit.
		c.draw, c.width = "\uFFFD", 1
	}
	return c
}

// displayCol is the display column where byte offset col of line starts.
func displayCol(line string, col int) int {
	x := 0
	for i := 0; i < col && i < len(line); {
		c := nextCell(line, i, x)
		i += c.size
		x += c.width
	}
	return x
}

// colAt returns the byte offset of the cell drawn at display column x (the
// cell covering x, or the end of the line when x is past it).
func colAt(line string, x int) int {
	cx := 0
	for i := 0; i < len(line); {
		c := nextCell(line, i, cx)
		if x < cx+c.width {
			return i
		}
		i += c.size
		cx += c.width
	}
	return len(line)
}

// prevBoundary is the byte offset of the cell before col.
func prevBoundary(line string, col int) int {
	prev := 0
	for i := 0; i < col && i < len(line); {
		prev = i
		i += nextCell(line, i, 0).size
	}
	return prev
}

// nextBoundary is the byte offset of the cell after col.
func nextBoundary(line string, col int) int {
	if col >= len(line) {
		return len(line)
	}
	return col + nextCell(line, col, 0).size
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}
