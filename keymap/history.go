package keymap

import "charm.land/bubbles/v2/key"

// History bindings, active in the searchable history view (editor
// history_search opens it). Typed text filters; esc (global Back) closes.
type History struct {
	Up, Down, PageUp, PageDown, Select, Clear key.Binding
}

func (k *History) decls() []decl {
	return []decl{
		{&k.Select, "select", ks("enter"), "", "put in the editor", 1, 1},
		{&k.Up, "up", ks("up", "ctrl+p"), "↑", "newer", 1, 2},
		{&k.Down, "down", ks("down", "ctrl+n"), "↓", "older", 1, 3},
		{&k.PageUp, "page_up", ks("pgup"), "", "page up", 1, 0},
		{&k.PageDown, "page_down", ks("pgdown"), "", "page down", 1, 0},
		{&k.Clear, "clear", ks("ctrl+u"), "", "clear the filter", 1, 4},
	}
}

// ShortHelp implements help.KeyMap.
func (k History) ShortHelp() []key.Binding { return shortHelp(k.decls()) }

// FullHelp implements help.KeyMap.
func (k History) FullHelp() [][]key.Binding { return fullHelp(k.decls()) }
