package editor

import (
	"strings"
	"testing"

	"github.com/dbforge/dbforge/views/action"
)

func TestTabsKeepTheirOwnTextFileAndCursor(t *testing.T) {
	m := newEditor(t, 40, 5, "SELECT 1")
	m.SetPath("one.sql")
	m, _ = press(m, "ctrl+a") // cursor at 1:1 in tab 1
	m, _ = press(m, "ctrl+t")
	if m.Tabs() != 2 || m.Active() != 1 || m.Text() != "" || m.Path() != "" {
		t.Fatalf("new tab: %d tabs, active %d, text %q, path %q", m.Tabs(), m.Active(), m.Text(), m.Path())
	}
	m = typeText(m, "SELECT 2\nFROM t")
	if !strings.HasPrefix(m.Title(), "Editor · tab 2/2 · 2:7") {
		t.Fatalf("title %q", m.Title())
	}
	m, _ = press(m, "alt+p")
	if m.Text() != "SELECT 1" || m.Path() != "one.sql" || m.Dirty() {
		t.Fatalf("back in tab 1: text %q path %q dirty %v", m.Text(), m.Path(), m.Dirty())
	}
	if l, c := m.Cursor(); l != 0 || c != 0 {
		t.Fatalf("tab 1 cursor %d:%d, want 0:0", l, c)
	}
	m = typeText(m, "-- ")
	m, _ = press(m, "alt+n")
	if l, c := m.Cursor(); m.Text() != "SELECT 2\nFROM t" || l != 1 || c != 6 {
		t.Fatalf("tab 2: %q at %d:%d", m.Text(), l, c)
	}
	m, _ = press(m, "ctrl+z", "ctrl+z", "ctrl+z") // undo is per tab
	if m.Text() != "" {
		t.Fatalf("undo in tab 2: %q", m.Text())
	}
	m, _ = press(m, "ctrl+pgdown") // wraps to tab 1
	if m.Text() != "-- SELECT 1" || !m.Dirty() {
		t.Fatalf("tab 1 after edits: %q dirty %v", m.Text(), m.Dirty())
	}
}

func TestCloseTabAsksWhenTextWouldBeLost(t *testing.T) {
	m := newEditor(t, 40, 5, "")
	m, _ = press(m, "ctrl+t") // an empty tab closes at once
	m, msgs := press(m, "alt+w")
	if m.Tabs() != 1 || len(msgs) != 0 {
		t.Fatalf("closing an empty tab: %d tabs, msgs %v", m.Tabs(), msgs)
	}
	m, _ = press(m, "ctrl+t")
	m = typeText(m, "SELECT 42")
	m, msgs = press(m, "alt+w")
	if m.Tabs() != 2 || len(msgs) != 1 {
		t.Fatalf("closing a tab with text: %d tabs, msgs %#v", m.Tabs(), msgs)
	}
	c, ok := msgs[0].(action.Confirm)
	if !ok || !strings.Contains(c.Detail, "not saved") {
		t.Fatalf("asked %#v", msgs[0])
	}
	m, _ = m.Update(c.OnYes)
	if m.Tabs() != 1 || m.Text() != "" {
		t.Fatalf("after yes: %d tabs, text %q", m.Tabs(), m.Text())
	}
	// the last tab is emptied, never removed
	m = typeText(m, "x")
	m, msgs = press(m, "alt+w")
	m, _ = m.Update(msgs[0].(action.Confirm).OnYes)
	if m.Tabs() != 1 || m.Text() != "" {
		t.Fatalf("closing the last tab: %d tabs, text %q", m.Tabs(), m.Text())
	}
}

func TestSessionRoundTrip(t *testing.T) {
	m := newEditor(t, 40, 5, "SELECT 1;\nSELECT 2")
	m.SetPath("q.sql")
	m = typeText(m, "0")
	m, _ = press(m, "ctrl+t")
	m = typeText(m, "SELECT 'é日本'")
	m, _ = press(m, "left", "left")
	s := m.Session()

	r := newEditor(t, 40, 5, "")
	if !r.Pristine() {
		t.Fatal("a new editor is not pristine")
	}
	r.Restore(s)
	if r.Tabs() != 2 || r.Active() != 1 || r.Text() != "SELECT 'é日本'" {
		t.Fatalf("restored: %d tabs, active %d, %q", r.Tabs(), r.Active(), r.Text())
	}
	if l, c := r.Cursor(); l != 0 || c != len("SELECT 'é日") {
		t.Fatalf("restored cursor %d:%d", l, c)
	}
	r, _ = press(r, "alt+p")
	if r.Text() != "SELECT 1;\nSELECT 20" || r.Path() != "q.sql" || !r.Dirty() || len(r.DirtyFiles()) != 1 {
		t.Fatalf("restored file tab: %q %q dirty %v", r.Text(), r.Path(), r.Dirty())
	}
	// a cursor from a damaged draft is clamped, and snapped off a multi-byte cell
	r.Restore(Session{Tabs: []SessionTab{{Text: "日本", Line: 9, Col: 1}}})
	if r.Tabs() != 3 {
		t.Fatalf("restore over text must add tabs: %d", r.Tabs())
	}
	if l, c := r.Cursor(); l != 0 || c != 0 {
		t.Fatalf("clamped cursor %d:%d", l, c)
	}
}
