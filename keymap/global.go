package keymap

import "charm.land/bubbles/v2/key"

// Global bindings work in every pane (number keys only outside text input).
type Global struct {
	Quit, ForceQuit, Help, NextPane, PrevPane, Refresh key.Binding
	Pane1, Pane2, Pane3, Pane4, Pane5                  key.Binding
	AltPane1, AltPane2, AltPane3, AltPane4, AltPane5   key.Binding
	PrevTab, NextTab, Back, CancelTransfer             key.Binding
}

func defaultGlobal() Global {
	return Global{
		Quit:      bind([]string{"q"}, "q", "quit"),
		ForceQuit: bind([]string{"ctrl+c"}, "ctrl+c", "cancel query / quit"),
		Help:      bind([]string{"?"}, "?", "help"),
		NextPane:  bind([]string{"tab"}, "tab", "next pane"),
		PrevPane:  bind([]string{"shift+tab"}, "shift+tab", "previous pane"),
		Refresh:   bind([]string{"r"}, "r", "refresh"),
		Pane1:     bind([]string{"1"}, "1", "databases"),
		Pane2:     bind([]string{"2"}, "2", "schema"),
		Pane3:     bind([]string{"3"}, "3", "health"),
		Pane4:     bind([]string{"4"}, "4", "editor"),
		Pane5:     bind([]string{"5"}, "5", "results"),
		AltPane1:  bind([]string{"alt+1"}, "alt+1", "databases"),
		AltPane2:  bind([]string{"alt+2"}, "alt+2", "schema"),
		AltPane3:  bind([]string{"alt+3"}, "alt+3", "health"),
		AltPane4:  bind([]string{"alt+4"}, "alt+4", "editor"),
		AltPane5:  bind([]string{"alt+5"}, "alt+5", "results"),
		PrevTab:   bind([]string{"["}, "[", "previous tab"),
		NextTab:   bind([]string{"]"}, "]", "next tab"),
		Back:      bind([]string{"esc"}, "esc", "back"),
		// ctrl+x: no pane or text field uses it, so it works everywhere.
		CancelTransfer: bind([]string{"ctrl+x"}, "ctrl+x", "cancel export/import"),
	}
}

func (g *Global) named() []Named {
	return []Named{
		{"quit", &g.Quit}, {"force_quit", &g.ForceQuit}, {"help", &g.Help},
		{"next_pane", &g.NextPane}, {"prev_pane", &g.PrevPane}, {"refresh", &g.Refresh},
		{"pane1", &g.Pane1}, {"pane2", &g.Pane2}, {"pane3", &g.Pane3}, {"pane4", &g.Pane4}, {"pane5", &g.Pane5},
		{"alt_pane1", &g.AltPane1}, {"alt_pane2", &g.AltPane2}, {"alt_pane3", &g.AltPane3},
		{"alt_pane4", &g.AltPane4}, {"alt_pane5", &g.AltPane5},
		{"prev_tab", &g.PrevTab}, {"next_tab", &g.NextTab}, {"back", &g.Back},
		{"cancel_transfer", &g.CancelTransfer},
	}
}

// ShortHelp implements help.KeyMap.
func (g Global) ShortHelp() []key.Binding {
	return []key.Binding{g.Help, g.NextPane, g.Quit}
}

// FullHelp implements help.KeyMap.
func (g Global) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{g.NextPane, g.PrevPane, g.Pane1, g.Pane2, g.Pane3, g.Pane4, g.Pane5},
		{g.PrevTab, g.NextTab, g.Refresh, g.Back, g.CancelTransfer, g.Help, g.Quit, g.ForceQuit},
	}
}
