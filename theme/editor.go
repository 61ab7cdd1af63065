package theme

import "charm.land/lipgloss/v2"

// EditorCursor is the editor's cursor cell: reverse video while the editor
// captures text, an underline once esc has handed keys back to the root.
func (t Theme) EditorCursor(active bool) lipgloss.Style {
	if active {
		return lipgloss.NewStyle().Reverse(true)
	}
	return lipgloss.NewStyle().Underline(true)
}

// EditorSelection is selected text in the editor.
func (t Theme) EditorSelection() lipgloss.Style {
	if t.NoColor {
		return lipgloss.NewStyle().Reverse(true)
	}
	return lipgloss.NewStyle().Background(t.P.SelBg).Foreground(t.P.SelFg)
}

// EditorErrorMark is the token an SQL error points at.
func (t Theme) EditorErrorMark() lipgloss.Style {
	if t.NoColor {
		return lipgloss.NewStyle().Underline(true).Bold(true)
	}
	return lipgloss.NewStyle().Underline(true).Foreground(t.P.Bad).Bold(true)
}

// EditorGutter is the line-number gutter; the cursor's line stands out.
func (t Theme) EditorGutter(current bool) lipgloss.Style {
	if current {
		return lipgloss.NewStyle().Foreground(t.P.Accent)
	}
	return lipgloss.NewStyle().Foreground(t.P.Subtle)
}

// EditorPopup is the completion list; the highlighted entry uses Selected.
func (t Theme) EditorPopup() lipgloss.Style {
	return lipgloss.NewStyle().Background(t.P.BarBg).Foreground(t.P.Fg)
}
