package theme

import "charm.land/lipgloss/v2"

// GridHeader is the style of column names above a results grid.
func (t Theme) GridHeader() lipgloss.Style {
	return lipgloss.NewStyle().Foreground(t.P.Accent).Bold(true)
}

// GridRule is the style of the lines separating a grid's columns and header.
func (t Theme) GridRule() lipgloss.Style { return lipgloss.NewStyle().Foreground(t.P.Subtle) }

// NullCell marks SQL NULL so it never reads like the string "NULL": its own
// colour plus italics, which survive NO_COLOR.
func (t Theme) NullCell() lipgloss.Style {
	return lipgloss.NewStyle().Foreground(t.P.Null).Italic(true)
}

// NumberCell is the style of numeric cells.
func (t Theme) NumberCell() lipgloss.Style { return lipgloss.NewStyle().Foreground(t.P.Number) }

// RowNumber is the style of the row-number gutter.
func (t Theme) RowNumber() lipgloss.Style { return lipgloss.NewStyle().Foreground(t.P.Subtle) }

// CursorCell is the style of the grid's cell cursor; unfocused, the cursor
// stays visible as an underline.
func (t Theme) CursorCell(focused bool) lipgloss.Style {
	if focused {
		return t.Selected
	}
	return lipgloss.NewStyle().Foreground(t.P.Accent).Underline(true)
}
