package editor

import (
	"flag"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/viewtest"
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
func kp(s string) tea.KeyPressMsg { return viewtest.Key(s) }

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
	viewtest.CheckSize(t, view, w, h)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	viewtest.Golden(t, *update, name, ansi.Strip(got))
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
