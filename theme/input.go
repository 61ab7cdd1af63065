package theme

import (
	"image/color"

	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// TextInput is the style of every one-line text input (filters, prompts,
// path inputs), built from the palette so a light terminal gets dark text
// and a readable prompt instead of bubbles' default dark-background styles.
func (t Theme) TextInput() textinput.Styles {
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	s := textinput.DefaultStyles(t.IsDark) // keeps the cursor's shape and blink
	s.Focused = textinput.StyleState{Prompt: fg(t.P.Accent), Text: fg(t.P.Fg), Placeholder: fg(t.P.Muted), Suggestion: fg(t.P.Muted)}
	s.Blurred = textinput.StyleState{Prompt: fg(t.P.Muted), Text: fg(t.P.Muted), Placeholder: fg(t.P.Subtle), Suggestion: fg(t.P.Subtle)}
	if !t.NoColor {
		s.Cursor.Color = t.P.Accent
	}
	return s
}
