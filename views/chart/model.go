// Package chart draws the current result as a chart: an asciigraph line
// plot of one or more numeric columns (x = row order or a chosen column), or
// a horizontal bar chart for label/value results such as GROUP BY counts.
package chart

import (
	"slices"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

// Kind is the chart drawn.
type Kind int

// Chart kinds.
const (
	Line Kind = iota
	Bar
)

func (k Kind) String() string {
	if k == Bar {
		return "bar"
	}
	return "line"
}

// maxSeries bounds the columns plotted at once; more would not be readable.
const maxSeries = 6

// Model is the chart pane.
type Model struct {
	th   *theme.Theme
	keys keymap.Chart

	cols    []client.Column
	rows    [][]any
	numeric []bool

	kind    Kind
	picked  []int // series columns, in the order picked
	xcol    int   // label / x column, -1 for row order
	cursor  int   // column list cursor
	notice  string
	focused bool

	shownQuery, shownSeq int // the results.Shown drawn

	width, height int
}

// New returns an empty chart pane.
func New(th *theme.Theme, keys keymap.Chart) Model {
	return Model{th: th, keys: keys, xcol: -1}
}

// SetData sets the rows to chart (Update calls it with the grid's results.Shown).
// When the columns are the same as before, the picked series, x column and
// kind are kept; otherwise they are chosen from the shape of the data.
func (m *Model) SetData(columns []client.Column, rows [][]any) {
	same := sameColumns(m.cols, columns)
	m.cols, m.rows = columns, rows
	m.numeric = numericColumns(columns, rows)
	m.notice = ""
	if same {
		m.picked = slices.DeleteFunc(slices.Clone(m.picked), func(c int) bool { return !m.numeric[c] })
		return
	}
	m.cursor = 0
	m.kind, m.xcol, m.picked = defaults(columns, m.numeric)
}

// Kind is the chart being drawn.
func (m Model) Kind() Kind { return m.kind }

// Series returns the indexes of the plotted columns.
func (m Model) Series() []int { return slices.Clone(m.picked) }

// XColumn is the label/x column, or -1 for row order.
func (m Model) XColumn() int { return m.xcol }

// SetSize sets the inner size of the pane.
func (m *Model) SetSize(width, height int) { m.width, m.height = max(width, 0), max(height, 0) }

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away.
func (m *Model) Blur() { m.focused = false }

// Focused reports whether the pane has the keyboard.
func (m Model) Focused() bool { return m.focused }

// InTextInput is always false: the chart has no text fields.
func (m Model) InTextInput() bool { return false }

// Keys returns the pane's bindings for the help views.
func (m Model) Keys() keymap.Chart { return m.keys }

func sameColumns(a, b []client.Column) bool {
	return len(a) > 0 && slices.Equal(a, b)
}

// defaults picks the chart for a result's shape: one text column and one
// numeric (non-id) column is a label/value result (bar chart); otherwise a
// line plot of up to three numeric columns that are not ids, labelled by
// the text column when there is exactly one.
func defaults(cols []client.Column, numeric []bool) (Kind, int, []int) {
	var text, nums, plain []int
	for i := range cols {
		if numeric[i] {
			nums = append(nums, i)
			if !idLike(cols[i].Name) {
				plain = append(plain, i)
			}
		} else {
			text = append(text, i)
		}
	}
	if len(nums) == 0 {
		return Line, -1, nil
	}
	if len(plain) == 0 {
		plain = nums[:1]
	}
	x := -1
	if len(text) == 1 {
		x = text[0]
		if len(plain) == 1 {
			return Bar, x, plain
		}
	}
	return Line, x, plain[:min(len(plain), 3)]
}

// RefreshStyles is part of the pane contract; this pane caches no style (it
// draws from the theme on every View).
func (m *Model) RefreshStyles() {}
