package theme

import "charm.land/lipgloss/v2"

// StatusDot returns the glyph and style for an instance status, so every
// pane shows running, stopped and failed databases the same way. The glyph
// differs per state, so the meaning survives NO_COLOR and 16-colour terminals.
func (t Theme) StatusDot(status string) (string, lipgloss.Style) {
	switch status {
	case "running":
		return "●", t.Good
	case "stopped", "pruned":
		return "○", t.Muted
	case "":
		return "·", t.Subtle
	default:
		return "✖", t.Bad
	}
}

// Graph is the style of asciigraph plots.
func (t Theme) Graph() lipgloss.Style { return lipgloss.NewStyle().Foreground(t.P.Accent) }

// Label is the style of a field name in key/value read-outs.
func (t Theme) Label() lipgloss.Style { return lipgloss.NewStyle().Foreground(t.P.Muted) }
