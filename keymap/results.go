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

func (k *Results) decls() []decl {
	return []decl{
		{&k.Up, "up", ks("up", "k"), "↑/k", "up", 1, 0},
		{&k.Down, "down", ks("down", "j"), "↓/j", "down", 1, 0},
		{&k.Left, "left", ks("left", "h"), "←/h", "column left", 1, 0},
		{&k.Right, "right", ks("right", "l"), "→/l", "column right", 1, 0},
		{&k.PageUp, "page_up", ks("pgup"), "", "page up", 1, 0},
		{&k.PageDown, "page_down", ks("pgdown"), "pgdn", "page down", 1, 0},
		{&k.HalfUp, "half_up", ks("ctrl+u"), "", "half page up", 1, 0},
		{&k.HalfDown, "half_down", ks("ctrl+d"), "", "half page down", 1, 0},

		{&k.Top, "top", ks("g", "home"), "g", "first row", 2, 0},
		{&k.Bottom, "bottom", ks("G", "end"), "G", "last row", 2, 0},
		{&k.FirstColumn, "first_column", ks("0"), "", "first column", 2, 0},
		{&k.LastColumn, "last_column", ks("$"), "", "last column", 2, 0},
		{&k.View, "view", ks("enter"), "", "view cell", 2, 1},
		{&k.CopyCell, "copy_cell", ks("y"), "", "copy cell", 2, 2},
		{&k.CopyRow, "copy_row", ks("Y"), "", "copy row (TSV)", 2, 3},
		{&k.Export, "export", ks("e"), "", "export CSV/JSON", 2, 4},

		// tab completes the export path too; it is not a binding because it stays global
		{&k.ExportComplete, "export_complete", ks("ctrl+space"), "tab", "complete export path", 3, 0},

		{&k.Sort, "sort", ks("s"), "", "sort by column (asc/desc/off)", 4, 0},
		{&k.Filter, "filter", ks("/"), "", "filter rows by text", 4, 0},
		{&k.Grouping, "grouping", ks(","), "", "digit grouping on/off", 4, 0},
		{&k.Select, "select", ks("v"), "", "select a range (y copies it)", 4, 0},
		{&k.SelectUp, "select_up", ks("shift+up", "K"), "shift+↑", "grow selection up", 4, 0},
		{&k.SelectDown, "select_down", ks("shift+down", "J"), "shift+↓", "grow selection down", 4, 0},
		{&k.SelectLeft, "select_left", ks("shift+left", "H"), "shift+←", "grow selection left", 4, 0},
		{&k.SelectRight, "select_right", ks("shift+right", "L"), "shift+→", "grow selection right", 4, 0},
		{&k.Statements, "statements", ks("t"), "", "statements of Run all", 4, 0},
	}
}

// ShortHelp implements help.KeyMap.
func (k Results) ShortHelp() []key.Binding { return shortHelp(k.decls()) }

// FullHelp implements help.KeyMap.
func (k Results) FullHelp() [][]key.Binding { return fullHelp(k.decls()) }
