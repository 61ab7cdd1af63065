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

func defaultEditor() Editor {
	return Editor{
		Run:         bind([]string{"ctrl+enter", "ctrl+r", "f5"}, "ctrl+r/f5", "run statement"),
		RunAll:      bind([]string{"ctrl+shift+r", "f6"}, "f6", "run all"),
		Explain:     bind([]string{"f7", "alt+e"}, "f7/alt+e", "explain"),
		HistoryPrev: bind([]string{"ctrl+up", "alt+up"}, "ctrl+↑", "older query"),
		HistoryNext: bind([]string{"ctrl+down", "alt+down"}, "ctrl+↓", "newer query"),
		Complete:    bind([]string{"ctrl+space"}, "tab", "complete"),
		Open:        bind([]string{"ctrl+o"}, "ctrl+o", "open file"),
		Save:        bind([]string{"ctrl+s"}, "ctrl+s", "save file"),
		SelectAll:   bind([]string{"alt+a"}, "alt+a", "select all"),
		Undo:        bind([]string{"ctrl+z"}, "ctrl+z", "undo"),
		// ctrl+shift+z only where the terminal reports shift with ctrl; ctrl+g everywhere
		Redo:          bind([]string{"ctrl+shift+z", "ctrl+g"}, "ctrl+g", "redo"),
		LineStart:     bind([]string{"ctrl+a"}, "ctrl+a", "line start"),
		LineEnd:       bind([]string{"ctrl+e"}, "ctrl+e", "line end"),
		KillToStart:   bind([]string{"ctrl+u"}, "ctrl+u", "cut to line start"),
		Yank:          bind([]string{"ctrl+y"}, "ctrl+y", "paste the last cut"),
		NewTab:        bind([]string{"ctrl+t"}, "ctrl+t", "new tab"),
		HistorySearch: bind([]string{"alt+r", "f8"}, "alt+r", "search history"),
		CloseTab:      bind([]string{"alt+w"}, "alt+w", "close tab"),
		NextTab:       bind([]string{"ctrl+pgdown", "alt+n"}, "alt+n", "next tab"),
		PrevTab:       bind([]string{"ctrl+pgup", "alt+p"}, "alt+p", "previous tab"),
		Up:            bind([]string{"up"}, "↑", "up"),
		Down:          bind([]string{"down"}, "↓", "down"),
		Left:          bind([]string{"left"}, "←", "left"),
		Right:         bind([]string{"right"}, "→", "right"),
		WordLeft:      bind([]string{"ctrl+left", "alt+left", "alt+b"}, "ctrl+←", "word left"),
		WordRight:     bind([]string{"ctrl+right", "alt+right", "alt+f"}, "ctrl+→", "word right"),
		Home:          bind([]string{"home"}, "home", "line start"),
		End:           bind([]string{"end"}, "end", "line end"),
		PageUp:        bind([]string{"pgup"}, "pgup", "page up"),
		PageDown:      bind([]string{"pgdown"}, "pgdown", "page down"),
		DocStart:      bind([]string{"ctrl+home"}, "ctrl+home", "start"),
		DocEnd:        bind([]string{"ctrl+end"}, "ctrl+end", "end"),
		SelUp:         bind([]string{"shift+up"}, "shift+↑", "select up"),
		SelDown:       bind([]string{"shift+down"}, "shift+↓", "select down"),
		SelLeft:       bind([]string{"shift+left"}, "shift+←", "select left"),
		SelRight:      bind([]string{"shift+right"}, "shift+→", "select right"),
		SelHome:       bind([]string{"shift+home"}, "shift+home", "select to line start"),
		SelEnd:        bind([]string{"shift+end"}, "shift+end", "select to line end"),
		SelWordLeft:   bind([]string{"ctrl+shift+left"}, "ctrl+shift+←", "select word left"),
		SelWordRight:  bind([]string{"ctrl+shift+right"}, "ctrl+shift+→", "select word right"),
		Newline:       bind([]string{"enter"}, "enter", "new line"),
		Backspace:     bind([]string{"backspace"}, "backspace", "delete back"),
		Delete:        bind([]string{"delete"}, "del", "delete"),
		DeleteWord:    bind([]string{"ctrl+w", "alt+backspace"}, "ctrl+w", "cut word"),
		KillLine:      bind([]string{"ctrl+k"}, "ctrl+k", "cut to line end"),
	}
}

func (k *Editor) named() []Named {
	return []Named{
		{"run", &k.Run}, {"run_all", &k.RunAll}, {"explain", &k.Explain},
		{"history_prev", &k.HistoryPrev}, {"history_next", &k.HistoryNext}, {"complete", &k.Complete},
		{"open", &k.Open}, {"save", &k.Save}, {"select_all", &k.SelectAll}, {"undo", &k.Undo},
		{"up", &k.Up}, {"down", &k.Down}, {"left", &k.Left}, {"right", &k.Right},
		{"word_left", &k.WordLeft}, {"word_right", &k.WordRight}, {"home", &k.Home}, {"end", &k.End},
		{"page_up", &k.PageUp}, {"page_down", &k.PageDown}, {"doc_start", &k.DocStart}, {"doc_end", &k.DocEnd},
		{"select_up", &k.SelUp}, {"select_down", &k.SelDown}, {"select_left", &k.SelLeft},
		{"select_right", &k.SelRight}, {"select_home", &k.SelHome}, {"select_end", &k.SelEnd},
		{"select_word_left", &k.SelWordLeft}, {"select_word_right", &k.SelWordRight},
		{"newline", &k.Newline}, {"backspace", &k.Backspace}, {"delete", &k.Delete},
		{"delete_word", &k.DeleteWord}, {"kill_line", &k.KillLine},
		{"line_start", &k.LineStart}, {"line_end", &k.LineEnd}, {"kill_to_start", &k.KillToStart},
		{"yank", &k.Yank}, {"redo", &k.Redo},
		{"history_search", &k.HistorySearch}, {"new_tab", &k.NewTab}, {"close_tab", &k.CloseTab}, {"next_tab", &k.NextTab}, {"prev_tab", &k.PrevTab},
	}
}

// ShortHelp implements help.KeyMap.
func (k Editor) ShortHelp() []key.Binding {
	return []key.Binding{k.Run, k.RunAll, k.Explain, k.Complete, k.HistorySearch}
}

// FullHelp implements help.KeyMap.
func (k Editor) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Run, k.RunAll, k.Explain, k.Complete, k.HistoryPrev, k.HistoryNext, k.HistorySearch, k.Open, k.Save},
		{k.NewTab, k.CloseTab, k.NextTab, k.PrevTab, k.Undo, k.Redo, k.SelectAll, k.SelLeft, k.SelRight},
		{k.LineStart, k.LineEnd, k.KillToStart, k.KillLine, k.DeleteWord, k.Yank, k.WordLeft, k.WordRight},
		{k.Home, k.End, k.PageUp, k.PageDown, k.DocStart, k.DocEnd, k.SelUp, k.SelDown},
	}
}
