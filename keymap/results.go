package keymap

import "charm.land/bubbles/v2/key"

// Results bindings, active when the results grid has focus.
type Results struct {
	Up, Down, Left, Right   key.Binding
	PageUp, PageDown        key.Binding
	HalfUp, HalfDown        key.Binding
	Top, Bottom             key.Binding
	FirstColumn, LastColumn key.Binding
	View, CopyCell, CopyRow key.Binding
	Export, ExportComplete  key.Binding // ExportComplete: in the export prompt, besides tab
	Sort, Filter            key.Binding // on the whole result, by the database
	Grouping                key.Binding // digit grouping of numbers on/off
	Select                  key.Binding // start or end a rectangle selection
	SelectUp, SelectDown    key.Binding // grow the selection
	SelectLeft, SelectRight key.Binding
	Statements              key.Binding // the statements of the last Run all
}

func defaultResults() Results {
	return Results{
		Up:          bind([]string{"up", "k"}, "↑/k", "up"),
		Down:        bind([]string{"down", "j"}, "↓/j", "down"),
		Left:        bind([]string{"left", "h"}, "←/h", "column left"),
		Right:       bind([]string{"right", "l"}, "→/l", "column right"),
		PageUp:      bind([]string{"pgup"}, "pgup", "page up"),
		PageDown:    bind([]string{"pgdown"}, "pgdn", "page down"),
		HalfUp:      bind([]string{"ctrl+u"}, "ctrl+u", "half page up"),
		HalfDown:    bind([]string{"ctrl+d"}, "ctrl+d", "half page down"),
		Top:         bind([]string{"g", "home"}, "g", "first row"),
		Bottom:      bind([]string{"G", "end"}, "G", "last row"),
		FirstColumn: bind([]string{"0"}, "0", "first column"),
		LastColumn:  bind([]string{"$"}, "$", "last column"),
		View:        bind([]string{"enter"}, "enter", "view cell"),
		CopyCell:    bind([]string{"y"}, "y", "copy cell"),
		CopyRow:     bind([]string{"Y"}, "Y", "copy row (TSV)"),
		Export:      bind([]string{"e"}, "e", "export CSV/JSON"),
		// tab completes the export path too; it is not listed because it stays global
		ExportComplete: bind([]string{"ctrl+space"}, "tab", "complete export path"),
		Sort:           bind([]string{"s"}, "s", "sort by column (asc/desc/off)"),
		Filter:         bind([]string{"/"}, "/", "filter rows by text"),
		Grouping:       bind([]string{","}, ",", "digit grouping on/off"),
		Select:         bind([]string{"v"}, "v", "select a range (y copies it)"),
		SelectUp:       bind([]string{"shift+up", "K"}, "shift+↑", "grow selection up"),
		SelectDown:     bind([]string{"shift+down", "J"}, "shift+↓", "grow selection down"),
		SelectLeft:     bind([]string{"shift+left", "H"}, "shift+←", "grow selection left"),
		SelectRight:    bind([]string{"shift+right", "L"}, "shift+→", "grow selection right"),
		Statements:     bind([]string{"t"}, "t", "statements of Run all"),
	}
}

func (k *Results) named() []Named {
	return []Named{
		{"up", &k.Up}, {"down", &k.Down}, {"left", &k.Left}, {"right", &k.Right},
		{"page_up", &k.PageUp}, {"page_down", &k.PageDown},
		{"half_up", &k.HalfUp}, {"half_down", &k.HalfDown},
		{"top", &k.Top}, {"bottom", &k.Bottom},
		{"first_column", &k.FirstColumn}, {"last_column", &k.LastColumn},
		{"view", &k.View}, {"copy_cell", &k.CopyCell}, {"copy_row", &k.CopyRow},
		{"export", &k.Export}, {"export_complete", &k.ExportComplete},
		{"sort", &k.Sort}, {"filter", &k.Filter}, {"grouping", &k.Grouping},
		{"select", &k.Select}, {"select_up", &k.SelectUp}, {"select_down", &k.SelectDown},
		{"select_left", &k.SelectLeft}, {"select_right", &k.SelectRight},
		{"statements", &k.Statements},
	}
}

// ShortHelp implements help.KeyMap.
func (k Results) ShortHelp() []key.Binding {
	return []key.Binding{k.View, k.CopyCell, k.CopyRow, k.Export}
}

// FullHelp implements help.KeyMap.
func (k Results) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown},
		{k.Top, k.Bottom, k.FirstColumn, k.LastColumn, k.View, k.CopyCell, k.CopyRow, k.Export},
		{k.ExportComplete},
		{k.Sort, k.Filter, k.Grouping, k.Select, k.SelectUp, k.SelectDown, k.SelectLeft, k.SelectRight, k.Statements},
	}
}
