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

func defaultSchema() Schema {
	return Schema{
		Up:         bind([]string{"up", "k"}, "↑/k", "up"),
		Down:       bind([]string{"down", "j"}, "↓/j", "down"),
		Top:        bind([]string{"g", "home"}, "g", "first"),
		Bottom:     bind([]string{"G", "end"}, "G", "last"),
		Expand:     bind([]string{"right", "l"}, "→/l", "expand"),
		Collapse:   bind([]string{"left", "h"}, "←/h", "collapse"),
		Toggle:     bind([]string{"space"}, "space", "expand/collapse"),
		Preview:    bind([]string{"enter"}, "enter", "preview table"),
		Insert:     bind([]string{"s", "i"}, "s", "SELECT into editor"),
		DDL:        bind([]string{"d"}, "d", "show DDL"),
		Filter:     bind([]string{"/"}, "/", "filter"),
		ClearInput: bind([]string{"ctrl+u"}, "ctrl+u", "clear filter"),
	}
}

func (k *Schema) named() []Named {
	return []Named{
		{"up", &k.Up}, {"down", &k.Down}, {"top", &k.Top}, {"bottom", &k.Bottom},
		{"expand", &k.Expand}, {"collapse", &k.Collapse}, {"toggle", &k.Toggle},
		{"preview", &k.Preview}, {"insert", &k.Insert}, {"ddl", &k.DDL},
		{"filter", &k.Filter}, {"clear_filter", &k.ClearInput},
	}
}

// ShortHelp implements help.KeyMap.
func (k Schema) ShortHelp() []key.Binding {
	return []key.Binding{k.Preview, k.Toggle, k.Insert, k.DDL, k.Filter}
}

// FullHelp implements help.KeyMap.
func (k Schema) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.Expand, k.Collapse, k.Toggle},
		{k.Preview, k.Insert, k.DDL, k.Filter, k.ClearInput},
	}
}
