package keymap

import "charm.land/bubbles/v2/key"

// Results bindings, active when the results pane has focus.
type Results struct {
	Up, Down key.Binding
}

func defaultResults() Results {
	return Results{
		Up:   bind([]string{"up", "k"}, "↑/k", "up"),
		Down: bind([]string{"down", "j"}, "↓/j", "down"),
	}
}

func (k *Results) named() []Named {
	return []Named{{"up", &k.Up}, {"down", &k.Down}}
}

// ShortHelp implements help.KeyMap.
func (k Results) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

// FullHelp implements help.KeyMap.
func (k Results) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
