package results

import (
	"flag"
	"fmt"
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

var update = flag.Bool("update", false, "rewrite golden files")

func newTestModel(t testing.TB, w, h int) Model {
	t.Helper()
	th := theme.MustNew(theme.Dark, true, false)
	m := New(&th, keymap.Default().Results)
	// A steady cursor: blinking would make the prompt's commands tick.
	st := m.exportInput.Styles()
	st.Cursor.Blink = false
	m.exportInput.SetStyles(st)
	m.SetSize(w, h)
	m.Focus()
	return m
}

// synth makes rows [offset, offset+n) of a result with ncols columns.
func synth(offset, n, ncols int) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		r := make([]any, ncols)
		for c := range r {
			switch c % 3 {
			case 0:
				r[c] = int64(offset + i)
			case 1:
				r[c] = fmt.Sprintf("name %d/%d", offset+i, c)
			default:
				r[c] = float64(offset+i) / 4
			}
		}
		rows[i] = r
	}
	return rows
}

func synthCols(n int) []client.Column {
	cols := make([]client.Column, n)
	for i := range cols {
		cols[i] = client.Column{Name: fmt.Sprintf("col%d", i), Type: []string{"INTEGER", "TEXT", "REAL"}[i%3]}
	}
	return cols
}

// msgs runs cmd and flattens batches into the messages produced.
func msgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, msgs(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

// only returns the messages of type T.
func only[T any](ms []tea.Msg) []T {
	var out []T
	for _, m := range ms {
		if v, ok := m.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func press(m Model, keys ...tea.KeyPressMsg) (Model, []tea.Msg) {
	var all []tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(k)
		all = append(all, msgs(cmd)...)
	}
	return m, all
}

func runeKey(r rune) tea.KeyPressMsg { return viewtest.Key(string(r)) }

var (
	keyDown  = runeKey('j')
	keyUp    = runeKey('k')
	keyRight = runeKey('l')
	keyLeft  = runeKey('h')
	keyEnter = viewtest.Key("enter")
	keyEsc   = viewtest.Key("esc")
	keyPgDn  = viewtest.Key("pgdown")
	keyEnd   = runeKey('G')
)

// checkSize asserts the View contract: height lines of width cells.
func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	viewtest.CheckSize(t, view, w, h)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	viewtest.Golden(t, *update, name, got)
}

func equal(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
}
