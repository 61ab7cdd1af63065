package keymap

import "charm.land/bubbles/v2/key"

// Editor bindings, active when the editor pane has focus. While the editor
// captures text the root hands it every key, including two global ones it
// gives a meaning of its own: tab completes (or indents on a blank prefix)
// and esc closes the completion popup, clears the selection, or else leaves
// text capture so the global keys (q, 1-5, tab, ?) work again; any other key
// resumes editing. They are not bindings here because they stay global.
type Editor struct {
	Run, RunAll, Explain                   key.Binding
	HistoryPrev, HistoryNext, Complete     key.Binding
	Open, Save, SelectAll, Undo            key.Binding
	Up, Down, Left, Right                  key.Binding
	WordLeft, WordRight, Home, End         key.Binding
	PageUp, PageDown, DocStart, DocEnd     key.Binding
	SelUp, SelDown, SelLeft, SelRight      key.Binding
	SelHome, SelEnd, SelWordLeft           key.Binding
	SelWordRight                           key.Binding
	Newline, Backspace, Delete, DeleteWord key.Binding
	KillLine                               key.Binding
	LineStart, LineEnd, KillToStart, Yank  key.Binding
	Redo                                   key.Binding
	NewTab, CloseTab, NextTab, PrevTab     key.Binding
	HistorySearch                          key.Binding
}

func (k *Editor) decls() []decl {
	return []decl{
		{&k.Run, "run", ks("ctrl+enter", "ctrl+r", "f5"), "ctrl+r/f5", "run statement", 1, 1},
		{&k.RunAll, "run_all", ks("ctrl+shift+r", "f6"), "f6", "run all", 1, 2},
		{&k.Explain, "explain", ks("f7", "alt+e"), "", "explain", 1, 3},
		{&k.Complete, "complete", ks("ctrl+space"), "tab", "complete", 1, 4},
		{&k.HistoryPrev, "history_prev", ks("ctrl+up", "alt+up"), "ctrl+↑", "older query", 1, 0},
		{&k.HistoryNext, "history_next", ks("ctrl+down", "alt+down"), "ctrl+↓", "newer query", 1, 0},
		{&k.HistorySearch, "history_search", ks("alt+r", "f8"), "alt+r", "search history", 1, 5},
		{&k.Open, "open", ks("ctrl+o"), "", "open file", 1, 0},
		{&k.Save, "save", ks("ctrl+s"), "", "save file", 1, 0},

		{&k.NewTab, "new_tab", ks("ctrl+t"), "", "new tab", 2, 0},
		{&k.CloseTab, "close_tab", ks("alt+w"), "", "close tab", 2, 0},
		{&k.NextTab, "next_tab", ks("ctrl+pgdown", "alt+n"), "alt+n", "next tab", 2, 0},
		{&k.PrevTab, "prev_tab", ks("ctrl+pgup", "alt+p"), "alt+p", "previous tab", 2, 0},
		{&k.Undo, "undo", ks("ctrl+z"), "", "undo", 2, 0},
		// ctrl+shift+z only where the terminal reports shift with ctrl; ctrl+g everywhere
		{&k.Redo, "redo", ks("ctrl+shift+z", "ctrl+g"), "ctrl+g", "redo", 2, 0},
		{&k.SelectAll, "select_all", ks("alt+a"), "", "select all", 2, 0},
		{&k.SelLeft, "select_left", ks("shift+left"), "shift+←", "select left", 2, 0},
		{&k.SelRight, "select_right", ks("shift+right"), "shift+→", "select right", 2, 0},

		{&k.LineStart, "line_start", ks("ctrl+a"), "", "line start", 3, 0},
		{&k.LineEnd, "line_end", ks("ctrl+e"), "", "line end", 3, 0},
		{&k.KillToStart, "kill_to_start", ks("ctrl+u"), "", "cut to line start", 3, 0},
		{&k.KillLine, "kill_line", ks("ctrl+k"), "", "cut to line end", 3, 0},
		{&k.DeleteWord, "delete_word", ks("ctrl+w", "alt+backspace"), "ctrl+w", "cut word", 3, 0},
		{&k.Yank, "yank", ks("ctrl+y"), "", "paste the last cut", 3, 0},
		{&k.WordLeft, "word_left", ks("ctrl+left", "alt+left", "alt+b"), "ctrl+←", "word left", 3, 0},
		{&k.WordRight, "word_right", ks("ctrl+right", "alt+right", "alt+f"), "ctrl+→", "word right", 3, 0},

		{&k.Home, "home", ks("home"), "", "line start", 4, 0},
		{&k.End, "end", ks("end"), "", "line end", 4, 0},
		{&k.PageUp, "page_up", ks("pgup"), "", "page up", 4, 0},
		{&k.PageDown, "page_down", ks("pgdown"), "", "page down", 4, 0},
		{&k.DocStart, "doc_start", ks("ctrl+home"), "", "start", 4, 0},
		{&k.DocEnd, "doc_end", ks("ctrl+end"), "", "end", 4, 0},
		{&k.SelUp, "select_up", ks("shift+up"), "shift+↑", "select up", 4, 0},
		{&k.SelDown, "select_down", ks("shift+down"), "shift+↓", "select down", 4, 0},

		// plain editing keys: too obvious for the overlay, rebindable all the same
		{&k.Up, "up", ks("up"), "↑", "up", 0, 0},
		{&k.Down, "down", ks("down"), "↓", "down", 0, 0},
		{&k.Left, "left", ks("left"), "←", "left", 0, 0},
		{&k.Right, "right", ks("right"), "→", "right", 0, 0},
		{&k.SelHome, "select_home", ks("shift+home"), "", "select to line start", 0, 0},
		{&k.SelEnd, "select_end", ks("shift+end"), "", "select to line end", 0, 0},
		{&k.SelWordLeft, "select_word_left", ks("ctrl+shift+left"), "ctrl+shift+←", "select word left", 0, 0},
		{&k.SelWordRight, "select_word_right", ks("ctrl+shift+right"), "ctrl+shift+→", "select word right", 0, 0},
		{&k.Newline, "newline", ks("enter"), "", "new line", 0, 0},
		{&k.Backspace, "backspace", ks("backspace"), "", "delete back", 0, 0},
		{&k.Delete, "delete", ks("delete"), "del", "delete", 0, 0},
	}
}

// ShortHelp implements help.KeyMap.
func (k Editor) ShortHelp() []key.Binding { return shortHelp(k.decls()) }

// FullHelp implements help.KeyMap.
func (k Editor) FullHelp() [][]key.Binding { return fullHelp(k.decls()) }
