// Package pathinput is a one-line input for file paths with tab completion,
// shared by every prompt that asks for a file. It does no I/O: tab emits
// action.CompletePath, the root lists the directory in a command and hands
// the answer back through SetCompletions. One candidate is completed at
// once (a directory gets its "/"); several complete to their longest
// common prefix and are listed under the input, where further tabs cycle
// through them.
package pathinput

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
)

// Model is the input and its completion state. The embedded textinput
// gives Value, Focus, Blur, SetWidth, Prompt, Placeholder and the rest;
// Update, View and SetValue are the completing versions.
type Model struct {
	textinput.Model

	th       *theme.Theme
	id       string      // "" turns completion off
	complete key.Binding // extra keys that complete besides tab

	seq     int    // number of the latest completion request
	pending string // the input the latest request was for

	dir     string             // the typed directory the candidates are in
	cands   []action.PathEntry // listed under the input when several match
	total   int                // how many matched (cands may be fewer)
	cycle   int                // candidate shown by the last tab, -1 before cycling
	shown   string             // the value the list belongs to; typing ends it
	message string             // "no match", or why the directory could not be read
}

// New returns an empty path input. id names the prompt in completion
// requests ("" makes it a plain input); complete lists keys that complete
// besides tab (for terminals or configs that want another).
func New(th *theme.Theme, id string, complete key.Binding) Model {
	ti := textinput.New()
	ti.CharLimit = 4096
	ti.SetStyles(th.TextInput())
	return Model{Model: ti, th: th, id: id, complete: complete, cycle: -1}
}

// RefreshStyles rebuilds the input's styles from the theme after it
// changed. A zero Model (no prompt open) has no theme and nothing to do.
func (m *Model) RefreshStyles() {
	if m.th != nil {
		m.Model.SetStyles(m.th.TextInput())
	}
}

// SetValue replaces the text and forgets any completion in progress.
func (m *Model) SetValue(s string) {
	m.Model.SetValue(s)
	m.reset()
}

func (m *Model) reset() {
	m.cands, m.total, m.cycle, m.shown, m.message, m.dir = nil, 0, -1, "", "", ""
}

// Update handles keys and pastes: tab completes (or cycles), shift+tab
// cycles back, the rest edits the text.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if km, ok := msg.(tea.KeyPressMsg); ok && m.id != "" {
		switch {
		case km.Code == tea.KeyTab && km.Mod == 0, key.Matches(km, m.complete):
			return m.tab(1)
		case km.Code == tea.KeyTab && km.Mod == tea.ModShift:
			if m.cycling() {
				return m.tab(-1)
			}
			return m, nil
		}
	}
	before := m.Model.Value()
	var cmd tea.Cmd
	m.Model, cmd = m.Model.Update(msg)
	if m.Model.Value() != before {
		m.reset()
	}
	return m, cmd
}

// cycling reports whether a tab now steps through the listed candidates
// instead of asking again: the list is for the text as it stands.
func (m Model) cycling() bool {
	return len(m.cands) > 1 && m.shown == m.Model.Value()
}

// tab steps through the candidates, or asks for them.
func (m Model) tab(step int) (Model, tea.Cmd) {
	if m.cycling() {
		n := len(m.cands)
		next := m.cycle
		for range n { // skip names that cannot be typed
			if next < 0 {
				next = 0
				if step < 0 {
					next = n - 1
				}
			} else {
				next = (next + step + n) % n
			}
			if Typable(m.cands[next].Name) {
				break
			}
		}
		m.cycle = next
		m.setKeeping(m.dir + entryText(m.cands[next]))
		return m, nil
	}
	m.seq++
	m.pending = m.Model.Value()
	m.message = ""
	return m, action.Emit(action.CompletePath{ID: m.id, Seq: m.seq, Input: m.pending})
}

// setKeeping sets the text without ending the completion: the list stays
// and the next tab goes on cycling.
func (m *Model) setKeeping(v string) {
	m.Model.SetValue(v)
	m.Model.CursorEnd()
	m.shown = m.Model.Value()
}

// SetCompletions applies the root's answer; an answer for another prompt,
// an older request or a text typed on since is dropped. It reports whether
// the answer was used.
func (m *Model) SetCompletions(a action.PathCompletions) bool {
	if m.id == "" || a.ID != m.id || a.Seq != m.seq || a.Input != m.Model.Value() {
		return false
	}
	m.reset()
	if a.Err != nil {
		m.message = a.Err.Error()
		return true
	}
	dir, base := Split(a.Input)
	var typable []action.PathEntry
	for _, e := range a.Entries {
		if Typable(e.Name) {
			typable = append(typable, e)
		}
	}
	switch {
	case len(a.Entries) == 0:
		m.message = "no match"
		return true
	case len(a.Entries) == 1 && len(typable) == 1:
		m.Model.SetValue(dir + entryText(typable[0]))
		m.Model.CursorEnd()
		return true
	}
	if p := commonPrefix(typable); len(p) > len(base) && len(a.Entries) == len(typable) {
		m.Model.SetValue(dir + p)
		m.Model.CursorEnd()
	}
	m.dir, m.cands, m.total = dir, a.Entries, max(a.Total, len(a.Entries))
	m.shown = m.Model.Value()
	if len(typable) == 0 {
		m.message = "the matching names hold control characters: rename the file to use it"
	}
	return true
}

// Split cuts a typed path into its directory part (up to and including
// the last "/", as typed) and the base being completed.
func Split(input string) (dir, base string) {
	i := strings.LastIndex(input, "/")
	return input[:i+1], input[i+1:]
}

// Typable reports whether a name survives the input unchanged: names with
// control characters, tabs or invalid UTF-8 would be altered (the input
// strips them), so they are shown, sanitized, but never inserted.
func Typable(name string) bool {
	if !utf8.ValidString(name) {
		return false
	}
	return strings.IndexFunc(name, unicode.IsControl) < 0
}

func entryText(e action.PathEntry) string {
	if e.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// commonPrefix is the longest prefix all names share, cut at a rune
// boundary.
func commonPrefix(entries []action.PathEntry) string {
	if len(entries) == 0 {
		return ""
	}
	p := entries[0].Name
	for _, e := range entries[1:] {
		n := 0
		for n < len(p) && n < len(e.Name) && p[n] == e.Name[n] {
			n++
		}
		p = p[:n]
	}
	for len(p) > 0 && !utf8.ValidString(p) {
		p = p[:len(p)-1]
	}
	return p
}
