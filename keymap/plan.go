package keymap

import "charm.land/bubbles/v2/key"

// Plan bindings, active when the plan pane has focus.
type Plan struct {
	Up, Down key.Binding
}

func defaultPlan() Plan {
	return Plan{
		Up:   bind([]string{"up", "k"}, "↑/k", "up"),
		Down: bind([]string{"down", "j"}, "↓/j", "down"),
	}
}

func (k *Plan) named() []Named {
	return []Named{{"up", &k.Up}, {"down", &k.Down}}
}

// ShortHelp implements help.KeyMap.
func (k Plan) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

// FullHelp implements help.KeyMap.
func (k Plan) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
