package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

// paneID names the panes in focus order, the order of keymap.PaneNames
// (pane i is focused by the key bindings Pane[i] and AltPane[i]).
type paneID int

const (
	paneDatabases paneID = iota
	paneSchema
	paneHealth
	paneEditor
	paneResults
	paneCount
)

// one pane list: a pane added here without keymap.PaneNames does not compile
var _ = [1]struct{}{}[paneCount-keymap.PaneCount]

// paneName is the pane's title, e.g. "Editor".
func paneName(p paneID) string { return keymap.PaneNames()[p] }

// paneByName maps action.Focus names to panes.
func paneByName(name string) (paneID, bool) {
	for i, n := range keymap.PaneNames() {
		if strings.EqualFold(n, name) {
			return paneID(i), true
		}
	}
	return 0, false
}

// slot is what the root needs from a pane, whatever its concrete type.
// The root lays the slots out and tells each of a database switch; what a
// pane does about its new size or the switch is declared where it is
// wrapped (onResize, resetsWith), not at the root's call sites.
type slot interface {
	update(tea.Msg) tea.Cmd
	view() string
	setSize(w, h int) tea.Cmd // the pane's answer to its size (the grid fetches the rows it now shows)
	reset(focused bool)       // the current database changed: start afresh if the pane is per database
	title() string
	focus()
	blur()
	inTextInput() bool
	keys() help.KeyMap
	refreshStyles() // the theme changed: rebuild what was derived from it
}

// paneModel is the value side of the pane contract (views/*).
type paneModel[M any] interface {
	Update(tea.Msg) (M, tea.Cmd)
	View() string
	Title() string
	InTextInput() bool
}

// panePtr is the pointer side of the pane contract.
type panePtr[M any] interface {
	*M
	SetSize(w, h int)
	Focus()
	Blur()
	RefreshStyles()
}

// paneSlot adapts any pane following the contract; plugging a new pane in is
// `wrap(editor.New(th, km.Editor), km.Editor)`.
type paneSlot[M paneModel[M], P panePtr[M]] struct {
	m    M
	km   help.KeyMap
	w, h int // last inner size, so a pane can be replaced in place

	resized func(P) tea.Cmd // what the pane does once sized; nil for nothing
	fresh   func() M        // a new pane for a new database; nil: the pane outlives a switch
}

func wrap[M paneModel[M], P panePtr[M]](m M, km help.KeyMap) *paneSlot[M, P] {
	return &paneSlot[M, P]{m: m, km: km}
}

// onResize declares what the pane does after every layout: its command
// goes out with the layout's.
func (s *paneSlot[M, P]) onResize(fn func(P) tea.Cmd) *paneSlot[M, P] {
	s.resized = fn
	return s
}

// resetsWith declares the pane per database: a database switch replaces
// it with fresh(), at its size and focus.
func (s *paneSlot[M, P]) resetsWith(fresh func() M) *paneSlot[M, P] {
	s.fresh = fresh
	return s
}

func (s *paneSlot[M, P]) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	return cmd
}
func (s *paneSlot[M, P]) view() string { return s.m.View() }
func (s *paneSlot[M, P]) setSize(w, h int) tea.Cmd {
	s.w, s.h = w, h
	P(&s.m).SetSize(w, h)
	if s.resized == nil {
		return nil
	}
	return s.resized(P(&s.m))
}
func (s *paneSlot[M, P]) reset(focused bool) {
	if s.fresh != nil {
		s.replace(s.fresh(), focused)
	}
}
func (s *paneSlot[M, P]) title() string     { return s.m.Title() }
func (s *paneSlot[M, P]) focus()            { P(&s.m).Focus() }
func (s *paneSlot[M, P]) blur()             { P(&s.m).Blur() }
func (s *paneSlot[M, P]) inTextInput() bool { return s.m.InTextInput() }
func (s *paneSlot[M, P]) keys() help.KeyMap { return s.km }
func (s *paneSlot[M, P]) refreshStyles()    { P(&s.m).RefreshStyles() }
func (s *paneSlot[M, P]) model() *M         { return &s.m }

// replace swaps in a fresh pane model, keeping its size and focus.
func (s *paneSlot[M, P]) replace(m M, focused bool) {
	s.m = m
	P(&s.m).SetSize(s.w, s.h)
	if focused {
		P(&s.m).Focus()
	}
}

// tabbed shows one of several panes in one slot (Results · Chart · Plan).
type tabbed struct {
	th     *theme.Theme
	names  []string
	tabs   []slot
	active int
	note   string // the root's word on the Results tab (a running statement's clock)
}

func (t *tabbed) cur() slot { return t.tabs[t.active] }

// activeName is the name of the visible tab.
func (t *tabbed) activeName() string { return t.names[t.active] }

// update sends keys to the visible tab only and everything else to all.
func (t *tabbed) update(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
		return t.cur().update(msg)
	}
	cmds := make([]tea.Cmd, 0, len(t.tabs))
	for _, s := range t.tabs {
		cmds = append(cmds, s.update(msg))
	}
	return tea.Batch(cmds...)
}
func (t *tabbed) view() string { return t.cur().view() }
func (t *tabbed) setSize(w, h int) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(t.tabs))
	for _, s := range t.tabs {
		cmds = append(cmds, s.setSize(w, h))
	}
	return tea.Batch(cmds...)
}

// reset resets every tab; only the visible one can have the focus.
func (t *tabbed) reset(focused bool) {
	for i, s := range t.tabs {
		s.reset(focused && i == t.active)
	}
}

// title shows the tab strip and the visible tab's own title.
func (t *tabbed) title() string {
	parts := make([]string, len(t.names))
	for i, n := range t.names {
		if i == t.active {
			parts[i] = "[" + n + "]"
		} else {
			parts[i] = n
		}
	}
	own := t.cur().title()
	strip := strings.Join(parts, " ")
	if own != "" && own != t.names[t.active] {
		strip += " · " + strings.TrimPrefix(own, t.names[t.active]+" · ")
	}
	if t.note != "" && t.active == 0 {
		strip += " · " + t.note
	}
	return strip
}
func (t *tabbed) focus()            { t.cur().focus() }
func (t *tabbed) blur()             { t.cur().blur() }
func (t *tabbed) inTextInput() bool { return t.cur().inTextInput() }
func (t *tabbed) keys() help.KeyMap { return t.cur().keys() }
func (t *tabbed) refreshStyles() {
	for _, s := range t.tabs {
		s.refreshStyles()
	}
}

// switchTab moves to another tab, keeping focus on the slot.
func (t *tabbed) switchTab(delta int, focused bool) {
	if focused {
		t.cur().blur()
	}
	t.active = (t.active + delta + len(t.tabs)) % len(t.tabs)
	if focused {
		t.cur().focus()
	}
}

// selectTab shows the named tab; unknown names are ignored.
func (t *tabbed) selectTab(name string, focused bool) {
	for i, n := range t.names {
		if strings.EqualFold(n, name) {
			t.switchTab(i-t.active, focused)
			return
		}
	}
}
