package keymap

import "charm.land/bubbles/v2/key"

// Health bindings, active when the health pane has focus.
type Health struct {
	Up, Down, Top, Activity key.Binding
}

func defaultHealth() Health {
	return Health{
		Up:       bind([]string{"up", "k"}, "↑/k", "scroll up"),
		Down:     bind([]string{"down", "j"}, "↓/j", "scroll down"),
		Top:      bind([]string{"g", "home"}, "g", "top"),
		Activity: bind([]string{"a"}, "a", "activity ⇄ health"),
	}
}

func (k *Health) named() []Named {
	return []Named{{"up", &k.Up}, {"down", &k.Down}, {"top", &k.Top}, {"activity", &k.Activity}}
}

// ShortHelp implements help.KeyMap.
func (k Health) ShortHelp() []key.Binding { return []key.Binding{k.Activity, k.Up, k.Down} }

// FullHelp implements help.KeyMap.
func (k Health) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Activity, k.Up, k.Down, k.Top}}
}
