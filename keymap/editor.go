package keymap

import "charm.land/bubbles/v2/key"

// Editor bindings, active when the editor pane has focus.
type Editor struct {
	Up, Down key.Binding
}

func defaultEditor() Editor {
	return Editor{
		Up:   bind([]string{"up", "k"}, "↑/k", "up"),
		Down: bind([]string{"down", "j"}, "↓/j", "down"),
	}
}

func (k *Editor) named() []Named {
	return []Named{{"up", &k.Up}, {"down", &k.Down}}
}

// ShortHelp implements help.KeyMap.
func (k Editor) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

// FullHelp implements help.KeyMap.
func (k Editor) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
