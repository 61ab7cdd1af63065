package keymap

import "charm.land/bubbles/v2/key"

// Chart bindings, active when the chart pane has focus.
type Chart struct {
	Up, Down key.Binding
}

func defaultChart() Chart {
	return Chart{
		Up:   bind([]string{"up", "k"}, "↑/k", "up"),
		Down: bind([]string{"down", "j"}, "↓/j", "down"),
	}
}

func (k *Chart) named() []Named {
	return []Named{{"up", &k.Up}, {"down", &k.Down}}
}

// ShortHelp implements help.KeyMap.
func (k Chart) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

// FullHelp implements help.KeyMap.
func (k Chart) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
