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

func defaultDatabases() Databases {
	return Databases{
		Up:         bind([]string{"up", "k"}, "↑/k", "up"),
		Down:       bind([]string{"down", "j"}, "↓/j", "down"),
		Top:        bind([]string{"g", "home"}, "g", "first"),
		Bottom:     bind([]string{"G", "end"}, "G", "last"),
		Select:     bind([]string{"enter"}, "enter", "use database"),
		Filter:     bind([]string{"/"}, "/", "filter"),
		Spawn:      bind([]string{"n"}, "n", "new"),
		Prune:      bind([]string{"p"}, "p", "prune"),
		Delete:     bind([]string{"D"}, "D", "delete"),
		Fork:       bind([]string{"f"}, "f", "fork"),
		ShowPruned: bind([]string{"s"}, "s", "show pruned"),
		ClearInput: bind([]string{"ctrl+u"}, "ctrl+u", "clear filter"),
		Export:     bind([]string{"x"}, "x", "export"),
		Import:     bind([]string{"i"}, "i", "import"),
		Backup:     bind([]string{"b"}, "b", "back up"),
		Backups:    bind([]string{"B"}, "B", "backups/restore"),
	}
}

func (k *Databases) named() []Named {
	return []Named{
		{"up", &k.Up}, {"down", &k.Down}, {"top", &k.Top}, {"bottom", &k.Bottom},
		{"select", &k.Select}, {"filter", &k.Filter}, {"spawn", &k.Spawn},
		{"prune", &k.Prune}, {"delete", &k.Delete}, {"fork", &k.Fork}, {"show_pruned", &k.ShowPruned},
		{"clear_filter", &k.ClearInput}, {"export", &k.Export}, {"import", &k.Import},
		{"backup", &k.Backup}, {"backups", &k.Backups},
	}
}

// ShortHelp implements help.KeyMap.
func (k Databases) ShortHelp() []key.Binding {
	return []key.Binding{k.Select, k.Filter, k.Spawn, k.Prune, k.Delete}
}

// FullHelp implements help.KeyMap.
func (k Databases) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.Select},
		{k.Filter, k.ClearInput, k.Spawn, k.Fork, k.Prune, k.Delete, k.ShowPruned},
		{k.Export, k.Import, k.Backup, k.Backups},
	}
}
