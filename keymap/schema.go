package keymap

import "charm.land/bubbles/v2/key"

// Schema bindings, active when the schema pane has focus. The global
// refresh key (r) reloads the schema when this pane has focus.
type Schema struct {
	Up, Down, Top, Bottom    key.Binding
	Expand, Collapse, Toggle key.Binding
	Preview, Insert, DDL     key.Binding
	Filter, ClearInput       key.Binding
}

func (k *Schema) decls() []decl {
	return []decl{
		{&k.Up, "up", ks("up", "k"), "↑/k", "up", 1, 0},
		{&k.Down, "down", ks("down", "j"), "↓/j", "down", 1, 0},
		{&k.Top, "top", ks("g", "home"), "g", "first", 1, 0},
		{&k.Bottom, "bottom", ks("G", "end"), "G", "last", 1, 0},
		{&k.Expand, "expand", ks("right", "l"), "→/l", "expand", 1, 0},
		{&k.Collapse, "collapse", ks("left", "h"), "←/h", "collapse", 1, 0},
		{&k.Toggle, "toggle", ks("space"), "", "expand/collapse", 1, 2},

		{&k.Preview, "preview", ks("enter"), "", "preview table", 2, 1},
		{&k.Insert, "insert", ks("s", "i"), "s", "SELECT into editor", 2, 3},
		{&k.DDL, "ddl", ks("d"), "", "show DDL", 2, 4},
		{&k.Filter, "filter", ks("/"), "", "filter", 2, 5},
		{&k.ClearInput, "clear_filter", ks("ctrl+u"), "", "clear filter", 2, 0},
	}
}

// ShortHelp implements help.KeyMap.
func (k Schema) ShortHelp() []key.Binding { return shortHelp(k.decls()) }

// FullHelp implements help.KeyMap.
func (k Schema) FullHelp() [][]key.Binding { return fullHelp(k.decls()) }
