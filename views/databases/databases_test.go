package databases

import (
	"flag"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
)

var update = flag.Bool("update", false, "rewrite golden files")

var now = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

func sample() []client.Database {
	return []client.Database{
		{Name: "demo", Status: "running", SizeBytes: 1_234_567, LastAccessed: now.Add(-3 * time.Second)},
		{Name: "analytics", Status: "running", SizeBytes: 98_765_432, LastAccessed: now.Add(-42 * time.Minute)},
		{Name: "old-logs", Status: "stopped", SizeBytes: 4096, LastAccessed: now.Add(-96 * time.Hour)},
		{Name: "broken\x1b[31m", Status: "error", LastAccessed: now.Add(-5 * time.Hour)},
		{Name: "scratch", Status: "running"},
	}
}

func newPane(w, h int) Model {
	th := theme.MustNew(theme.Dark, true, false)
	m := New(&th, keymap.Default().Databases)
	m.SetSize(w, h)
	m.SetNow(now)
	m.SetDatabases(sample())
	m.SetCurrent("demo")
	m.Focus()
	return m
}

func kp(s string) tea.KeyPressMsg { return viewtest.Key(s) }

func feed(m Model, keys ...string) (Model, []tea.Msg) {
	var out []tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(kp(k))
		if msg := runCmd(cmd); msg != nil {
			out = append(out, msg)
		}
	}
	return m, out
}

func TestKeys(t *testing.T) {
	tests := []struct {
		name     string
		keys     []string
		selected string
		check    func(t *testing.T, msgs []tea.Msg)
	}{
		{"down moves", []string{"j"}, "analytics", nil},
		{"bottom and top", []string{"G", "g"}, "demo", nil},
		{"G lands on last visible", []string{"G"}, "scratch", nil},
		{"enter selects", []string{"j", "enter"}, "analytics", func(t *testing.T, msgs []tea.Msg) {
			if a, ok := last(msgs).(action.SelectDatabase); !ok || a.Name != "analytics" {
				t.Fatalf("got %#v", last(msgs))
			}
		}},
		{"filter narrows", []string{"/", "a", "n", "a", "enter"}, "analytics", nil},
		{"esc clears filter, keeps the row", []string{"/", "s", "c", "esc", "g"}, "demo", nil},
		{"s shows pruned and asks for all", []string{"s", "j", "j"}, "old-logs", func(t *testing.T, msgs []tea.Msg) {
			if a, ok := msgs[0].(action.RefreshDatabases); !ok || !a.All {
				t.Fatalf("got %#v", msgs[0])
			}
		}},
		{"n prompts with validation", []string{"n"}, "demo", func(t *testing.T, msgs []tea.Msg) {
			p, ok := last(msgs).(action.Prompt)
			if !ok || p.Validate("ok_name-1.2") != nil || p.Validate("-bad") == nil {
				t.Fatalf("got %#v", last(msgs))
			}
			if p.Choice == nil || strings.Join(p.Choice.Options, ",") != "sqlite,postgres" || p.Choice.Selected != 0 {
				t.Fatalf("backend choice %#v", p.Choice)
			}
			if s := p.Choice.OnSubmit("x", "postgres"); s != (action.SpawnDatabase{Name: "x", Backend: "postgres"}) {
				t.Fatalf("submit gives %#v", s)
			}
		}},
		{"p confirms prune", []string{"p"}, "demo", func(t *testing.T, msgs []tea.Msg) {
			c, ok := last(msgs).(action.Confirm)
			if !ok || c.OnYes != (action.PruneDatabase{Name: "demo"}) {
				t.Fatalf("got %#v", last(msgs))
			}
		}},
		{"D asks for the name", []string{"j", "D"}, "analytics", func(t *testing.T, msgs []tea.Msg) {
			c, ok := last(msgs).(action.ConfirmName)
			if !ok || c.Name != "analytics" || c.OnYes != (action.DeleteDatabase{Name: "analytics"}) {
				t.Fatalf("got %#v", last(msgs))
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, msgs := feed(newPane(60, 10), tc.keys...)
			if got := m.Selected(); got != tc.selected {
				t.Fatalf("selected %q, want %q", got, tc.selected)
			}
			if tc.check != nil {
				tc.check(t, msgs)
			}
		})
	}
}

func last(msgs []tea.Msg) tea.Msg {
	if len(msgs) == 0 {
		return nil
	}
	return msgs[len(msgs)-1]
}

func TestUnfocusedIgnoresKeys(t *testing.T) {
	m := newPane(60, 10)
	m.Blur()
	m, msgs := feed(m, "j", "n")
	if m.Selected() != "demo" || len(msgs) != 0 {
		t.Fatal("blurred pane reacted to keys")
	}
}

func TestInTextInputOnlyWhileFiltering(t *testing.T) {
	m := newPane(60, 10)
	if m.InTextInput() {
		t.Fatal("text input before /")
	}
	m, _ = feed(m, "/")
	if !m.InTextInput() {
		t.Fatal("not in text input after /")
	}
	m, _ = feed(m, "enter")
	if m.InTextInput() {
		t.Fatal("still in text input after enter")
	}
}

func TestReadOnlyRefusesChanges(t *testing.T) {
	m := newPane(60, 10)
	m.SetReadOnly(true)
	for _, k := range []string{"n", "p", "D"} {
		_, msgs := feed(m, k)
		if s, ok := last(msgs).(action.Status); !ok || !s.Error {
			t.Fatalf("%s in read-only gave %#v", k, last(msgs))
		}
	}
}

func TestValidateName(t *testing.T) {
	for name, ok := range map[string]bool{
		"demo": true, "a": true, "A1_b.c-d": true, strings.Repeat("x", 200): true,
		"": false, "-x": false, ".hidden": false, "..": false, "a b": false, "a/b": false,
		strings.Repeat("x", 201): false, "é": false,
	} {
		if err := ValidateName(name); (err == nil) != ok {
			t.Errorf("ValidateName(%q) = %v", name, err)
		}
	}
}

func TestViewSizeAndSanitizing(t *testing.T) {
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {5, 2}, {20, 3}, {46, 7}, {76, 20}} {
		m := newPane(sz[0], sz[1])
		v := m.View()
		if sz[1] > 0 {
			viewtest.CheckSize(t, v, sz[0], sz[1])
		}
		if strings.Contains(v, "\x1b[31m") {
			t.Fatal("escape sequence from a name reached the terminal")
		}
	}
}

func TestGoldens(t *testing.T) {
	cases := map[string]func() Model{
		"list_76x20":  func() Model { return newPane(76, 20) },
		"list_46x7":   func() Model { return newPane(46, 7) },
		"pruned_46x7": func() Model { m, _ := feed(newPane(46, 7), "s", "j", "j"); return m },
		"filter_76x20": func() Model {
			m, _ := feed(newPane(76, 20), "/", "o")
			return m
		},
		"empty_46x7": func() Model {
			m := newPane(46, 7)
			m.SetDatabases(nil)
			return m
		},
		"error_46x7": func() Model {
			m := newPane(46, 7)
			m.SetError(errString("connection refused"))
			return m
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) { golden(t, name, mk().View()) })
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func golden(t *testing.T, name, got string) {
	t.Helper()
	viewtest.Golden(t, *update, name, ansi.Strip(got))
}

// runCmd runs cmd, giving up on commands that wait (cursor blink ticks).
func runCmd(cmd tea.Cmd) tea.Msg { return viewtest.RunCmd(cmd, 20*time.Millisecond) }

func TestRevealWaitsForTheName(t *testing.T) {
	m := newPane(60, 10)
	m.Reveal("sales")
	if m.Selected() != "demo" {
		t.Fatal("cursor moved to a name not listed yet")
	}
	m.SetDatabases(append(sample(), client.Database{Name: "sales", Status: "running"}))
	if m.Selected() != "sales" {
		t.Fatalf("cursor on %q after the list arrived", m.Selected())
	}
}

// TestSpawnPromptStartsOnTheLastBackend: the new-database prompt offers
// every backend and starts on the one chosen last.
func TestSpawnPromptStartsOnTheLastBackend(t *testing.T) {
	m := newPane(46, 7)
	m.RememberBackend("postgres")
	p := m.spawnPrompt()
	if p.Choice.Options[p.Choice.Selected] != "postgres" {
		t.Fatalf("prompt starts on %q", p.Choice.Options[p.Choice.Selected])
	}
	m.RememberBackend("no-such-backend")
	if p := m.spawnPrompt(); p.Choice.Selected != 0 {
		t.Fatalf("an unknown remembered backend starts on %d, want the default", p.Choice.Selected)
	}
}

// TestPostgresDatabasesAreMarked: a PostgreSQL database carries [pg] in
// the list; SQLite ones (and those of gateways that do not say) do not.
func TestPostgresDatabasesAreMarked(t *testing.T) {
	m := newPane(46, 7)
	list := sample()
	list[0].Backend = client.BackendPostgres
	list[1].Backend = client.BackendSQLite
	m.SetDatabases(list)
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "▸demo [pg]") || strings.Contains(v, "analytics [") || strings.Count(v, "[pg]") != 1 {
		t.Fatalf("list:\n%s", v)
	}
	if m.Backend("demo") != client.BackendPostgres || m.Backend("nope") != "" {
		t.Fatalf("Backend: %q %q", m.Backend("demo"), m.Backend("nope"))
	}
}
