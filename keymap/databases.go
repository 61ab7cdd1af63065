package keymap

import "charm.land/bubbles/v2/key"

// Databases bindings, active when the databases pane has focus.
type Databases struct {
	Up, Down key.Binding
}

func defaultDatabases() Databases {
	return Databases{
		Up:   bind([]string{"up", "k"}, "↑/k", "up"),
		Down: bind([]string{"down", "j"}, "↓/j", "down"),
	}
}

func (k *Databases) named() []Named {
	return []Named{{"up", &k.Up}, {"down", &k.Down}}
}

// ShortHelp implements help.KeyMap.
func (k Databases) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

// FullHelp implements help.KeyMap.
func (k Databases) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
