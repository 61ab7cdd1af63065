package ui

import (
	"flag"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/viewtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// newTestModel is a root model over api with a fixed clock and theme, sized.
func newTestModel(t *testing.T, api API, w, h int) *Model {
	t.Helper()
	m := New(api, Options{Theme: "dark", Now: func() time.Time { return fixedNow }, Refresh: time.Hour})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// run executes cmd and feeds every message it produces back into m, the way
// the runtime would, skipping ticks (time is driven by the tests).
func run(m *Model, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 200; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		wait := 60 * time.Millisecond
		if m.seeding || (m.draftsOn() && !m.draft.ready) {
			// dozens of statements, or a draft read from disk: slow under
			// -race or on a loaded machine
			wait = 2 * time.Second
		}
		msg := viewtest.RunCmd(c, wait)
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg, pollTickMsg:
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// press sends a key and runs what it produces.
func press(m *Model, keys ...tea.KeyPressMsg) {
	for _, k := range keys {
		_, cmd := m.Update(k)
		run(m, cmd)
	}
}

// kp builds a key press from its keystroke name ("a", "enter", "alt+3").
func kp(s string) tea.KeyPressMsg { return viewtest.Key(s) }

func typeText(m *Model, s string) { press(m, viewtest.Typed(s)...) }

// golden compares got (colour stripped) with testdata/name.golden.
func golden(t *testing.T, name, got string) {
	t.Helper()
	viewtest.Golden(t, *update, name, ansi.Strip(got))
}

// ctrl is ctrl plus a letter.
func ctrl(r rune) tea.KeyPressMsg { return viewtest.Ctrl(r) }
