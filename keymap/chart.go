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

func (k *Chart) decls() []decl {
	return []decl{
		{&k.Up, "up", ks("up", "k"), "↑/k", "previous column", 1, 0},
		{&k.Down, "down", ks("down", "j"), "↓/j", "next column", 1, 0},
		{&k.Toggle, "toggle", ks("space", "c"), "", "plot column", 1, 1},
		{&k.X, "x_axis", ks("x"), "", "x axis / labels", 1, 2},
		{&k.Bar, "bar", ks("b"), "", "bar chart", 1, 3},
		{&k.Line, "line", ks("l"), "", "line chart", 1, 4},
	}
}

// ShortHelp implements help.KeyMap.
func (k Chart) ShortHelp() []key.Binding { return shortHelp(k.decls()) }

// FullHelp implements help.KeyMap.
func (k Chart) FullHelp() [][]key.Binding { return fullHelp(k.decls()) }
