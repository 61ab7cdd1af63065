package keymap

import "charm.land/bubbles/v2/key"

// Schema bindings, active when the schema pane has focus.
type Schema struct {
	Up, Down key.Binding
}

func defaultSchema() Schema {
	return Schema{
		Up:   bind([]string{"up", "k"}, "↑/k", "up"),
		Down: bind([]string{"down", "j"}, "↓/j", "down"),
	}
}

func (k *Schema) named() []Named {
	return []Named{{"up", &k.Up}, {"down", &k.Down}}
}

// ShortHelp implements help.KeyMap.
func (k Schema) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

// FullHelp implements help.KeyMap.
func (k Schema) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
