package dialog

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
)

type answer struct{ v string }

func setup() (*theme.Theme, keymap.KeyMap) {
	th := theme.MustNew(theme.Dark, true, false)
	return &th, keymap.Default()
}

func press(m Model, keys ...tea.KeyPressMsg) (Model, tea.Msg) {
	var last tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(k)
		if cmd != nil && m.Closed() {
			last = cmd()
		}
	}
	return m, last
}

func typed(s string) []tea.KeyPressMsg { return viewtest.Typed(s) }

var (
	enter = viewtest.Key("enter")
	esc   = viewtest.Key("esc")
)

func TestConfirm(t *testing.T) {
	th, km := setup()
	for _, tc := range []struct {
		key  tea.KeyPressMsg
		want tea.Msg
	}{
		{tea.KeyPressMsg{Code: 'y', Text: "y"}, answer{"yes"}},
		{enter, answer{"yes"}},
		{tea.KeyPressMsg{Code: 'n', Text: "n"}, nil},
		{esc, nil},
	} {
		m := NewConfirm(th, km.Dialog, km.Global.Back, action.Confirm{Prompt: "Sure?", OnYes: answer{"yes"}})
		m, got := press(m, tc.key)
		if !m.Closed() || got != tc.want {
			t.Fatalf("%v: closed=%v got %#v", tc.key, m.Closed(), got)
		}
	}
}

func TestPromptValidatesInline(t *testing.T) {
	th, km := setup()
	m, _ := NewPrompt(th, km.Dialog, km.Global.Back, action.Prompt{
		Title: "Name",
		Validate: func(s string) error {
			if strings.Contains(s, " ") {
				return errors.New("no spaces")
			}
			return nil
		},
		OnSubmit: func(s string) tea.Msg { return answer{s} },
	})
	m, got := press(m, append(typed("a b"), enter)...)
	if m.Closed() || got != nil || m.Err() == nil {
		t.Fatal("invalid value accepted")
	}
	if !strings.Contains(ansi.Strip(m.View(80)), "✖ no spaces") {
		t.Fatalf("error not shown:\n%s", ansi.Strip(m.View(80)))
	}
	m, got = press(m, tea.KeyPressMsg{Code: tea.KeyBackspace}, tea.KeyPressMsg{Code: tea.KeyBackspace}, tea.KeyPressMsg{Code: 'c', Text: "c"}, enter)
	if !m.Closed() || got != (answer{"ac"}) {
		t.Fatalf("got %#v closed=%v", got, m.Closed())
	}
}

func TestPromptEmptyIsRejectedOnSubmit(t *testing.T) {
	th, km := setup()
	m, _ := NewPrompt(th, km.Dialog, km.Global.Back, action.Prompt{
		Validate: func(s string) error {
			if s == "" {
				return errors.New("required")
			}
			return nil
		},
		OnSubmit: func(s string) tea.Msg { return answer{s} },
	})
	if m.Err() != nil {
		t.Fatal("fresh prompt shows an error")
	}
	m, _ = press(m, enter)
	if m.Closed() || m.Err() == nil {
		t.Fatal("empty value accepted")
	}
}

func TestConfirmNameNeedsExactName(t *testing.T) {
	th, km := setup()
	m, _ := NewConfirmName(th, km.Dialog, km.Global.Back, action.ConfirmName{Prompt: "Delete?", Name: "sales", OnYes: answer{"deleted"}})
	m, got := press(m, append(typed("Sales"), enter)...)
	if m.Closed() || got != nil {
		t.Fatal("wrong case accepted")
	}
	m, _ = press(m, esc)
	if !m.Closed() {
		t.Fatal("esc did not cancel")
	}
	m, _ = NewConfirmName(th, km.Dialog, km.Global.Back, action.ConfirmName{Name: "sales", OnYes: answer{"deleted"}})
	m, got = press(m, append(typed("sales"), enter)...)
	if !m.Closed() || got != (answer{"deleted"}) {
		t.Fatalf("got %#v", got)
	}
}

func TestViewSanitizesAndFits(t *testing.T) {
	th, km := setup()
	m := NewConfirm(th, km.Dialog, km.Global.Back, action.Confirm{Prompt: "Prune \x1b]0;pwned\a?", Detail: "x"})
	for _, w := range []int{0, 10, 40, 200} {
		v := m.View(w)
		if strings.Contains(v, "\x1b]0;") {
			t.Fatal("escape sequence reached the terminal")
		}
		if w >= 14 {
			for _, l := range strings.Split(v, "\n") {
				if ansi.StringWidth(l) > w {
					t.Fatalf("width %d: line %q too wide", w, ansi.Strip(l))
				}
			}
		}
	}
}

func TestPathPromptCompletes(t *testing.T) {
	th, km := setup()
	m, _ := NewPrompt(th, km.Dialog, km.Global.Back, action.Prompt{
		Title: "Open", Path: true,
		OnSubmit: func(s string) tea.Msg { return answer{s} },
	})
	m, _ = press(m, typed("qu")...)
	m, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	if cmd == nil {
		t.Fatal("tab asked for nothing")
	}
	req, ok := cmd().(action.CompletePath)
	if !ok || req.ID != CompletionID || req.Input != "qu" {
		t.Fatalf("request %#v", cmd())
	}
	m.SetCompletions(action.PathCompletions{ID: req.ID, Seq: req.Seq, Input: "qu", Total: 2,
		Entries: []action.PathEntry{{Name: "queries"}, {Name: "query_old.sql"}}})
	v := ansi.Strip(m.View(80))
	if m.Value() != "quer" || !strings.Contains(v, "queries  query_old.sql") || !strings.Contains(v, "tab completes") {
		t.Fatalf("value %q, view:\n%s", m.Value(), v)
	}
	m, _ = press(m, tea.KeyPressMsg{Code: tea.KeyTab}, tea.KeyPressMsg{Code: tea.KeyTab})
	m, got := press(m, enter)
	if got != (answer{"query_old.sql"}) {
		t.Fatalf("submitted %#v", got)
	}
}

func TestPlainPromptDoesNotComplete(t *testing.T) {
	th, km := setup()
	m, _ := NewPrompt(th, km.Dialog, km.Global.Back, action.Prompt{Title: "Name"})
	m, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	if cmd != nil {
		if _, ok := cmd().(action.CompletePath); ok {
			t.Fatal("a name prompt asked for path completions")
		}
	}
	if strings.Contains(ansi.Strip(m.View(80)), "tab completes") {
		t.Fatal("a name prompt offers completion")
	}
}

type spawned struct{ name, backend string }

// TestPromptWithChoice: tab and shift+tab step through the options (both
// ways round), typing still edits the text, and enter sends the text with
// the option shown; an invalid text keeps the prompt open.
func TestPromptWithChoice(t *testing.T) {
	th, km := setup()
	m, _ := NewPrompt(th, km.Dialog, km.Global.Back, action.Prompt{
		Title: "New database", Label: "Name",
		Validate: func(s string) error {
			if strings.Contains(s, " ") {
				return errors.New("no spaces")
			}
			return nil
		},
		Choice: &action.Choice{Label: "Backend", Options: []string{"sqlite", "postgres"}, Selected: 1,
			OnSubmit: func(text, option string) tea.Msg { return spawned{text, option} }},
	})
	tab, shiftTab := tea.KeyPressMsg{Code: tea.KeyTab}, tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	if m.Chosen() != "postgres" {
		t.Fatalf("starts on %q, want the selected option", m.Chosen())
	}
	view := ansi.Strip(m.View(80))
	if !strings.Contains(view, "Backend  ○ sqlite ● postgres") || !strings.Contains(view, "tab backend · enter confirms · esc cancels") {
		t.Fatalf("picker not drawn:\n%s", view)
	}
	m, _ = press(m, typed("sh")...)
	m, _ = press(m, tab)
	if m.Chosen() != "sqlite" || m.Value() != "sh" {
		t.Fatalf("after tab: %q, text %q", m.Chosen(), m.Value())
	}
	m, _ = press(m, shiftTab, shiftTab)
	if m.Chosen() != "sqlite" {
		t.Fatalf("shift+tab twice from sqlite: %q", m.Chosen())
	}
	m, _ = press(m, shiftTab)
	if !strings.Contains(ansi.Strip(m.View(80)), "● postgres") {
		t.Fatalf("shift+tab did not wrap round:\n%s", ansi.Strip(m.View(80)))
	}
	m, got := press(m, append(typed(" x"), enter)...)
	if m.Closed() || got != nil {
		t.Fatal("invalid name accepted")
	}
	m, _ = press(m, tea.KeyPressMsg{Code: tea.KeyBackspace}, tea.KeyPressMsg{Code: tea.KeyBackspace})
	m, got = press(m, append(typed("op"), enter)...)
	if !m.Closed() || got != (spawned{"shop", "postgres"}) {
		t.Fatalf("submit: closed=%v got %#v", m.Closed(), got)
	}
}

// TestChoiceOptionsAreSanitized: an option or label with escapes is drawn
// without them.
func TestChoiceOptionsAreSanitized(t *testing.T) {
	th, km := setup()
	m, _ := NewPrompt(th, km.Dialog, km.Global.Back, action.Prompt{
		Title: "t", Choice: &action.Choice{Label: "B\x1b[2J", Options: []string{"a\x1b]0;x\x07"}}})
	if v := m.View(80); strings.Contains(v, "\x1b[2J") || strings.Contains(v, "\x1b]0;") {
		t.Fatalf("escape reached the screen: %q", v)
	}
}
