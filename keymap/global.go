package keymap

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
)

// PaneCount is how many panes the number keys reach.
const PaneCount = 5

// PaneNames are the panes in focus order: pane i is reached with the number
// key i+1 (and alt+i+1). The UI's pane order and labels come from here.
func PaneNames() [PaneCount]string {
	return [PaneCount]string{"Databases", "Schema", "Health", "Editor", "Results"}
}

// Global bindings work in every pane (number keys only outside text input).
type Global struct {
	Quit, ForceQuit, Help, NextPane, PrevPane, Refresh key.Binding
	Pane, AltPane                                      [PaneCount]key.Binding // focus pane i
	PrevTab, NextTab, Back, CancelTransfer             key.Binding
}

func (g *Global) decls() []decl {
	ds := []decl{
		{&g.NextPane, "next_pane", ks("tab"), "", "next pane", 1, 2},
		{&g.PrevPane, "prev_pane", ks("shift+tab"), "", "previous pane", 1, 0},
	}
	for i, name := range PaneNames() {
		n := strconv.Itoa(i + 1)
		ds = append(ds, decl{&g.Pane[i], "pane" + n, ks(n), "", strings.ToLower(name), 1, 0})
	}
	for i, name := range PaneNames() {
		n := strconv.Itoa(i + 1)
		ds = append(ds, decl{&g.AltPane[i], "alt_pane" + n, ks("alt+" + n), "", strings.ToLower(name), 0, 0})
	}
	return append(ds,
		decl{&g.PrevTab, "prev_tab", ks("["), "", "previous tab", 2, 0},
		decl{&g.NextTab, "next_tab", ks("]"), "", "next tab", 2, 0},
		decl{&g.Refresh, "refresh", ks("r"), "", "refresh", 2, 0},
		decl{&g.Back, "back", ks("esc"), "", "back", 2, 0},
		// ctrl+x: no pane or text field uses it, so it works everywhere.
		decl{&g.CancelTransfer, "cancel_transfer", ks("ctrl+x"), "", "cancel export/import", 2, 0},
		decl{&g.Help, "help", ks("?"), "", "help", 2, 1},
		decl{&g.Quit, "quit", ks("q"), "", "quit", 2, 3},
		decl{&g.ForceQuit, "force_quit", ks("ctrl+c"), "", "cancel query / quit", 2, 0},
	)
}

// ShortHelp implements help.KeyMap.
func (g Global) ShortHelp() []key.Binding { return shortHelp(g.decls()) }

// FullHelp implements help.KeyMap.
func (g Global) FullHelp() [][]key.Binding { return fullHelp(g.decls()) }
