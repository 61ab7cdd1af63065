package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/viewtest"
)

func TestFocusCycling(t *testing.T) {
	m := newTestModel(t, newFake(), 120, 40)
	run(m, m.Init())
	steps := []struct {
		key  string
		want string
	}{
		{"tab", "Schema"}, {"tab", "Health"}, {"tab", "Editor"},
		// the editor completes with tab; esc hands the keys back
		{"tab", "Editor"}, {"esc", "Editor"}, {"tab", "Results"}, {"tab", "Databases"},
		{"shift+tab", "Results"}, {"1", "Databases"}, {"3", "Health"}, {"5", "Results"},
		{"alt+2", "Schema"}, {"4", "Editor"}, {"5", "Editor"}, {"alt+5", "Results"},
	}
	for _, s := range steps {
		press(m, kp(s.key))
		if got := m.Focused(); got != s.want {
			t.Fatalf("after %q focus = %s, want %s", s.key, got, s.want)
		}
	}
}

func TestNumberKeysGoToFilterWhileTyping(t *testing.T) {
	m := newTestModel(t, newFake(), 120, 40)
	run(m, m.Init())
	press(m, kp("/"))
	typeText(m, "3q?")
	if m.Focused() != "Databases" {
		t.Fatalf("digit moved focus while typing: %s", m.Focused())
	}
	if m.overlay != overlayNone {
		t.Fatal("? opened help while typing")
	}
	if !strings.Contains(ansi.Strip(m.Render()), "/3q?") {
		t.Fatal("typed text not shown in the filter")
	}
	press(m, kp("alt+3"))
	if m.Focused() != "Health" {
		t.Fatalf("alt+3 must work in text input, focus = %s", m.Focused())
	}
}

func TestHelpOverlayOpensAndCloses(t *testing.T) {
	m := newTestModel(t, newFake(), 120, 40)
	run(m, m.Init())
	press(m, kp("?"))
	screen := ansi.Strip(m.Render())
	if m.overlay != overlayHelp || !strings.Contains(screen, "Keys · Databases") || !strings.Contains(screen, "show pruned") {
		t.Fatalf("help overlay not drawn:\n%s", screen)
	}
	golden(t, "help_120x40", m.Render())
	press(m, kp("esc"))
	if m.overlay != overlayNone || strings.Contains(ansi.Strip(m.Render()), "Keys · Databases") {
		t.Fatal("esc did not close help")
	}
}

func TestQuitKeys(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup []string
		key   string
		quits bool
	}{
		{"q in list", nil, "q", true},
		{"ctrl+c in list", nil, "ctrl+c", true},
		{"q in filter", []string{"/"}, "q", false},
		{"ctrl+c in filter", []string{"/"}, "ctrl+c", true},
		{"q in prompt", []string{"n"}, "q", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestModel(t, newFake(), 80, 24)
			run(m, m.Init())
			for _, k := range tc.setup {
				press(m, kp(k))
			}
			_, cmd := m.Update(kp(tc.key))
			quit := false
			if cmd != nil {
				_, quit = viewtest.RunCmd(cmd, 20*time.Millisecond).(tea.QuitMsg)
			}
			if quit != tc.quits {
				t.Fatalf("quit = %v, want %v", quit, tc.quits)
			}
		})
	}
}

func TestNarrowShowsOnePaneAndTabStrip(t *testing.T) {
	m := newTestModel(t, newFake(), 80, 24)
	run(m, m.Init())
	press(m, kp("3"))
	screen := ansi.Strip(m.Render())
	if !strings.Contains(screen, "1 Databases") || !strings.Contains(screen, "5 Results") {
		t.Fatalf("tab strip missing:\n%s", screen)
	}
	if !strings.Contains(screen, "Health · demo") || strings.Contains(screen, "NAME") {
		t.Fatalf("narrow layout should show only health:\n%s", screen)
	}
	// growing the window re-lays out at once
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if screen := ansi.Strip(m.Render()); !strings.Contains(screen, "NAME") || strings.Contains(screen, "1 Databases") {
		t.Fatalf("wide layout not applied after resize:\n%s", screen)
	}
}

func TestMouseClickFocusesPane(t *testing.T) {
	m := newTestModel(t, newFake(), 120, 40)
	run(m, m.Init())
	r := m.rects[paneEditor]
	press(m) // no-op
	m.Update(tea.MouseClickMsg{X: r.x + 3, Y: r.y + 2, Button: tea.MouseLeft})
	if m.Focused() != "Editor" {
		t.Fatalf("click focus = %s", m.Focused())
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(tea.MouseClickMsg{X: 30, Y: 0, Button: tea.MouseLeft}) // "3 Health" in the tab strip
	if m.Focused() != "Health" {
		t.Fatalf("tab strip click focus = %s", m.Focused())
	}
}

func TestSpawnThroughPrompt(t *testing.T) {
	f := newFake()
	m := newTestModel(t, f, 120, 40)
	run(m, m.Init())
	press(m, kp("n"))
	typeText(m, "bad name")
	if !strings.Contains(ansi.Strip(m.Render()), "letters, digits") {
		t.Fatalf("invalid name error not shown:\n%s", ansi.Strip(m.Render()))
	}
	press(m, kp("enter"))
	if m.overlay != overlayDialog {
		t.Fatal("enter on an invalid name closed the prompt")
	}
	for range len("bad name") {
		press(m, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	typeText(m, "sales")
	press(m, kp("enter"))
	if m.overlay != overlayNone {
		t.Fatal("prompt still open")
	}
	if m.Current() != "sales" {
		t.Fatalf("current = %q, want the new database", m.Current())
	}
	if !strings.Contains(ansi.Strip(m.Render()), "sales") {
		t.Fatal("new database not listed")
	}
}

// TestSpawnPromptChoosesBackend: tab picks the backend in the
// new-database prompt, the spawn asks for it, and the next prompt starts on
// the same choice.
func TestSpawnPromptChoosesBackend(t *testing.T) {
	f := newFake()
	m := newTestModel(t, f, 120, 40)
	run(m, m.Init())
	press(m, kp("n"))
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "Backend  ● sqlite ○ postgres") {
		t.Fatalf("prompt without the backend picker:\n%s", s)
	}
	typeText(m, "pg")
	press(m, kp("tab"))
	typeText(m, "data")
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "Backend  ○ sqlite ● postgres") || !strings.Contains(s, "pgdata") {
		t.Fatalf("tab did not pick postgres (or took the text):\n%s", s)
	}
	if m.Focused() != "Databases" {
		t.Fatalf("tab in the prompt moved the focus to %s", m.Focused())
	}
	press(m, kp("enter"))
	if len(f.spawned) != 1 || f.spawned[0].Backend != client.BackendPostgres || m.Current() != "pgdata" {
		t.Fatalf("spawned %+v, current %q", f.spawned, m.Current())
	}
	press(m, kp("n"))
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "● postgres") {
		t.Fatalf("the next prompt forgot the backend:\n%s", s)
	}
	press(m, kp("shift+tab"))
	typeText(m, "lite")
	press(m, kp("enter"))
	if len(f.spawned) != 2 || f.spawned[1].Backend != client.BackendSQLite {
		t.Fatalf("spawned %+v", f.spawned)
	}
}

func TestPruneConfirmAndDeleteTypedName(t *testing.T) {
	f := newFake()
	m := newTestModel(t, f, 120, 40)
	run(m, m.Init())
	press(m, kp("j"), kp("p")) // analytics
	if m.overlay != overlayDialog || !strings.Contains(ansi.Strip(m.Render()), `Prune "analytics"?`) {
		t.Fatal("prune did not ask")
	}
	press(m, kp("n"))
	if st := statusOf(f, "analytics"); st != "running" {
		t.Fatalf("n still pruned: %s", st)
	}
	press(m, kp("p"), kp("y"))
	if st := statusOf(f, "analytics"); st != "stopped" {
		t.Fatalf("analytics = %s after confirming", st)
	}
	if strings.Contains(ansi.Strip(m.dbs.view()), "analytics") {
		t.Fatal("pruned database still listed")
	}
	press(m, kp("s"))
	if !strings.Contains(ansi.Strip(m.dbs.view()), "analytics") {
		t.Fatal("s does not show pruned ones")
	}
	press(m, kp("g"), kp("j"), kp("D"))
	typeText(m, "analytic")
	press(m, kp("enter"))
	if statusOf(f, "analytics") == "" || m.overlay != overlayDialog {
		t.Fatal("deleted without the exact name")
	}
	typeText(m, "s")
	press(m, kp("enter"))
	if statusOf(f, "analytics") != "" {
		t.Fatal("not deleted after typing the name")
	}
}

func statusOf(f *fakeAPI, name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range f.dbs {
		if d.Name == name {
			return d.Status
		}
	}
	return ""
}

func TestStaleAnswersAreDropped(t *testing.T) {
	m := newTestModel(t, newFake(), 120, 40)
	run(m, m.Init())
	old, _ := m.request(reqList, 0)
	m.request(reqList, 0)
	m.Update(listMsg{id: old, err: errors.New("stale failure")})
	if txt, isErr := m.Status(); isErr {
		t.Fatalf("stale answer applied: %q", txt)
	}
}

func TestFirstRunSeedsDemo(t *testing.T) {
	f := newFake()
	f.dbs = nil
	m := New(f, Options{Theme: "dark", SeedDemo: true, Now: func() time.Time { return fixedNow }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	run(m, m.Init())
	if m.Current() != "demo" || statusOf(f, "demo") != "running" {
		t.Fatalf("demo not created and selected: current=%q", m.Current())
	}
	if len(f.queries) < 5 || !strings.HasPrefix(f.queries[0], "CREATE TABLE customers") {
		t.Fatalf("demo statements not run: %d", len(f.queries))
	}
}
