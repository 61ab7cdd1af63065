package ui

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
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
		wait := 20 * time.Millisecond
		if m.seeding {
			wait = 2 * time.Second // dozens of statements: slow under -race
		}
		msg := execCmd(c, wait)
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

// execCmd runs c with a deadline, since tea.Tick commands sleep.
func execCmd(c tea.Cmd, wait time.Duration) tea.Msg {
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case msg := <-ch:
		return msg
	case <-time.After(wait):
		return nil
	}
}

// press sends a key and runs what it produces.
func press(m *Model, keys ...tea.KeyPressMsg) {
	for _, k := range keys {
		_, cmd := m.Update(k)
		run(m, cmd)
	}
}

func kp(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	}
	if strings.HasPrefix(s, "alt+") {
		r := []rune(s[4:])[0]
		return tea.KeyPressMsg{Code: r, Mod: tea.ModAlt}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func typeText(m *Model, s string) {
	for _, r := range s {
		press(m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// golden compares got (colour stripped) with testdata/name.golden.
func golden(t *testing.T, name, got string) {
	t.Helper()
	got = ansi.Strip(got)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s differs from golden:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// ctrl is ctrl plus a letter.
func ctrl(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl} }
