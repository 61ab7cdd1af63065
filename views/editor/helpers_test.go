package editor

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

var update = flag.Bool("update", false, "rewrite golden files")

func newEditor(t testing.TB, w, h int, text string) Model {
	t.Helper()
	th := theme.MustNew(theme.Dark, true, false)
	m := New(&th, keymap.Default().Editor)
	m.SetSize(w, h)
	m.Focus()
	if text != "" {
		m.SetText(text)
	}
	return m
}

// kp builds a key press from its keystroke name ("a", "ctrl+r", "shift+left").
func kp(s string) tea.KeyPressMsg {
	var mod tea.KeyMod
	for {
		switch {
		case strings.HasPrefix(s, "ctrl+") && len(s) > 5:
			mod |= tea.ModCtrl
			s = s[5:]
			continue
		case strings.HasPrefix(s, "alt+") && len(s) > 4:
			mod |= tea.ModAlt
			s = s[4:]
			continue
		case strings.HasPrefix(s, "shift+") && len(s) > 6:
			mod |= tea.ModShift
			s = s[6:]
			continue
		}
		break
	}
	codes := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "backspace": tea.KeyBackspace,
		"delete": tea.KeyDelete, "up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft,
		"right": tea.KeyRight, "home": tea.KeyHome, "end": tea.KeyEnd, "pgup": tea.KeyPgUp,
		"pgdown": tea.KeyPgDown, "f5": tea.KeyF5, "f6": tea.KeyF6, "space": tea.KeySpace,
	}
	if c, ok := codes[s]; ok {
		return tea.KeyPressMsg{Code: c, Mod: mod}
	}
	r := []rune(s)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: s}
}

// typeText sends one key press per character ("\n" presses enter).
func typeText(m Model, s string) Model {
	for _, r := range s {
		if r == '\n' {
			m, _ = m.Update(kp("enter"))
			continue
		}
		m, _ = m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// press sends keys and collects the messages of the commands they return.
func press(m Model, keys ...string) (Model, []tea.Msg) {
	var out []tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(kp(k))
		if cmd != nil {
			out = append(out, cmd())
		}
	}
	return m, out
}

func plain(s string) []string { return strings.Split(ansi.Strip(s), "\n") }

func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if h == 0 {
		if view != "" {
			t.Fatalf("0-height view = %q", view)
		}
		return
	}
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := lipgloss.Width(l); got != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	got = ansi.Strip(got)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Fatalf("%s differs from golden\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func sampleSchema() *client.Schema {
	def := "'now'"
	return &client.Schema{Tables: []client.TableSchema{
		{Name: "customers", Type: "table", RowCount: 120, Columns: []client.ColumnSchema{
			{Name: "id", Type: "INTEGER", PrimaryKey: true},
			{Name: "name", Type: "TEXT", NotNull: true},
			{Name: "email", Type: "TEXT"},
			{Name: "created_at", Type: "TEXT", Default: &def},
		}},
		{Name: "orders", Type: "table", RowCount: 4000, Columns: []client.ColumnSchema{
			{Name: "id", Type: "INTEGER", PrimaryKey: true},
			{Name: "customer_id", Type: "INTEGER", NotNull: true},
			{Name: "total", Type: "REAL"},
		}},
		{Name: "order items", Type: "table", Columns: []client.ColumnSchema{{Name: "qty", Type: "INTEGER"}}},
		{Name: "big_orders", Type: "view", Columns: []client.ColumnSchema{{Name: "id"}, {Name: "total"}}},
	}}
}
