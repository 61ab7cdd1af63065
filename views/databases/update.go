package databases

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
)

// Update handles keys (when focused) and nothing else: data arrives through
// the setters.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, m.filter.Forward(msg)
	}
	if !m.focused {
		return m, nil
	}
	if m.backups.open {
		return m.updateBackups(km)
	}
	if m.filter.Typing {
		return m.updateFilter(km)
	}
	return m.updateList(km)
}

func (m Model) updateFilter(km tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case m.filter.Leave(km):
		m.refilter(m.Selected())
		return m, nil
	case km.Code == tea.KeyUp:
		m.move(-1)
		return m, nil
	case km.Code == tea.KeyDown:
		m.move(1)
		return m, nil
	}
	keep := m.Selected()
	cmd := m.filter.Type(km)
	m.refilter(keep)
	return m, cmd
}

func (m Model) updateList(km tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	name := m.Selected()
	switch {
	case key.Matches(km, k.Up):
		m.move(-1)
	case key.Matches(km, k.Down):
		m.move(1)
	case key.Matches(km, k.Top):
		m.cursor = 0
		m.clampScroll()
	case key.Matches(km, k.Bottom):
		m.cursor = len(m.visible) - 1
		m.clampScroll()
	case key.Matches(km, k.Filter):
		return m, m.filter.Open()
	case key.Matches(km, k.ClearInput), km.Code == tea.KeyEscape && m.filter.Value() != "":
		// esc (the global "back") clears an applied filter first
		m.filter.Input.SetValue("")
		m.refilter(name)
	case key.Matches(km, k.ShowPruned):
		m.showPruned = !m.showPruned
		m.refilter(name)
		return m, action.Emit(action.RefreshDatabases{All: m.showPruned})
	case key.Matches(km, k.Select):
		if name != "" {
			return m, action.Emit(action.SelectDatabase{Name: name})
		}
	case key.Matches(km, k.Spawn):
		if m.readOnly {
			return m, readOnlyStatus()
		}
		return m, action.Emit(m.spawnPrompt())
	case key.Matches(km, k.Fork):
		if name == "" {
			return m, nil
		}
		if m.readOnly {
			return m, readOnlyStatus()
		}
		return m, action.Emit(action.Prompt{
			Title:       fmt.Sprintf("Fork %q", sanitize.Line(name)),
			Label:       "New name",
			Placeholder: "e.g. " + forkSuggestion(name),
			Validate:    ValidateName,
			OnSubmit:    func(s string) tea.Msg { return action.ForkDatabase{Source: name, To: s} },
		})
	case key.Matches(km, k.Prune):
		if name == "" {
			return m, nil
		}
		if m.readOnly {
			return m, readOnlyStatus()
		}
		return m, action.Emit(action.Confirm{
			Prompt: fmt.Sprintf("Prune %q?", sanitize.Line(name)),
			Detail: "It stops and leaves the list; its data is kept and `n` with the same name brings it back.",
			OnYes:  action.PruneDatabase{Name: name},
		})
	case key.Matches(km, k.Export), key.Matches(km, k.Import),
		key.Matches(km, k.Backup), key.Matches(km, k.Backups):
		return m.transferKey(km, name)
	case key.Matches(km, k.Delete):
		if name == "" {
			return m, nil
		}
		if m.readOnly {
			return m, readOnlyStatus()
		}
		return m, action.Emit(action.ConfirmName{
			Prompt: fmt.Sprintf("Delete %q for good?", sanitize.Line(name)),
			Detail: "Its files are removed and cannot be recovered. Type the name to confirm.",
			Name:   name,
			OnYes:  action.DeleteDatabase{Name: name},
		})
	}
	return m, nil
}

func (m *Model) move(d int) {
	m.cursor += d
	m.clampScroll()
}

func readOnlyStatus() tea.Cmd {
	return action.Emit(action.Status{Text: "read-only session: databases cannot be changed", Error: true})
}

// forkSuggestion is the placeholder name offered for a fork of name.
func forkSuggestion(name string) string { return name + "_copy" }

// spawnPrompt asks for a new database's name and backend; the picker
// starts on the backend chosen last.
func (m Model) spawnPrompt() action.Prompt {
	backends := client.Backends()
	return action.Prompt{
		Title:       "New database",
		Label:       "Name",
		Placeholder: "e.g. analytics",
		Validate:    ValidateName,
		Choice: &action.Choice{
			Label:    "Backend",
			Options:  backends,
			Selected: max(slices.Index(backends, m.spawnBackend), 0),
			OnSubmit: func(name, backend string) tea.Msg { return action.SpawnDatabase{Name: name, Backend: backend} },
		},
	}
}
