// Package dialog holds the overlays that ask the user something: a yes/no
// confirmation, a one-line prompt with inline validation, and the
// type-the-name confirmation that guards deletions. The root model opens
// one from an action, feeds it keys, and draws View over the screen.
package dialog

import (
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/pathinput"
)

// CompletionID names the dialog's path prompts in completion requests.
const CompletionID = "dialog"

// Kind is the sort of dialog.
type Kind int

// Dialog kinds.
const (
	KindConfirm Kind = iota
	KindPrompt
	KindConfirmName
)

// Model is one open dialog.
type Model struct {
	th   *theme.Theme
	keys keymap.Dialog
	back key.Binding

	kind          Kind
	title, detail string
	input         pathinput.Model
	path          bool // a file prompt: tab completes
	validate      func(string) error
	onSubmit      func(string) tea.Msg
	choice        *action.Choice // a prompt's one-of picker, nil without one
	chosen        int            // index into choice.Options
	expect        string
	onYes         tea.Msg
	err           error
	closed        bool
}

func base(th *theme.Theme, keys keymap.Dialog, back key.Binding, kind Kind, title, detail string, path bool) Model {
	id := ""
	if path {
		id = CompletionID
	}
	in := pathinput.New(th, id, keys.Complete)
	in.Prompt = "› "
	if !path {
		in.CharLimit = 128
	}
	in.SetWidth(40)
	return Model{th: th, keys: keys, back: back, kind: kind, title: title, detail: detail, input: in, path: path}
}

// NewConfirm opens a yes/no question.
func NewConfirm(th *theme.Theme, keys keymap.Dialog, back key.Binding, a action.Confirm) Model {
	m := base(th, keys, back, KindConfirm, a.Prompt, a.Detail, false)
	m.onYes = a.OnYes
	return m
}

// NewPrompt opens a one-line prompt; the returned command starts the cursor.
func NewPrompt(th *theme.Theme, keys keymap.Dialog, back key.Binding, a action.Prompt) (Model, tea.Cmd) {
	m := base(th, keys, back, KindPrompt, a.Title, a.Label, a.Path)
	m.input.Placeholder = a.Placeholder
	m.validate, m.onSubmit = a.Validate, a.OnSubmit
	if c := a.Choice; c != nil && len(c.Options) > 0 && !a.Path {
		m.choice = c
		m.chosen = min(max(c.Selected, 0), len(c.Options)-1)
	}
	return m, m.input.Focus()
}

// NewConfirmName opens the type-the-name confirmation.
func NewConfirmName(th *theme.Theme, keys keymap.Dialog, back key.Binding, a action.ConfirmName) (Model, tea.Cmd) {
	m := base(th, keys, back, KindConfirmName, a.Prompt, a.Detail, false)
	m.expect, m.onYes = a.Name, a.OnYes
	return m, m.input.Focus()
}

// Kind reports which sort of dialog this is.
func (m Model) Kind() Kind { return m.kind }

// Closed reports whether the dialog is done (answered or cancelled).
func (m Model) Closed() bool { return m.closed }

// Err is the inline validation error, if any.
func (m Model) Err() error { return m.err }

// Value is the text typed so far.
func (m Model) Value() string { return m.input.Value() }

// Chosen is the option the prompt's picker shows, "" without a picker.
func (m Model) Chosen() string {
	if m.choice == nil {
		return ""
	}
	return m.choice.Options[m.chosen]
}

// SetCompletions hands a path completion answer to the input; answers
// for another prompt or an outdated text are dropped.
func (m *Model) SetCompletions(a action.PathCompletions) {
	if !m.closed {
		m.input.SetCompletions(a)
		m.err = m.check(m.input.Value(), false)
	}
}

// Update handles keys and pastes; it closes the dialog on an answer and
// returns the answer's message as a command.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.closed {
		return m, nil
	}
	km, isKey := msg.(tea.KeyPressMsg)
	if isKey && key.Matches(km, m.back) {
		m.closed = true
		return m, nil
	}
	if m.kind == KindConfirm {
		if !isKey {
			return m, nil
		}
		switch {
		case key.Matches(km, m.keys.Yes), key.Matches(km, m.keys.Submit):
			m.closed = true
			return m, emit(m.onYes)
		case key.Matches(km, m.keys.No):
			m.closed = true
		}
		return m, nil
	}
	if isKey && key.Matches(km, m.keys.Submit) {
		return m.submit()
	}
	if isKey && m.choice != nil && km.Code == tea.KeyTab {
		n := len(m.choice.Options)
		step := 1
		if km.Mod == tea.ModShift {
			step = n - 1
		}
		m.chosen = (m.chosen + step) % n
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	m.err = m.check(m.input.Value(), false)
	return m, cmd
}

func (m Model) submit() (Model, tea.Cmd) {
	v := m.input.Value()
	if m.err = m.check(v, true); m.err != nil {
		return m, nil
	}
	m.closed = true
	if m.kind == KindConfirmName {
		return m, emit(m.onYes)
	}
	if m.choice != nil {
		if m.choice.OnSubmit == nil {
			return m, nil
		}
		return m, emit(m.choice.OnSubmit(v, m.Chosen()))
	}
	if m.onSubmit == nil {
		return m, nil
	}
	return m, emit(m.onSubmit(v))
}

// check validates v; while typing (final false) an empty value is not an
// error yet, so the dialog does not open with a complaint.
func (m Model) check(v string, final bool) error {
	if v == "" && !final {
		return nil
	}
	switch m.kind {
	case KindConfirmName:
		if v != m.expect {
			return errors.New("the name does not match")
		}
	case KindPrompt:
		if m.validate != nil {
			return m.validate(v)
		}
	}
	return nil
}

func emit(msg tea.Msg) tea.Cmd {
	if msg == nil {
		return nil
	}
	return action.Emit(msg)
}

// RefreshStyles rebuilds the prompt's input styles after the theme changed.
func (m *Model) RefreshStyles() { m.input.RefreshStyles() }
