package keymap

import "charm.land/bubbles/v2/key"

// Plan bindings, active when the plan tab has focus.
type Plan struct {
	Up, Down, Top, Bottom, PageUp, PageDown, Left, Right key.Binding
}

func (k *Plan) decls() []decl {
	return []decl{
		{&k.Up, "up", ks("up", "k"), "↑/k", "up", 1, 1},
		{&k.Down, "down", ks("down", "j"), "↓/j", "down", 1, 2},
		{&k.Top, "top", ks("g", "home"), "g", "top", 1, 0},
		{&k.Bottom, "bottom", ks("G", "end"), "G", "bottom", 1, 0},
		{&k.PageUp, "page_up", ks("pgup", "ctrl+b"), "pgup", "page up", 1, 0},
		{&k.PageDown, "page_down", ks("pgdown", "ctrl+f"), "pgdown", "page down", 1, 0},
		{&k.Left, "left", ks("left", "h"), "←/h", "scroll left", 1, 3},
		{&k.Right, "right", ks("right", "l"), "→/l", "scroll right", 1, 4},
	}
}

// ShortHelp implements help.KeyMap.
func (k Plan) ShortHelp() []key.Binding { return shortHelp(k.decls()) }

// FullHelp implements help.KeyMap.
func (k Plan) FullHelp() [][]key.Binding { return fullHelp(k.decls()) }
