package keymap

import "charm.land/bubbles/v2/key"

// Plan bindings, active when the plan tab has focus.
type Plan struct {
	Up, Down, Top, Bottom, PageUp, PageDown, Left, Right key.Binding
}

func defaultPlan() Plan {
	return Plan{
		Up:       bind([]string{"up", "k"}, "↑/k", "up"),
		Down:     bind([]string{"down", "j"}, "↓/j", "down"),
		Top:      bind([]string{"g", "home"}, "g", "top"),
		Bottom:   bind([]string{"G", "end"}, "G", "bottom"),
		PageUp:   bind([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown: bind([]string{"pgdown", "ctrl+f"}, "pgdown", "page down"),
		Left:     bind([]string{"left", "h"}, "←/h", "scroll left"),
		Right:    bind([]string{"right", "l"}, "→/l", "scroll right"),
	}
}

func (k *Plan) named() []Named {
	return []Named{
		{"up", &k.Up}, {"down", &k.Down}, {"top", &k.Top}, {"bottom", &k.Bottom},
		{"page_up", &k.PageUp}, {"page_down", &k.PageDown}, {"left", &k.Left}, {"right", &k.Right},
	}
}

// ShortHelp implements help.KeyMap.
func (k Plan) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.Left, k.Right} }

// FullHelp implements help.KeyMap.
func (k Plan) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Left, k.Right}}
}
