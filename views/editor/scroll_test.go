package editor

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// firstLine is the first row of the view without the gutter.
func firstLine(m Model) string {
	return strings.TrimSpace(plain(m.View())[0][m.gutterWidth():])
}

func TestHorizontalScrollNeverGoesStale(t *testing.T) {
	long := "SELECT " + strings.Repeat("column_name, ", 10) + "x FROM t"
	m := newEditor(t, 30, 4, long) // cursor at the end: scrolled right
	if m.left == 0 || !strings.HasSuffix(firstLine(m), "x FROM t") {
		t.Fatalf("long line not scrolled to the cursor: left %d, %q", m.left, firstLine(m))
	}
	// history recall of a short statement: the view starts at column 0
	m.SetHistory([]string{"SELECT 1"})
	m, _ = m.Update(kp("ctrl+up"))
	if m.left != 0 || firstLine(m) != "SELECT 1" {
		t.Fatalf("after recall: left %d, %q", m.left, firstLine(m))
	}
	// back to the long draft, then a resize wide enough for the whole line
	m, _ = m.Update(kp("ctrl+down"))
	if m.left == 0 {
		t.Fatal("the long draft is not scrolled to its cursor")
	}
	m.SetSize(200, 4)
	if m.left != 0 || firstLine(m) != long {
		t.Fatalf("after widening: left %d, %q", m.left, firstLine(m))
	}
	// narrow again: the cursor stays in view
	m.SetSize(30, 4)
	if !strings.HasSuffix(firstLine(m), "x FROM t") {
		t.Fatalf("after narrowing: %q", firstLine(m))
	}
	// line start shows column 0; moving back into the first screen too
	m, _ = m.Update(kp("ctrl+a"))
	if m.left != 0 || !strings.HasPrefix(firstLine(m), "SELECT column_name") {
		t.Fatalf("after ctrl+a: left %d, %q", m.left, firstLine(m))
	}
	m, _ = m.Update(kp("ctrl+e"))
	for range len(long) - 10 {
		m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	}
	if m.left != 0 {
		t.Fatalf("cursor at column 10 with left %d", m.left)
	}
}
