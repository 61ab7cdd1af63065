package keymap

import "charm.land/bubbles/v2/key"

// Health bindings, active when the health pane has focus.
type Health struct {
	Up, Down, Top, Activity key.Binding
}

func (k *Health) decls() []decl {
	return []decl{
		{&k.Activity, "activity", ks("a"), "", "activity ⇄ health", 1, 1},
		{&k.Up, "up", ks("up", "k"), "↑/k", "scroll up", 1, 2},
		{&k.Down, "down", ks("down", "j"), "↓/j", "scroll down", 1, 3},
		{&k.Top, "top", ks("g", "home"), "g", "top", 1, 0},
	}
}

// ShortHelp implements help.KeyMap.
func (k Health) ShortHelp() []key.Binding { return shortHelp(k.decls()) }

// FullHelp implements help.KeyMap.
func (k Health) FullHelp() [][]key.Binding { return fullHelp(k.decls()) }
