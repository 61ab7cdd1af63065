package keymap

import "charm.land/bubbles/v2/key"

// Databases bindings, active when the databases pane has focus.
type Databases struct {
	Up, Down, Top, Bottom  key.Binding
	Select, Filter         key.Binding
	Spawn, Prune, Delete   key.Binding
	Fork                   key.Binding
	ShowPruned, ClearInput key.Binding
	Export, Import         key.Binding
	Backup, Backups        key.Binding
}

func (k *Databases) decls() []decl {
	return []decl{
		{&k.Up, "up", ks("up", "k"), "↑/k", "up", 1, 0},
		{&k.Down, "down", ks("down", "j"), "↓/j", "down", 1, 0},
		{&k.Top, "top", ks("g", "home"), "g", "first", 1, 0},
		{&k.Bottom, "bottom", ks("G", "end"), "G", "last", 1, 0},
		{&k.Select, "select", ks("enter"), "", "use database", 1, 1},

		{&k.Filter, "filter", ks("/"), "", "filter", 2, 2},
		{&k.ClearInput, "clear_filter", ks("ctrl+u"), "", "clear filter", 2, 0},
		{&k.Spawn, "spawn", ks("n"), "", "new", 2, 3},
		{&k.Fork, "fork", ks("f"), "", "fork", 2, 0},
		{&k.Prune, "prune", ks("p"), "", "prune", 2, 4},
		{&k.Delete, "delete", ks("D"), "", "delete", 2, 5},
		{&k.ShowPruned, "show_pruned", ks("s"), "", "show pruned", 2, 0},

		{&k.Export, "export", ks("x"), "", "export", 3, 0},
		{&k.Import, "import", ks("i"), "", "import", 3, 0},
		{&k.Backup, "backup", ks("b"), "", "back up", 3, 0},
		{&k.Backups, "backups", ks("B"), "", "backups/restore", 3, 0},
	}
}

// ShortHelp implements help.KeyMap.
func (k Databases) ShortHelp() []key.Binding { return shortHelp(k.decls()) }

// FullHelp implements help.KeyMap.
func (k Databases) FullHelp() [][]key.Binding { return fullHelp(k.decls()) }
