// Package dialog holds the overlays that ask the user something: a yes/no
// confirmation, a one-line prompt with inline validation, and the
// type-the-name confirmation that guards deletions. The root model opens
// one from an action, feeds it keys, and draws View over the screen.
package dialog

import (
	"errors"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
)

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
	input         textinput.Model
	validate      func(string) error
	onSubmit      func(string) tea.Msg
	expect        string
	onYes         tea.Msg
	err           error
	closed        bool
}

func base(th *theme.Theme, keys keymap.Dialog, back key.Binding, kind Kind, title, detail string) Model {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = 128
	ti.SetWidth(40)
	return Model{th: th, keys: keys, back: back, kind: kind, title: title, detail: detail, input: ti}
}

// NewConfirm opens a yes/no question.
func NewConfirm(th *theme.Theme, keys keymap.Dialog, back key.Binding, a action.Confirm) Model {
	m := base(th, keys, back, KindConfirm, a.Prompt, a.Detail)
	m.onYes = a.OnYes
	return m
}

// NewPrompt opens a one-line prompt; the returned command starts the cursor.
func NewPrompt(th *theme.Theme, keys keymap.Dialog, back key.Binding, a action.Prompt) (Model, tea.Cmd) {
	m := base(th, keys, back, KindPrompt, a.Title, a.Label)
	m.input.Placeholder = a.Placeholder
	m.validate, m.onSubmit = a.Validate, a.OnSubmit
	return m, m.input.Focus()
}

// NewConfirmName opens the type-the-name confirmation.
func NewConfirmName(th *theme.Theme, keys keymap.Dialog, back key.Binding, a action.ConfirmName) (Model, tea.Cmd) {
	m := base(th, keys, back, KindConfirmName, a.Prompt, a.Detail)
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
