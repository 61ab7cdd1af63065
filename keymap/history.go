package keymap

import "charm.land/bubbles/v2/key"

// History bindings, active in the searchable history view (editor
// history_search opens it). Typed text filters; esc (global Back) closes.
type History struct {
	Up, Down, PageUp, PageDown, Select, Clear key.Binding
}

func defaultHistory() History {
	return History{
		Up:       bind([]string{"up", "ctrl+p"}, "↑", "newer"),
		Down:     bind([]string{"down", "ctrl+n"}, "↓", "older"),
		PageUp:   bind([]string{"pgup"}, "pgup", "page up"),
		PageDown: bind([]string{"pgdown"}, "pgdown", "page down"),
		Select:   bind([]string{"enter"}, "enter", "put in the editor"),
		Clear:    bind([]string{"ctrl+u"}, "ctrl+u", "clear the filter"),
	}
}

func (k *History) named() []Named {
	return []Named{
		{"up", &k.Up}, {"down", &k.Down}, {"page_up", &k.PageUp}, {"page_down", &k.PageDown},
		{"select", &k.Select}, {"clear", &k.Clear},
	}
}

// ShortHelp implements help.KeyMap.
func (k History) ShortHelp() []key.Binding { return []key.Binding{k.Select, k.Up, k.Down, k.Clear} }

// FullHelp implements help.KeyMap.
func (k History) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Select, k.Up, k.Down, k.PageUp, k.PageDown, k.Clear}}
}
