package keymap

import "charm.land/bubbles/v2/key"

// Chart bindings, active when the chart pane has focus. The cursor walks
// the result's columns; space picks a column as a series, x makes it the
// x axis (labels).
type Chart struct {
	Up, Down  key.Binding
	Toggle, X key.Binding
	Bar, Line key.Binding
}

func defaultChart() Chart {
	return Chart{
		Up:     bind([]string{"up", "k"}, "↑/k", "previous column"),
		Down:   bind([]string{"down", "j"}, "↓/j", "next column"),
		Toggle: bind([]string{"space", "c"}, "space/c", "plot column"),
		X:      bind([]string{"x"}, "x", "x axis / labels"),
		Bar:    bind([]string{"b"}, "b", "bar chart"),
		Line:   bind([]string{"l"}, "l", "line chart"),
	}
}

func (k *Chart) named() []Named {
	return []Named{
		{"up", &k.Up}, {"down", &k.Down}, {"toggle", &k.Toggle}, {"x_axis", &k.X},
		{"bar", &k.Bar}, {"line", &k.Line},
	}
}

// ShortHelp implements help.KeyMap.
func (k Chart) ShortHelp() []key.Binding { return []key.Binding{k.Toggle, k.X, k.Bar, k.Line} }

// FullHelp implements help.KeyMap.
func (k Chart) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Toggle, k.X, k.Bar, k.Line}}
}
